//! The authorization request (`ac`, §2): every parameter of §2.2 checked in ESIA's order of
//! channels — problems with `client_id` or `redirect_uri` give an error page (never a redirect
//! to an unregistered URI), everything after goes back as a redirect with `error`,
//! `error_description` and `state` (§9). A valid request is parked in `ac_requests` and the
//! browser goes to the login page, or straight on with an SSO session. Also ESIA logout.

use base64::Engine as _;
use chrono::{Duration, Utc};
use esia_store::grants::AcRequestRow;
use serde_json::json;

use super::ac_response::{AcRefusal, AcResponse};
use super::clients::{self, LoadedClient};
use super::{
    error_redirect, is_uuid, parse_timestamp, redirect, signing, Endpoint, EsiaErrorCode as E,
    Params, ProtocolError,
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

fn decode_person_filter(v: &str) -> Option<String> {
    let t: String = v.chars().filter(|c| !c.is_whitespace()).collect();
    let body = t.trim_end_matches('=');
    let bytes = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(body)
        .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(body))
        .ok()?;
    let s = String::from_utf8(bytes).ok()?;
    matches!(s.as_str(), "conf_acc" | "acc_kid" | "acc_not_kid").then_some(s)
}

/// Everything checked; returns the parked request and the signature check for the journal.
fn validate(
    core: &Core,
    endpoint: Endpoint,
    params: &Params,
    verification: &mut Option<serde_json::Value>,
) -> Result<(LoadedClient, AcRequestRow), AcFail> {
    let state = params.get("state");
    let page = |code, detail: &str| AcFail::Page(ProtocolError::new(code, state, detail));
    // Which client or which URI a repeated one means is ambiguous: never redirect then.
    if let Some(n) = params.repeated(&["client_id", "redirect_uri"]) {
        return Err(page(E::E007003, &format!("{n} repeated")));
    }
    let cid = params
        .non_empty("client_id")
        .ok_or_else(|| page(E::E007014, "client_id is missing"))?;
    let ru = params
        .non_empty("redirect_uri")
        .ok_or_else(|| page(E::E007014, "redirect_uri is missing"))?;
    let mut conn = core
        .conn()
        .map_err(|e| AcFail::Page(ProtocolError::internal(&e, state)))?;
    let client = clients::load_served(core, &mut conn, cid)
        .map_err(|e| AcFail::Page(ProtocolError::internal(&e, state)))?
        .ok_or_else(|| page(E::E007002, "unknown client_id"))?;
    drop(conn);
    if let Err(why) = redirect::check(&client.redirect_uris, ru) {
        tracing::info!(client.id = %client.mnemonic, refusal = why.as_str(), "redirect_uri refused");
        return Err(page(E::E007023, "redirect_uri not allowed"));
    }
    let fail = |code, detail: &str| {
        AcFail::Redirect(ru.to_string(), ProtocolError::new(code, state, detail))
    };
    if let Some(n) = params.repeated(super::params::AC_SINGLE) {
        return Err(fail(E::E007003, &format!("{n} repeated")));
    }
    let scope = params
        .non_empty("scope")
        .ok_or_else(|| fail(E::E007013, "scope is missing"))?;
    let mut required = vec!["client_secret", "state", "timestamp", "response_type"];
    if endpoint == Endpoint::AcV2 {
        required.push("client_certificate_hash");
    }
    if let Some(n) = required.iter().find(|n| params.non_empty(n).is_none()) {
        return Err(fail(E::E007014, &format!("{n} is missing")));
    }
    if params.get("response_type") != Some("code") {
        return Err(fail(E::E007012, "response_type must be code"));
    }
    let state_v = params.get("state").unwrap_or("");
    if !is_uuid(state_v) {
        return Err(fail(E::E007003, "state is not a UUID"));
    }
    let ts = parse_timestamp(params.get("timestamp").unwrap_or(""))
        .ok_or_else(|| fail(E::E007015, "timestamp does not parse"))?;
    let skew = (ts.with_timezone(&Utc) - core.now()).num_seconds().abs();
    if skew > core.config.protocol.timestamp_window_secs as i64 {
        return Err(fail(E::E007015, "timestamp outside the window"));
    }
    let refs = esia_domain::scopes::parse_scope_list(scope);
    for r in &refs {
        if r.name != "openid" && !r.is_known() {
            return Err(fail(E::E007006, "unknown scope"));
        }
        if !client.scopes.contains(&r.name) {
            return Err(fail(E::E007019, "scope not allowed for the client"));
        }
    }
    let scope_org = super::roles::check_scope_org(&client.scopes, params.get("scope_org"))
        .map_err(|(code, detail)| fail(code, detail))?;
    let access_type = match params.non_empty("access_type") {
        None | Some("online") => "online",
        Some("offline") => "offline",
        Some(_) => return Err(fail(E::E007003, "access_type must be online or offline")),
    };
    let challenge = params.non_empty("code_challenge");
    let method = match (challenge, params.non_empty("code_challenge_method")) {
        (Some(_), Some(m)) if m.eq_ignore_ascii_case("S256") => Some("S256".to_string()),
        (Some(_), Some("plain")) => Some("plain".to_string()),
        (Some(_), Some(_)) => return Err(fail(E::E007003, "unsupported code_challenge_method")),
        _ => None,
    };
    let person_filter = match params.non_empty("person_filter") {
        None => None,
        Some(v) => Some(
            decode_person_filter(v).ok_or_else(|| fail(E::E007003, "person_filter unreadable"))?,
        ),
    };
    for extra in ["roles", "obj_type", "permissions"] {
        if params.non_empty(extra).is_some() {
            tracing::debug!(client.id = %client.mnemonic, param = extra, "accepted, not validated");
        }
    }
    match signing::check(&client, endpoint, params) {
        Ok(m) => *verification = Some(json!({"ok": true, "match": m})),
        Err(f) => {
            let code = signing::failure_code(&f);
            *verification = Some(json!({"ok": false, "failure": f}));
            return Err(fail(code, "client_secret does not verify"));
        }
    }
    let now = core.now_naive();
    let scope_names: Vec<String> = refs.iter().map(super::roles::stored_scope).collect();
    let row = AcRequestRow {
        id: new_id(),
        mnemonic: client.mnemonic.clone(),
        generation: if endpoint.is_v1() { "v1" } else { "v2" }.into(),
        redirect_uri: ru.to_string(),
        scope: scope_names.join(" "),
        state: state_v.to_string(),
        access_type: access_type.into(),
        code_challenge: challenge.map(str::to_string),
        code_challenge_method: method,
        person_filter,
        created_at: now,
        expires_at: now + Duration::seconds(core.config.protocol.code_ttl_secs.max(1800) as i64),
        scope_org,
        role: None,
    };
    Ok((client, row))
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
    let parked = result.and_then(|(client, row)| {
        let mut conn = core
            .conn()
            .map_err(|e| AcFail::Page(ProtocolError::internal(&e, Some(&row.state))))?;
        esia_store::grants::insert_ac_request(&mut conn, &row).map_err(|e| {
            AcFail::Redirect(
                row.redirect_uri.clone(),
                ProtocolError::internal(&crate::error::CoreError::from(e), Some(&row.state)),
            )
        })?;
        Ok((client, row.id))
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
        Ok((client, id)) => {
            tracing::info!(client.id = %client.mnemonic, request.id = %id, "authorization request accepted");
            // The control plane's door (zero-click login): closed unless installed.
            let shortcut = super::shortcut::installed(core)
                .and_then(|door| door.answer(core, endpoint, &client.mnemonic, &id, &params));
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
