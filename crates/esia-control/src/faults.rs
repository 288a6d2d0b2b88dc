//! Fault rules (`/emulator/api/faults`): what QA asks for — a scope (endpoint, client, persona),
//! how many matching requests (`times`, or until deleted) and one effect — validated, stored in
//! `fault_rules` and listed. Matching and firing are in `fire`, token tampering in `tamper`.
//! Endpoint names: `ac`, `te` (every version), `rs`, `userinfo`, `logout`, `public`, `jwks`,
//! `openid-configuration`, or an exact protocol path as the journal shows it
//! (`/aas/oauth2/v2/ac`); omitted = every protocol endpoint.

use std::str::FromStr;

use chrono::Utc;
use esia_domain::esia_error::EsiaErrorCode;
use esia_domain::ValidationError;
use esia_store::control::FaultRuleRow;
use esia_store::write_transaction;
use serde::{Deserialize, Serialize};

use crate::Control;
use esia_core::app::new_id;
use esia_core::error::{CoreError, CoreResult, FieldError};

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

fn parse_code(code: &str) -> Option<EsiaErrorCode> {
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

    const ALL: [Surface; 8] = [
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
    pub fn of_path(path: &str) -> Option<Surface> {
        match path {
            "/aas/oauth2/ac" | "/aas/oauth2/v2/ac" => Some(Surface::Ac),
            "/aas/oauth2/te" | "/aas/oauth2/v3/te" => Some(Surface::Te),
            "/idp/ext/Logout" => Some(Surface::Logout),
            "/.well-known/jwks.json" => Some(Surface::Jwks),
            "/.well-known/openid-configuration" => Some(Surface::Discovery),
            esia_core::person::userinfo::USERINFO_PATH => Some(Surface::Userinfo),
            p if p.starts_with("/rs/") => Some(Surface::Rs),
            p if p.starts_with("/public/") => Some(Surface::Public),
            _ => None,
        }
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

fn bad(field: &'static str, code: &'static str, msg: impl Into<String>) -> FieldError {
    FieldError::new(field, ValidationError::new(code, msg))
}

/// Checks the effect's own values.
fn check_effect(effect: &FaultEffect, errors: &mut Vec<FieldError>) {
    match effect {
        FaultEffect::EsiaError { code } if parse_code(code).is_none() => errors.push(bad(
            "effect.code",
            "esia_code_unknown",
            format!("not an ESIA code of the catalogue: {code}"),
        )),
        FaultEffect::HttpStatus { status, body } => {
            if !(400..=599).contains(status) {
                errors.push(bad("effect.status", "status_invalid", "400–599"));
            }
            if !matches!(body.as_deref(), None | Some("html") | Some("empty")) {
                errors.push(bad("effect.body", "body_invalid", "html or empty"));
            }
        }
        FaultEffect::Latency { latency_ms } if *latency_ms == 0 || *latency_ms > 600_000 => {
            errors.push(bad("effect.latency_ms", "latency_invalid", "1–600000 ms"))
        }
        FaultEffect::Timeout {
            timeout_secs: Some(s),
        } if *s == 0 || *s > 3600 => {
            errors.push(bad("effect.timeout_secs", "timeout_invalid", "1–3600 s"))
        }
        _ => {}
    }
}

/// Validates and stores a rule; the snapshot of this process is refreshed at once.
pub fn add_fault(ctl: &Control, spec: &FaultSpec) -> CoreResult<FaultRule> {
    let mut errors = Vec::new();
    check_effect(&spec.effect, &mut errors);
    let mut endpoint = spec.endpoint.as_ref().map(|e| e.trim().to_string());
    if let Some(e) = &endpoint {
        let known = if e.starts_with('/') {
            Surface::of_path(e).is_some() || e == "/rs" || e == "/public"
        } else {
            Surface::ALL.iter().any(|s| s.name() == e)
        };
        if !known {
            errors.push(bad(
                "endpoint",
                "endpoint_unknown",
                "ac, te, rs, userinfo, logout, public, jwks, openid-configuration or a protocol path",
            ));
        } else if spec.effect.is_token_fault()
            && e != "te"
            && Surface::of_path(e) != Some(Surface::Te)
        {
            errors.push(bad(
                "endpoint",
                "token_fault_needs_te",
                "token faults change what te issues: endpoint te (or omit it)",
            ));
        }
    } else if spec.effect.is_token_fault() {
        endpoint = Some("te".into());
    }
    if spec.times.is_some_and(|n| n < 1) {
        errors.push(bad(
            "times",
            "times_invalid",
            "at least 1 (omit for until deleted)",
        ));
    }
    let mut conn = ctl.idp.conn()?;
    if let Some(c) = &spec.client_id {
        if esia_store::clients::find_client(&mut conn, c)?.is_none() {
            errors.push(bad("client_id", "client_unknown", "no such client system"));
        }
    }
    if let Some(oid) = spec.persona_oid {
        if esia_store::persons::find_person_by_oid(&mut conn, oid)?.is_none() {
            errors.push(bad(
                "persona_oid",
                "persona_unknown",
                "no person with this oid",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(CoreError::Validation(errors));
    }
    let row = FaultRuleRow {
        id: new_id(),
        endpoint,
        client_id: spec.client_id.clone(),
        persona_oid: spec.persona_oid,
        remaining: spec.times,
        fired: 0,
        effect: serde_json::to_string(&spec.effect)
            .map_err(|e| CoreError::Internal(e.to_string()))?,
        // Real time: rule order must not depend on a shifted emulator clock.
        created_at: Utc::now().naive_utc(),
    };
    write_transaction(&mut conn, |conn| -> CoreResult<()> {
        Ok(esia_store::control::insert_fault(conn, &row)?)
    })?;
    drop(conn);
    tracing::info!(fault.id = %row.id, kind = spec.effect.kind(), "fault rule added");
    crate::sync::refresh(ctl);
    FaultRule::from_row(row).ok_or_else(|| CoreError::Internal("fault rule unreadable".into()))
}

/// Every rule, oldest first, with exhausted ones marked inactive.
pub fn list_faults(ctl: &Control) -> CoreResult<Vec<FaultRule>> {
    let mut conn = ctl.idp.conn()?;
    Ok(esia_store::control::list_faults(&mut conn)?
        .into_iter()
        .filter_map(FaultRule::from_row)
        .collect())
}

/// One rule (404 when unknown).
pub fn show_fault(ctl: &Control, id: &str) -> CoreResult<FaultRule> {
    let mut conn = ctl.idp.conn()?;
    esia_store::control::find_fault(&mut conn, id)?
        .and_then(FaultRule::from_row)
        .ok_or(CoreError::NotFound("fault rule"))
}

/// Deletes one rule (404 when unknown).
pub fn delete_fault(ctl: &Control, id: &str) -> CoreResult<()> {
    let mut conn = ctl.idp.conn()?;
    let n = write_transaction(&mut conn, |conn| -> CoreResult<usize> {
        Ok(esia_store::control::delete_fault(conn, id)?)
    })?;
    drop(conn);
    crate::sync::refresh(ctl);
    if n == 0 {
        return Err(CoreError::NotFound("fault rule"));
    }
    tracing::info!(fault.id = %id, "fault rule deleted");
    Ok(())
}

/// Deletes every rule; returns how many there were.
pub fn clear_faults(ctl: &Control) -> CoreResult<usize> {
    let mut conn = ctl.idp.conn()?;
    let n = write_transaction(&mut conn, |conn| -> CoreResult<usize> {
        Ok(esia_store::control::delete_all_faults(conn)?)
    })?;
    drop(conn);
    crate::sync::refresh(ctl);
    tracing::info!(count = n, "fault rules cleared");
    Ok(n)
}
