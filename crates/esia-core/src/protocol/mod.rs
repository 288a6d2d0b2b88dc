//! The ESIA protocol use cases (esia-protocol §2–§5, §9–§12): client systems, the authorization
//! request (`ac`, v1 and v2) with login/SSO and consent, the token endpoint (`te`, v1 and v3),
//! ESIA JWTs, logout, the published certificates and the protocol journal. Results are protocol
//! values (`ProtocolError` with an ESIA code and the state to echo); how they travel (redirect,
//! JSON, page) is the web layer's business. Secrets, codes and tokens are never logged.

pub mod ac_response;
pub mod authorize;
pub mod clients;
pub mod consent;
pub mod consents;
pub mod endpoints;
mod esia_jwts;
pub mod journal;
mod journal_behind;
pub mod journal_bounds;
mod journal_trim;
pub mod params;
pub mod public;
pub mod redirect;
pub mod request;
pub mod roles;
pub mod shortcut;
mod signing;
pub mod te_redirect;
pub mod token_endpoint;
mod token_request;

use base64::Engine as _;
use chrono::{DateTime, FixedOffset};
pub use esia_domain::esia_error::EsiaErrorCode;

pub use endpoints::{Endpoint, Family};
pub use params::Params;

use crate::error::CoreError;

/// An ESIA protocol error: the code and the `state` to echo. `detail` is for logs and the
/// journal only (never shown to the client beyond the catalogue text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtocolError {
    pub code: EsiaErrorCode,
    pub state: Option<String>,
    pub detail: String,
}

impl ProtocolError {
    pub fn new(code: EsiaErrorCode, state: Option<&str>, detail: impl Into<String>) -> Self {
        ProtocolError {
            code,
            state: state.map(str::to_string),
            detail: detail.into(),
        }
    }

    /// An unexpected internal failure (ESIA-007007), or ESIA-007008 (temporarily unavailable,
    /// 503) when the database is away; the cause is logged once here.
    pub fn internal(e: &CoreError, state: Option<&str>) -> Self {
        if e.is_unavailable() {
            tracing::warn!(error = %e, "protocol request refused: database unavailable");
            return ProtocolError::new(EsiaErrorCode::E007008, state, "database unavailable");
        }
        tracing::error!(error = %e, "protocol request failed internally");
        ProtocolError::new(EsiaErrorCode::E007007, state, "internal error")
    }
}

/// Parses an ESIA `timestamp` (`yyyy.MM.dd HH:mm:ss Z`, e.g. `2013.01.25 14:36:11 +0400`).
pub fn parse_timestamp(ts: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_str(ts.trim(), "%Y.%m.%d %H:%M:%S %z").ok()
}

/// True for a canonical (hyphenated, 36-character) UUID of any case.
pub fn is_uuid(s: &str) -> bool {
    s.len() == 36 && uuid::Uuid::try_parse(s).is_ok()
}

/// Whether `uri` is an allowed redirect for the registered URIs (see [`redirect`]).
pub fn redirect_allowed(registered: &[String], uri: &str) -> bool {
    redirect::allowed(registered, uri)
}

/// Adds query parameters to a redirect URI (keeping the ones it already has).
pub fn with_query(uri: &str, pairs: &[(&str, &str)]) -> String {
    match url::Url::parse(uri) {
        Ok(mut u) => {
            {
                let mut q = u.query_pairs_mut();
                for (k, v) in pairs {
                    q.append_pair(k, v);
                }
            }
            u.to_string()
        }
        Err(_) => uri.to_string(),
    }
}

/// The error redirect of the `ac` channel: `redirect_uri?error=…&error_description=…&state=…`.
pub fn error_redirect(redirect_uri: &str, err: &ProtocolError) -> String {
    let desc = err.code.error_description();
    let mut pairs = vec![
        ("error", err.code.oauth_error()),
        ("error_description", desc.as_str()),
    ];
    if let Some(s) = err.state.as_deref() {
        pairs.push(("state", s));
    }
    with_query(redirect_uri, &pairs)
}

/// Parses `Authorization: Basic base64(client_id:client_secret)` (RFC 6749 §2.3.1 encoding:
/// both parts form-urlencoded); None for anything else.
pub fn parse_basic_auth(header: &str) -> Option<(String, String)> {
    let b64 = header
        .strip_prefix("Basic ")
        .or_else(|| header.strip_prefix("basic "))?;
    let raw = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .ok()?;
    let text = String::from_utf8(raw).ok()?;
    let (id, secret) = text.split_once(':')?;
    let dec = |s: &str| {
        url::form_urlencoded::parse(format!("x={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    Some((dec(id), dec(secret)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_parse_in_both_offsets() {
        assert!(parse_timestamp("2013.01.25 14:36:11 +0400").is_some());
        assert!(parse_timestamp("2025.12.29 17:47:23 +0000").is_some());
        assert!(parse_timestamp("2025-12-29 17:47:23 +0000").is_none());
        assert!(parse_timestamp("").is_none());
    }
}
