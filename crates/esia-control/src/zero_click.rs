//! Zero-click login — an emulator extension, NOT ESIA behaviour (docs/zero-click.md). For CI
//! without a browser: when enabled (`[protocol] zero_click = true`, or per client through
//! `PUT /emulator/api/clients/{id}/zero-click`), an `ac` request naming a persona
//! (`emulator_persona=<login or oid>`) or a login queued for the client
//! (`POST /emulator/api/clients/{id}/next-login`, consumed once) skips the login and consent
//! pages and redirects with a code at once. When disabled the parameter is ignored and the
//! normal pages come. Every use is journaled with the persona's oid (never its login).

use esia_domain::esia_error::EsiaErrorCode as E;
use esia_domain::ValidationError;
use esia_store::control::ControlJournal;
use esia_store::persons::PersonRow;
use esia_store::{write_transaction, DbConnection};
use serde::{Deserialize, Serialize};
use serde_json::json;

use esia_core::app::new_id;
use esia_core::error::{CoreError, CoreResult, FieldError};
use esia_core::protocol::ac_response::AcResponse;
use esia_core::protocol::shortcut::AcShortcut;
use esia_core::Core;

use crate::Control;
use esia_core::protocol::request::AcRequest;
use esia_core::protocol::{error_redirect, Params, ProtocolError};

/// The `ac` parameter naming the persona.
pub const PARAM: &str = "emulator_persona";

/// Finds a persona by oid (digits, up to 10) or by login (phone, e-mail, SNILS).
pub(crate) fn find_persona(conn: &mut DbConnection, key: &str) -> CoreResult<Option<PersonRow>> {
    let key = key.trim();
    if !key.is_empty() && key.len() <= 10 && key.chars().all(|c| c.is_ascii_digit()) {
        if let Ok(oid) = key.parse::<i64>() {
            if let Some(p) = esia_store::persons::find_person_by_oid(conn, oid)? {
                return Ok(Some(p));
            }
        }
    }
    esia_core::login::find_by_login(conn, key)
}

/// `POST /emulator/api/clients/{mnemonic}/next-login`.
#[derive(Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NextLoginRequest {
    /// The persona's login (phone, e-mail, SNILS) or oid.
    pub persona: String,
}

impl std::fmt::Debug for NextLoginRequest {
    // A login is a phone, an e-mail or a SNILS: never printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NextLoginRequest")
            .field("persona", &"<redacted>")
            .finish()
    }
}

/// `PUT /emulator/api/clients/{mnemonic}/zero-click`.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ZeroClickRequest {
    pub enabled: bool,
}

/// A client's zero-click state as the API shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ZeroClickView {
    pub client_id: String,
    /// Enabled for this client on its own.
    pub enabled: bool,
    /// Enabled for every client by `[protocol] zero_click`.
    pub enabled_globally: bool,
    /// The oid of the queued next login, if any.
    pub next_login_oid: Option<i64>,
}

fn unknown_persona() -> CoreError {
    CoreError::Validation(vec![FieldError::new(
        "persona",
        ValidationError::new("persona_unknown", "no persona with this login or oid"),
    )])
}

fn zero_click_enabled(ctl: &Control, mnemonic: &str) -> bool {
    ctl.idp.config.protocol.zero_click || ctl.state.snapshot().zero_click_clients.contains(mnemonic)
}

/// A client's zero-click state (404 for an unknown client).
pub fn zero_click_view(ctl: &Control, mnemonic: &str) -> CoreResult<ZeroClickView> {
    let mut conn = ctl.idp.conn()?;
    esia_store::clients::find_client(&mut conn, mnemonic)?.ok_or(CoreError::NotFound("client"))?;
    let row = esia_store::control::find_client_control(&mut conn, mnemonic)?;
    let next = match row.as_ref().and_then(|r| r.next_login.as_deref()) {
        Some(key) => find_persona(&mut conn, key)?.map(|p| p.oid),
        None => None,
    };
    Ok(ZeroClickView {
        client_id: mnemonic.to_string(),
        enabled: row.is_some_and(|r| r.zero_click),
        enabled_globally: ctl.idp.config.protocol.zero_click,
        next_login_oid: next,
    })
}

/// Enables or disables zero-click login for one client.
pub fn set_zero_click(
    ctl: &Control,
    mnemonic: &str,
    req: &ZeroClickRequest,
) -> CoreResult<ZeroClickView> {
    let mut conn = ctl.idp.conn()?;
    write_transaction(&mut conn, |conn| -> CoreResult<()> {
        esia_store::clients::find_client(conn, mnemonic)?.ok_or(CoreError::NotFound("client"))?;
        Ok(esia_store::control::set_zero_click(
            conn,
            mnemonic,
            req.enabled,
            ctl.idp.now_naive(),
        )?)
    })?;
    drop(conn);
    tracing::info!(client.id = %mnemonic, enabled = req.enabled, "zero-click login switched");
    crate::sync::refresh(ctl);
    crate::zero_click::zero_click_view(ctl, mnemonic)
}

/// Queues the next login of a client (replacing a queued one). 409 when zero-click is off
/// for the client, 422 for an unknown persona.
pub fn queue_next_login(
    ctl: &Control,
    mnemonic: &str,
    req: &NextLoginRequest,
) -> CoreResult<ZeroClickView> {
    let mut conn = ctl.idp.conn()?;
    write_transaction(&mut conn, |conn| -> CoreResult<()> {
        esia_store::clients::find_client(conn, mnemonic)?.ok_or(CoreError::NotFound("client"))?;
        let person = find_persona(conn, &req.persona)?.ok_or_else(unknown_persona)?;
        let own =
            esia_store::control::find_client_control(conn, mnemonic)?.is_some_and(|r| r.zero_click);
        if !(own || ctl.idp.config.protocol.zero_click) {
            return Err(CoreError::Conflict(format!(
                "zero-click login is off for {mnemonic}: enable it first (PUT /emulator/api/clients/{mnemonic}/zero-click)"
            )));
        }
        // Stored as the oid: the queue never keeps a phone or e-mail.
        Ok(esia_store::control::queue_next_login(
            conn,
            mnemonic,
            &person.oid.to_string(),
            ctl.idp.now_naive(),
        )?)
    })?;
    drop(conn);
    tracing::info!(client.id = %mnemonic, "next login queued");
    crate::sync::refresh(ctl);
    crate::zero_click::zero_click_view(ctl, mnemonic)
}

/// The IdP's `ac` shortcut door, opened by `Control::start`. It holds the control state, not
/// a `Control` (which holds the core, which holds the door: a cycle that would never drop).
pub(crate) struct Shortcut {
    pub(crate) clock: std::sync::Arc<esia_domain::clock::ControlledClock>,
    pub(crate) state: std::sync::Arc<crate::sync::ControlState>,
}

impl AcShortcut for Shortcut {
    fn answer(
        &self,
        core: &Core,
        request: &AcRequest,
        mnemonic: &str,
        request_id: &str,
        params: &Params,
    ) -> Option<AcResponse> {
        let ctl = Control {
            idp: core.clone(),
            clock: self.clock.clone(),
            state: self.state.clone(),
        };
        zero_click_login(&ctl, request, mnemonic, request_id, params)
    }
}

/// The `ac` hook: after a request was accepted and parked, logs the named or queued
/// persona in and issues the code at once. None = not a zero-click request (normal pages).
pub(crate) fn zero_click_login(
    ctl: &Control,
    request: &AcRequest,
    mnemonic: &str,
    request_id: &str,
    params: &Params,
) -> Option<AcResponse> {
    let endpoint = request.endpoint;
    if !crate::zero_click::zero_click_enabled(ctl, mnemonic) {
        if params.non_empty(PARAM).is_some() {
            tracing::debug!(client.id = %mnemonic, "emulator_persona ignored: zero-click is off");
        }
        return None;
    }
    let queued = ctl.state.snapshot().queued_logins.contains(mnemonic);
    let fail = |code: E, detail: &str| {
        let err = ProtocolError::new(code, Some(&request.state), detail);
        AcResponse::Redirect(error_redirect(&request.target.redirect_uri, &err))
    };
    let result = (|| -> CoreResult<Option<AcResponse>> {
        let mut conn = ctl.idp.conn()?;
        let (key, via) = match params.non_empty(PARAM) {
            Some(p) => (p.to_string(), "parameter"),
            None if queued => match esia_store::control::take_next_login(&mut conn, mnemonic)? {
                Some(p) => (p, "queued"),
                None => return Ok(None),
            },
            None => return Ok(None),
        };
        let person = find_persona(&mut conn, &key)?;
        let outcome = match &person {
            None => Err(E::E007003),
            Some(p) if p.status != esia_domain::AccountStatus::Registered || p.blocked => {
                Err(E::E007004)
            }
            Some(_) => Ok(()),
        };
        let oid = person.as_ref().map(|p| p.oid);
        let journal_params = json!({"zero_click": via, "persona_oid": oid}).to_string();
        let session = write_transaction(&mut conn, |conn| -> CoreResult<Option<String>> {
            esia_store::control::insert_control_journal(
                conn,
                &ControlJournal {
                    id: &new_id(),
                    at: ctl.idp.now_naive(),
                    endpoint: endpoint.path(),
                    mnemonic: Some(mnemonic),
                    params: &journal_params,
                    outcome: if outcome.is_ok() {
                        "zero_click"
                    } else {
                        "error"
                    },
                    error_code: outcome.err().map(|c| c.code()),
                    detail: &json!({"zero_click": {"via": via, "persona_oid": oid}}).to_string(),
                    persona_oid: oid,
                },
            )?;
            match (&person, outcome) {
                (Some(p), Ok(())) => Ok(Some(
                    esia_core::session::create(&ctl.idp, conn, &p.id, true, "PWD")?.token,
                )),
                _ => Ok(None),
            }
        })?;
        drop(conn);
        let Some(token) = session else {
            crate::sync::refresh(ctl);
            let code = outcome.err().unwrap_or(E::E007003);
            tracing::info!(client.id = %mnemonic, via, "zero-click login refused");
            return Ok(Some(fail(
                code,
                "zero-click persona unknown or unavailable",
            )));
        };
        tracing::info!(client.id = %mnemonic, via, persona.oid = oid, "zero-click login");
        if via == "queued" {
            crate::sync::refresh(ctl);
        }
        Ok(Some(esia_core::protocol::consent::decide_consent(
            &ctl.idp,
            request_id,
            Some(&token),
            true,
        )))
    })();
    result.unwrap_or_else(|e| {
        tracing::error!(error = %e, "zero-click login failed");
        Some(fail(E::E007007, "internal error"))
    })
}
