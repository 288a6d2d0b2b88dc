//! The QA side of the protocol: `/emulator/api/clients` (create, list, show, delete, errors),
//! the journal (secrets truncated, codes hidden), `debug/verify-secret`, and the published
//! certificates (`/public/esia.zip`, PEMs, the discovery extension).

use esia_testkit::protocol::*;
use esia_testkit::spawn_app;
use serde_json::json;

#[tokio::test]
async fn clients_api_creates_lists_shows_and_deletes_with_stable_errors() {
    let app = spawn_app().await;
    let url = app.url("/emulator/api/clients");
    let spec = json!({"mnemonic": "QA_IS", "name": "QA", "redirect_uris": ["https://qa.test/cb"],
        "token_alg": "GOST3410_2012_256", "certificates": [GOST_CERT, RSA_CERT]});
    let resp = app.client.post(&url).json(&spec).send().await.unwrap();
    assert_eq!(resp.status(), 201);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["certificates"][0]["hash_hex"], GOST_HASH);
    assert_eq!(body["mode"], "strict");
    let resp = app.client.post(&url).json(&spec).send().await.unwrap();
    assert_eq!(resp.status(), 409);
    let bad = json!({"mnemonic": "bad mnemonic!", "name": "", "redirect_uris": ["ftp://x"],
        "scopes": ["nope"], "token_alg": "HS256", "certificates": ["garbage"]});
    let resp = app.client.post(&url).json(&bad).send().await.unwrap();
    assert_eq!(resp.status(), 422);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["error"], "validation_failed");
    let resp = app
        .client
        .post(&url)
        .body("{")
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    let list: serde_json::Value = app.get("/emulator/api/clients").await.json().await.unwrap();
    let names: Vec<&str> = list["clients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["mnemonic"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"DEMO_IS") && names.contains(&"QA_IS"));
    assert_eq!(app.get("/emulator/api/clients/QA_IS").await.status(), 200);
    let resp = app
        .client
        .delete(app.url("/emulator/api/clients/QA_IS"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 204);
    let resp = app.get("/emulator/api/clients/QA_IS").await;
    assert_eq!(resp.status(), 404);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["error"], "not_found");
}

#[tokio::test]
async fn journal_records_requests_without_secrets_and_verify_secret_explains() {
    let app = spawn_app().await;
    let state = new_state();
    let ts = timestamp(0);
    let mut p = v2_ac_params("openid", &state, &ts, &[], own_sign);
    p.retain(|(k, _)| k != "client_secret");
    let wrong = own_sign("wrong message");
    p.push(("client_secret".into(), wrong.clone()));
    ac(&app, &app.client, "/aas/oauth2/v2/ac", &p).await;
    let j: serde_json::Value = app
        .get("/emulator/api/journal?client=DEMO_IS&endpoint=v2/ac&limit=5")
        .await
        .json()
        .await
        .unwrap();
    let e = &j["entries"][0];
    assert_eq!(e["error_code"], "ESIA-007053");
    assert_eq!(e["endpoint"], "/aas/oauth2/v2/ac");
    let shown = e["params"]["client_secret"].as_str().unwrap();
    assert!(shown.chars().count() <= 13 && !shown.contains(&wrong[12..]));
    assert_eq!(e["verification"]["ok"], false);

    let params: serde_json::Map<String, serde_json::Value> =
        p.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
    let report: serde_json::Value = app
        .client
        .post(app.url("/emulator/api/debug/verify-secret"))
        .json(&json!({"endpoint": "v2/ac", "params": params}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(report["ok"], false);
    assert_eq!(report["error_code"], "ESIA-007053");
    assert_eq!(
        report["expected_signing_strings"][0]["message"],
        format!("{CLIENT}openid{ts}{state}{REDIRECT}")
    );
    assert_eq!(report["cert_hash"]["received"], GOST_HASH);
    assert!(report["timestamp"]["skew_secs"].as_i64().unwrap().abs() < 60);
    assert!(!report["failure"]["attempts"].as_array().unwrap().is_empty());

    let mut good = p.clone();
    good.retain(|(k, _)| k != "client_secret");
    good.push((
        "client_secret".into(),
        own_sign(&format!("{CLIENT}openid{ts}{state}{REDIRECT}")),
    ));
    let params: serde_json::Map<String, serde_json::Value> =
        good.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
    let report: serde_json::Value = app
        .client
        .post(app.url("/emulator/api/debug/verify-secret"))
        .json(&json!({"endpoint": "/aas/oauth2/v2/ac", "params": params}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(report["ok"], true, "{report}");
    assert_eq!(report["match"]["candidate"], "v2ac");
}

#[tokio::test]
async fn certificates_bundle_and_discovery_are_published() {
    let app = spawn_app().await;
    let zip = app.get("/public/esia.zip").await;
    assert_eq!(zip.status(), 200);
    let bytes = zip.bytes().await.unwrap();
    assert_eq!(&bytes[..2], b"PK");
    for path in ["/public/esia-rsa.pem", "/public/esia-gost.pem"] {
        let pem = app.get(path).await.text().await.unwrap();
        assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"), "{path}");
    }
    let conf: serde_json::Value = app
        .get("/.well-known/openid-configuration")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(conf["issuer"], "http://esia-portal1.test.gosuslugi.ru/");
    assert_eq!(
        conf["id_token_signing_alg_values_supported"],
        json!(["RS256"])
    );
    let jwks: serde_json::Value = app
        .get("/.well-known/jwks.json")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(jwks["keys"][0]["kty"], "RSA");
}
