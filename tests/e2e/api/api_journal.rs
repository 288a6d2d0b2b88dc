//! The protocol journal over real HTTP: a full v2/ac → login → v3/te → /rs → userinfo flow is
//! journaled with the persona, the HTTP status and the token kinds (never token values);
//! filters by client, persona, endpoint, time and limit; bad filters are clear 4xx JSON;
//! `DELETE` clears; `protocol.journal_rs = false` keeps /rs out of it; `journal_max_rows`
//! keeps the newest entries only.

use esia_testkit::persons;
use esia_testkit::protocol::*;
use serde_json::Value;

const SCOPE: &str = "openid fullname";

/// Runs the real flow as EsiaTest001; returns the te answer.
async fn login_flow(app: &esia_testkit::TestApp) -> Value {
    let client = app.new_client();
    let params = v2_ac_params(SCOPE, &new_state(), &timestamp(0), &[], own_sign);
    let first = ac(app, &client, "/aas/oauth2/v2/ac", &params).await;
    let callback = browse_to_callback(app, &client, first, "EsiaTest001@yandex.ru").await;
    let code = q(&query_of(&callback), "code").expect("code").to_string();
    let params = v3_code_params(&code, SCOPE, &new_state(), &timestamp(0), own_sign);
    let (status, body) = te(app, "/aas/oauth2/v3/te", &params).await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn journal(app: &esia_testkit::TestApp, query: &str) -> (u16, Value) {
    let resp = app.get(&format!("/emulator/api/journal{query}")).await;
    let status = resp.status().as_u16();
    (status, resp.json().await.expect("journal json"))
}

fn entries(body: &Value) -> Vec<Value> {
    body["entries"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn the_whole_flow_is_journaled_with_persona_status_and_token_kinds() {
    let app = esia_testkit::spawn_app().await;
    let tokens = login_flow(&app).await;
    let access = tokens["access_token"].as_str().unwrap();
    let oid = persons::oid(1);
    let (s, _) = persons::rs(&app, access, &format!("/rs/prns/{oid}")).await;
    assert_eq!(s, 200);
    let (s, _) = persons::rs(&app, access, "/emulator/oidc/userinfo").await;
    assert_eq!(s, 200);
    let (s, _) = persons::rs(&app, "not-a-token", &format!("/rs/prns/{oid}")).await;
    assert_eq!(s, 401);

    let (status, body) = journal(&app, "").await;
    assert_eq!(status, 200);
    let all = entries(&body);
    let raw = body.to_string();
    for secret in ["access_token", "id_token", "refresh_token"] {
        if let Some(v) = tokens[secret].as_str() {
            assert!(!raw.contains(v), "{secret} value leaked into the journal");
        }
    }

    let te = all
        .iter()
        .find(|e| e["endpoint"] == "/aas/oauth2/v3/te")
        .expect("te journaled");
    assert_eq!(te["persona_oid"], oid);
    assert_eq!(te["http_status"], 200);
    assert_eq!(te["client_id"], CLIENT);
    // The kinds listed are exactly the tokens the answer carried.
    let issued: Vec<&str> = ["access_token", "id_token", "refresh_token"]
        .into_iter()
        .filter(|k| tokens[*k].is_string())
        .collect();
    assert!(issued.contains(&"id_token"));
    assert_eq!(te["response"]["tokens"], serde_json::json!(issued));
    assert!(te["params"]["code"].as_str().unwrap().contains("hidden"));

    let ac = all
        .iter()
        .find(|e| e["endpoint"] == "/aas/oauth2/v2/ac")
        .expect("ac journaled");
    assert_eq!(ac["http_status"], 302);
    assert_eq!(ac["verification"]["ok"], true);

    let rs: Vec<&Value> = all
        .iter()
        .filter(|e| e["endpoint"] == format!("/rs/prns/{oid}"))
        .collect();
    assert_eq!(rs.len(), 2, "{rs:?}");
    let refused = rs.iter().find(|e| e["http_status"] == 401).expect("401");
    assert_eq!(refused["error_code"], "ESIA-005011");
    assert!(refused["persona_oid"].is_null());
    let ok = rs.iter().find(|e| e["http_status"] == 200).expect("200");
    assert_eq!(ok["persona_oid"], oid);
    assert_eq!(ok["client_id"], CLIENT);
    assert_eq!(ok["outcome"], "ok");

    let userinfo = all
        .iter()
        .find(|e| e["endpoint"] == "/emulator/oidc/userinfo")
        .expect("userinfo journaled");
    assert_eq!(userinfo["persona_oid"], oid);
}

#[tokio::test]
async fn filters_by_client_persona_endpoint_time_and_limit() {
    let app = esia_testkit::spawn_app().await;
    let tokens = login_flow(&app).await;
    let oid = persons::oid(1);
    let access = tokens["access_token"].as_str().unwrap();
    persons::rs(&app, access, &format!("/rs/prns/{oid}")).await;
    // Another persona's request, journaled under its own oid.
    let other = persons::token(&app, persons::oid(2), &["fullname"]);
    let other_oid = persons::oid(2);
    persons::rs(&app, &other, &format!("/rs/prns/{other_oid}")).await;

    let (_, b) = journal(&app, &format!("?persona={oid}")).await;
    let mine = entries(&b);
    assert!(mine.len() >= 2, "te and rs: {mine:?}");
    assert!(mine.iter().all(|e| e["persona_oid"] == oid));

    let (_, b) = journal(&app, "?endpoint=rs").await;
    let rs = entries(&b);
    assert_eq!(rs.len(), 2, "{rs:?}");
    assert!(rs
        .iter()
        .all(|e| e["endpoint"].as_str().unwrap().starts_with("/rs/")));

    let (_, b) = journal(&app, "?endpoint=v3/te&client=DEMO_IS").await;
    assert_eq!(entries(&b).len(), 1);
    let (_, b) = journal(&app, "?client=NO_SUCH_IS").await;
    assert!(entries(&b).is_empty());

    let (_, b) = journal(&app, "?limit=1").await;
    let newest = entries(&b);
    assert_eq!(newest.len(), 1);
    assert_eq!(newest[0]["persona_oid"], other_oid, "newest first");

    let now = app.core.now();
    let enc = |t: chrono::DateTime<chrono::Utc>| {
        url::form_urlencoded::byte_serialize(t.to_rfc3339().as_bytes()).collect::<String>()
    };
    let future = enc(now + chrono::Duration::minutes(1));
    let past = enc(now - chrono::Duration::hours(1));
    let (_, b) = journal(&app, &format!("?from={future}")).await;
    assert!(entries(&b).is_empty());
    let (_, b) = journal(&app, &format!("?to={past}")).await;
    assert!(entries(&b).is_empty());
    let (_, b) = journal(
        &app,
        &format!("?from={past}&to={future}&persona={other_oid}"),
    )
    .await;
    assert_eq!(entries(&b).len(), 1);
}

#[tokio::test]
async fn bad_filters_are_clear_4xx_json() {
    let app = esia_testkit::spawn_app().await;
    let (s, b) = journal(&app, "?clinet=DEMO_IS").await;
    assert_eq!(s, 400, "{b}");
    assert_eq!(b["error"], "bad_query");

    let (s, b) = journal(&app, "?persona=abc&from=yesterday&limit=0").await;
    assert_eq!(s, 422, "{b}");
    assert_eq!(b["error"], "validation_failed");
    let fields: Vec<&str> = b["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["from", "persona", "limit"]);

    let (s, b) = journal(&app, "?from=2026-11-25T12:00:00Z&to=2026-11-25T11:00:00Z").await;
    assert_eq!(s, 422);
    assert_eq!(b["fields"][0]["field"], "to");
}

#[tokio::test]
async fn delete_clears_the_journal() {
    let app = esia_testkit::spawn_app().await;
    login_flow(&app).await;
    let (_, b) = journal(&app, "").await;
    let before = entries(&b).len();
    assert!(before >= 2);
    let resp = app
        .client
        .delete(app.url("/emulator/api/journal"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["deleted"], before);
    let (_, b) = journal(&app, "").await;
    assert!(entries(&b).is_empty());
}

#[tokio::test]
async fn the_journal_keeps_the_newest_journal_max_rows_entries() {
    let app = esia_testkit::spawn_app_with(|c| c.protocol.journal_max_rows = 5).await;
    let oid = persons::oid(1);
    let token = persons::token(&app, oid, &["fullname"]);
    for i in 0..12 {
        let path = format!("/rs/prns/{oid}?n={i}");
        assert_eq!(persons::rs(&app, &token, &path).await.0, 200);
    }
    let (_, b) = journal(&app, "?endpoint=rs&limit=100").await;
    let kept: Vec<String> = entries(&b)
        .iter()
        .map(|e| e["params"]["n"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(kept.len(), 5, "{kept:?}");
    for newest in ["11", "10", "9", "8", "7"] {
        assert!(
            kept.iter().any(|n| n == newest),
            "entry {newest} kept: {kept:?}"
        );
    }
}

#[tokio::test]
async fn rs_journaling_can_be_switched_off() {
    let app = esia_testkit::spawn_app_with(|c| c.protocol.journal_rs = false).await;
    let oid = persons::oid(1);
    let token = persons::token(&app, oid, &["fullname"]);
    let (s, _) = persons::rs(&app, &token, &format!("/rs/prns/{oid}")).await;
    assert_eq!(s, 200);
    let (_, b) = journal(&app, "?endpoint=rs").await;
    assert!(entries(&b).is_empty());
}
