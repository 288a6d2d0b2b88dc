//! Helpers of the fault-rule tests: creating rules, a fresh code or tokens through the real
//! browser flow, a te request that fails normally, the journal's fault lines. It goes through
//! the public QA API only and asserts nothing beyond "the rule was created".

use crate::TestApp;
use serde_json::Value;

use crate::protocol::*;

pub async fn add_fault(app: &TestApp, spec: Value) -> (u16, Value) {
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

pub async fn fault(app: &TestApp, spec: Value) -> String {
    let (status, body) = add_fault(app, spec).await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_str().expect("id").to_string()
}

/// A fresh authorization code for `login` through the browser flow (SSO after the first).
pub async fn code_for(app: &TestApp, client: &reqwest::Client, scope: &str, login: &str) -> String {
    let params = v2_ac_params(scope, &new_state(), &timestamp(0), &[], own_sign);
    let first = ac(app, client, "/aas/oauth2/v2/ac", &params).await;
    let callback = browse_to_callback(app, client, first, login).await;
    q(&query_of(&callback), "code").expect("code").to_string()
}

pub async fn tokens_for(app: &TestApp, client: &reqwest::Client, login: &str) -> (u16, Value) {
    let scope = "openid fullname";
    let code = code_for(app, client, scope, login).await;
    let params = v3_code_params(&code, scope, &new_state(), &timestamp(0), own_sign);
    te(app, "/aas/oauth2/v3/te", &params).await
}

/// A te request that fails normally with ESIA-007011 (unknown code) when no fault fires.
pub fn bogus_te() -> Vec<(String, String)> {
    v3_code_params(
        "no-such-code",
        "openid",
        &new_state(),
        &timestamp(0),
        own_sign,
    )
}

pub async fn journal_faults(app: &TestApp) -> Vec<Value> {
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
