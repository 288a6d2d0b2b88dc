//! Every §9 error path that needs no OpenSSL (secrets signed by our own GOST code where a valid
//! signature is needed): the page channel (007023, unknown client), the `ac` redirect channel
//! (007014, 007015, 007006, 007019, 007053, 007055, 007004 in protocol_flow), the `te` JSON
//! channel (007014, 007009, 007053, PKCE 007039/007040), lenient vs strict certificate hashes,
//! HTTP Basic and client_credentials. The demo client's network rules are in
//! `protocol_demo_client.rs`.

use base64::Engine as _;
use esia_testkit::protocol::*;
use esia_testkit::spawn::location;
use esia_testkit::spawn_app;

fn err_of(resp: &reqwest::Response) -> (String, String, Option<String>) {
    let qp = query_of(&location(resp));
    (
        q(&qp, "error").unwrap_or_default().to_string(),
        q(&qp, "error_description").unwrap_or_default().to_string(),
        q(&qp, "state").map(str::to_string),
    )
}

fn with(params: &[(String, String)], k: &str, v: &str) -> Vec<(String, String)> {
    let mut p: Vec<(String, String)> = params.iter().filter(|(pk, _)| pk != k).cloned().collect();
    p.push((k.into(), v.into()));
    p
}

#[tokio::test]
async fn unregistered_redirect_uri_and_unknown_client_get_a_page_not_a_redirect() {
    let app = spawn_app().await;
    let base = v2_ac_params("openid", &new_state(), &timestamp(0), &[], own_sign);
    let resp = ac(
        &app,
        &app.client,
        "/aas/oauth2/v2/ac",
        &with(&base, "redirect_uri", "https://evil.test/cb"),
    )
    .await;
    assert_eq!(resp.status(), 400);
    assert!(resp.headers().get("location").is_none());
    assert!(resp.text().await.unwrap().contains("ESIA-007023"));
    let resp = ac(
        &app,
        &app.client,
        "/aas/oauth2/v2/ac",
        &with(&base, "client_id", "NOPE"),
    )
    .await;
    assert_eq!(resp.status(), 400);
    assert!(resp.headers().get("location").is_none());
}

#[tokio::test]
async fn ac_errors_travel_as_redirects_with_the_state() {
    let app = spawn_app().await;
    let state = new_state();
    let base = v2_ac_params("openid fullname", &state, &timestamp(0), &[], own_sign);
    let missing: Vec<_> = base
        .iter()
        .filter(|(k, _)| k != "client_secret")
        .cloned()
        .collect();
    let resp = ac(&app, &app.client, "/aas/oauth2/v2/ac", &missing).await;
    assert_eq!(resp.status(), 302);
    let (e, d, s) = err_of(&resp);
    assert_eq!(e, "invalid_request");
    assert!(d.starts_with("ESIA-007014"), "{d}");
    assert_eq!(s.as_deref(), Some(state.as_str()));
    assert!(location(&resp).starts_with(REDIRECT));

    let old = v2_ac_params("openid", &state, &timestamp(-3600), &[], own_sign);
    let (_, d, _) = err_of(&ac(&app, &app.client, "/aas/oauth2/v2/ac", &old).await);
    assert!(d.starts_with("ESIA-007015"), "{d}");
    let bad_ts = with(&base, "timestamp", "2025-01-01T00:00:00Z");
    let (_, d, _) = err_of(&ac(&app, &app.client, "/aas/oauth2/v2/ac", &bad_ts).await);
    assert!(d.starts_with("ESIA-007015"), "{d}");

    let unknown = v2_ac_params("openid no_such_scope", &state, &timestamp(0), &[], own_sign);
    let (_, d, _) = err_of(&ac(&app, &app.client, "/aas/oauth2/v2/ac", &unknown).await);
    assert!(d.starts_with("ESIA-007006"), "{d}");

    let wrong = with(&base, "client_secret", &own_sign("something else"));
    let (e, d, _) = err_of(&ac(&app, &app.client, "/aas/oauth2/v2/ac", &wrong).await);
    assert_eq!(e, "access_denied");
    assert_eq!(d, "ESIA-007053: OAuthErrorEnum.clientSecretWrong");
    let garbage = with(&base, "client_secret", "not*base64");
    let (_, d, _) = err_of(&ac(&app, &app.client, "/aas/oauth2/v2/ac", &garbage).await);
    assert!(d.starts_with("ESIA-007053"), "{d}");

    let not_uuid = v2_ac_params("openid", "not-a-uuid", &timestamp(0), &[], own_sign);
    let (_, d, _) = err_of(&ac(&app, &app.client, "/aas/oauth2/v2/ac", &not_uuid).await);
    assert!(d.starts_with("ESIA-007003"), "{d}");
}

#[tokio::test]
async fn scope_not_allowed_for_the_client_is_007019() {
    let app = spawn_app().await;
    let resp = app
        .client
        .post(app.url("/emulator/api/clients"))
        .json(&serde_json::json!({
            "mnemonic": "LIMITED", "name": "Ограниченная", "redirect_uris": ["http://localhost"],
            "scopes": ["openid", "fullname"], "certificates": [GOST_CERT]
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let state = new_state();
    let ts = timestamp(0);
    let msg = format!("LIMITEDopenid snils{ts}{state}{REDIRECT}");
    let p = with(
        &with(
            &v2_ac_params("openid snils", &state, &ts, &[], own_sign),
            "client_id",
            "LIMITED",
        ),
        "client_secret",
        &own_sign(&msg),
    );
    let (e, d, _) = err_of(&ac(&app, &app.client, "/aas/oauth2/v2/ac", &p).await);
    assert_eq!(e, "access_denied");
    assert!(d.starts_with("ESIA-007019"), "{d}");
}

#[tokio::test]
async fn conf_acc_person_filter_refuses_an_unconfirmed_account() {
    let app = spawn_app().await;
    let filter = base64::engine::general_purpose::STANDARD.encode("conf_acc");
    let state = new_state();
    let p = v2_ac_params(
        "openid",
        &state,
        &timestamp(0),
        &[("person_filter", &filter)],
        own_sign,
    );
    let client = app.new_client();
    let first = ac(&app, &client, "/aas/oauth2/v2/ac", &p).await;
    let callback = browse_to_callback(&app, &client, first, "EsiaTest002@yandex.ru").await;
    let qp = query_of(&callback);
    assert!(q(&qp, "error_description")
        .unwrap()
        .starts_with("ESIA-007055"));
    assert_eq!(q(&qp, "state"), Some(state.as_str()));
}

async fn code_with(app: &esia_testkit::TestApp, extra: &[(&str, &str)]) -> String {
    let client = app.new_client();
    let p = v2_ac_params("openid", &new_state(), &timestamp(0), extra, own_sign);
    let first = ac(app, &client, "/aas/oauth2/v2/ac", &p).await;
    let cb = browse_to_callback(app, &client, first, "EsiaTest003@yandex.ru").await;
    q(&query_of(&cb), "code").expect("code").to_string()
}

#[tokio::test]
async fn te_errors_are_400_json_with_the_token_request_state() {
    let app = spawn_app().await;
    let code = code_with(&app, &[]).await;
    let st = new_state();
    let good = v3_code_params(&code, "openid", &st, &timestamp(0), own_sign);
    let no_grant: Vec<_> = good
        .iter()
        .filter(|(k, _)| k != "grant_type")
        .cloned()
        .collect();
    let (s, b) = te(&app, "/aas/oauth2/v3/te", &no_grant).await;
    assert_eq!(s, 400);
    assert!(b["error_description"]
        .as_str()
        .unwrap()
        .starts_with("ESIA-007014"));
    assert_eq!(b["state"], st.as_str());
    let (s, b) = te(
        &app,
        "/aas/oauth2/v3/te",
        &with(&good, "grant_type", "password"),
    )
    .await;
    assert_eq!(
        (s, b["error"].as_str()),
        (400, Some("unsupported_grant_type"))
    );
    let (s, b) = te(
        &app,
        "/aas/oauth2/v3/te",
        &with(&good, "client_secret", &own_sign("x")),
    )
    .await;
    assert_eq!(s, 400);
    assert!(b["error_description"]
        .as_str()
        .unwrap()
        .starts_with("ESIA-007053"));
    // The code survived the failures above; PKCE was not used on ac: a verifier is 007039.
    let (s, b) = te(
        &app,
        "/aas/oauth2/v3/te",
        &with(&good, "code_verifier", "abc"),
    )
    .await;
    assert_eq!(s, 400);
    assert!(
        b["error_description"]
            .as_str()
            .unwrap()
            .starts_with("ESIA-007039"),
        "{b}"
    );
}

#[tokio::test]
async fn pkce_s256_checks_the_verifier_and_basic_auth_works() {
    let app = spawn_app().await;
    let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(esia_crypto::sha256(verifier.as_bytes()));
    let extra = [
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    let code = code_with(&app, &extra).await;
    let st = new_state();
    let good = v3_code_params(&code, "openid", &st, &timestamp(0), own_sign);
    let (s, b) = te(
        &app,
        "/aas/oauth2/v3/te",
        &with(&good, "code_verifier", "wrong-verifier"),
    )
    .await;
    assert_eq!(s, 400);
    assert!(
        b["error_description"]
            .as_str()
            .unwrap()
            .starts_with("ESIA-007040"),
        "{b}"
    );

    let code = code_with(&app, &extra).await;
    let st = new_state();
    let mut p = v3_code_params(&code, "openid", &st, &timestamp(0), own_sign);
    let secret = q(&p, "client_secret").unwrap().to_string();
    p.retain(|(k, _)| k != "client_id" && k != "client_secret");
    p.push(("code_verifier".into(), verifier.into()));
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT}:{secret}"));
    let resp = app
        .client
        .post(app.url("/aas/oauth2/v3/te"))
        .header("authorization", format!("Basic {basic}"))
        .form(&p)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["state"], st.as_str());
    assert!(body["id_token"].is_string());
}

#[tokio::test]
async fn lenient_clients_accept_a_sha256_certificate_hash_strict_ones_do_not() {
    let app = spawn_app().await;
    let der = esia_crypto::cert::ParsedCert::from_pem_or_der(GOST_CERT.as_bytes())
        .unwrap()
        .der;
    let sha = hex_upper(&esia_crypto::sha256(&der));
    let resp = app
        .client
        .post(app.url("/emulator/api/clients"))
        .json(&serde_json::json!({
            "mnemonic": "LENIENT_IS", "name": "Мягкая", "redirect_uris": ["http://localhost"],
            "mode": "lenient", "certificates": [GOST_CERT]
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let state = new_state();
    let ts = timestamp(0);
    let strict = with(
        &v2_ac_params("openid", &state, &ts, &[], own_sign),
        "client_certificate_hash",
        &sha,
    );
    let (_, d, _) = err_of(&ac(&app, &app.client, "/aas/oauth2/v2/ac", &strict).await);
    assert!(d.starts_with("ESIA-007053"), "{d}");
    let msg = format!("LENIENT_ISopenid{ts}{state}{REDIRECT}");
    let lenient = with(
        &with(&strict, "client_id", "LENIENT_IS"),
        "client_secret",
        &own_sign(&msg),
    );
    let resp = ac(&app, &app.client, "/aas/oauth2/v2/ac", &lenient).await;
    assert!(
        location(&resp).contains("/login?return_to="),
        "{}",
        location(&resp)
    );
}

#[tokio::test]
async fn client_credentials_gives_an_access_token_with_the_requested_scope() {
    let app = spawn_app().await;
    let (st, ts) = (new_state(), timestamp(0));
    let scope = "prm_chg?oid=1000000001";
    let msg = format!("{CLIENT}{scope}{ts}{st}{REDIRECT}");
    let p: Vec<(String, String)> = [
        ("client_id", CLIENT),
        ("client_secret", &own_sign(&msg)),
        ("scope", scope),
        ("timestamp", &ts),
        ("state", &st),
        ("redirect_uri", REDIRECT),
        ("client_certificate_hash", GOST_HASH),
        ("grant_type", "client_credentials"),
        ("token_type", "Bearer"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let (s, b) = te(&app, "/aas/oauth2/v3/te", &p).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(
        jwt_part(b["access_token"].as_str().unwrap(), 1)["scope"],
        scope
    );
    assert!(b.get("id_token").is_none() && b.get("refresh_token").is_none());
}

fn hex_upper(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02X}")).collect()
}
