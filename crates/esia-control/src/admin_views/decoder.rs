//! The journal page's decoder: a pasted JWT shown as header and claims, whether the emulator's
//! own keys verify it and its times as dates; a pasted `ac`/`te` request explained by the
//! `verify-secret` use case. Stores nothing and logs nothing of what was pasted.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, Utc};
use esia_domain::ValidationError;
use serde::Serialize;
use serde_json::Value;

use crate::Control;
use esia_core::error::{CoreError, CoreResult};
use esia_core::protocol::journal::VerifySecretRequest;

/// Claims holding Unix times, shown as dates.
const TIME_CLAIMS: [&str; 4] = ["iat", "nbf", "exp", "auth_time"];

/// One time claim as a date.
#[derive(Debug, Clone, Serialize)]
pub struct TimeClaim {
    pub claim: &'static str,
    pub unix: i64,
    /// RFC 3339, UTC.
    pub at: String,
}

/// What the decoder found in a JWT.
#[derive(Debug, Clone, Serialize)]
pub struct JwtReport {
    pub header: Value,
    pub claims: Value,
    /// True when the emulator's own signing keys verify the signature.
    pub signature_ok: bool,
    /// Why verification failed (malformed, no key for the algorithm, bad signature).
    pub signature_error: Option<String>,
    pub times: Vec<TimeClaim>,
    /// `exp` compared with the emulator's clock (None without `exp`).
    pub expired: Option<bool>,
    /// The emulator's clock now, RFC 3339.
    pub now: String,
}

fn bad(field: &'static str, message: &str) -> CoreError {
    CoreError::field(field, ValidationError::new("decode_failed", message))
}

fn part(p: &str, what: &str) -> CoreResult<Value> {
    let bytes = URL_SAFE_NO_PAD
        .decode(p.trim_end_matches('='))
        .map_err(|_| bad("token", &format!("{what}: не base64url")))?;
    serde_json::from_slice(&bytes).map_err(|_| bad("token", &format!("{what}: не JSON")))
}

fn unix(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Decodes a compact JWS (`header.claims.signature`); a value that is not one is a
/// validation error on `token`.
pub fn decode_jwt(ctl: &Control, token: &str) -> CoreResult<JwtReport> {
    let token = token.trim();
    let token = token.strip_prefix("Bearer ").unwrap_or(token).trim();
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 {
        return Err(bad("token", "JWT состоит из трёх частей через точку"));
    }
    let header = part(parts[0], "заголовок")?;
    let claims = part(parts[1], "утверждения")?;
    let (signature_ok, signature_error) = match ctl.idp.keys.verify_jwt(token) {
        Ok(_) => (true, None),
        Err(e) => (false, Some(e.to_string())),
    };
    let times: Vec<TimeClaim> = TIME_CLAIMS
        .iter()
        .filter_map(|&claim| {
            let t = unix(claims.get(claim)?)?;
            let at = DateTime::<Utc>::from_timestamp(t, 0)?.to_rfc3339();
            Some(TimeClaim { claim, unix: t, at })
        })
        .collect();
    let now = ctl.idp.now();
    let expired = claims
        .get("exp")
        .and_then(unix)
        .map(|exp| now.timestamp() >= exp);
    Ok(JwtReport {
        header,
        claims,
        signature_ok,
        signature_error,
        times,
        expired,
        now: now.to_rfc3339(),
    })
}

/// Explains a pasted `ac`/`te` request: `raw` is a full URL, a query string or a form body
/// (`k=v&…`); the endpoint comes from the URL's path when `endpoint` is empty.
pub fn decode_secret_request(ctl: &Control, endpoint: &str, raw: &str) -> CoreResult<Value> {
    let raw = raw.trim();
    let (path, query) = match raw.split_once('?') {
        Some((p, q)) => (p, q),
        None if raw.contains('=') => ("", raw),
        None => {
            return Err(bad(
                "request",
                "вставьте адрес запроса или тело формы k=v&…",
            ))
        }
    };
    let endpoint = match endpoint.trim() {
        "" => path.rsplit("/aas/oauth2/").next().unwrap_or("").to_string(),
        e => e.to_string(),
    };
    let params = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    esia_core::protocol::journal::debug_verify_secret(
        &ctl.idp,
        &VerifySecretRequest { endpoint, params },
    )
}
