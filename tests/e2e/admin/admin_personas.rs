//! `/emulator/personas` over real HTTP: create a persona (names, phone, generated password) and
//! log in with it; search by login and level; change the level, block (login refused) and
//! unblock, delete; the level select shows the current level, so «Изменить уровень» sent
//! untouched keeps it; bad input is shown on the page, never a 500; forms need the CSRF token.

use esia_testkit::spawn::submitted_select_value;
use esia_testkit::{spawn_app, TestApp};

async fn page(app: &TestApp, path: &str) -> (u16, String) {
    let resp = app.get(path).await;
    (resp.status().as_u16(), resp.text().await.unwrap())
}

async fn post(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let resp = app.post_form(path, fields).await;
    (resp.status().as_u16(), resp.text().await.unwrap())
}

/// Logs in with a fresh cookie jar; true when the login page let the user in.
async fn can_log_in(app: &TestApp, login: &str, password: &str) -> bool {
    let client = app.new_client();
    let html = client
        .get(app.url("/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = esia_testkit::spawn::extract_csrf(&html).unwrap();
    let resp = client
        .post(app.url("/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("login", login),
            ("password", password),
        ])
        .send()
        .await
        .unwrap();
    resp.status().is_redirection()
}

#[tokio::test]
async fn create_search_change_block_and_delete_a_persona() {
    let app = spawn_app().await;
    let (s, html) = post(
        &app,
        "/emulator/personas",
        &[
            ("level", "confirmed"),
            ("surname", "Проверкин"),
            ("name", "Админ"),
            ("phone", "+7 900 555-01-02"),
            ("email", ""),
            ("password", "Secret123"),
        ],
    )
    .await;
    assert_eq!(s, 200, "{html}");
    assert!(html.contains("data-testid=\"personas-notice\""));
    assert!(html.contains("Создан пользователь"));
    let found = esia_control::personas::list_personas(
        &app.control,
        &esia_control::personas::PersonaQuery {
            login: Some("9005550102".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let oid = found.personas[0].oid;
    assert_eq!(found.personas[0].surname, "Проверкин");
    assert!(can_log_in(&app, "+79005550102", "Secret123").await);

    let (s, html) = page(&app, "/emulator/personas?login=9005550102&level=confirmed").await;
    assert_eq!(s, 200);
    assert!(html.contains(&format!("data-testid=\"personas-row-{oid}\"")));
    assert!(html.contains("Подтверждённая"));
    let (_, html) = page(&app, "/emulator/personas?login=9005550102&level=simplified").await;
    assert!(html.contains("data-testid=\"personas-empty\""));
    let (s, html) = page(&app, "/emulator/personas?level=golden").await;
    assert_eq!(s, 422);
    assert!(html.contains("data-testid=\"personas-error\""));

    let (s, _) = post(
        &app,
        &format!("/emulator/personas/{oid}/level"),
        &[("level", "simplified")],
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(
        esia_control::personas::get_persona(&app.control, oid)
            .unwrap()
            .level
            .as_str(),
        "simplified"
    );

    let (s, html) = post(
        &app,
        &format!("/emulator/personas/{oid}/block"),
        &[("blocked", "true")],
    )
    .await;
    assert_eq!(s, 200);
    assert!(html.contains("data-testid=\"personas-row-blocked\""));
    assert!(!can_log_in(&app, "+79005550102", "Secret123").await);
    let (s, _) = post(
        &app,
        &format!("/emulator/personas/{oid}/block"),
        &[("blocked", "false")],
    )
    .await;
    assert_eq!(s, 200);
    assert!(can_log_in(&app, "+79005550102", "Secret123").await);

    let (s, _) = post(&app, &format!("/emulator/personas/{oid}/delete"), &[]).await;
    assert_eq!(s, 200);
    assert!(esia_control::personas::get_persona(&app.control, oid).is_err());
    let (s, html) = post(&app, &format!("/emulator/personas/{oid}/delete"), &[]).await;
    assert_eq!(s, 404);
    assert!(html.contains("data-testid=\"personas-error\""));
}

#[tokio::test]
async fn bad_input_is_shown_on_the_page() {
    let app = spawn_app().await;
    let (s, html) = post(
        &app,
        "/emulator/personas",
        &[("level", "standard"), ("phone", "not a phone")],
    )
    .await;
    assert_eq!(s, 422, "{html}");
    assert!(html.contains("data-testid=\"personas-error\""));
    assert!(
        html.contains("value=\"not a phone\""),
        "the typed value is kept"
    );
    let (s, _) = post(&app, "/emulator/personas", &[("level", "golden")]).await;
    assert_eq!(s, 422);
    let (s, _) = post(
        &app,
        "/emulator/personas/abc/level",
        &[("level", "standard")],
    )
    .await;
    assert_eq!(s, 422);
    let (s, _) = post(
        &app,
        "/emulator/personas/1000000001/level",
        &[("level", "golden")],
    )
    .await;
    assert_eq!(s, 422);
    let (s, _) = page(&app, "/emulator/personas?lvl=x").await;
    assert_eq!(s, 400);
    let resp = app
        .client
        .post(app.url("/emulator/personas/1000000001/delete"))
        .form(&[("csrf", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    assert!(esia_control::personas::get_persona(&app.control, 1_000_000_001).is_ok());
}

#[tokio::test]
async fn the_level_select_shows_the_level_and_an_untouched_form_keeps_it() {
    let app = spawn_app().await;
    let level_of = |oid: i64| {
        esia_control::personas::get_persona(&app.control, oid)
            .unwrap()
            .level
            .as_str()
    };
    // A confirmed, a standard and a simplified demo persona.
    for (oid, level) in [
        (1000000006, "confirmed"),
        (1000000004, "standard"),
        (1000000001, "simplified"),
    ] {
        let (s, html) = page(
            &app,
            &format!("/emulator/personas?login=90000000{:02}", oid % 100),
        )
        .await;
        assert_eq!(s, 200);
        let testid = format!("personas-level-{oid}");
        assert!(
            html.contains(&format!("<option value=\"{level}\" selected>")),
            "{html}"
        );
        let sent = submitted_select_value(&html, &testid).expect("level select");
        assert_eq!(sent, level, "{html}");
        let (s, _) = post(
            &app,
            &format!("/emulator/personas/{oid}/level"),
            &[("level", &sent)],
        )
        .await;
        assert_eq!(s, 200);
        assert_eq!(level_of(oid), level);
    }
}
