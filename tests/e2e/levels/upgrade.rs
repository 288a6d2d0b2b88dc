//! Account upgrade over real HTTP: «Персональные данные» → checks (jobs moved forward by the
//! clock, never by sleeping) → standard → confirmed by post code; a failed check and «Исправить
//! данные»; rules forcing «ведомство недоступно» (retried) and registry mismatches. The other
//! confirmation paths are in `upgrade_confirm.rs`, which shares the helpers here. SQLite, or
//! PostgreSQL with TEST_DATABASE_URL.

use chrono::Duration;
use esia_testkit::spawn::location;
use esia_testkit::upgrade::snils;
use esia_testkit::{spawn_app, TestApp};

pub(super) const PHONE1: &str = "+79000000001";

pub(super) async fn login(app: &TestApp, login: &str) {
    let resp = app
        .post_form("/login", &[("login", login), ("password", "11111111")])
        .await;
    assert_eq!(resp.status(), 303, "login");
}

pub(super) fn ivanov<'a>(snils: &'a str, number: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("surname", "Иванов"),
        ("name", "Иван"),
        ("patronymic", "Иванович"),
        ("gender", "M"),
        ("birth_date", "01.01.1980"),
        ("birth_place", "г. Москва"),
        ("citizenship", "RUS"),
        ("snils", snils),
        ("inn", ""),
        ("doc_series", "45 02"),
        ("doc_number", number),
        ("doc_issue_date", "15.02.2010"),
        ("doc_issued_by", "ОВД Пресненского района г. Москвы"),
        ("doc_dept_code", "770-001"),
    ]
}

pub(super) async fn page(app: &TestApp, path: &str) -> String {
    app.get(path).await.text().await.expect("page")
}

/// Moves the clock past the check delay and waits (bounded) for the in-process worker.
pub(super) async fn wait_for(app: &TestApp, path: &str, needle: &str) -> String {
    app.clock.advance(Duration::seconds(10));
    for _ in 0..200 {
        let html = page(app, path).await;
        if html.contains(needle) {
            return html;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!(
        "`{needle}` never appeared on {path}:\n{}",
        page(app, path).await
    );
}

/// Logs in as the demo person with PHONE1 and makes it standard with Ivanov's personal data
/// (checks answered after the clock moves); returns the SNILS used.
pub(super) async fn standard_ivanov(app: &TestApp) -> String {
    login(app, PHONE1).await;
    let s = snils("112233445");
    app.post_form("/profile/personal-data", &ivanov(&s, "573482"))
        .await;
    wait_for(app, "/profile/personal-data", "Стандартная учётная запись").await;
    s
}

/// A confirmation step answered with «confirmed», and the cabinet showing the new level.
pub(super) async fn assert_confirmed(app: &TestApp, resp: &reqwest::Response) {
    assert_eq!(location(resp), "/profile/confirm?done=confirmed");
    assert!(page(app, "/profile")
        .await
        .contains("Подтверждённая учётная запись"));
}

pub(super) async fn sms_containing(app: &TestApp, phone: &str, text: &str) -> usize {
    app.outbox(phone, "sms")
        .await
        .iter()
        .filter(|m| m["text"].as_str().is_some_and(|b| b.contains(text)))
        .count()
}

#[tokio::test]
async fn simplified_to_standard_to_confirmed_by_post_code() {
    let app = spawn_app().await;
    login(&app, PHONE1).await;
    let html = page(&app, "/profile/personal-data").await;
    assert!(
        html.contains("Персональные данные")
            && html.contains("data-testid=\"personal-data-submit\"")
    );

    // Every field is validated at once, with Russian messages under the fields.
    let resp = app
        .post_form(
            "/profile/personal-data",
            &[("surname", "Ivanов"), ("snils", "123")],
        )
        .await;
    assert_eq!(resp.status(), 422);
    let html = resp.text().await.unwrap();
    for testid in [
        "surname-error",
        "gender-error",
        "snils-error",
        "doc-series-error",
        "birth-date-error",
    ] {
        assert!(
            html.contains(&format!("personal-data-{testid}")),
            "{testid}: {html}"
        );
    }

    let good = snils("112233445");
    let resp = app
        .post_form("/profile/personal-data", &ivanov(&good, "573482"))
        .await;
    assert_eq!(resp.status(), 303);
    let html = page(&app, "/profile/personal-data").await;
    assert!(html.contains("Личные данные проверяются"), "{html}");
    assert!(html.contains("Проверка СНИЛС в Социальном фонде России"));
    assert!(html.contains("Проверка паспорта в МВД России"));
    assert!(html.contains("data-status=\"pending\""));
    assert!(page(&app, "/profile")
        .await
        .contains("Упрощённая учётная запись"));

    let html = wait_for(&app, "/profile/personal-data", "Стандартная учётная запись").await;
    assert!(html.contains("Проверка прошла успешно"), "{html}");
    assert!(!html.contains("data-status=\"pending\""));
    assert_eq!(
        sms_containing(&app, PHONE1, "повышена до стандартной").await,
        1
    );
    let emails = app.outbox("esiatest001@yandex.ru", "email").await;
    assert!(emails
        .iter()
        .any(|m| m["subject"] == "Учётная запись повышена до стандартной"));
    // More worker passes never notify twice.
    app.clock.advance(Duration::seconds(3600));
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        sms_containing(&app, PHONE1, "повышена до стандартной").await,
        1
    );

    // Russian Post: order, wait for the letter, a wrong code, then the right one.
    let resp = app.post_form("/profile/confirm/post", &[]).await;
    assert_eq!(location(&resp), "/profile/confirm?done=ordered");
    let resp = app
        .post_form("/profile/confirm/post/code", &[("code", "000000")])
        .await;
    assert_eq!(resp.status(), 409, "no letter yet");
    app.clock.advance(Duration::seconds(10));
    let mut letter = None;
    for _ in 0..200 {
        letter = app.outbox(PHONE1, "letter").await.first().cloned();
        if letter.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    if letter.is_none() {
        let mut conn = app.core.conn().unwrap();
        let jobs = esia_store::jobs::list(&mut conn, None, 20).unwrap();
        let seen: Vec<_> = jobs
            .iter()
            .map(|j| (&j.kind, &j.status, &j.last_error))
            .collect();
        panic!("no letter; jobs: {seen:?}");
    }
    let code = letter.expect("letter delivered")["code"]
        .as_str()
        .unwrap()
        .to_string();
    let wrong = if code == "111111" { "222222" } else { "111111" };
    let resp = app
        .post_form("/profile/confirm/post/code", &[("code", wrong)])
        .await;
    assert_eq!(resp.status(), 422);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("Неверный код. Осталось попыток: 2"));
    let resp = app
        .post_form("/profile/confirm/post/code", &[("code", &code)])
        .await;
    assert_confirmed(&app, &resp).await;
    assert_eq!(sms_containing(&app, PHONE1, "подтверждена").await, 1);
}

#[tokio::test]
async fn a_failed_check_names_the_reason_and_the_data_can_be_fixed() {
    let app = spawn_app().await;
    login(&app, PHONE1).await;
    let not_found = snils("111222404");
    app.post_form("/profile/personal-data", &ivanov(&not_found, "573482"))
        .await;
    // The alert, not a check row's status: a row fails while the other check may still run,
    // and the alert with its «Исправить данные» comes only when the round is over.
    let html = wait_for(
        &app,
        "/profile/personal-data",
        "data-testid=\"personal-data-failed\"",
    )
    .await;
    assert!(html.contains("не найден"), "{html}");
    assert!(html.contains("data-testid=\"personal-data-fix\""), "{html}");
    assert!(html.contains("Проверка СНИЛС в Социальном фонде России"));
    assert!(page(&app, "/profile")
        .await
        .contains("Упрощённая учётная запись"));
    assert_eq!(
        sms_containing(&app, PHONE1, "Данные не прошли проверку").await,
        1
    );

    let form = page(&app, "/profile/personal-data?edit=1").await;
    assert!(form.contains("personal-data-form"));
    let good = snils("112233445");
    let resp = app
        .post_form("/profile/personal-data", &ivanov(&good, "573482"))
        .await;
    assert_eq!(resp.status(), 303);
    wait_for(&app, "/profile/personal-data", "Стандартная учётная запись").await;
    assert_eq!(
        sms_containing(&app, PHONE1, "Данные не прошли проверку").await,
        1
    );
}

#[tokio::test]
async fn rules_force_outcomes_and_an_unavailable_agency_is_retried() {
    let app = spawn_app().await;
    let rule = app
        .client
        .post(app.url("/emulator/api/verification-rules"))
        .json(
            &serde_json::json!({"field": "passport", "pattern": "4502*", "outcome": "unavailable"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(rule.status(), 201);
    let bad = app
        .client
        .post(app.url("/emulator/api/verification-rules"))
        .json(&serde_json::json!({"field": "phone", "pattern": "1", "outcome": "boom"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 409);
    let list: serde_json::Value = app
        .get("/emulator/api/verification-rules")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["rules"].as_array().unwrap().len(), 1);

    login(&app, PHONE1).await;
    app.post_form(
        "/profile/personal-data",
        &ivanov(&snils("112233445"), "573482"),
    )
    .await;
    // The passport job fails and waits for its retry; SNILS passes meanwhile.
    let html = wait_for(&app, "/profile/personal-data", "Проверка прошла успешно").await;
    assert!(html.contains("data-status=\"pending\""), "{html}");
    let deleted = app
        .client
        .delete(app.url("/emulator/api/verification-rules"))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 200);
    wait_for(&app, "/profile/personal-data", "Стандартная учётная запись").await;

    // Another person with the same passport but another name: «данные не совпадают».
    let other = app.new_client();
    let html = other
        .get(app.url("/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = esia_testkit::spawn::extract_csrf(&html).unwrap();
    let resp = other
        .post(app.url("/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("login", "+79000000002"),
            ("password", "11111111"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let s2 = snils("223344556");
    let mut fields = ivanov(&s2, "573482");
    fields[0] = ("surname", "Петрова");
    fields[1] = ("name", "Мария");
    fields[2] = ("patronymic", "Сергеевна");
    fields[3] = ("gender", "F");
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend(fields);
    let resp = other
        .post(app.url("/profile/personal-data"))
        .form(&all)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    app.clock.advance(Duration::seconds(10));
    let mut html = String::new();
    for _ in 0..200 {
        html = other
            .get(app.url("/profile/personal-data"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if html.contains("Данные не прошли проверку") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert!(html.contains("данные не совпадают"), "{html}");
    assert!(html.contains("Проверка паспорта в МВД России"));
}
