//! The state API over HTTP: reset brings back the startup seed (same oids, added clients, rules
//! and personas gone), snapshot → reset → import restores the same state and logins, bad
//! snapshot bodies are refused with a JSON 4xx, and the wipe list covers every table.

use esia_testkit::spawn::TestApp;
use esia_testkit::spawn_app;
use serde_json::{json, Value};

async fn snapshot(app: &TestApp) -> Value {
    let resp = app.get("/emulator/api/snapshot").await;
    assert_eq!(resp.status(), 200);
    resp.json().await.unwrap()
}

/// Password hashes are salted anew whenever the demo seed is hashed again; the rest must match.
fn without_hashes(mut v: Value) -> Value {
    for p in v["personas"].as_array_mut().unwrap() {
        p.as_object_mut().unwrap().remove("password_hash");
    }
    v
}

fn oids(v: &Value) -> Vec<i64> {
    v["personas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["oid"].as_i64().unwrap())
        .collect()
}

/// Compares two snapshots entry by entry, so a failure names the persona or client.
fn assert_same_state(got: &Value, want: &Value) {
    for key in ["personas", "clients", "verification_rules"] {
        let (g, w) = (got[key].as_array().unwrap(), want[key].as_array().unwrap());
        assert_eq!(g.len(), w.len(), "{key}");
        for (a, b) in g.iter().zip(w) {
            assert_eq!(a, b, "{key}");
        }
    }
    assert_eq!(got, want);
}

async fn post_json(app: &TestApp, path: &str, body: &Value) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn login_status(app: &TestApp, login: &str, password: &str) -> u16 {
    let client = app.new_client();
    let page = client.get(app.url("/login")).send().await.unwrap();
    let csrf = esia_testkit::spawn::extract_csrf(&page.text().await.unwrap()).unwrap();
    client
        .post(app.url("/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("login", login),
            ("password", password),
        ])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

fn extra_client() -> Value {
    json!({
        "mnemonic": "EXTRA_IS",
        "name": "Extra",
        "redirect_uris": ["http://localhost:9999/cb"],
        "scopes": ["openid", "fullname"]
    })
}

#[tokio::test]
async fn reset_brings_back_the_startup_seed_with_the_same_oids() {
    let app = spawn_app().await;
    let before = snapshot(&app).await;
    assert_eq!(
        oids(&before),
        (1..=16).map(|n| 1_000_000_000 + n).collect::<Vec<_>>()
    );
    assert_eq!(before["clients"][0]["mnemonic"], "DEMO_IS");

    assert_eq!(
        post_json(&app, "/emulator/api/clients", &extra_client())
            .await
            .status(),
        201
    );
    let rule = json!({"field": "snils", "pattern": "*", "outcome": "not_found"});
    let resp = post_json(&app, "/emulator/api/verification-rules", &rule).await;
    assert!(resp.status().is_success(), "{}", resp.status());
    // State that lives outside the seed: a session and an outbox message.
    assert_eq!(login_status(&app, "+79000000001", "11111111").await, 303);
    let changed = snapshot(&app).await;
    assert_eq!(changed["clients"].as_array().unwrap().len(), 2);
    assert_eq!(changed["verification_rules"].as_array().unwrap().len(), 1);

    let resp = app
        .client
        .post(app.url("/emulator/api/reset"))
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["state"], "reset");
    assert_eq!(body["summary"]["personas_created"], 16);
    assert_eq!(body["summary"]["clients_created"], 1);

    let after = snapshot(&app).await;
    assert_eq!(without_hashes(after.clone()), without_hashes(before));
    assert_eq!(after["verification_rules"], json!([]));
    let mut conn = app.core.conn().unwrap();
    assert_eq!(esia_store::persons::count_persons(&mut conn).unwrap(), 16);
    drop(conn);
    // The demo password still works after the reset.
    assert_eq!(
        login_status(&app, "esiatest006@yandex.ru", "11111111").await,
        303
    );
}

#[tokio::test]
async fn snapshot_reset_import_restores_the_same_state_and_logins() {
    let app = spawn_app().await;
    assert_eq!(
        post_json(&app, "/emulator/api/clients", &extra_client())
            .await
            .status(),
        201
    );
    for (pattern, outcome) in [("111*", "not_found"), ("222*", "hang")] {
        let rule =
            json!({"field": "snils", "pattern": pattern, "outcome": outcome, "delay_secs": 5});
        assert!(post_json(&app, "/emulator/api/verification-rules", &rule)
            .await
            .status()
            .is_success());
    }
    let saved = snapshot(&app).await;
    assert_eq!(saved["clients"].as_array().unwrap().len(), 2);

    let resp = app
        .client
        .post(app.url("/emulator/api/reset"))
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(snapshot(&app).await["clients"].as_array().unwrap().len(), 1);

    let resp = post_json(&app, "/emulator/api/snapshot", &saved).await;
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["state"], "imported");
    assert_eq!(body["summary"]["personas_created"], 16);
    assert_eq!(body["summary"]["clients_created"], 2);
    assert_eq!(body["summary"]["rules_added"], 2);

    // Same persons (with their hashes), clients and rules in the same precedence order.
    assert_same_state(&snapshot(&app).await, &saved);
    assert_eq!(login_status(&app, "+79000000004", "11111111").await, 303);
    assert_ne!(
        login_status(&app, "+79000000004", "wrong-password").await,
        303
    );
}

#[tokio::test]
async fn bad_snapshot_bodies_are_refused_and_leave_the_state_alone() {
    let app = spawn_app().await;
    let cases = [
        ("not json", "bad_json"),
        (r#"{"personas": [], "extra": 1}"#, "bad_json"),
        (r#"{"personas": {"oid": 1}}"#, "bad_json"),
        (r#"{"personas": [{"oid": "x"}]}"#, "bad_json"),
        (
            r#"{"clients": [{"mnemonic": "A", "nme": "x"}]}"#,
            "bad_json",
        ),
    ];
    for (body, code) in cases {
        let resp = app
            .client
            .post(app.url("/emulator/api/snapshot"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 400, "{body}");
        let v: Value = resp.json().await.unwrap();
        assert_eq!(v["error"], code, "{body}");
        assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    assert_eq!(oids(&snapshot(&app).await).len(), 16);

    // Well-formed but refused by the use case: 422 naming the entry and field.
    let bad =
        json!({"clients": [{"mnemonic": "BAD IS", "name": "x", "redirect_uris": ["ftp://x"]}]});
    let resp = post_json(&app, "/emulator/api/snapshot", &bad).await;
    assert_eq!(resp.status(), 422);
    let v: Value = resp.json().await.unwrap();
    assert_eq!(v["error"], "invalid_document");
    let m = v["message"].as_str().unwrap();
    assert!(m.contains("snapshot: clients[0].mnemonic"), "{m}");
    assert!(m.contains("clients[0].redirect_uris"), "{m}");

    let bad_rule =
        json!({"verification_rules": [{"field": "snils", "pattern": "1", "outcome": "boom"}]});
    let resp = post_json(&app, "/emulator/api/snapshot", &bad_rule).await;
    assert_eq!(resp.status(), 422);
    let v: Value = resp.json().await.unwrap();
    assert!(v["message"]
        .as_str()
        .unwrap()
        .contains("verification_rules[0]"));
}

#[tokio::test]
async fn the_wipe_list_covers_every_table_and_empties_them() {
    let app = spawn_app().await;
    let mut conn = app.core.conn().unwrap();
    let mut listed: Vec<String> = esia_store::admin::WIPE_TABLES
        .iter()
        .chain(esia_store::admin::KEPT_TABLES)
        .map(|t| t.to_string())
        .collect();
    listed.sort();
    let existing = esia_store::admin::state_tables(&mut conn).unwrap();
    let unlisted: Vec<&String> = existing.iter().filter(|t| !listed.contains(t)).collect();
    assert!(
        unlisted.is_empty(),
        "add {unlisted:?} to esia_store::admin::WIPE_TABLES (children before parents) or KEPT_TABLES"
    );
    // Kept tables may exist on one backend only; every wiped one exists on both.
    for t in esia_store::admin::WIPE_TABLES {
        assert!(existing.iter().any(|e| e == t), "{t} is listed but missing");
    }
    drop(conn);
    assert!(esia_control::snapshot::wipe_state(&app.control).unwrap() > 16);
    let mut conn = app.core.conn().unwrap();
    assert_eq!(esia_store::persons::count_persons(&mut conn).unwrap(), 0);
    assert!(esia_store::clients::list_clients(&mut conn)
        .unwrap()
        .is_empty());
}
