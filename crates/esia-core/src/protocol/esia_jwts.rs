//! ESIA JWTs exactly as §5: the access token (`ver` 1, `sbt` access, `urn:esia:sbj_id`,
//! `scope` with `?oid=`, `client_id`) and the id_token (`ver` 0, `sbt` id, numeric `sub`, `aud`,
//! `amr`/`urn:esia:amd`, `auth_time`, `urn:esia:sbj`), sharing the session's `urn:esia:sid`,
//! signed with the emulator's pre-parsed keys in the client's algorithm.

use chrono::{DateTime, Utc};
use esia_crypto::jwt::JwtAlg;
use serde_json::{json, Value};

use crate::app::Core;
use crate::error::{CoreError, CoreResult};

/// Who and how: the data both tokens of one login share.
#[derive(Debug, Clone)]
pub(crate) struct Subject {
    pub oid: i64,
    pub confirmed: bool,
    pub sid: String,
    pub auth_time: DateTime<Utc>,
    pub auth_method: String,
}

/// The `scope` claim: every granted scope with `?oid=`, `openid` bare.
pub(crate) fn scope_claim(scope: &str, oid: i64) -> String {
    let refs = esia_domain::scopes::parse_scope_list(scope);
    esia_domain::scopes::format_granted_scopes(&refs, oid)
}

fn sign(
    core: &Core,
    alg: JwtAlg,
    ver: i64,
    sbt: &'static str,
    claims: &Value,
) -> CoreResult<String> {
    let token = core
        .keys
        .sign_jwt(alg, ver, sbt, claims)
        .map_err(|e| CoreError::Internal(format!("token signing: {e}")))?;
    // For `/emulator/metrics` (a no-op until a recorder is installed).
    let alg_name = match alg {
        JwtAlg::RS256 => "RS256",
        JwtAlg::GOST3410_2012_256 => "GOST3410_2012_256",
    };
    metrics::counter!("esia_tokens_issued_total", "kind" => sbt, "alg" => alg_name).increment(1);
    Ok(token)
}

pub(crate) fn access_token(
    core: &Core,
    alg: JwtAlg,
    client_id: &str,
    scope_claim: &str,
    sbj: Option<&Subject>,
    now: DateTime<Utc>,
) -> CoreResult<String> {
    let iat = now.timestamp();
    let mut claims = json!({
        "nbf": iat,
        "scope": scope_claim,
        "iss": core.config.protocol.issuer,
        "exp": iat + core.config.protocol.access_token_ttl_secs as i64,
        "iat": iat,
        "client_id": client_id,
    });
    if let Some(s) = sbj {
        claims["urn:esia:sid"] = json!(s.sid);
        claims["urn:esia:sbj_id"] = json!(s.oid);
    }
    sign(core, alg, 1, "access", &claims)
}

pub(crate) fn id_token(
    core: &Core,
    alg: JwtAlg,
    client_id: &str,
    s: &Subject,
    now: DateTime<Utc>,
) -> CoreResult<String> {
    let iat = now.timestamp();
    let mut sbj = json!({
        "urn:esia:sbj:typ": "P",
        "urn:esia:sbj:oid": s.oid,
        "urn:esia:sbj:nam": format!("OID.{}", s.oid),
    });
    if s.confirmed {
        sbj["urn:esia:sbj:is_tru"] = json!(true);
    }
    let claims = json!({
        "aud": client_id,
        "sub": s.oid,
        "nbf": iat,
        "amr": s.auth_method,
        "urn:esia:amd": s.auth_method,
        "auth_time": s.auth_time.timestamp(),
        "iss": core.config.protocol.issuer,
        "urn:esia:sid": s.sid,
        "urn:esia:sbj": sbj,
        "exp": iat + core.config.protocol.id_token_ttl_secs as i64,
        "iat": iat,
    });
    sign(core, alg, 0, "id", &claims)
}

#[cfg(test)]
mod tests {
    #[test]
    fn scope_claim_adds_oid_except_openid() {
        assert_eq!(
            super::scope_claim("openid fullname", 1000000001),
            "openid fullname?oid=1000000001"
        );
    }
}
