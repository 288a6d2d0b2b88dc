//! The clock API over real HTTP: an offset of two hours expires a token issued before it (the
//! 401 ESIA-005013 of /rs) and puts a real-time `timestamp` outside the window (ESIA-007015),
//! freeze/advance/unfreeze/reset, another process following the setting, and bad input.

use esia_testkit::persons;
use std::time::Duration;

use esia_testkit::protocol::*;
use esia_testkit::{spawn_app, TestApp};
use serde_json::{json, Value};

async fn clock(app: &TestApp, body: Value) -> (u16, Value) {
    let resp = app
        .client
        .post(app.url("/emulator/api/clock"))
        .json(&body)
        .send()
        .await
        .expect("POST clock");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

fn at(v: &Value) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(v.as_str().expect("rfc3339"))
        .expect("rfc3339")
        .with_timezone(&chrono::Utc)
}

#[tokio::test]
async fn an_offset_expires_tokens_and_moves_the_timestamp_window() {
    let app = spawn_app().await;
    let body: Value = app.get("/emulator/api/clock").await.json().await.unwrap();
    assert_eq!(
        (&body["offset_secs"], &body["frozen"]),
        (&json!(0), &json!(false))
    );

    // A token issued through the real flow, valid now.
    let client = app.new_client();
    let scope = "openid fullname";
    let params = v2_ac_params(scope, &new_state(), &timestamp(0), &[], own_sign);
    let first = ac(&app, &client, "/aas/oauth2/v2/ac", &params).await;
    let callback = browse_to_callback(&app, &client, first, "EsiaTest001@yandex.ru").await;
    let code = q(&query_of(&callback), "code").unwrap().to_string();
    let (s, tokens) = te(
        &app,
        "/aas/oauth2/v3/te",
        &v3_code_params(&code, scope, &new_state(), &timestamp(0), own_sign),
    )
    .await;
    assert_eq!(s, 200, "{tokens}");
    let access = tokens["access_token"].as_str().unwrap().to_string();
    let path = "/rs/prns/1000000001";
    assert_eq!(persons::rs(&app, &access, path).await.0, 200);

    let (s, body) = clock(&app, json!({"offset_secs": 7200})).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["offset_secs"], 7200);
    let skew = at(&body["now"]) - chrono::Utc::now();
    assert!((7190..=7210).contains(&skew.num_seconds()), "{skew}");

    let (s, b) = persons::rs(&app, &access, path).await;
    assert_eq!((s, b["code"].as_str()), (401, Some("ESIA-005013")), "{b}");
    // A request stamped with real time is now two hours in the past.
    let (s, b) = te(
        &app,
        "/aas/oauth2/v3/te",
        &v3_code_params("x", "openid", &new_state(), &timestamp(0), own_sign),
    )
    .await;
    assert_eq!(s, 400);
    assert!(
        b["error_description"]
            .as_str()
            .unwrap()
            .starts_with("ESIA-007015"),
        "{b}"
    );
    // …and one stamped with the emulator's time passes the window (and fails later, on the code).
    let (s, b) = te(
        &app,
        "/aas/oauth2/v3/te",
        &v3_code_params("x", "openid", &new_state(), &timestamp(7200), own_sign),
    )
    .await;
    assert_eq!(
        (s, b["error"].as_str()),
        (400, Some("invalid_grant")),
        "{b}"
    );

    let resp = app
        .client
        .delete(app.url("/emulator/api/clock"))
        .send()
        .await
        .unwrap();
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["offset_secs"], 0);
    assert_eq!(persons::rs(&app, &access, path).await.0, 200);
}

#[tokio::test]
async fn freeze_advance_unfreeze_and_another_process_follows() {
    let app = spawn_app().await;
    // Another process: a core and the control plane every process starts beside it.
    let clock_of_other = std::sync::Arc::new(esia_core::domain::clock::ControlledClock::system());
    let other = esia_core::Core::open((*app.core.config).clone(), clock_of_other.clone())
        .expect("second core");
    let _other_control = esia_control::Control::start(other.clone(), clock_of_other);
    let (s, body) = clock(&app, json!({"freeze_at": "2030-01-01T00:00:00Z"})).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["frozen"], true);
    let t0 = at(&body["now"]);
    assert_eq!(t0.to_rfc3339(), "2030-01-01T00:00:00+00:00");
    tokio::time::sleep(Duration::from_millis(50)).await;
    let body: Value = app.get("/emulator/api/clock").await.json().await.unwrap();
    assert_eq!(at(&body["now"]), t0, "frozen");
    let (_, body) = clock(&app, json!({"advance_secs": 90})).await;
    assert_eq!(at(&body["now"]), t0 + chrono::Duration::seconds(90));
    assert_eq!(app.core.now(), t0 + chrono::Duration::seconds(90));

    // The worker and other replicas follow within about a second.
    let mut followed = false;
    for _ in 0..30 {
        if other.now() == t0 + chrono::Duration::seconds(90) {
            followed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        followed,
        "the other process did not follow: {}",
        other.now()
    );

    let (_, body) = clock(&app, json!({"unfreeze": true})).await;
    assert_eq!(body["frozen"], false);
    assert!(at(&body["now"]) >= t0 + chrono::Duration::seconds(90));
    let (_, body) = clock(&app, json!({"freeze": true})).await;
    assert_eq!(body["frozen"], true);
    let resp = app
        .client
        .delete(app.url("/emulator/api/clock"))
        .send()
        .await
        .unwrap();
    let body: Value = resp.json().await.unwrap();
    assert_eq!(
        (&body["frozen"], &body["offset_secs"]),
        (&json!(false), &json!(0))
    );
    let mut reset = false;
    for _ in 0..30 {
        if (other.now() - chrono::Utc::now()).num_seconds().abs() < 5 {
            reset = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(reset, "the other process did not reset");
}

#[tokio::test]
async fn bad_clock_requests_are_refused() {
    let app = spawn_app().await;
    for (body, code) in [
        (json!({}), "validation_failed"),
        (
            json!({"offset_secs": 1, "advance_secs": 2}),
            "validation_failed",
        ),
        (json!({"freeze_at": "tomorrow"}), "validation_failed"),
        (json!({"freeze": false}), "validation_failed"),
        (
            json!({"offset_secs": 9_000_000_000_i64}),
            "validation_failed",
        ),
        (json!({"offset": 5}), "invalid_body"),
        (json!({"offset_secs": "5"}), "invalid_body"),
    ] {
        let (s, b) = clock(&app, body.clone()).await;
        assert_eq!((s, b["error"].as_str()), (422, Some(code)), "{body}: {b}");
    }
    let resp = app
        .client
        .post(app.url("/emulator/api/clock"))
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let body: Value = app.get("/emulator/api/clock").await.json().await.unwrap();
    assert_eq!(body["offset_secs"], 0, "nothing changed");
}
