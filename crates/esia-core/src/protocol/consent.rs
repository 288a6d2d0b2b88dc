//! After login: resolving a parked authorization request against the browser session (SSO
//! reuses its `sid` and `auth_time`), the `person_filter=conf_acc` check (ESIA-007055), the
//! remembered consent per person, client and scope, the consent decision («Отказать» →
//! ESIA-007004) and issuing the single-use authorization code bound to client, redirect URI,
//! scopes and PKCE challenge.

use chrono::Duration;
use esia_store::grants::{AcRequestRow, AuthCodeRow};
use esia_store::write_transaction;

use super::ac_response::{AcRefusal, AcResponse, ConsentView};
use super::{error_redirect, with_query, EsiaErrorCode as E, ProtocolError};
use crate::app::{new_token, Core};
use crate::error::{CoreError, CoreResult};
use crate::session::SessionInfo;

fn gone() -> AcResponse {
    AcResponse::Refused(AcRefusal::Gone)
}

/// The cause is logged here, once; the page says only that something failed.
fn internal(e: &CoreError) -> AcResponse {
    if e.is_unavailable() {
        tracing::warn!(error = %e, "authorization continuation refused: database unavailable");
        return AcResponse::Refused(AcRefusal::Unavailable);
    }
    tracing::error!(error = %e, "authorization continuation failed");
    AcResponse::Refused(AcRefusal::Internal)
}

fn scope_names(req: &AcRequestRow) -> Vec<String> {
    esia_domain::scopes::parse_scope_list(&req.scope)
        .into_iter()
        .map(|r| r.name)
        .collect()
}

enum Step {
    Gone,
    Login,
    Respond(AcResponse),
}

fn live_request(core: &Core, id: &str) -> CoreResult<Option<AcRequestRow>> {
    let mut conn = core.conn()?;
    let Some(req) = esia_store::grants::find_ac_request(&mut conn, id)? else {
        return Ok(None);
    };
    if req.expires_at <= core.now_naive() {
        esia_store::grants::delete_ac_request(&mut conn, id)?;
        return Ok(None);
    }
    Ok(Some(req))
}

/// `GET /aas/oauth2/continue?request=…`: login if needed, then consent or the code.
pub fn continue_authorization(core: &Core, request_id: &str, session: Option<&str>) -> AcResponse {
    match continue_step(core, request_id, session, None) {
        Ok(Step::Gone) => gone(),
        Ok(Step::Login) => AcResponse::Redirect(login_url(core, request_id)),
        Ok(Step::Respond(r)) => r,
        // A request id no record can have (a NUL in it, see `CoreError::from`).
        Err(CoreError::NotFound(_)) => gone(),
        Err(e) => internal(&e),
    }
}

/// The consent form's decision: grant remembers the consent and issues the code; refuse
/// sends `error=access_denied` (ESIA-007004) to the client.
pub fn decide_consent(
    core: &Core,
    request_id: &str,
    session: Option<&str>,
    grant: bool,
) -> AcResponse {
    match continue_step(core, request_id, session, Some(grant)) {
        Ok(Step::Gone) => gone(),
        Ok(Step::Login) => AcResponse::Redirect(login_url(core, request_id)),
        Ok(Step::Respond(r)) => r,
        // A request id no record can have (a NUL in it, see `CoreError::from`).
        Err(CoreError::NotFound(_)) => gone(),
        Err(e) => internal(&e),
    }
}

fn continue_step(
    core: &Core,
    request_id: &str,
    session: Option<&str>,
    decision: Option<bool>,
) -> CoreResult<Step> {
    let Some(req) = live_request(core, request_id)? else {
        return Ok(Step::Gone);
    };
    let Some(sess) = session
        .map(|t| crate::session::resolve_session(core, t))
        .transpose()?
        .flatten()
    else {
        return Ok(Step::Login);
    };
    let mut conn = core.conn()?;
    let person = esia_store::persons::find_person(&mut conn, &sess.person_id)?
        .ok_or(CoreError::NotFound("person"))?;
    // One connection per request at a time: a second checkout while this one is held starves
    // the pool under concurrent logins (each waits for a connection its neighbour holds).
    let refuse = |conn: &mut esia_store::DbConnection, code: E, detail: &str| -> CoreResult<Step> {
        esia_store::grants::delete_ac_request(conn, &req.id)?;
        let err = ProtocolError::new(code, Some(&req.state), detail);
        Ok(Step::Respond(AcResponse::Redirect(error_redirect(
            &req.redirect_uri,
            &err,
        ))))
    };
    if req.person_filter.as_deref() == Some("conf_acc")
        && person.level != esia_domain::AccountLevel::Confirmed
    {
        tracing::info!(person.id = %person.id, "conf_acc requested, account not confirmed");
        return refuse(&mut conn, E::E007055, "account not confirmed");
    }
    // Role choice (roles.rs): the scope with organisation scopes bound, or the page.
    let req = match crate::protocol::roles::role_step(&mut conn, &req, &person)? {
        Ok(scope) => AcRequestRow {
            scope,
            ..req.clone()
        },
        Err(super::roles::RoleBlock::Refuse(detail)) => {
            return refuse(&mut conn, E::E007194, detail)
        }
        Err(super::roles::RoleBlock::Page(page)) => return Ok(Step::Respond(page)),
    };
    let names = scope_names(&req);
    let consented = esia_store::grants::consented_scopes(&mut conn, &person.id, &req.mnemonic)?;
    let all_given = names.iter().all(|n| consented.contains(n));
    match decision {
        Some(false) => {
            tracing::info!(person.id = %person.id, client.id = %req.mnemonic, "consent refused");
            refuse(&mut conn, E::E007004, "the user refused")
        }
        None if !all_given => {
            let client = super::clients::load(&mut conn, &req.mnemonic)?
                .ok_or(CoreError::NotFound("client"))?;
            Ok(Step::Respond(AcResponse::Consent(ConsentView {
                request_id: req.id.clone(),
                client_name: client.name,
                lines: esia_domain::scopes::consent_lines_ru(names.iter().map(String::as_str)),
            })))
        }
        _ => {
            let missing: Vec<String> = names
                .into_iter()
                .filter(|n| !consented.contains(n))
                .collect();
            drop(conn);
            match issue_code(core, &req, &sess, &missing)? {
                Some(url) => Ok(Step::Respond(AcResponse::Redirect(url))),
                None => Ok(Step::Gone),
            }
        }
    }
}

/// Consumes the parked request, remembers new consents and stores the code; returns the
/// callback URL (None when another tab consumed the request first).
fn issue_code(
    core: &Core,
    req: &AcRequestRow,
    sess: &SessionInfo,
    new_consents: &[String],
) -> CoreResult<Option<String>> {
    let now = core.now_naive();
    let code = new_token();
    let mut conn = core.conn()?;
    let issued = write_transaction(&mut conn, |conn| -> CoreResult<bool> {
        if esia_store::grants::delete_ac_request(conn, &req.id)? != 1 {
            return Ok(false);
        }
        for s in new_consents {
            esia_store::grants::insert_consent(conn, &sess.person_id, &req.mnemonic, s, now)?;
        }
        esia_store::grants::insert_code(
            conn,
            &AuthCodeRow {
                code: code.clone(),
                mnemonic: req.mnemonic.clone(),
                person_id: sess.person_id.clone(),
                sid: sess.sid.clone(),
                auth_time: sess.auth_time.naive_utc(),
                auth_method: sess.auth_method.clone(),
                redirect_uri: req.redirect_uri.clone(),
                scope: req.scope.clone(),
                access_type: req.access_type.clone(),
                code_challenge: req.code_challenge.clone(),
                code_challenge_method: req.code_challenge_method.clone(),
                created_at: now,
                expires_at: now + Duration::seconds(core.config.protocol.code_ttl_secs as i64),
                used_at: None,
                ac_state: Some(req.state.clone()),
            },
        )?;
        Ok(true)
    })?;
    if !issued {
        return Ok(None);
    }
    tracing::info!(person.id = %sess.person_id, client.id = %req.mnemonic, "authorization code issued");
    Ok(Some(with_query(
        &req.redirect_uri,
        &[("code", &code), ("state", &req.state)],
    )))
}

/// The login page URL that brings the browser back to a parked request.
pub(crate) fn login_url(core: &Core, request_id: &str) -> String {
    let back = format!("{}?request={request_id}", super::endpoints::CONTINUE_PATH);
    let enc: String = url::form_urlencoded::byte_serialize(back.as_bytes()).collect();
    format!("{}/login?return_to={enc}", core.config.public_base_url())
}

/// The role page's answer: `P` (private person) or an organisation oid; then the flow goes
/// on (consent or the code). A role outside the offered ones shows the page again.
pub fn choose_role(core: &Core, request_id: &str, session: Option<&str>, role: &str) -> AcResponse {
    let valid = role == super::roles::PRIVATE_PERSON || role.parse::<i64>().is_ok_and(|v| v > 0);
    if !valid {
        return AcResponse::Refused(AcRefusal::NoRole);
    }
    if session.is_some() {
        let stored = core.conn().map_err(|e| e.to_string()).and_then(|mut c| {
            esia_store::grants::set_ac_role(&mut c, request_id, role).map_err(|e| e.to_string())
        });
        if let Err(e) = stored {
            tracing::error!(error = %e, "role choice not stored");
        }
    }
    continue_authorization(core, request_id, session)
}
