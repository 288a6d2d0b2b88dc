//! The authorization request (`ac`, §2): every parameter of §2.2 checked in ESIA's order of
//! channels — problems with `client_id` or `redirect_uri` give an error page (never a redirect
//! to an unregistered URI), everything after goes back as a redirect with `error`,
//! `error_description` and `state` (§9). A valid request is parked in `ac_requests` and the
//! browser goes to the login page, or straight on with an SSO session. Also ESIA logout.

use chrono::Duration;
use esia_store::grants::AcRequestRow;
use serde_json::json;

use super::ac_response::{AcRefusal, AcResponse};
use super::clients::{self, LoadedClient};
use super::request::{received_state, AcRequest, AcTarget};
use super::{
    error_redirect, redirect, signing, Endpoint, EsiaErrorCode as E, Params, ProtocolError,
};
use crate::app::{new_id, Core};

pub(crate) enum AcFail {
    Page(ProtocolError),
    Redirect(String, ProtocolError),
}

impl AcFail {
    pub(crate) fn into_response(self) -> AcResponse {
        match self {
            AcFail::Page(e) => AcResponse::Refused(AcRefusal::Request(e.code)),
            AcFail::Redirect(uri, e) => AcResponse::Redirect(error_redirect(&uri, &e)),
        }
    }
}

/// Everything checked; returns the client, the typed request and its parked row, and the
/// signature check for the journal.
fn validate(
    core: &Core,
    endpoint: Endpoint,
    params: &Params,
    verification: &mut Option<serde_json::Value>,
) -> Result<(LoadedClient, AcRequest, AcRequestRow), AcFail> {
    let state = received_state(params);
    let page = |(code, detail): (E, String)| AcFail::Page(ProtocolError::new(code, state, detail));
    let target = AcTarget::parse(params).map_err(page)?;
    let mut conn = core
        .conn()
        .map_err(|e| AcFail::Page(ProtocolError::internal(&e, state)))?;
    let client = clients::load_served(core, &mut conn, &target.client_id)
        .map_err(|e| AcFail::Page(ProtocolError::internal(&e, state)))?
        .ok_or_else(|| page((E::E007002, "unknown client_id".into())))?;
    drop(conn);
    if let Err(why) = redirect::check(&client.redirect_uris, &target.redirect_uri) {
        tracing::info!(client.id = %client.mnemonic, refusal = why.as_str(), "redirect_uri refused");
        return Err(page((E::E007023, "redirect_uri not allowed".into())));
    }
    let back = target.redirect_uri.clone();
    let fail = |(code, detail): (E, String)| {
        AcFail::Redirect(back.clone(), ProtocolError::new(code, state, detail))
    };
    let request = AcRequest::parse(
        endpoint,
        target,
        params,
        &client.scopes,
        core.now(),
        core.config.protocol.timestamp_window_secs,
    )
    .map_err(fail)?;
    for extra in ["roles", "obj_type", "permissions"] {
        if params.non_empty(extra).is_some() {
            tracing::debug!(client.id = %client.mnemonic, param = extra, "accepted, not validated");
        }
    }
    match signing::check(&client, endpoint, &request.signed) {
        Ok(m) => *verification = Some(json!({"ok": true, "match": m})),
        Err(f) => {
            let code = signing::failure_code(&f);
            *verification = Some(json!({"ok": false, "failure": f}));
            return Err(fail((code, "client_secret does not verify".into())));
        }
    }
    let now = core.now_naive();
    let row = AcRequestRow {
        id: new_id(),
        mnemonic: client.mnemonic.clone(),
        generation: if endpoint.is_v1() { "v1" } else { "v2" }.into(),
        redirect_uri: request.target.redirect_uri.clone(),
        scope: request.scopes.join(" "),
        state: request.state.clone(),
        access_type: request.access_type.as_str().into(),
        code_challenge: request.pkce.as_ref().map(|p| p.challenge.clone()),
        code_challenge_method: request
            .pkce
            .as_ref()
            .and_then(|p| p.method)
            .map(str::to_string),
        person_filter: request.person_filter.clone(),
        created_at: now,
        expires_at: now + Duration::seconds(core.config.protocol.code_ttl_secs.max(1800) as i64),
        scope_org: request.scope_org.clone(),
        role: None,
    };
    Ok((client, request, row))
}

/// Handles `GET|POST /aas/oauth2/ac` and `/aas/oauth2/v2/ac`. `session` is the SSO cookie.
pub fn authorize(
    core: &Core,
    endpoint: Endpoint,
    params: Params,
    session: Option<&str>,
) -> AcResponse {
    let mut verification = None;
    let result = validate(core, endpoint, &params, &mut verification);
    let parked = result.and_then(|(client, request, row)| {
        let mut conn = core
            .conn()
            .map_err(|e| AcFail::Page(ProtocolError::internal(&e, Some(&row.state))))?;
        esia_store::grants::insert_ac_request(&mut conn, &row).map_err(|e| {
            AcFail::Redirect(
                row.redirect_uri.clone(),
                ProtocolError::internal(&crate::error::CoreError::from(e), Some(&row.state)),
            )
        })?;
        Ok((client, request, row.id))
    });
    let outcome = match &parked {
        Ok(_) => Ok(()),
        Err(AcFail::Page(e)) | Err(AcFail::Redirect(_, e)) => Err(e),
    };
    let answered = match &parked {
        Ok(_) => super::journal::Answered {
            status: 302,
            persona_oid: None,
            summary: serde_json::json!({"next": "login, SSO or consent"}),
        },
        Err(AcFail::Page(e)) => super::journal::Answered {
            status: if e.code == E::E007008 { 503 } else { 400 },
            persona_oid: None,
            summary: serde_json::json!({"error_code": e.code.code(), "channel": "page"}),
        },
        Err(AcFail::Redirect(_, e)) => super::journal::Answered {
            status: 302,
            persona_oid: None,
            summary: serde_json::json!({"error_code": e.code.code(), "channel": "redirect"}),
        },
    };
    if let Ok(mut conn) = core.conn() {
        let _ = super::journal::record(
            core,
            &mut conn,
            endpoint.path(),
            &params,
            &outcome,
            verification,
            answered,
        );
    }
    match parked {
        Err(f) => f.into_response(),
        Ok((client, request, id)) => {
            tracing::info!(client.id = %client.mnemonic, request.id = %id, "authorization request accepted");
            // The control plane's door (zero-click login): closed unless installed.
            let shortcut = super::shortcut::installed(core)
                .and_then(|door| door.answer(core, &request, &client.mnemonic, &id, &params));
            if let Some(resp) = shortcut {
                return resp;
            }
            crate::protocol::consent::continue_authorization(core, &id, session)
        }
    }
}

/// `GET /idp/ext/Logout?client_id=…&redirect_url=…`: ends the browser session; returns the
/// URL to redirect to when the client's registered URIs allow it (`redirect::check`;
/// None = show a page).
pub fn esia_logout(
    core: &Core,
    client_id: Option<&str>,
    redirect_url: Option<&str>,
    session: Option<&str>,
) -> crate::error::CoreResult<Option<String>> {
    if let Some(token) = session {
        crate::session::end_session(core, token)?;
    }
    let (Some(cid), Some(url)) = (client_id, redirect_url) else {
        return Ok(None);
    };
    let mut conn = core.conn()?;
    let target = match clients::load(&mut conn, cid)? {
        Some(c) => redirect::check(&c.redirect_uris, url).map_err(|why| why.as_str()),
        None => Err("unknown client"),
    };
    let cid: String = cid.chars().take(64).collect();
    match &target {
        Ok(_) => tracing::info!(client.id = %cid, "logout"),
        Err(why) => {
            tracing::info!(client.id = %cid, refusal = why, "logout, redirect_url refused")
        }
    }
    // The parsed URL, not the raw text, goes into `Location`.
    Ok(target.ok().map(String::from))
}
