//! Bearer access tokens on `/rs` (esia-protocol §5.2, §7.7): the `Authorization` header is parsed
//! (scheme case-insensitive), the JWT verified with the emulator's pre-parsed keys, `sbt`, `iss`,
//! `exp` and `nbf` checked against the injected clock, and the `scope` claim turned into an
//! [`AccessGrant`]. This runs on every `/rs` request and must stay cheap: verified tokens are
//! cached (see `cache.rs`), and only the revocation check touches the database.

use std::sync::Arc;

use esia_domain::scopes::parse_scope_list;
use serde_json::Value;

use super::cache::{TokenLogin, VerifiedToken};
use super::RestError;
use crate::app::Core;

/// What a valid access token grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessGrant {
    /// `urn:esia:sbj_id`; absent on organisation (client_credentials) tokens.
    pub subject_oid: Option<i64>,
    /// `client_id` of the system the token was issued to (internal id, safe to log).
    pub client_id: String,
    /// Granted person scopes (base names) with the `?oid=` they carried (`None` for `openid`).
    pub person_scopes: Vec<(String, Option<i64>)>,
    /// Granted organisation scopes (base names) with their `org_oid`.
    pub org_scopes: Vec<(String, i64)>,
}

impl AccessGrant {
    /// Base names of the person scopes that apply to person `oid` (a scope bound to another oid
    /// does not count; an unbound one does).
    pub fn scopes_for(&self, oid: i64) -> Vec<&str> {
        self.person_scopes
            .iter()
            .filter(|(_, bound)| bound.is_none_or(|b| b == oid))
            .map(|(n, _)| n.as_str())
            .collect()
    }

    /// Organisation scope names granted for organisation `org_oid`.
    pub fn org_scopes_for(&self, org_oid: i64) -> Vec<&str> {
        self.org_scopes
            .iter()
            .filter(|(_, o)| *o == org_oid)
            .map(|(n, _)| n.as_str())
            .collect()
    }
}

/// The token out of an `Authorization` header value (`Bearer`, any case).
pub fn bearer_token(header: Option<&str>) -> Option<&str> {
    let h = header?.trim();
    let (scheme, token) = h.split_once(char::is_whitespace)?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
        .filter(|t| !t.is_empty())
}

fn int_claim(claims: &Value, name: &str) -> Option<i64> {
    match claims.get(name)? {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Checks the signature, `sbt` and `iss` of a token and reads its claims; a token seen
/// before is found by its SHA-256 instead (skipping the signature check, ~20 µs).
fn verified_token(core: &Core, token: &str) -> Result<Arc<VerifiedToken>, RestError> {
    let hash = esia_crypto::hash::sha256(token.as_bytes());
    if let Some(t) = core
        .locals
        .get::<crate::person::cache::RestCache>()
        .token(&hash)
    {
        return Ok(t);
    }
    let (header, claims) = core.keys.verify_jwt(token).map_err(|e| {
        tracing::debug!(reason = %e, "rs: token refused");
        RestError::InvalidToken
    })?;
    if header.sbt != "access" {
        return Err(RestError::InvalidToken);
    }
    if claims.get("iss").and_then(Value::as_str) != Some(core.config.protocol.issuer.as_str()) {
        return Err(RestError::InvalidToken);
    }
    let exp = int_claim(&claims, "exp").ok_or(RestError::InvalidToken)?;
    let login = match (
        claims.get("urn:esia:sid").and_then(Value::as_str),
        claims.get("client_id").and_then(Value::as_str),
        int_claim(&claims, "iat").and_then(|t| chrono::DateTime::from_timestamp(t, 0)),
    ) {
        (Some(sid), Some(client), Some(iat)) => Some(TokenLogin {
            client_id: client.to_string(),
            sid: sid.to_string(),
            issued_at: iat.naive_utc(),
        }),
        _ => None,
    };
    let subject_oid = match claims.get("urn:esia:sbj_id") {
        None | Some(Value::Null) => None,
        Some(_) => Some(int_claim(&claims, "urn:esia:sbj_id").ok_or(RestError::InvalidToken)?),
    };
    let scope = claims.get("scope").and_then(Value::as_str).unwrap_or("");
    let mut person_scopes = Vec::new();
    let mut org_scopes = Vec::new();
    for s in parse_scope_list(scope) {
        match s.org_oid.as_deref().map(str::parse::<i64>) {
            Some(Ok(org)) => org_scopes.push((s.name, org)),
            Some(Err(_)) => {}
            None => {
                let bound = s.oid.as_deref().and_then(|o| o.parse().ok());
                person_scopes.push((s.name, bound));
            }
        }
    }
    let client_id = match claims.get("client_id") {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let t = Arc::new(VerifiedToken {
        grant: AccessGrant {
            subject_oid,
            client_id,
            person_scopes,
            org_scopes,
        },
        exp,
        nbf: int_claim(&claims, "nbf"),
        login,
    });
    core.locals
        .get::<crate::person::cache::RestCache>()
        .put_token(hash, t.clone());
    Ok(t)
}

/// Validates the `Authorization` header of a `/rs` request except for the revocation
/// check (no database): returns the grant and the login whose revocation the caller must
/// still check. Private to `person` on purpose: outside it only [`rest_grant`](crate::person::bearer::rest_grant) and
/// [`rs_person`](crate::person::rest::rs_person) hand out a grant, and both check revocation themselves.
pub(super) fn rest_grant_unchecked(
    core: &Core,
    authorization: Option<&str>,
) -> Result<(AccessGrant, Option<TokenLogin>), RestError> {
    let token = bearer_token(authorization).ok_or(RestError::InvalidToken)?;
    let t = verified_token(core, token)?;
    usable_now(core, &t)
}

/// `rest_grant_unchecked` when it needs no work: `None` when the token was not verified
/// before (its signature check belongs on a blocking thread), else the same answer
/// (revocation unchecked, hence private like it).
pub(super) fn rest_grant_cached(
    core: &Core,
    authorization: Option<&str>,
) -> Option<Result<(AccessGrant, Option<TokenLogin>), RestError>> {
    let Some(token) = bearer_token(authorization) else {
        return Some(Err(RestError::InvalidToken));
    };
    let t = core
        .locals
        .get::<crate::person::cache::RestCache>()
        .token(&esia_crypto::hash::sha256(token.as_bytes()))?;
    Some(usable_now(core, &t))
}

/// The grant of a verified token, unless it expired or is not valid yet by the clock.
fn usable_now(
    core: &Core,
    t: &VerifiedToken,
) -> Result<(AccessGrant, Option<TokenLogin>), RestError> {
    let now = core.now().timestamp();
    if now >= t.exp {
        return Err(RestError::ExpiredToken);
    }
    if t.nbf.is_some_and(|nbf| now < nbf) {
        return Err(RestError::InvalidToken);
    }
    Ok((t.grant.clone(), t.login.clone()))
}

/// The revocation key of every token a system holds for a person: a withdrawn consent
/// (`protocol::consents`) revokes under it, beside the login's `sid` a replayed code uses.
pub fn person_revocation_key(oid: i64) -> String {
    format!("person:{oid}")
}

/// A replayed authorization code revokes the tokens of its login (ESIA-007011 path); a
/// withdrawn consent those of the person for the system.
fn check_revocation(
    core: &Core,
    grant: &AccessGrant,
    login: Option<&TokenLogin>,
) -> Result<(), RestError> {
    let Some(l) = login else {
        return Ok(());
    };
    let person_key = grant.subject_oid.map(person_revocation_key);
    let mut keys = vec![l.sid.as_str()];
    keys.extend(person_key.as_deref());
    let mut conn = core.conn()?;
    if esia_store::grants::access_revoked(&mut conn, &l.client_id, &keys, l.issued_at)? {
        return Err(RestError::InvalidToken);
    }
    Ok(())
}

/// Validates the `Authorization` header of a `/rs` request, revocation included.
pub fn rest_grant(core: &Core, authorization: Option<&str>) -> Result<AccessGrant, RestError> {
    let (grant, login) = rest_grant_unchecked(core, authorization)?;
    check_revocation(core, &grant, login.as_ref())?;
    Ok(grant)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_scheme_is_case_insensitive() {
        assert_eq!(bearer_token(Some("Bearer abc")), Some("abc"));
        assert_eq!(bearer_token(Some("bearer  abc ")), Some("abc"));
        assert_eq!(bearer_token(Some("BEARER abc")), Some("abc"));
        assert_eq!(bearer_token(Some("Basic abc")), None);
        assert_eq!(bearer_token(Some("Bearer")), None);
        assert_eq!(bearer_token(None), None);
    }

    #[test]
    fn scopes_bound_to_another_oid_do_not_count() {
        let g = AccessGrant {
            subject_oid: Some(1),
            client_id: "c".into(),
            person_scopes: vec![
                ("openid".into(), None),
                ("fullname".into(), Some(1)),
                ("email".into(), Some(2)),
            ],
            org_scopes: vec![],
        };
        assert_eq!(g.scopes_for(1), vec!["openid", "fullname"]);
    }
}
