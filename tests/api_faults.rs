//! Fault rules over real HTTP: every effect observed from a real client flow (ESIA errors on
//! the ac, te and /rs channels, proxy statuses, latency, a held request, a truncated body,
//! and the six token faults), `times` consumed then normal answers, scoping by endpoint, client
//! and persona, the journal, a second process sharing the count, and bad input.

mod person_common;
mod support;

use std::time::{Duration, Instant};

use esia_testkit::spawn::location;
use esia_testkit::{spawn_app, TestApp};
use serde_json::{json, Value};
use support::*;

async fn add_fault(app: &TestApp, spec: Value) -> (u16, Value) {
    let resp = app
        .client
        .post(app.url("/emulator/api/faults"))
        .json(&spec)
        .send()
        .await
        .expect("POST faults");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

async fn fault(app: &TestApp, spec: Value) -> String {
    let (status, body) = add_fault(app, spec).await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_str().expect("id").to_string()
}

/// A fresh authorization code for `login` through the browser flow (SSO after the first).
async fn code_for(app: &TestApp, client: &reqwest::Client, scope: &str, login: &str) -> String {
    let params = v2_ac_params(scope, &new_state(), &timestamp(0), &[], own_sign);
    let first = ac(app, client, "/aas/oauth2/v2/ac", &params).await;
    let callback = browse_to_callback(app, client, first, login).await;
    q(&query_of(&callback), "code").expect("code").to_string()
}

async fn tokens_for(app: &TestApp, client: &reqwest::Client, login: &str) -> (u16, Value) {
    let scope = "openid fullname";
    let code = code_for(app, client, scope, login).await;
    let params = v3_code_params(&code, scope, &new_state(), &timestamp(0), own_sign);
    te(app, "/aas/oauth2/v3/te", &params).await
}

/// A te request that fails normally with ESIA-007011 (unknown code) when no fault fires.
fn bogus_te() -> Vec<(String, String)> {
    v3_code_params(
        "no-such-code",
        "openid",
        &new_state(),
        &timestamp(0),
        own_sign,
    )
}

async fn journal_faults(app: &TestApp) -> Vec<Value> {
    let body: Value = app
        .get("/emulator/api/journal?limit=1000")
        .await
        .json()
        .await
        .expect("journal");
    body["entries"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|e| e["outcome"] == "fault")
        .collect()
}

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
    let o = person_common::oid(1);
    let token = person_common::token(&app, o, &["openid", "fullname"]);
    let (status, body) = person_common::rs(&app, &token, &format!("/rs/prns/{o}")).await;
    assert_eq!((status, body["code"].as_str()), (401, Some("ESIA-005011")));
    let (status, _) = person_common::rs(&app, &token, &format!("/rs/prns/{o}")).await;
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
async fn token_faults_reach_the_client_from_a_real_flow() {
    let app = spawn_app().await;
    let client = app.new_client();
    let o = 1_000_000_001_i64;
    let rs_path = format!("/rs/prns/{o}");
    let now = chrono::Utc::now().timestamp();
    for kind in [
        "token_expired",
        "token_not_yet_valid",
        "token_bad_signature",
        "token_wrong_iss",
        "token_wrong_aud",
        "token_wrong_alg",
    ] {
        fault(&app, json!({"times": 1, "effect": {"kind": kind}})).await;
        let (status, body) = tokens_for(&app, &client, "EsiaTest001@yandex.ru").await;
        assert_eq!(status, 200, "{kind}: {body}");
        let access = body["access_token"].as_str().unwrap();
        let id = body["id_token"].as_str().unwrap();
        let (a, i, h) = (jwt_part(access, 1), jwt_part(id, 1), jwt_part(access, 0));
        let (rs_status, rs_body) = person_common::rs(&app, access, &rs_path).await;
        match kind {
            "token_expired" => {
                assert!(a["exp"].as_i64().unwrap() < now && i["exp"].as_i64().unwrap() < now);
                assert_eq!(rs_body["code"], "ESIA-005013", "{rs_body}");
                verify_rs256(&app, access).await;
            }
            "token_not_yet_valid" => {
                assert!(a["nbf"].as_i64().unwrap() > now + 1800);
                assert!(i["nbf"].as_i64().unwrap() > now + 1800);
                verify_rs256(&app, id).await;
            }
            "token_bad_signature" => {
                assert_eq!(a["urn:esia:sbj_id"], o, "claims untouched");
                assert_eq!(rs_body["code"], "ESIA-005011");
            }
            "token_wrong_iss" => {
                assert_eq!(a["iss"], "http://esia-impostor.example/");
                assert_eq!(i["iss"], "http://esia-impostor.example/");
                verify_rs256(&app, access).await;
            }
            "token_wrong_aud" => {
                assert_eq!(a["client_id"], "FOREIGN_SYSTEM");
                assert_eq!(i["aud"], "FOREIGN_SYSTEM");
                verify_rs256(&app, id).await;
            }
            _ => {
                assert_eq!(h["alg"], "GOST3410_2012_256", "the client signs RS256");
                assert_eq!(jwt_part(id, 0)["alg"], "GOST3410_2012_256");
            }
        }
        if kind != "token_wrong_aud" {
            assert_eq!(rs_status, 401, "{kind}: {rs_body}");
        }
        // times=1: the next tokens are normal and work at /rs.
        let (_, body) = tokens_for(&app, &client, "EsiaTest001@yandex.ru").await;
        let access = body["access_token"].as_str().unwrap();
        assert_eq!(jwt_part(access, 1)["client_id"], CLIENT);
        let (s, _) = person_common::rs(&app, access, &rs_path).await;
        assert_eq!(s, 200, "{kind}: normal tokens after the fault");
    }
    // Refresh grants are te requests too.
    let (_, body) = tokens_for(&app, &client, "EsiaTest001@yandex.ru").await;
    let refresh = body["refresh_token"].as_str().unwrap().to_string();
    fault(
        &app,
        json!({"times": 1, "effect": {"kind": "token_expired"}}),
    )
    .await;
    let (state, ts) = (new_state(), timestamp(0));
    // The ILM4 string: no refresh token in it.
    let msg = format!("{CLIENT}openid fullname{ts}{state}{REDIRECT}");
    let params: Vec<(String, String)> = vec![
        ("client_id".into(), CLIENT.into()),
        ("client_certificate_hash".into(), GOST_HASH.into()),
        ("refresh_token".into(), refresh),
        ("grant_type".into(), "refresh_token".into()),
        ("client_secret".into(), own_sign(&msg)),
        ("state".into(), state),
        ("redirect_uri".into(), REDIRECT.into()),
        ("scope".into(), "openid fullname".into()),
        ("timestamp".into(), ts),
        ("token_type".into(), "Bearer".into()),
    ];
    let (status, body) = te(&app, "/aas/oauth2/v3/te", &params).await;
    assert_eq!(status, 200, "{body}");
    assert!(
        jwt_part(body["access_token"].as_str().unwrap(), 1)["exp"]
            .as_i64()
            .unwrap()
            < now
    );
    assert_eq!(journal_faults(&app).await.len(), 7);
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
    let o1 = person_common::oid(1);
    let o2 = person_common::oid(2);
    let t1 = person_common::token(&app, o1, &["openid", "fullname"]);
    let t2 = person_common::token(&app, o2, &["openid", "fullname"]);
    let (s, _) = person_common::rs(&app, &t1, &format!("/rs/prns/{o1}")).await;
    assert_eq!(s, 200, "another persona");
    let (s, _) = person_common::rs(&app, &t2, &format!("/rs/prns/{o2}")).await;
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
    let (s, _) = person_common::rs(&app, &t2, &format!("/rs/prns/{o2}")).await;
    assert_eq!(s, 200, "no rules, normal answers");
}

#[tokio::test]
async fn a_second_process_shares_the_rules_and_the_count() {
    let app = spawn_app().await;
    let other = esia_core::Core::open(
        (*app.core.config).clone(),
        std::sync::Arc::new(esia_core::domain::clock::ControlledClock::system()),
    )
    .expect("second core");
    assert!(other.fault_candidates("/aas/oauth2/v3/te").is_empty());
    fault(
        &app,
        json!({"endpoint": "te", "times": 1, "effect": {"kind": "esia_error", "code": "ESIA-007008"}}),
    )
    .await;
    // The other process's snapshot follows within about a second, without any request.
    let mut seen = Vec::new();
    for _ in 0..30 {
        seen = other.fault_candidates("/aas/oauth2/v3/te");
        if !seen.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(seen.len(), 1, "rule not shared");
    let (s, _) = te(&app, "/aas/oauth2/v3/te", &bogus_te()).await;
    assert_eq!(s, 503);
    // The one firing was taken here: the other process cannot take it again.
    let probe = esia_core::control::fire::FaultProbe {
        path: "/aas/oauth2/v3/te".into(),
        ..Default::default()
    };
    let fired = tokio::task::spawn_blocking(move || other.fire_fault(&probe, &seen))
        .await
        .unwrap()
        .unwrap();
    assert!(fired.is_none());
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
