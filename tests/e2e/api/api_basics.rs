//! Probes and the outbox API's error answers.

use esia_testkit::spawn_app;

#[tokio::test]
async fn health_and_ready_answer() {
    let app = spawn_app().await;
    assert_eq!(app.get("/emulator/health").await.status(), 200);
    let ready: serde_json::Value = app.get("/emulator/ready").await.json().await.unwrap();
    assert_eq!(ready["database"], "ok");
}

#[tokio::test]
async fn outbox_rejects_bad_filters_with_json_errors() {
    let app = spawn_app().await;
    let resp = app.get("/emulator/api/outbox?kind=fax").await;
    assert_eq!(resp.status(), 422);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["error"], "validation_failed");
    assert_eq!(body["fields"][0]["field"], "kind");

    let resp = app.get("/emulator/api/outbox?recipient=x").await;
    assert_eq!(resp.status(), 400);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["error"], "bad_query");

    let resp = app.get("/emulator/api/outbox?to=12").await;
    assert_eq!(resp.status(), 422);

    let resp = app.get("/emulator/api/nothing-here").await;
    assert_eq!(resp.status(), 404);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["error"], "not_found");
}

#[tokio::test]
async fn outbox_lists_newest_first_by_any_phone_spelling() {
    let app = spawn_app().await;
    app.post_form("/recovery", &[("login", "+79000000001")])
        .await;
    app.clock.advance(chrono::Duration::seconds(61));
    app.post_form("/recovery", &[("login", "+79000000001")])
        .await;
    let messages = app.outbox("8 900 000 00 01", "sms").await;
    assert_eq!(messages.len(), 2);
    assert!(
        messages[0]["created_at"].as_str().unwrap() > messages[1]["created_at"].as_str().unwrap()
    );
}

#[tokio::test]
async fn the_emulator_landing_page_lists_the_demo_logins() {
    let app = spawn_app().await;
    let resp = app.get("/emulator").await;
    assert_eq!(resp.status(), 200);
    let page = resp.text().await.unwrap();
    assert!(page.contains("esiatest001@yandex.ru") && page.contains("Тестовая среда"));
}
