//! Confirmation through a simulated bank of accounts that never ran the checks in the UI: a
//! seeded standard persona (EsiaTest004) and one created through `POST /emulator/api/personas`
//! are confirmed like a UI-checked one, and a simplified account is told it needs a standard
//! account first (not that the bank did not find its SNILS).

use esia_testkit::spawn::spawn_app;
use esia_testkit::TestApp;
use serde_json::{json, Value};

/// Logs in to the bank with `phone`; returns the ESIA person id the consent form carries.
async fn bank_login(app: &TestApp, phone: &str) -> String {
    let resp = app
        .post_form(
            "/emulator/bank/pochta/login",
            &[("phone", phone), ("password", "x")],
        )
        .await;
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.expect("bank page");
    assert!(html.contains("data-testid=\"bank-agree\""), "{html}");
    let marker = "name=\"person_id\" value=\"";
    let start = html.find(marker).expect("person_id field") + marker.len();
    let end = html[start..].find('"').expect("closing quote") + start;
    html[start..end].to_string()
}

/// «Согласен, передать данные»: the status and the page.
async fn agree(app: &TestApp, person_id: &str) -> (u16, String) {
    let resp = app
        .post_form("/emulator/bank/pochta/agree", &[("person_id", person_id)])
        .await;
    let status = resp.status().as_u16();
    (status, resp.text().await.expect("bank page"))
}

async fn level(app: &TestApp, oid: i64) -> String {
    let body: Value = app
        .get(&format!("/emulator/api/personas/{oid}"))
        .await
        .json()
        .await
        .expect("persona json");
    body["level"].as_str().expect("level").to_string()
}

#[tokio::test]
async fn a_seeded_standard_persona_is_confirmed_by_the_bank() {
    let app = spawn_app().await;
    let person = bank_login(&app, "+79000000004").await;
    let (status, html) = agree(&app, &person).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("data-testid=\"bank-done\""), "{html}");
    assert_eq!(level(&app, 1000000004).await, "confirmed");
}

#[tokio::test]
async fn a_standard_persona_made_through_the_api_is_confirmed_by_the_bank() {
    let app = spawn_app().await;
    let resp = app
        .client
        .post(app.url("/emulator/api/personas"))
        .header("content-type", "application/json")
        .body(json!({"level": "standard", "phone": "+79001230044"}).to_string())
        .send()
        .await
        .expect("create persona");
    assert_eq!(resp.status(), 201);
    let created: Value = resp.json().await.expect("persona json");
    let oid = created["oid"].as_i64().expect("oid");

    let person = bank_login(&app, "+79001230044").await;
    let (status, html) = agree(&app, &person).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("data-testid=\"bank-done\""), "{html}");
    assert_eq!(level(&app, oid).await, "confirmed");

    // Its data changed through the API afterwards still match what the bank knows.
    let resp = app
        .client
        .post(app.url("/emulator/api/personas"))
        .header("content-type", "application/json")
        .body(
            json!({"level": "standard", "phone": "+79001230045", "surname": "Банков"}).to_string(),
        )
        .send()
        .await
        .expect("create persona");
    assert_eq!(resp.status(), 201);
    let oid = resp.json::<Value>().await.expect("json")["oid"]
        .as_i64()
        .expect("oid");
    let resp = app
        .client
        .patch(app.url(&format!("/emulator/api/personas/{oid}")))
        .header("content-type", "application/json")
        .body(json!({"surname": "Переименов"}).to_string())
        .send()
        .await
        .expect("patch persona");
    assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap());
    let person = bank_login(&app, "+79001230045").await;
    let (status, html) = agree(&app, &person).await;
    assert_eq!(status, 200, "{html}");
    assert_eq!(level(&app, oid).await, "confirmed");
}

#[tokio::test]
async fn a_simplified_account_is_told_it_needs_a_standard_one() {
    let app = spawn_app().await;
    let person = bank_login(&app, "+79000000001").await;
    let (status, html) = agree(&app, &person).await;
    assert_eq!(status, 409, "{html}");
    assert!(html.contains("data-testid=\"bank-error\""), "{html}");
    assert!(!html.contains("СНИЛС"), "{html}");
    assert!(html.contains("стандартная учётная запись"), "{html}");
    assert_eq!(level(&app, 1000000001).await, "simplified");
}
