//! Zero-click login (an emulator extension, not ESIA) over real HTTP: off by default (the
//! `emulator_persona` parameter is ignored, queuing is refused), on by configuration (by login
//! or oid, unknown persona → an ac error redirect), on per client with a queued next login that
//! is consumed once, every use journaled, and bad input.

use esia_testkit::protocol::*;
use esia_testkit::spawn::location;
use esia_testkit::{spawn_app, spawn_app_with, TestApp};
use serde_json::{json, Value};

async fn zero_click_ac(app: &TestApp, persona: Option<&str>, state: &str) -> String {
    let extra: Vec<(&str, &str)> = persona
        .map(|p| ("emulator_persona", p))
        .into_iter()
        .collect();
    let params = v2_ac_params("openid fullname", state, &timestamp(0), &extra, own_sign);
    // A fresh client: no SSO cookie could explain a skipped login.
    let resp = ac(app, &app.new_client(), "/aas/oauth2/v2/ac", &params).await;
    assert_eq!(resp.status(), 302);
    location(&resp)
}

async fn post_json(app: &TestApp, path: &str, body: Value) -> (u16, Value) {
    let resp = app
        .client
        .post(app.url(path))
        .json(&body)
        .send()
        .await
        .expect("POST");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

async fn sbj_of(app: &TestApp, callback: &str) -> i64 {
    let code = q(&query_of(callback), "code").expect("code").to_string();
    let params = v3_code_params(
        &code,
        "openid fullname",
        &new_state(),
        &timestamp(0),
        own_sign,
    );
    let (s, body) = te(app, "/aas/oauth2/v3/te", &params).await;
    assert_eq!(s, 200, "{body}");
    jwt_part(body["access_token"].as_str().unwrap(), 1)["urn:esia:sbj_id"]
        .as_i64()
        .unwrap()
}

async fn zero_click_journal(app: &TestApp) -> Vec<Value> {
    let body: Value = app
        .get("/emulator/api/journal?limit=1000")
        .await
        .json()
        .await
        .unwrap();
    body["entries"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|e| e["params"]["zero_click"].is_string())
        .collect()
}

#[tokio::test]
async fn off_by_default_the_parameter_is_ignored() {
    let app = spawn_app().await;
    let to = zero_click_ac(&app, Some("EsiaTest001@yandex.ru"), &new_state()).await;
    assert!(to.contains("/login?"), "normal login page expected: {to}");
    let (s, b) = post_json(
        &app,
        "/emulator/api/clients/DEMO_IS/next-login",
        json!({"persona": "1000000001"}),
    )
    .await;
    assert_eq!((s, b["error"].as_str()), (409, Some("conflict")), "{b}");
    let view: Value = app
        .get("/emulator/api/clients/DEMO_IS/zero-click")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (&view["enabled"], &view["enabled_globally"]),
        (&json!(false), &json!(false))
    );
    assert!(zero_click_journal(&app).await.is_empty());
}

#[tokio::test]
async fn enabled_by_configuration_the_parameter_logs_in_at_once() {
    let app = spawn_app_with(|c| c.protocol.zero_click = true).await;
    let state = new_state();
    let to = zero_click_ac(&app, Some("EsiaTest001@yandex.ru"), &state).await;
    assert!(to.starts_with(REDIRECT), "{to}");
    assert_eq!(q(&query_of(&to), "state"), Some(state.as_str()));
    assert_eq!(sbj_of(&app, &to).await, 1_000_000_001);
    let to = zero_click_ac(&app, Some("1000000002"), &new_state()).await;
    assert_eq!(sbj_of(&app, &to).await, 1_000_000_002);
    // Unknown persona: an error on the ac channel, with the state.
    let state = new_state();
    let to = zero_click_ac(&app, Some("nobody@example.com"), &state).await;
    let qp = query_of(&to);
    assert!(to.starts_with(REDIRECT), "{to}");
    assert_eq!(q(&qp, "error"), Some("invalid_request"));
    assert!(q(&qp, "error_description")
        .unwrap()
        .starts_with("ESIA-007003"));
    assert_eq!(q(&qp, "state"), Some(state.as_str()));
    // Without the parameter: the normal pages.
    let to = zero_click_ac(&app, None, &new_state()).await;
    assert!(to.contains("/login?"), "{to}");
    let journal = zero_click_journal(&app).await;
    assert_eq!(journal.len(), 3, "{journal:?}");
    let oids: Vec<&Value> = journal
        .iter()
        .map(|e| &e["params"]["persona_oid"])
        .collect();
    assert!(oids.contains(&&json!(1_000_000_001_i64)) && oids.contains(&&Value::Null));
    assert!(journal.iter().all(|e| e["endpoint"] == "/aas/oauth2/v2/ac"));
    assert!(journal
        .iter()
        .any(|e| e["persona_oid"] == json!(1_000_000_002_i64)));
    let text = serde_json::to_string(&journal).unwrap();
    assert!(
        !text.contains("yandex.ru"),
        "the journal line keeps the oid, not the login"
    );
}

#[tokio::test]
async fn per_client_with_a_queued_next_login_consumed_once() {
    let app = spawn_app().await;
    let resp = app
        .client
        .put(app.url("/emulator/api/clients/DEMO_IS/zero-click"))
        .json(&json!({"enabled": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let (s, view) = post_json(
        &app,
        "/emulator/api/clients/DEMO_IS/next-login",
        json!({"persona": "+79000000002"}),
    )
    .await;
    assert_eq!(s, 200, "{view}");
    assert_eq!(view["enabled"], true);
    assert_eq!(view["next_login_oid"], 1_000_000_002_i64);
    let to = zero_click_ac(&app, None, &new_state()).await;
    assert!(to.starts_with(REDIRECT), "{to}");
    assert_eq!(sbj_of(&app, &to).await, 1_000_000_002);
    let to = zero_click_ac(&app, None, &new_state()).await;
    assert!(to.contains("/login?"), "consumed once: {to}");
    // The parameter works for the enabled client too.
    let to = zero_click_ac(&app, Some("1000000003"), &new_state()).await;
    assert_eq!(sbj_of(&app, &to).await, 1_000_000_003);
    let journal = zero_click_journal(&app).await;
    let via: Vec<&str> = journal
        .iter()
        .map(|e| e["params"]["zero_click"].as_str().unwrap())
        .collect();
    assert_eq!(via.len(), 2);
    assert!(via.contains(&"queued") && via.contains(&"parameter"));

    // Bad input.
    let (s, b) = post_json(
        &app,
        "/emulator/api/clients/DEMO_IS/next-login",
        json!({"persona": "nobody@example.com"}),
    )
    .await;
    assert_eq!(
        (s, b["error"].as_str()),
        (422, Some("validation_failed")),
        "{b}"
    );
    let (s, _) = post_json(
        &app,
        "/emulator/api/clients/NOPE/next-login",
        json!({"persona": "1000000001"}),
    )
    .await;
    assert_eq!(s, 404);
    let (s, b) = post_json(
        &app,
        "/emulator/api/clients/DEMO_IS/next-login",
        json!({"persona": "1000000001", "now": true}),
    )
    .await;
    assert_eq!((s, b["error"].as_str()), (422, Some("invalid_body")));
    let resp = app
        .client
        .put(app.url("/emulator/api/clients/DEMO_IS/zero-click"))
        .json(&json!({"enabled": "yes"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    assert_eq!(
        app.get("/emulator/api/clients/NOPE/zero-click")
            .await
            .status(),
        404
    );
}

/// First logins of one person to one system at once (no consent stored yet) all get their code:
/// the consent they all remember is written once, and none of them answers 500. Six at once,
/// more than the test pool's four connections: a login that held one connection while it asked
/// for a second starved the pool, and its neighbours got a 503 after the 5 s checkout timeout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_first_logins_all_get_a_code() {
    let app = spawn_app_with(|c| c.protocol.zero_click = true).await;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..6 {
        let extra = [("emulator_persona", "EsiaTest002@yandex.ru")];
        let params = v2_ac_params(
            "openid fullname",
            &new_state(),
            &timestamp(0),
            &extra,
            own_sign,
        );
        let url = url::Url::parse_with_params(&app.url("/aas/oauth2/v2/ac"), &params).unwrap();
        let browser = app.new_client();
        tasks.spawn(async move { browser.get(url).send().await.unwrap() });
    }
    while let Some(resp) = tasks.join_next().await {
        let resp = resp.unwrap();
        assert_eq!(resp.status(), 302);
        let to = location(&resp);
        assert!(to.starts_with(REDIRECT) && to.contains("code="), "{to}");
    }
}
