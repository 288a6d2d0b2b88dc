//! Token faults observed from a real client flow (expired, not yet valid, bad signature, foreign
//! issuer, foreign audience, wrong `alg`; authorization code and refresh grants), and a second
//! process sharing the rules and their count through the database.

use esia_testkit::persons;
use std::time::Duration;

use esia_testkit::faults::*;
use esia_testkit::protocol::*;
use esia_testkit::spawn_app;
use serde_json::json;

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
        let (rs_status, rs_body) = persons::rs(&app, access, &rs_path).await;
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
        let (s, _) = persons::rs(&app, access, &rs_path).await;
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
async fn a_second_process_shares_the_rules_and_the_count() {
    let app = spawn_app().await;
    let clock = std::sync::Arc::new(esia_core::domain::clock::ControlledClock::system());
    let other =
        esia_core::Core::open((*app.core.config).clone(), clock.clone()).expect("second core");
    let other = esia_control::Control::start(other, clock);
    assert!(esia_control::fire::fault_candidates(&other, "/aas/oauth2/v3/te").is_empty());
    fault(
        &app,
        json!({"endpoint": "te", "times": 1, "effect": {"kind": "esia_error", "code": "ESIA-007008"}}),
    )
    .await;
    // The other process's snapshot follows within about a second, without any request.
    let mut seen = Vec::new();
    for _ in 0..30 {
        seen = esia_control::fire::fault_candidates(&other, "/aas/oauth2/v3/te");
        if !seen.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(seen.len(), 1, "rule not shared");
    let (s, _) = te(&app, "/aas/oauth2/v3/te", &bogus_te()).await;
    assert_eq!(s, 503);
    // The one firing was taken here: the other process cannot take it again.
    let probe = esia_control::fire::FaultProbe {
        path: "/aas/oauth2/v3/te".into(),
        ..Default::default()
    };
    let fired =
        tokio::task::spawn_blocking(move || esia_control::fire::fire_fault(&other, &probe, &seen))
            .await
            .unwrap()
            .unwrap();
    assert!(fired.is_none());
}

#[tokio::test]
async fn a_persona_rule_at_ac_follows_the_browser_session() {
    let app = spawn_app().await;
    let (first, second) = (app.new_client(), app.new_client());
    // Log both browsers in (SSO sessions), as two different personas.
    code_for(&app, &first, "openid", "EsiaTest001@yandex.ru").await;
    code_for(&app, &second, "openid", "EsiaTest002@yandex.ru").await;
    fault(
        &app,
        json!({"endpoint": "ac", "persona_oid": 1000000002_i64,
               "effect": {"kind": "esia_error", "code": "ESIA-007008"}}),
    )
    .await;
    let state = new_state();
    let params = v2_ac_params("openid", &state, &timestamp(0), &[], own_sign);
    let resp = ac(&app, &first, "/aas/oauth2/v2/ac", &params).await;
    let to = esia_testkit::spawn::location(&resp);
    assert!(
        q(&query_of(&to), "code").is_some(),
        "persona 1 unaffected: {to}"
    );
    let resp = ac(&app, &second, "/aas/oauth2/v2/ac", &params).await;
    let to = esia_testkit::spawn::location(&resp);
    assert_eq!(
        q(&query_of(&to), "error"),
        Some("temporarily_unavailable"),
        "{to}"
    );
    assert_eq!(q(&query_of(&to), "state"), Some(state.as_str()));
    let fired = journal_faults(&app).await;
    assert_eq!(fired.len(), 1);
    assert_eq!(fired[0]["persona_oid"], 1_000_000_002_i64);
}
