//! A fault rule as data: its effect, the surface (protocol endpoint family) it applies to, the
//! spec QA sends and the stored rule with its matching of a request. Below the rule use cases
//! (`faults`), the shared snapshot (`sync`) and the firing (`fire`); stores nothing itself.

use std::str::FromStr;

use esia_core::protocol::Family;
use esia_domain::esia_error::EsiaErrorCode;
use esia_store::control::FaultRuleRow;
use serde::{Deserialize, Serialize};

/// Default hold of a `timeout` fault, in seconds.
pub const DEFAULT_TIMEOUT_SECS: u64 = 120;

/// What a matching request gets instead of (or on top of) its normal answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum FaultEffect {
    /// An ESIA error on the endpoint's own channel (`ac` redirect or page, `te` 400 JSON,
    /// `/rs` `{code, message}`).
    EsiaError {
        /// `ESIA-007008` (or `007008`).
        code: String,
    },
    /// A bare HTTP status as a proxy would answer (400–599).
    HttpStatus {
        status: u16,
        /// `html` (default, an nginx-style page) or `empty`.
        #[serde(default)]
        body: Option<String>,
    },
    /// Added delay, then the normal answer.
    Latency { latency_ms: u64 },
    /// Holds the request without answering for `timeout_secs` (default 120), then 504.
    Timeout {
        #[serde(default)]
        timeout_secs: Option<u64>,
    },
    /// 200 with the normal body cut short (invalid JSON).
    MalformedBody,
    /// `te`: the issued tokens are already expired.
    TokenExpired,
    /// `te`: the issued tokens have `nbf`/`iat` an hour ahead.
    TokenNotYetValid,
    /// `te`: the tokens' signatures are broken.
    TokenBadSignature,
    /// `te`: the tokens carry a foreign `iss`.
    TokenWrongIss,
    /// `te`: `aud` (id token) and `client_id` (access token) name another system.
    TokenWrongAud,
    /// `te`: the header `alg` differs from the algorithm that signed the token.
    TokenWrongAlg,
}

impl FaultEffect {
    /// The `kind` name, for the journal and logs.
    pub fn kind(&self) -> &'static str {
        match self {
            FaultEffect::EsiaError { .. } => "esia_error",
            FaultEffect::HttpStatus { .. } => "http_status",
            FaultEffect::Latency { .. } => "latency",
            FaultEffect::Timeout { .. } => "timeout",
            FaultEffect::MalformedBody => "malformed_body",
            FaultEffect::TokenExpired => "token_expired",
            FaultEffect::TokenNotYetValid => "token_not_yet_valid",
            FaultEffect::TokenBadSignature => "token_bad_signature",
            FaultEffect::TokenWrongIss => "token_wrong_iss",
            FaultEffect::TokenWrongAud => "token_wrong_aud",
            FaultEffect::TokenWrongAlg => "token_wrong_alg",
        }
    }

    /// Token faults change what `te` issues; they only apply there.
    pub fn is_token_fault(&self) -> bool {
        self.kind().starts_with("token_")
    }

    /// The ESIA code of an `esia_error` effect (validated on creation).
    pub fn esia_code(&self) -> Option<EsiaErrorCode> {
        match self {
            FaultEffect::EsiaError { code } => parse_code(code),
            _ => None,
        }
    }
}

pub(crate) fn parse_code(code: &str) -> Option<EsiaErrorCode> {
    let full = if code.starts_with("ESIA-") {
        code.to_string()
    } else {
        format!("ESIA-{code}")
    };
    EsiaErrorCode::from_str(&full).ok()
}

/// A protocol surface faults can target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    Ac,
    Te,
    Rs,
    Userinfo,
    Logout,
    Public,
    Jwks,
    Discovery,
}

impl Surface {
    pub fn name(self) -> &'static str {
        match self {
            Surface::Ac => "ac",
            Surface::Te => "te",
            Surface::Rs => "rs",
            Surface::Userinfo => "userinfo",
            Surface::Logout => "logout",
            Surface::Public => "public",
            Surface::Jwks => "jwks",
            Surface::Discovery => "openid-configuration",
        }
    }

    pub(crate) const ALL: [Surface; 8] = [
        Surface::Ac,
        Surface::Te,
        Surface::Rs,
        Surface::Userinfo,
        Surface::Logout,
        Surface::Public,
        Surface::Jwks,
        Surface::Discovery,
    ];

    /// The surface of a request path; None for everything faults never touch (pages, the QA
    /// API, probes), so a fault can never lock QA out of deleting it.
    /// The path is the decoded one the router matched, looked up in the core's endpoint table.
    pub fn of_path(path: &str) -> Option<Surface> {
        esia_core::protocol::endpoints::family_of(path).and_then(Surface::of_family)
    }

    /// The surface of a protocol family; the `ac` flow's own pages (continue, consent, role)
    /// have none: a fault fires on `ac` itself.
    pub fn of_family(family: Family) -> Option<Surface> {
        Some(match family {
            Family::Ac => Surface::Ac,
            Family::Te => Surface::Te,
            Family::Logout => Surface::Logout,
            Family::Rs => Surface::Rs,
            Family::Userinfo => Surface::Userinfo,
            Family::Public => Surface::Public,
            Family::Jwks => Surface::Jwks,
            Family::Discovery => Surface::Discovery,
            Family::AcFlow => return None,
        })
    }
}

/// `POST /emulator/api/faults`.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FaultSpec {
    /// `ac`, `te`, `rs`, `userinfo`, `logout`, `public`, `jwks`, `openid-configuration` or a
    /// protocol path; omitted = every protocol endpoint (`te` for token faults).
    #[serde(default)]
    pub endpoint: Option<String>,
    /// Only requests of this client system (mnemonic).
    #[serde(default)]
    pub client_id: Option<String>,
    /// Only requests of this person (oid): the session at `ac`, the code or refresh token at
    /// `te`, the token at `/rs`.
    #[serde(default)]
    pub persona_oid: Option<i64>,
    /// The next N matching requests; omitted = until deleted.
    #[serde(default)]
    pub times: Option<i64>,
    pub effect: FaultEffect,
}

/// A stored rule, as the API shows it and the snapshot keeps it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FaultRule {
    pub id: String,
    pub endpoint: Option<String>,
    pub client_id: Option<String>,
    pub persona_oid: Option<i64>,
    /// Firings left; null = until deleted.
    pub remaining: Option<i64>,
    /// How many times it fired.
    pub fired: i64,
    /// False once `remaining` reached 0.
    pub active: bool,
    pub effect: FaultEffect,
    pub created_at: String,
}

impl FaultRule {
    pub(crate) fn from_row(row: FaultRuleRow) -> Option<FaultRule> {
        let effect = match serde_json::from_str(&row.effect) {
            Ok(e) => e,
            Err(e) => {
                tracing::warn!(fault.id = %row.id, error = %e, "unreadable fault rule skipped");
                return None;
            }
        };
        Some(FaultRule {
            active: row.remaining.is_none_or(|n| n > 0),
            id: row.id,
            endpoint: row.endpoint,
            client_id: row.client_id,
            persona_oid: row.persona_oid,
            remaining: row.remaining,
            fired: row.fired,
            effect,
            created_at: row.created_at.and_utc().to_rfc3339(),
        })
    }

    /// Whether the rule targets a request at `path` (endpoint only; client and persona are
    /// checked when firing).
    pub fn targets(&self, surface: Surface, path: &str) -> bool {
        if self.effect.is_token_fault() && surface != Surface::Te {
            return false;
        }
        match self.endpoint.as_deref() {
            None => true,
            Some(e) if e.starts_with('/') => path == e || path.starts_with(&format!("{e}/")),
            Some(e) => e == surface.name(),
        }
    }
}
