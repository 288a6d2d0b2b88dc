//! Firing faults: which rules of the snapshot target a request (no database), whether the
//! request's client and persona match (the persona is looked up only when a rule names one),
//! taking one firing atomically with its journal line, and the `ac`-channel answer of an
//! `esia_error` fault. The HTTP middleware in esia-web calls these; it holds no rules itself.

use base64::Engine as _;
use esia_domain::esia_error::EsiaErrorCode;
use esia_store::control::ControlJournal;
use esia_store::{write_transaction, DbConnection};
use serde_json::{json, Value};

use super::fault_rule::{FaultEffect, FaultRule, Surface};
use crate::Control;
use esia_core::app::new_id;
use esia_core::error::CoreResult;
use esia_core::protocol::ac_response::{AcRefusal, AcResponse};
use esia_core::protocol::request::AcTarget;
use esia_core::protocol::{error_redirect, redirect_allowed, Params, ProtocolError};

/// What the middleware knows about a request that some rule targets.
#[derive(Clone, Default)]
pub struct FaultProbe {
    pub path: String,
    /// `ac`/`te` parameters (query and form body; Basic credentials merged in).
    pub params: Params,
    /// `Authorization` header on `/rs` and userinfo.
    pub authorization: Option<String>,
    /// The SSO session cookie on `ac`.
    pub session: Option<String>,
}

impl std::fmt::Debug for FaultProbe {
    // Parameters carry secrets and codes, headers carry tokens: only the path is shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FaultProbe")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// A fault that fired for a request.
#[derive(Debug, Clone)]
pub struct Fired {
    pub rule_id: String,
    pub effect: FaultEffect,
}

/// Claims of a bearer token, read without verification (only to scope faults).
fn bearer_claims(authorization: Option<&str>) -> Option<Value> {
    let token = authorization?.split_once(' ')?.1.trim();
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

fn int(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// The rules of the snapshot that target `path`; empty (and no work at all) when none.
pub fn fault_candidates(ctl: &Control, path: &str) -> Vec<FaultRule> {
    let Some(surface) = Surface::of_path(path) else {
        return Vec::new();
    };
    let snapshot = ctl.state.snapshot();
    snapshot
        .rules
        .iter()
        .filter(|r| r.targets(surface, path))
        .cloned()
        .collect()
}

/// The client a request names, cut to 64 characters (no mnemonic is longer; the journal
/// line must stay small whatever was sent).
fn probe_client(probe: &FaultProbe) -> Option<String> {
    let named = probe.params.non_empty("client_id").map(str::to_string);
    named
        .or_else(|| {
            bearer_claims(probe.authorization.as_deref())?
                .get("client_id")?
                .as_str()
                .map(str::to_string)
        })
        .map(|c| c.chars().take(64).collect())
}

/// The person a request is about, when it can be told (one or two lookups).
fn probe_persona(
    ctl: &Control,
    conn: &mut DbConnection,
    probe: &FaultProbe,
) -> CoreResult<Option<i64>> {
    if let Some(claims) = bearer_claims(probe.authorization.as_deref()) {
        return Ok(int(claims.get("urn:esia:sbj_id")));
    }
    let person_id = if let Some(p) = probe.params.non_empty("emulator_persona") {
        return Ok(super::zero_click::find_persona(conn, p)?.map(|p| p.oid));
    } else if let Some(code) = probe.params.non_empty("code") {
        esia_store::grants::find_code(conn, code)?.map(|r| r.person_id)
    } else if let Some(t) = probe.params.non_empty("refresh_token") {
        esia_store::grants::find_refresh(conn, t)?.map(|r| r.person_id)
    } else if let Some(s) = probe.session.as_deref() {
        // On the connection already held: a second checkout could wait on a busy pool.
        esia_store::auth::find_session(conn, s)?
            .filter(|r| r.ended_at.is_none() && r.expires_at > ctl.idp.now_naive())
            .map(|r| r.person_id)
    } else {
        None
    };
    Ok(match person_id {
        Some(id) => esia_store::persons::find_person(conn, &id)?.map(|p| p.oid),
        None => None,
    })
}

/// Fires the first candidate whose client and persona match and that still has a firing
/// left (taken atomically in the database, with the journal line in the same transaction).
pub fn fire_fault(
    ctl: &Control,
    probe: &FaultProbe,
    candidates: &[FaultRule],
) -> CoreResult<Option<Fired>> {
    let client = probe_client(probe);
    let mut persona: Option<Option<i64>> = None;
    let mut conn = ctl.idp.conn()?;
    let mut fired = None;
    let mut refresh = false;
    for rule in candidates {
        if rule.client_id.is_some() && rule.client_id != client {
            continue;
        }
        if let Some(oid) = rule.persona_oid {
            if persona.is_none() {
                persona = Some(crate::fire::probe_persona(ctl, &mut conn, probe)?);
            }
            if persona.flatten() != Some(oid) {
                continue;
            }
        }
        let detail = json!({"fault": {"rule_id": rule.id, "effect": rule.effect}}).to_string();
        let params = json!({"fault_rule": rule.id, "kind": rule.effect.kind()}).to_string();
        let code = rule.effect.esia_code().map(|c| c.code());
        let taken = write_transaction(&mut conn, |conn| -> CoreResult<bool> {
            if !esia_store::control::take_fault(conn, &rule.id)? {
                return Ok(false);
            }
            esia_store::control::insert_control_journal(
                conn,
                &ControlJournal {
                    id: &new_id(),
                    at: ctl.idp.now_naive(),
                    endpoint: &probe.path,
                    mnemonic: client.as_deref(),
                    params: &params,
                    outcome: "fault",
                    error_code: code,
                    detail: &detail,
                    persona_oid: persona.flatten(),
                },
            )?;
            Ok(true)
        })?;
        // A limited rule may just have run out (here or on another replica).
        refresh |= rule.remaining.is_some();
        if taken {
            // The surface, not the path: /rs paths carry oids.
            let surface = Surface::of_path(&probe.path).map(Surface::name);
            tracing::info!(fault.id = %rule.id, kind = rule.effect.kind(), endpoint = surface, "fault fired");
            fired = Some(Fired {
                rule_id: rule.id.clone(),
                effect: rule.effect.clone(),
            });
            break;
        }
    }
    drop(conn);
    if refresh {
        crate::sync::refresh(ctl);
    }
    Ok(fired)
}

/// The `ac` channel of an ESIA error: a redirect to the client's `redirect_uri` with
/// `error`, `error_description` and `state` when the client and URI are valid, else a page.
pub fn fault_ac_response(ctl: &Control, params: &Params, code: EsiaErrorCode) -> AcResponse {
    let err = ProtocolError::new(code, params.get("state"), "fault rule");
    let redirect = (|| -> CoreResult<Option<String>> {
        let Ok(target) = AcTarget::parse(params) else {
            return Ok(None);
        };
        let mut conn = ctl.idp.conn()?;
        let client = esia_core::protocol::clients::load(&mut conn, &target.client_id)?;
        Ok(client
            .filter(|c| redirect_allowed(&c.redirect_uris, &target.redirect_uri))
            .map(|_| target.redirect_uri))
    })();
    match redirect {
        Ok(Some(ru)) => AcResponse::Redirect(error_redirect(&ru, &err)),
        Ok(None) | Err(_) => AcResponse::Refused(AcRefusal::Fault(code)),
    }
}
