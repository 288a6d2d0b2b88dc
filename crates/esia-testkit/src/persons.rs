//! Helpers shared by the person-data tests: access tokens minted directly with the emulator's
//! keys using the §5.2 claims, and authorised `/rs` requests. Tokens come from the app's own
//! keys (not the protocol flow), so a `/rs` test needs no login; what `/rs` answers is the
//! test's business.

use crate::spawn::TestApp;
use esia_crypto::jwt::JwtAlg;
use serde_json::{json, Value};

/// oid of catalogue persona `EsiaTest0NN`.
pub fn oid(n: i64) -> i64 {
    1_000_000_000 + n
}

/// Every person scope the `/rs` API knows.
pub const ALL_SCOPES: &[&str] = &[
    "openid",
    "fullname",
    "birthdate",
    "gender",
    "snils",
    "inn",
    "birthplace",
    "id_doc",
    "medical_doc",
    "military_doc",
    "foreign_passport_doc",
    "drivers_licence_doc",
    "birth_cert_doc",
    "residence_doc",
    "vehicles",
    "email",
    "mobile",
    "contacts",
    "addresses",
    "usr_org",
    "kid_fullname",
    "kid_birthdate",
    "kid_gender",
    "kid_snils",
    "kid_inn",
    "kid_birth_cert_doc",
    "kid_medical_doc",
];

/// The §5.2 access-token claims for `oid` with `scopes` (each `?oid=`, `openid` bare).
pub fn claims(app: &TestApp, oid: i64, scopes: &[&str], lifetime: i64) -> Value {
    let now = app.core.now().timestamp();
    let scope = scopes
        .iter()
        .map(|s| {
            if *s == "openid" {
                s.to_string()
            } else {
                format!("{s}?oid={oid}")
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    json!({
        "nbf": now, "scope": scope, "iss": app.core.config.protocol.issuer,
        "urn:esia:sid": "fd0b5333-cceb-43e3-b567-77e2995ce2f6", "urn:esia:sbj_id": oid,
        "exp": now + lifetime, "iat": now, "client_id": "TESTSYS",
    })
}

pub fn sign(app: &TestApp, claims: &Value) -> String {
    app.core
        .keys
        .sign_jwt(JwtAlg::RS256, 1, "access", claims)
        .expect("sign")
}

pub fn token(app: &TestApp, oid: i64, scopes: &[&str]) -> String {
    sign(app, &claims(app, oid, scopes, 3600))
}

/// GET with a bearer token; returns status and JSON body.
pub async fn rs(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    let resp = app
        .client
        .get(app.url(path))
        .header("Authorization", format!("Bearer {token}"))
        .header("Accept", "application/json")
        .send()
        .await
        .expect("GET /rs");
    let status = resp.status().as_u16();
    let body = resp.json().await.unwrap_or(Value::Null);
    (status, body)
}
