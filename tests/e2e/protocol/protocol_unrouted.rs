//! Requests no route serves get an answer on the channel of the path they named (the core's
//! endpoint table): JSON ESIA-007038 with `Allow` for a wrong method on `te`, `{code, message}`
//! for an unknown `/rs` path, the «Страница не найдена» page for the rest; and a fault rule
//! fires on the decoded path, so a percent-encoded spelling of `te` does not slip past it.

use esia_testkit::faults::*;
use esia_testkit::protocol::*;
use esia_testkit::spawn_app;
use serde_json::{json, Value};

#[tokio::test]
async fn each_unrouted_request_is_refused_on_its_own_channel() {
    let app = spawn_app().await;
    let resp = app.get("/aas/oauth2/v3/te").await;
    assert_eq!(resp.status(), 405);
    assert_eq!(resp.headers()["allow"], "POST");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"], "invalid_request", "{body}");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .starts_with("ESIA-007038"),
        "{body}"
    );

    let resp = app.get("/rs/no/such/thing").await;
    assert_eq!(resp.status(), 404);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["code"], "NOT_FOUND", "{body}");

    let resp = app.get("/no/such/page").await;
    assert_eq!(resp.status(), 404);
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(resp.text().await.unwrap().contains("Страница не найдена"));
}

#[tokio::test]
async fn a_fault_on_te_fires_on_a_percent_encoded_path_too() {
    let app = spawn_app().await;
    fault(
        &app,
        json!({"endpoint": "te", "times": 1, "effect": {"kind": "esia_error", "code": "ESIA-007008"}}),
    )
    .await;
    let (status, body) = te(&app, "/aas/oauth2/v3/%74e", &bogus_te()).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["error"], "temporarily_unavailable", "{body}");
}
