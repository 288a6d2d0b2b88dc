//! The OmniAuth variant of `te` (Mayar/omniauth-esia_openid builds `redirect_uri` from
//! OmniAuth's `callback_url`, so it sends the callback's own `?code=…&state=…` back): a lenient
//! client gets its tokens and the journal and the signature diagnostics name the variant; a
//! strict client gets ESIA-007011 as RFC 6749 §4.1.3 asks; another query is refused for both.

use esia_testkit::protocol::*;
use esia_testkit::spawn_app;
use serde_json::{json, Value};

async fn register(app: &esia_testkit::TestApp, mnemonic: &str, mode: &str) {
    let resp = app
        .client
        .post(app.url("/emulator/api/clients"))
        .json(&json!({
            "mnemonic": mnemonic, "name": "OmniAuth", "redirect_uris": [REDIRECT],
            "scopes": ["openid", "fullname"], "mode": mode, "certificates": [GOST_CERT]
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
}

/// Runs `ac` for `mnemonic` through login and consent; returns the callback's code and state.
async fn callback_of(app: &esia_testkit::TestApp, mnemonic: &str) -> (String, String) {
    let browser = app.new_client();
    let (state, ts) = (new_state(), timestamp(0));
    let mut params = v2_ac_params("openid", &state, &ts, &[], own_sign);
    params.retain(|(k, _)| k != "client_id" && k != "client_secret");
    let msg = format!("{mnemonic}openid{ts}{state}{REDIRECT}");
    params.push(("client_id".into(), mnemonic.into()));
    params.push(("client_secret".into(), own_sign(&msg)));
    let first = ac(app, &browser, "/aas/oauth2/v2/ac", &params).await;
    let callback = browse_to_callback(app, &browser, first, "EsiaTest001@yandex.ru").await;
    let qp = query_of(&callback);
    (q(&qp, "code").unwrap().to_string(), state)
}

/// `v3/te` for `code` with `redirect_uri` as given, signed over exactly what is sent.
fn te_params(mnemonic: &str, code: &str, redirect_uri: &str) -> Vec<(String, String)> {
    let (state, ts) = (new_state(), timestamp(0));
    let msg = format!("{mnemonic}openid{ts}{state}{redirect_uri}{code}");
    [
        ("client_id", mnemonic),
        ("code", code),
        ("grant_type", "authorization_code"),
        ("client_certificate_hash", GOST_HASH),
        ("client_secret", &own_sign(&msg)),
        ("state", &state),
        ("redirect_uri", redirect_uri),
        ("scope", "openid"),
        ("timestamp", &ts),
        ("token_type", "Bearer"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

#[tokio::test]
async fn a_lenient_client_may_send_the_callback_query_back_a_strict_one_may_not() {
    let app = spawn_app().await;
    register(&app, "OMNI_IS", "lenient").await;
    register(&app, "OMNI_STRICT", "strict").await;

    let (code, _) = callback_of(&app, "OMNI_IS").await;
    // Another query than the callback's own is refused even for a lenient client.
    let other = format!("{REDIRECT}?code={code}&state={}", new_state());
    let (status, body) = te(
        &app,
        "/aas/oauth2/v3/te",
        &te_params("OMNI_IS", &code, &other),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant", "{body}");

    let (code, state) = callback_of(&app, "OMNI_IS").await;
    let omni_params = te_params(
        "OMNI_IS",
        &code,
        &format!("{REDIRECT}?code={code}&state={state}"),
    );
    let (status, body) = te(&app, "/aas/oauth2/v3/te", &omni_params).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["access_token"].is_string() && body["id_token"].is_string());
    let journal: Value = app
        .get("/emulator/api/journal?client=OMNI_IS&endpoint=v3/te&limit=5")
        .await
        .json()
        .await
        .unwrap();
    let answered = &journal["entries"][0];
    assert_eq!(answered["http_status"], 200, "{answered}");
    assert_eq!(
        answered["response"]["redirect_uri_variant"], "omniauth-callback-query",
        "{answered}"
    );
    let params: serde_json::Map<String, Value> = omni_params
        .iter()
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect();
    let report: Value = app
        .client
        .post(app.url("/emulator/api/debug/verify-secret"))
        .json(&json!({"endpoint": "v3/te", "params": params}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        report["redirect_uri_variant"],
        json!({"name": "omniauth-callback-query", "accepted": true}),
        "{report}"
    );

    let (code, state) = callback_of(&app, "OMNI_STRICT").await;
    let strict = te_params(
        "OMNI_STRICT",
        &code,
        &format!("{REDIRECT}?code={code}&state={state}"),
    );
    let (status, body) = te(&app, "/aas/oauth2/v3/te", &strict).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant", "{body}");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .starts_with("ESIA-007011"),
        "{body}"
    );
}
