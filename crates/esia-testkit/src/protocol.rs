//! The client side of the ESIA protocol as the tests drive it: the demo client `DEMO_IS` and its
//! test-only keys, our own GOST signer for the always-on fast path (OpenSSL interop is in
//! [`crate::openssl`]), `v2/ac` and `v3/te` parameters, the browser side of the `ac` flow (login,
//! consent, callback) over plain HTTP, and JWT checks against the published JWKS. It asserts only
//! what every flow needs (statuses of the hops, JSON content type); each test judges the answers.

use crate::spawn::{extract_csrf, location};
use crate::TestApp;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

pub const CLIENT: &str = "DEMO_IS";
pub const REDIRECT: &str = "http://localhost:8000/callback";
pub const GOST_KEY: &str = include_str!("../../../keys/demo-client/demo-is-gost.key");
pub const GOST_CERT: &str = include_str!("../../../keys/demo-client/demo-is-gost.pem");
pub const RSA_KEY: &str = include_str!("../../../keys/demo-client/demo-is-rsa.key");
pub const RSA_CERT: &str = include_str!("../../../keys/demo-client/demo-is-rsa.pem");
pub const GOST_HASH: &str = "0819BD49D5E6E382FA83A8F760406B122354A5EDD143FE3CCFD79714AC8C695D";

/// `yyyy.MM.dd HH:mm:ss +0000` for now (shifted by `offset_secs`).
pub fn timestamp(offset_secs: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::seconds(offset_secs))
        .format("%Y.%m.%d %H:%M:%S %z")
        .to_string()
}

pub fn new_state() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A raw v2/v3 secret made by our own GOST code (the fast path; OpenSSL tests cover interop).
pub fn own_sign(message: &str) -> String {
    let esia_crypto::keys::PrivateKey::Gost(key) =
        esia_crypto::keys::load_private_key_pem(GOST_KEY).expect("demo key")
    else {
        panic!("demo GOST key is not GOST");
    };
    URL_SAFE_NO_PAD.encode(key.sign_message(message.as_bytes()))
}

/// v2/ac parameters signed by `sign` over `client_id+scope+scope_org+timestamp+state+redirect_uri`.
pub fn v2_ac_params(
    scope: &str,
    state: &str,
    ts: &str,
    extra: &[(&str, &str)],
    sign: impl Fn(&str) -> String,
) -> Vec<(String, String)> {
    let scope_org = extra
        .iter()
        .find(|(k, _)| *k == "scope_org")
        .map(|(_, v)| *v)
        .unwrap_or("");
    let msg = format!("{CLIENT}{scope}{scope_org}{ts}{state}{REDIRECT}");
    let mut p: Vec<(String, String)> = vec![
        ("client_id".into(), CLIENT.into()),
        ("client_secret".into(), sign(&msg)),
        ("client_certificate_hash".into(), GOST_HASH.into()),
        ("redirect_uri".into(), REDIRECT.into()),
        ("scope".into(), scope.into()),
        ("response_type".into(), "code".into()),
        ("state".into(), state.into()),
        ("timestamp".into(), ts.into()),
        ("access_type".into(), "offline".into()),
    ];
    for (k, v) in extra {
        p.retain(|(pk, _)| pk != k);
        p.push((k.to_string(), v.to_string()));
    }
    p
}

/// The query of a URL as pairs.
pub fn query_of(url: &str) -> Vec<(String, String)> {
    url::Url::parse(url)
        .map(|u| u.query_pairs().into_owned().collect())
        .unwrap_or_default()
}

pub fn q<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// GET an `ac` URL with `client`; returns the response.
pub async fn ac(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    params: &[(String, String)],
) -> reqwest::Response {
    client
        .get(app.url(path))
        .query(params)
        .send()
        .await
        .expect("ac")
}

/// Follows an `ac` response in a browser until the client callback: logs in as `login` when
/// the login page comes, grants consent when asked. Returns the callback URL.
pub async fn browse_to_callback(
    app: &TestApp,
    client: &reqwest::Client,
    first: reqwest::Response,
    login: &str,
) -> String {
    let mut resp = first;
    for _ in 0..8 {
        if resp.status().as_u16() == 200 {
            let html = resp.text().await.expect("page");
            resp = grant_consent(app, client, &html).await;
            continue;
        }
        match follow_redirect(app, client, &resp, login).await {
            Hop::Next(next) => resp = next,
            Hop::Callback(to) => return to,
        }
    }
    panic!("no callback reached");
}

/// Where one redirect of an `ac` flow leads.
pub enum Hop {
    /// The emulator's answer to the next request.
    Next(reqwest::Response),
    /// The flow left the emulator: the client's callback URL.
    Callback(String),
}

/// Follows the redirect `resp` (302 or 303) of an `ac` flow as a browser would, logging in as
/// `login` with the demo password when it leads to the login page.
pub async fn follow_redirect(
    app: &TestApp,
    client: &reqwest::Client,
    resp: &reqwest::Response,
    login: &str,
) -> Hop {
    let status = resp.status().as_u16();
    assert!(matches!(status, 302 | 303), "status {status}");
    let to = location(resp);
    if to.starts_with(REDIRECT) || !to.starts_with(&app.address) && !to.starts_with('/') {
        return Hop::Callback(to);
    }
    let abs = if to.starts_with('/') {
        app.url(&to)
    } else {
        to.clone()
    };
    if !abs.contains("/login?") {
        return Hop::Next(client.get(&abs).send().await.expect("follow"));
    }
    let page = client.get(&abs).send().await.expect("login page");
    let html = page.text().await.expect("login html");
    let csrf = extract_csrf(&html).expect("csrf");
    let return_to = q(&query_of(&abs), "return_to").unwrap_or("").to_string();
    let resp = client
        .post(app.url("/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("login", login),
            ("password", "11111111"),
            ("return_to", &return_to),
        ])
        .send()
        .await
        .expect("login");
    Hop::Next(resp)
}

/// Posts «Предоставить» on the consent page `html` (asserting it is that page).
pub async fn grant_consent(
    app: &TestApp,
    client: &reqwest::Client,
    html: &str,
) -> reqwest::Response {
    assert!(
        html.contains("id=\"grantAuthorization\""),
        "unexpected page: {html}"
    );
    assert!(html.contains("Предоставление прав доступа"));
    let csrf = extract_csrf(html).expect("csrf");
    let request = between(html, "name=\"request\" value=\"", "\"");
    client
        .post(app.url("/aas/oauth2/consent"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("request", &request),
            ("decision", "grant"),
        ])
        .send()
        .await
        .expect("consent")
}

pub fn between(s: &str, start: &str, end: &str) -> String {
    let i = s.find(start).map(|i| i + start.len()).unwrap_or(0);
    let j = s[i..].find(end).map(|j| j + i).unwrap_or(s.len());
    s[i..j].to_string()
}

/// v3/te `authorization_code` parameters signed by `sign`.
pub fn v3_code_params(
    code: &str,
    scope: &str,
    state: &str,
    ts: &str,
    sign: impl Fn(&str) -> String,
) -> Vec<(String, String)> {
    let msg = format!("{CLIENT}{scope}{ts}{state}{REDIRECT}{code}");
    vec![
        ("client_id".into(), CLIENT.into()),
        ("code".into(), code.into()),
        ("grant_type".into(), "authorization_code".into()),
        ("client_certificate_hash".into(), GOST_HASH.into()),
        ("client_secret".into(), sign(&msg)),
        ("state".into(), state.into()),
        ("redirect_uri".into(), REDIRECT.into()),
        ("scope".into(), scope.into()),
        ("timestamp".into(), ts.into()),
        ("token_type".into(), "Bearer".into()),
    ]
}

pub async fn te(
    app: &TestApp,
    path: &str,
    params: &[(String, String)],
) -> (u16, serde_json::Value) {
    let resp = app
        .client
        .post(app.url(path))
        .form(params)
        .send()
        .await
        .expect("te");
    let status = resp.status().as_u16();
    let ct = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(ct.starts_with("application/json"), "content-type {ct}");
    (status, resp.json().await.expect("te json"))
}

/// Decodes a JWT part.
pub fn jwt_part(token: &str, i: usize) -> serde_json::Value {
    let part = token.split('.').nth(i).expect("jwt part");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).expect("b64")).expect("json")
}

/// Verifies an RS256 JWT with the emulator's published JWKS (aws-lc-rs, not our code).
pub async fn verify_rs256(app: &TestApp, token: &str) {
    let jwks: serde_json::Value = app
        .get("/.well-known/jwks.json")
        .await
        .json()
        .await
        .expect("jwks");
    let k = &jwks["keys"][0];
    let n = URL_SAFE_NO_PAD
        .decode(k["n"].as_str().expect("n"))
        .expect("n b64");
    let e = URL_SAFE_NO_PAD
        .decode(k["e"].as_str().expect("e"))
        .expect("e b64");
    let (signed, sig) = token.rsplit_once('.').expect("jws");
    let sig = URL_SAFE_NO_PAD.decode(sig).expect("sig b64");
    aws_lc_rs::signature::RsaPublicKeyComponents { n: &n, e: &e }
        .verify(
            &aws_lc_rs::signature::RSA_PKCS1_2048_8192_SHA256,
            signed.as_bytes(),
            &sig,
        )
        .expect("RS256 signature verifies with the published key");
}
