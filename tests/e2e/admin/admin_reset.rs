//! «Сбросить состояние» (`/emulator/reset`): over HTTP and in real Chromium (gated by
//! ESIA_TEST_BROWSER=1), the reset removes what QA created and brings the demo personas back
//! with their oids.

use esia_testkit::browser::{tid, Browser};
use esia_testkit::{require_browser, spawn_app, TestApp};
use serde_json::json;

async fn create_persona(app: &TestApp) -> i64 {
    let resp = app
        .client
        .post(app.url("/emulator/api/personas"))
        .json(&json!({"level": "standard"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let body: serde_json::Value = resp.json().await.unwrap();
    body["oid"].as_i64().unwrap()
}

async fn persona_status(app: &TestApp, oid: i64) -> u16 {
    app.get(&format!("/emulator/api/personas/{oid}"))
        .await
        .status()
        .as_u16()
}

#[tokio::test]
async fn the_reset_form_wipes_and_reseeds() {
    let app = spawn_app().await;
    let oid = create_persona(&app).await;
    assert_eq!(persona_status(&app, oid).await, 200);

    let refused = app
        .client
        .post(app.url("/emulator/reset"))
        .form(&[("csrf", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    assert_eq!(
        persona_status(&app, oid).await,
        200,
        "a forged form changes nothing"
    );

    let resp = app.post_form("/emulator/reset", &[]).await;
    assert_eq!(resp.status(), 200);
    assert!(resp.text().await.unwrap().contains("Состояние сброшено"));
    assert_eq!(persona_status(&app, oid).await, 404);
    assert_eq!(persona_status(&app, 1000000001).await, 200);
}

#[tokio::test]
async fn the_reset_page_works_in_a_browser() {
    require_browser!("the_reset_page_works_in_a_browser");
    let app = spawn_app().await;
    let oid = create_persona(&app).await;
    let b = Browser::start().await.expect("browser");
    b.goto(&app.url("/emulator")).await.unwrap();
    b.click_to_new_page(&tid("emulator-link-reset"))
        .await
        .unwrap();
    b.wait_for(&tid("reset-title")).await.unwrap();
    b.click_to_new_page(&tid("reset-submit")).await.unwrap();
    let notice = b.text(&tid("reset-notice")).await.unwrap();
    b.close().await.unwrap();
    assert!(notice.contains("Состояние сброшено"), "{notice}");
    assert_eq!(persona_status(&app, oid).await, 404);
    assert_eq!(persona_status(&app, 1000000016).await, 200);
}
