//! The OpenAPI document of the QA API: served, pinned by a snapshot (so every change of the API
//! surface shows in review: accept with `INSTA_UPDATE=always cargo test --test e2e openapi` and read
//! the diff), rendered as a readable page, and consistent with what the server really answers.

use esia_testkit::spawn_app;
use serde_json::Value;

#[tokio::test]
async fn the_document_is_served_and_pinned() {
    let app = spawn_app().await;
    let resp = app.get("/emulator/api/openapi.json").await;
    assert_eq!(resp.status(), 200);
    let doc: Value = resp.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/emulator/api/clients",
        "/emulator/api/outbox",
        "/emulator/api/verification-rules",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} is not documented");
    }
    assert_eq!(
        doc["components"]["securitySchemes"]["admin_token"]["scheme"],
        "bearer"
    );
    insta::assert_json_snapshot!("openapi", doc, { ".info.version" => "[version]" });
}

#[tokio::test]
async fn every_documented_get_without_parameters_exists() {
    let app = spawn_app().await;
    let doc: Value = app
        .get("/emulator/api/openapi.json")
        .await
        .json()
        .await
        .unwrap();
    for (path, item) in doc["paths"].as_object().unwrap() {
        if path.contains('{') || item.get("get").is_none() {
            continue;
        }
        let status = app.get(path).await.status();
        assert!(status.is_success(), "GET {path} answered {status}");
    }
}

#[tokio::test]
async fn the_docs_page_lists_the_operations() {
    let app = spawn_app().await;
    let resp = app.get("/emulator/api/docs").await;
    assert_eq!(resp.status(), 200);
    let page = resp.text().await.unwrap();
    assert!(page.contains("GET /emulator/api/outbox"), "{page}");
    assert!(page.contains("POST /emulator/api/clients"));
    assert!(page.contains(r#"id="schema-ClientSpec""#));
}

#[tokio::test]
async fn json_bodies_that_do_not_parse_get_json_errors() {
    let app = spawn_app().await;
    let client = reqwest::Client::new();
    for body in [
        "{",
        r#"{"field":"snils","pattern":1,"outcome":"passed"}"#,
        r#"{"nope":1}"#,
    ] {
        let resp = client
            .post(app.url("/emulator/api/verification-rules"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 400, "{body}");
        let err: Value = resp.json().await.unwrap();
        assert_eq!(err["error"], "bad_json", "{body}");
    }
}
