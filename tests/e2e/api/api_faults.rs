//! Fault rules over real HTTP: ESIA errors on the ac, te and /rs channels, proxy statuses,
//! latency, a held request, a truncated body, `times` consumed then normal answers, scoping by
//! endpoint, client and persona, the journal, and bad input. Token faults and the count shared
//! with a second process are in `api_faults_tokens.rs`.

use esia_testkit::persons;
use std::time::{Duration, Instant};

use esia_testkit::faults::*;
use esia_testkit::protocol::*;
use esia_testkit::spawn::location;
use esia_testkit::spawn_app;
use serde_json::{json, Value};

#[tokio::test]
async fn esia_errors_answer_on_each_endpoints_channel() {
    let app = spawn_app().await;
    let rule = fault(
        &app,
        json!({"endpoint": "ac", "times": 1, "effect": {"kind": "esia_error", "code": "ESIA-007008"}}),
    )
    .await;
    let state = new_state();
    let params = v2_ac_params("openid", &state, &timestamp(0), &[], own_sign);
    let resp = ac(&app, &app.client, "/aas/oauth2/v2/ac", &params).await;
    assert_eq!(resp.status(), 302);
    let to = location(&resp);
    assert!(to.starts_with(REDIRECT), "{to}");
    let qp = query_of(&to);
    assert_eq!(q(&qp, "error"), Some("temporarily_unavailable"));
    assert!(q(&qp, "error_description")
        .unwrap()
        .starts_with("ESIA-007008"));
    assert_eq!(q(&qp, "state"), Some(state.as_str()));
    // times=1 consumed: the next request is normal (the login page).
    let resp = ac(&app, &app.client, "/aas/oauth2/v2/ac", &params).await;
    assert!(location(&resp).contains("/login?"), "{}", location(&resp));
    let fired = journal_faults(&app).await;
    assert_eq!(fired.len(), 1);
    assert_eq!(fired[0]["endpoint"], "/aas/oauth2/v2/ac");
    assert_eq!(fired[0]["error_code"], "ESIA-007008");
    assert_eq!(fired[0]["params"]["fault_rule"], rule.as_str());

    // An unregistered redirect_uri: the error page, never a redirect.
    fault(
        &app,
        json!({"endpoint": "ac", "times": 1, "effect": {"kind": "esia_error", "code": "007008"}}),
    )
    .await;
    let mut bad = params.clone();
    bad.retain(|(k, _)| k != "redirect_uri");
    bad.push(("redirect_uri".into(), "https://evil.example/cb".into()));
    let resp = ac(&app, &app.client, "/aas/oauth2/v2/ac", &bad).await;
    assert_eq!(resp.status(), 503);
    assert!(resp.text().await.unwrap().contains("ESIA-007008"));

    // te: JSON {error, error_description, state}.
    fault(
        &app,
        json!({"endpoint": "te", "times": 1, "effect": {"kind": "esia_error", "code": "ESIA-007008"}}),
    )
    .await;
    let p = bogus_te();
    let (status, body) = te(&app, "/aas/oauth2/v3/te", &p).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["error"], "temporarily_unavailable");
    assert_eq!(body["state"], q(&p, "state").unwrap());
    let (status, body) = te(&app, "/aas/oauth2/v3/te", &bogus_te()).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );

    // /rs: {code, message}.
    fault(
        &app,
        json!({"endpoint": "rs", "times": 1, "effect": {"kind": "esia_error", "code": "ESIA-005011"}}),
    )
    .await;
    let o = persons::oid(1);
    let token = persons::token(&app, o, &["openid", "fullname"]);
    let (status, body) = persons::rs(&app, &token, &format!("/rs/prns/{o}")).await;
    assert_eq!((status, body["code"].as_str()), (401, Some("ESIA-005011")));
    let (status, _) = persons::rs(&app, &token, &format!("/rs/prns/{o}")).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn proxy_status_latency_timeout_and_malformed_body() {
    let app = spawn_app().await;
    fault(
        &app,
        json!({"endpoint": "jwks", "times": 1, "effect": {"kind": "http_status", "status": 502}}),
    )
    .await;
    let resp = app.get("/.well-known/jwks.json").await;
    assert_eq!(resp.status(), 502);
    assert!(resp.text().await.unwrap().contains("502 Bad Gateway"));
    fault(
        &app,
        json!({"endpoint": "te", "times": 1, "effect": {"kind": "http_status", "status": 503, "body": "empty"}}),
    )
    .await;
    let resp = app
        .client
        .post(app.url("/aas/oauth2/v3/te"))
        .form(&bogus_te())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 503);
    assert!(resp.text().await.unwrap().is_empty());

    fault(
        &app,
        json!({"endpoint": "openid-configuration", "times": 1, "effect": {"kind": "latency", "latency_ms": 400}}),
    )
    .await;
    let t = Instant::now();
    let resp = app.get("/.well-known/openid-configuration").await;
    assert_eq!(resp.status(), 200);
    assert!(
        t.elapsed() >= Duration::from_millis(400),
        "{:?}",
        t.elapsed()
    );

    fault(
        &app,
        json!({"endpoint": "/public/esia-rsa.pem", "times": 2, "effect": {"kind": "timeout", "timeout_secs": 1}}),
    )
    .await;
    let impatient = reqwest::Client::builder()
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let err = impatient
        .get(app.url("/public/esia-rsa.pem"))
        .send()
        .await
        .expect_err("held past the client's timeout");
    assert!(err.is_timeout(), "{err}");
    let t = Instant::now();
    let resp = app.get("/public/esia-rsa.pem").await;
    assert!(t.elapsed() >= Duration::from_secs(1));
    assert_eq!(resp.status(), 504, "a held request never ends in 200");

    let client = app.new_client();
    fault(
        &app,
        json!({"endpoint": "te", "times": 1, "effect": {"kind": "malformed_body"}}),
    )
    .await;
    let code = code_for(&app, &client, "openid", "EsiaTest001@yandex.ru").await;
    let params = v3_code_params(&code, "openid", &new_state(), &timestamp(0), own_sign);
    let resp = app
        .client
        .post(app.url("/aas/oauth2/v3/te"))
        .form(&params)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp
        .headers()
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let text = resp.text().await.unwrap();
    assert!(text.starts_with('{'), "{text}");
    assert!(serde_json::from_str::<Value>(&text).is_err(), "{text}");
}

#[tokio::test]
async fn times_and_scoping_by_endpoint_client_and_persona() {
    let app = spawn_app().await;
    let id = fault(
        &app,
        json!({"endpoint": "te", "client_id": CLIENT, "times": 2,
               "effect": {"kind": "esia_error", "code": "ESIA-007008"}}),
    )
    .await;
    for _ in 0..2 {
        let (s, b) = te(&app, "/aas/oauth2/v3/te", &bogus_te()).await;
        assert_eq!(
            (s, b["error"].as_str()),
            (503, Some("temporarily_unavailable"))
        );
    }
    let (s, b) = te(&app, "/aas/oauth2/v3/te", &bogus_te()).await;
    assert_eq!(
        (s, b["error"].as_str()),
        (400, Some("invalid_grant")),
        "{b}"
    );
    let rule: Value = app
        .get(&format!("/emulator/api/faults/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (&rule["remaining"], &rule["fired"], &rule["active"]),
        (&json!(0), &json!(2), &json!(false))
    );

    // Another client's rule and an /rs rule leave DEMO_IS's te alone.
    let resp = app
        .client
        .post(app.url("/emulator/api/clients"))
        .json(&json!({"mnemonic": "OTHER_IS", "name": "Другая", "redirect_uris": ["http://localhost:9000"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    fault(
        &app,
        json!({"client_id": "OTHER_IS", "effect": {"kind": "http_status", "status": 500}}),
    )
    .await;
    fault(
        &app,
        json!({"endpoint": "rs", "persona_oid": 1000000002_i64, "effect": {"kind": "http_status", "status": 502}}),
    )
    .await;
    let (s, _) = te(&app, "/aas/oauth2/v3/te", &bogus_te()).await;
    assert_eq!(s, 400);
    let o1 = persons::oid(1);
    let o2 = persons::oid(2);
    let t1 = persons::token(&app, o1, &["openid", "fullname"]);
    let t2 = persons::token(&app, o2, &["openid", "fullname"]);
    let (s, _) = persons::rs(&app, &t1, &format!("/rs/prns/{o1}")).await;
    assert_eq!(s, 200, "another persona");
    let (s, _) = persons::rs(&app, &t2, &format!("/rs/prns/{o2}")).await;
    assert_eq!(s, 502, "the persona of the rule");
    let resp = app
        .client
        .post(app.url("/aas/oauth2/v3/te"))
        .form(&[
            ("client_id", "OTHER_IS"),
            ("grant_type", "client_credentials"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 500, "the client of the rule");

    // A persona rule at te is matched through the authorization code.
    fault(
        &app,
        json!({"endpoint": "te", "persona_oid": 1000000002_i64, "times": 1,
               "effect": {"kind": "esia_error", "code": "ESIA-007007"}}),
    )
    .await;
    let (s, _) = tokens_for(&app, &app.new_client(), "EsiaTest001@yandex.ru").await;
    assert_eq!(s, 200, "persona 1 is not affected");
    let (s, b) = tokens_for(&app, &app.new_client(), "EsiaTest002@yandex.ru").await;
    assert_eq!((s, b["error"].as_str()), (500, Some("server_error")), "{b}");

    // Delete one, then all.
    let resp = app
        .client
        .delete(app.url(&format!("/emulator/api/faults/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 204);
    let resp = app
        .client
        .delete(app.url("/emulator/api/faults"))
        .send()
        .await
        .unwrap();
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["deleted"], 3);
    let (s, _) = persons::rs(&app, &t2, &format!("/rs/prns/{o2}")).await;
    assert_eq!(s, 200, "no rules, normal answers");
}

#[tokio::test]
async fn bad_input_is_a_clear_4xx() {
    let app = spawn_app().await;
    let resp = app
        .client
        .post(app.url("/emulator/api/faults"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"], "bad_json");
    for (spec, code) in [
        (
            json!({"effect": {"kind": "esia_error", "code": "ESIA-007008"}, "extra": 1}),
            "invalid_body",
        ),
        (json!({"effect": {"kind": "explode"}}), "invalid_body"),
        (
            json!({"effect": {"kind": "latency", "latency_ms": 5, "x": 1}}),
            "invalid_body",
        ),
        (
            json!({"effect": {"kind": "latency", "latency_ms": "slow"}}),
            "invalid_body",
        ),
        (json!({"endpoint": "te"}), "invalid_body"),
        (
            json!({"effect": {"kind": "esia_error", "code": "ESIA-999999"}}),
            "validation_failed",
        ),
        (
            json!({"endpoint": "nowhere", "effect": {"kind": "malformed_body"}}),
            "validation_failed",
        ),
        (
            json!({"endpoint": "rs", "effect": {"kind": "token_expired"}}),
            "validation_failed",
        ),
        (
            json!({"client_id": "NOPE", "effect": {"kind": "malformed_body"}}),
            "validation_failed",
        ),
        (
            json!({"persona_oid": 42, "effect": {"kind": "malformed_body"}}),
            "validation_failed",
        ),
        (
            json!({"times": 0, "effect": {"kind": "malformed_body"}}),
            "validation_failed",
        ),
        (
            json!({"effect": {"kind": "http_status", "status": 200}}),
            "validation_failed",
        ),
        (
            json!({"effect": {"kind": "timeout", "timeout_secs": 0}}),
            "validation_failed",
        ),
    ] {
        let (status, body) = add_fault(&app, spec.clone()).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (422, Some(code)),
            "{spec}: {body}"
        );
        assert!(body["message"].is_string());
    }
    let resp = app.get("/emulator/api/faults/no-such-rule").await;
    assert_eq!(resp.status(), 404);
    let resp = app
        .client
        .delete(app.url("/emulator/api/faults/no-such-rule"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    let body: Value = app.get("/emulator/api/faults").await.json().await.unwrap();
    assert_eq!(body["faults"], json!([]));
    // Faults never touch the QA API or pages, even with a catch-all rule.
    fault(
        &app,
        json!({"effect": {"kind": "http_status", "status": 500}}),
    )
    .await;
    assert_eq!(app.get("/emulator/api/faults").await.status(), 200);
    assert_eq!(app.get("/login").await.status(), 200);
    assert_eq!(app.get("/.well-known/jwks.json").await.status(), 500);
}
