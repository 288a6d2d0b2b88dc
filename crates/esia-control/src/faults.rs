//! Fault rules (`/emulator/api/faults`): what QA asks for — a scope (endpoint, client, persona),
//! how many matching requests (`times`, or until deleted) and one effect — validated, stored in
//! `fault_rules` and listed. Matching and firing are in `fire`, token tampering in `tamper`.
//! Endpoint names: `ac`, `te` (every version), `rs`, `userinfo`, `logout`, `public`, `jwks`,
//! `openid-configuration`, or an exact protocol path as the journal shows it
//! (`/aas/oauth2/v2/ac`); omitted = every protocol endpoint.

use chrono::Utc;
use esia_domain::ValidationError;
use esia_store::control::FaultRuleRow;
use esia_store::write_transaction;

use crate::fault_rule::{parse_code, FaultEffect, FaultRule, FaultSpec, Surface};
use crate::Control;
use esia_core::app::new_id;
use esia_core::error::{CoreError, CoreResult, FieldError};

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
