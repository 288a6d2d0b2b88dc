//! In real headless Chromium, every admin page: a dead job is seen and retried on
//! `/emulator/jobs`; an SMS code is found on `/emulator/outbox`; `/emulator/journal` is filtered
//! and its decoder explains a token from the real flow; a fault rule is added and deleted on
//! `/emulator/faults`; the clock is moved and reset on `/emulator/clock`. The pages are reached
//! through the links of `/emulator`. Gated by ESIA_TEST_BROWSER=1.

use esia_store::jobs::{self, JobRow};
use esia_testkit::browser::{tid, Browser};
use esia_testkit::protocol::*;
use esia_testkit::{require_browser, spawn_app, TestApp};

async fn open_from_home(b: &Browser, app: &TestApp, link: &str, title: &str) {
    b.goto(&app.url("/emulator")).await.unwrap();
    b.click_to_new_page(&tid(link)).await.unwrap();
    b.wait_for(&tid(title)).await.unwrap();
}

#[tokio::test]
async fn a_dead_job_is_seen_and_retried() {
    require_browser!("a_dead_job_is_seen_and_retried");
    let app = spawn_app().await;
    app.clock.freeze_at(chrono::Utc::now());
    let now = app.core.now_naive();
    jobs::enqueue(
        &mut app.core.conn().unwrap(),
        &JobRow {
            id: "job-b1".into(),
            kind: "no_such_kind".into(),
            payload: "{}".into(),
            status: "dead".into(),
            attempts: 3,
            max_attempts: 3,
            run_at: now,
            locked_by: None,
            locked_until: None,
            last_error: Some("unknown job kind no_such_kind".into()),
            created_at: now,
            finished_at: Some(now),
            request_id: None,
        },
    )
    .unwrap();
    let b = Browser::start().await.expect("browser");
    open_from_home(&b, &app, "emulator-link-jobs", "jobs-title").await;
    let row = b.text(&tid("jobs-row-job-b1")).await.unwrap();
    assert!(row.contains("Ошибка, попытки исчерпаны"), "{row}");
    assert!(row.contains("unknown job kind"), "{row}");
    b.click_to_new_page(&tid("jobs-retry-job-b1"))
        .await
        .unwrap();
    let notice = b.text(&tid("jobs-notice")).await.unwrap();
    b.close().await.unwrap();
    assert!(notice.contains("снова в очереди"), "{notice}");
    let row = jobs::find(&mut app.core.conn().unwrap(), "job-b1")
        .unwrap()
        .unwrap();
    assert_eq!(row.status, "queued");
}

#[tokio::test]
async fn the_sms_code_is_on_the_outbox_page() {
    require_browser!("the_sms_code_is_on_the_outbox_page");
    let app = spawn_app().await;
    let resp = app
        .post_form(
            "/registration",
            &[
                ("surname", "Тестов"),
                ("name", "Тест"),
                ("phone", "8 (912) 345-67-89"),
            ],
        )
        .await;
    assert_eq!(resp.status(), 303);
    let code = app.last_sms_code("+79123456789").await;
    let b = Browser::start().await.expect("browser");
    open_from_home(&b, &app, "emulator-link-outbox-page", "outbox-title").await;
    b.fill(&tid("outbox-filter-to"), "+7 912 345-67-89")
        .await
        .unwrap();
    b.click("#kind option[value=\"sms\"]").await.unwrap();
    b.click_to_new_page(&tid("outbox-filter-submit"))
        .await
        .unwrap();
    b.wait_for_url_contains("kind=sms").await.unwrap();
    let shown = b.text(&tid("outbox-code")).await.unwrap();
    b.close().await.unwrap();
    assert_eq!(shown, code);
}

#[tokio::test]
async fn the_journal_is_filtered_and_a_token_decoded() {
    require_browser!("the_journal_is_filtered_and_a_token_decoded");
    let app = spawn_app().await;
    let client = app.new_client();
    let scope = "openid fullname";
    let params = v2_ac_params(scope, &new_state(), &timestamp(0), &[], own_sign);
    let first = ac(&app, &client, "/aas/oauth2/v2/ac", &params).await;
    let callback = browse_to_callback(&app, &client, first, "EsiaTest001@yandex.ru").await;
    let code = q(&query_of(&callback), "code").expect("code").to_string();
    let params = v3_code_params(&code, scope, &new_state(), &timestamp(0), own_sign);
    let (status, body) = te(&app, "/aas/oauth2/v3/te", &params).await;
    assert_eq!(status, 200, "{body}");
    let id_token = body["id_token"].as_str().unwrap().to_string();

    let b = Browser::start().await.expect("browser");
    open_from_home(&b, &app, "emulator-link-journal", "journal-title").await;
    b.fill(&tid("journal-filter-endpoint"), "v3/te")
        .await
        .unwrap();
    b.fill(&tid("journal-filter-persona"), "1000000001")
        .await
        .unwrap();
    b.click_to_new_page(&tid("journal-filter-submit"))
        .await
        .unwrap();
    b.wait_for_url_contains("endpoint=v3").await.unwrap();
    let list = b.text(&tid("journal-list")).await.unwrap();
    assert!(list.contains("/aas/oauth2/v3/te"), "{list}");
    assert!(!list.contains("/aas/oauth2/v2/ac"), "{list}");
    assert!(
        list.contains("1000000001") && list.contains("200"),
        "{list}"
    );

    b.fill(&tid("decoder-token"), &id_token).await.unwrap();
    b.click_to_new_page(&tid("decoder-jwt-submit"))
        .await
        .unwrap();
    let verdict = b.text(&tid("decoder-signature")).await.unwrap();
    let exp = b.text(&tid("decoder-time-exp")).await.unwrap();
    let claims = b.text(&tid("decoder-claims")).await.unwrap();
    b.close().await.unwrap();
    assert!(verdict.contains("Подпись верна"), "{verdict}");
    let year = chrono::Utc::now().format("%Y").to_string();
    assert!(exp.contains(&year), "exp shown as a date: {exp}");
    assert!(claims.contains("1000000001"), "{claims}");
}

#[tokio::test]
async fn a_fault_rule_is_added_and_deleted_and_the_clock_moved() {
    require_browser!("a_fault_rule_is_added_and_deleted_and_the_clock_moved");
    let app = spawn_app().await;
    let b = Browser::start().await.expect("browser");
    open_from_home(&b, &app, "emulator-link-faults", "faults-title").await;
    b.click("#kind option[value=\"http_status\"]")
        .await
        .unwrap();
    b.fill(&tid("faults-status"), "503").await.unwrap();
    b.fill(&tid("faults-endpoint"), "te").await.unwrap();
    b.fill(&tid("faults-times"), "1").await.unwrap();
    b.click_to_new_page(&tid("faults-submit")).await.unwrap();
    b.wait_for(&tid("faults-notice")).await.unwrap();
    let rules = esia_control::faults::list_faults(&app.control).unwrap();
    assert_eq!(rules.len(), 1);
    let row = b
        .text(&tid(&format!("faults-row-{}", rules[0].id)))
        .await
        .unwrap();
    assert!(row.contains("503"), "{row}");
    b.click_to_new_page(&tid(&format!("faults-delete-{}", rules[0].id)))
        .await
        .unwrap();
    b.wait_for(&tid("faults-empty")).await.unwrap();
    assert!(esia_control::faults::list_faults(&app.control)
        .unwrap()
        .is_empty());

    b.click_to_new_page(&tid("admin-nav-clock")).await.unwrap();
    b.wait_for(&tid("clock-title")).await.unwrap();
    let before = app.core.now();
    b.fill(&tid("clock-advance-input"), "86400").await.unwrap();
    b.click_to_new_page(&tid("clock-advance-submit"))
        .await
        .unwrap();
    b.wait_for(&tid("clock-notice")).await.unwrap();
    let moved = (app.core.now() - before).num_seconds();
    assert!((86_390..86_500).contains(&moved), "{moved}");
    // The page before the click also has a notice: wait for the new page, then its offset.
    b.click_to_new_page(&tid("clock-reset")).await.unwrap();
    let offset = b.text_once_equal(&tid("clock-offset"), "0").await.unwrap();
    b.close().await.unwrap();
    assert_eq!(offset, "0");
    assert_eq!(esia_control::clock::clock_view(&app.control).offset_secs, 0);
}

#[tokio::test]
async fn a_persona_is_created_blocked_and_deleted_in_the_ui() {
    require_browser!("a_persona_is_created_blocked_and_deleted_in_the_ui");
    let app = spawn_app().await;
    let b = Browser::start().await.expect("browser");
    open_from_home(&b, &app, "emulator-link-personas", "personas-title").await;
    b.click("#level option[value=\"simplified\"]")
        .await
        .unwrap();
    b.fill(&tid("personas-create-surname"), "Браузеров")
        .await
        .unwrap();
    b.fill(&tid("personas-create-name"), "Тест").await.unwrap();
    b.fill(&tid("personas-create-phone"), "+7 900 555-03-04")
        .await
        .unwrap();
    b.click_to_new_page(&tid("personas-create-submit"))
        .await
        .unwrap();
    let notice = b.text(&tid("personas-notice")).await.unwrap();
    assert!(notice.contains("Создан пользователь"), "{notice}");
    assert!(notice.contains("+79005550304"), "{notice}");
    let page = esia_control::personas::list_personas(
        &app.control,
        &esia_control::personas::PersonaQuery {
            login: Some("9005550304".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let oid = page.personas[0].oid;
    assert_eq!(page.personas[0].level.as_str(), "simplified");

    b.fill(&tid("personas-search"), "9005550304").await.unwrap();
    b.click_to_new_page(&tid("personas-search-submit"))
        .await
        .unwrap();
    b.wait_for_url_contains("login=9005550304").await.unwrap();
    let row = b.text(&tid(&format!("personas-row-{oid}"))).await.unwrap();
    assert!(
        row.contains("Браузеров") && row.contains("Упрощённая"),
        "{row}"
    );

    let level = format!(
        "{} option[value=\"standard\"]",
        tid(&format!("personas-level-{oid}"))
    );
    b.click(&level).await.unwrap();
    // Every row action answers with the list and a notice, so the next page is told apart by
    // what its notice says, not by having one.
    b.click_to_new_page(&tid(&format!("personas-level-submit-{oid}")))
        .await
        .unwrap();
    b.text_once(&tid("personas-notice"), |t| t.contains("уровень изменён"))
        .await
        .unwrap();
    b.click_to_new_page(&tid(&format!("personas-block-{oid}")))
        .await
        .unwrap();
    b.wait_for(&tid(&format!("personas-unblock-{oid}")))
        .await
        .unwrap();
    let v = esia_control::personas::get_persona(&app.control, oid).unwrap();
    assert_eq!(v.level.as_str(), "standard");
    assert!(v.blocked);
    b.click_to_new_page(&tid(&format!("personas-delete-{oid}")))
        .await
        .unwrap();
    // The list is rendered after the deletion has been committed.
    let notice = b
        .text_once(&tid("personas-notice"), |t| t.contains("удалён"))
        .await
        .unwrap();
    b.close().await.unwrap();
    assert!(notice.contains(&format!("oid {oid}")), "{notice}");
    assert!(esia_control::personas::get_persona(&app.control, oid).is_err());
}
