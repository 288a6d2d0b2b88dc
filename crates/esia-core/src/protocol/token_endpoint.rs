//! The token endpoint (`te`, §4): grants `authorization_code`, `refresh_token` (rotation: a new
//! refresh token every time, the old one revoked) and `client_credentials`, for v1 (CMS) and v3
//! (raw GOST). Codes are single use; a replayed code revokes the refresh tokens it produced
//! (ESIA-007011). The response echoes the token request's `state`. Fast path: no Argon2, keys
//! pre-parsed, one write transaction (grant + journal), JWTs signed after commit.

use base64::Engine as _;
use chrono::Duration;
use esia_store::grants::RefreshTokenRow;
use esia_store::{write_transaction, DbConnection};
use serde_json::{json, Value};

use super::clients::LoadedClient;
use super::esia_jwts::{self, Subject};
use super::journal::Answered;
use super::request::Grant;
use super::te_redirect::{self, RedirectMatch};
use super::{Endpoint, EsiaErrorCode as E, Params, ProtocolError};
use crate::app::Core;
use crate::error::{CoreError, CoreResult};

/// What the grant produced inside the transaction; tokens are signed afterwards.
struct Granted {
    subject: Option<Subject>,
    scope: String,
    refresh: Option<String>,
    openid: bool,
    /// The accepted `redirect_uri` variant, when it was not the `ac` request's value itself.
    redirect_variant: Option<&'static str>,
}

impl Granted {
    /// The kinds of token the answer carries (for the journal; never the values).
    fn token_kinds(&self) -> Vec<&'static str> {
        let mut kinds = vec!["access_token"];
        if self.openid && self.subject.is_some() {
            kinds.push("id_token");
        }
        if self.refresh.is_some() {
            kinds.push("refresh_token");
        }
        kinds
    }
}

/// The journal's view of a `te` error answer.
fn error_answer(e: &ProtocolError) -> Answered {
    Answered {
        status: e.code.http_status(),
        persona_oid: None,
        summary: json!({"error_code": e.code.code(), "error": e.code.oauth_error()}),
    }
}

fn pkce_ok(challenge: &str, method: Option<&str>, verifier: &str) -> bool {
    let s256 = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(esia_crypto::sha256(verifier.as_bytes()));
    match method {
        Some("S256") => s256 == challenge,
        Some("plain") => verifier == challenge,
        // No method sent on `ac`: accept either [inf], logging which one matched.
        _ => {
            let ok = s256 == challenge || verifier == challenge;
            tracing::debug!(s256 = (s256 == challenge), "PKCE without method");
            ok
        }
    }
}

/// Handles `POST /aas/oauth2/te` and `/aas/oauth2/v3/te`. `basic` is `Authorization: Basic`
/// (client_id, client_secret), used when the parameters lack them.
pub fn token(
    core: &Core,
    endpoint: Endpoint,
    mut params: Params,
    basic: Option<(String, String)>,
) -> Result<Value, ProtocolError> {
    if let Some((id, secret)) = basic {
        params.merge_missing(vec![
            ("client_id".into(), id),
            ("client_secret".into(), secret),
        ]);
    }
    let state = params.get("state").map(str::to_string);
    let st = state.as_deref();
    let mut verification = None;
    let pre = super::token_request::precheck(core, endpoint, &params, &mut verification);
    let (client, request) = match pre {
        Ok(c) => c,
        Err(e) => {
            if let Ok(mut conn) = core.conn() {
                let _ = super::journal::record(
                    core,
                    &mut conn,
                    endpoint.path(),
                    &params,
                    &Err(&e),
                    verification,
                    error_answer(&e),
                );
            }
            return Err(e);
        }
    };
    let now = core.now();
    let mut conn = core.conn().map_err(|e| ProtocolError::internal(&e, st))?;
    let outcome = write_transaction(
        &mut conn,
        |conn| -> CoreResult<Result<Granted, ProtocolError>> {
            let r = apply_grant(core, conn, &client, &request.grant, st);
            let answered = match &r {
                Ok(g) => Answered {
                    status: 200,
                    persona_oid: g.subject.as_ref().map(|s| s.oid),
                    summary: match g.redirect_variant {
                        Some(v) => json!({"tokens": g.token_kinds(), "redirect_uri_variant": v}),
                        None => json!({"tokens": g.token_kinds()}),
                    },
                },
                Err(e) => error_answer(e),
            };
            super::journal::record(
                core,
                conn,
                endpoint.path(),
                &params,
                &r.as_ref().map(|_| ()),
                verification.clone(),
                answered,
            )?;
            Ok(r)
        },
    )
    .map_err(|e| ProtocolError::internal(&e, st))??;
    let alg = client.alg;
    let mut body = json!({
        "state": state,
        "token_type": "Bearer",
        "expires_in": core.config.protocol.access_token_ttl_secs,
    });
    let claim = match &outcome.subject {
        Some(s) => esia_jwts::scope_claim(&outcome.scope, s.oid),
        None => outcome.scope.clone(),
    };
    body["access_token"] = json!(esia_jwts::access_token(
        core,
        alg,
        &client.mnemonic,
        &claim,
        outcome.subject.as_ref(),
        now
    )
    .map_err(|e| ProtocolError::internal(&e, st))?);
    if let (true, Some(s)) = (outcome.openid, &outcome.subject) {
        body["id_token"] = json!(esia_jwts::id_token(core, alg, &client.mnemonic, s, now)
            .map_err(|e| ProtocolError::internal(&e, st))?);
    }
    if let Some(r) = outcome.refresh {
        body["refresh_token"] = json!(r);
    }
    tracing::info!(client.id = %client.mnemonic, "tokens issued");
    Ok(body)
}

fn apply_grant(
    core: &Core,
    conn: &mut DbConnection,
    client: &LoadedClient,
    grant: &Grant,
    st: Option<&str>,
) -> Result<Granted, ProtocolError> {
    let internal = |e: CoreError| ProtocolError::internal(&e, st);
    let invalid = |detail: &str| ProtocolError::new(E::E007011, st, detail);
    let now = core.now_naive();
    let new_refresh = |conn: &mut DbConnection,
                       person_id: &str,
                       sid: &str,
                       auth_time,
                       auth_method: &str,
                       scope: &str,
                       origin: Option<String>|
     -> CoreResult<String> {
        let token = uuid::Uuid::new_v4().to_string();
        esia_store::grants::insert_refresh(
            conn,
            &RefreshTokenRow {
                token: token.clone(),
                mnemonic: client.mnemonic.clone(),
                person_id: person_id.into(),
                sid: sid.into(),
                auth_time,
                auth_method: auth_method.into(),
                scope: scope.into(),
                origin_code: origin,
                created_at: now,
                expires_at: now
                    + Duration::seconds(core.config.protocol.refresh_token_ttl_secs as i64),
                revoked_at: None,
            },
        )?;
        Ok(token)
    };
    let subject = |conn: &mut DbConnection,
                   person_id: &str,
                   sid: &str,
                   at: chrono::NaiveDateTime,
                   am: &str|
     -> Result<Subject, ProtocolError> {
        let p = esia_store::persons::find_person(conn, person_id)
            .map_err(|e| internal(e.into()))?
            .filter(|p| p.status == esia_domain::AccountStatus::Registered && !p.blocked)
            .ok_or_else(|| invalid("the person is gone or blocked"))?;
        Ok(Subject {
            oid: p.oid,
            confirmed: p.level == esia_domain::AccountLevel::Confirmed,
            sid: sid.into(),
            auth_time: at.and_utc(),
            auth_method: am.into(),
        })
    };
    match grant {
        Grant::AuthorizationCode {
            code,
            redirect_uri,
            code_verifier,
        } => {
            let row = esia_store::grants::find_code(conn, code)
                .map_err(|e| internal(e.into()))?
                .ok_or_else(|| invalid("unknown code"))?;
            if row.mnemonic != client.mnemonic {
                return Err(invalid("code issued to another client"));
            }
            if row.used_at.is_some()
                || esia_store::grants::mark_code_used(conn, code, now)
                    .map_err(|e| internal(e.into()))?
                    != 1
            {
                let n = esia_store::grants::revoke_refresh_by_code(conn, code, now)
                    .map_err(|e| internal(e.into()))?;
                esia_store::grants::revoke_access_by_sid(
                    conn,
                    &crate::app::new_id(),
                    &client.mnemonic,
                    &row.sid,
                    now,
                )
                .map_err(|e| internal(e.into()))?;
                tracing::warn!(client.id = %client.mnemonic, revoked = n, "authorization code replayed");
                return Err(invalid("code already used"));
            }
            if row.expires_at <= now {
                return Err(invalid("code expired"));
            }
            let mut redirect_variant = None;
            if let Some(ru) = redirect_uri {
                match te_redirect::compare(ru, &row.redirect_uri, code, row.ac_state.as_deref()) {
                    RedirectMatch::Same => {}
                    RedirectMatch::CallbackQuery if client.lenient => {
                        tracing::info!(
                            client.id = %client.mnemonic,
                            variant = te_redirect::OMNIAUTH_VARIANT,
                            "redirect_uri accepted with the callback's query (lenient)"
                        );
                        redirect_variant = Some(te_redirect::OMNIAUTH_VARIANT);
                    }
                    _ => return Err(invalid("redirect_uri differs from the ac request")),
                }
            }
            match (&row.code_challenge, code_verifier.as_deref()) {
                (Some(_), None) => {
                    return Err(ProtocolError::new(
                        E::E007014,
                        st,
                        "code_verifier is missing",
                    ))
                }
                (Some(c), Some(v)) if !pkce_ok(c, row.code_challenge_method.as_deref(), v) => {
                    return Err(ProtocolError::new(E::E007040, st, "code_verifier mismatch"))
                }
                (None, Some(_)) => {
                    return Err(ProtocolError::new(
                        E::E007039,
                        st,
                        "no code_challenge on ac",
                    ))
                }
                _ => {}
            }
            let s = subject(
                conn,
                &row.person_id,
                &row.sid,
                row.auth_time,
                &row.auth_method,
            )?;
            let refresh = (row.access_type == "offline")
                .then(|| {
                    new_refresh(
                        conn,
                        &row.person_id,
                        &row.sid,
                        row.auth_time,
                        &row.auth_method,
                        &row.scope,
                        Some(row.code.clone()),
                    )
                })
                .transpose()
                .map_err(internal)?;
            Ok(Granted {
                openid: row.scope.split(' ').any(|x| x == "openid"),
                subject: Some(s),
                scope: row.scope,
                refresh,
                redirect_variant,
            })
        }
        Grant::RefreshToken { token } => {
            let row = esia_store::grants::find_refresh(conn, token)
                .map_err(|e| internal(e.into()))?
                .ok_or_else(|| invalid("unknown refresh token"))?;
            if row.mnemonic != client.mnemonic || row.expires_at <= now {
                return Err(invalid("refresh token of another client or expired"));
            }
            if esia_store::grants::revoke_refresh(conn, token, now)
                .map_err(|e| internal(e.into()))?
                != 1
            {
                return Err(invalid("refresh token revoked"));
            }
            let s = subject(
                conn,
                &row.person_id,
                &row.sid,
                row.auth_time,
                &row.auth_method,
            )?;
            let next = new_refresh(
                conn,
                &row.person_id,
                &row.sid,
                row.auth_time,
                &row.auth_method,
                &row.scope,
                row.origin_code.clone(),
            )
            .map_err(internal)?;
            Ok(Granted {
                openid: row.scope.split(' ').any(|x| x == "openid"),
                subject: Some(s),
                scope: row.scope,
                refresh: Some(next),
                redirect_variant: None,
            })
        }
        Grant::ClientCredentials { scope } => {
            // The scope claim as requested (e.g. `prm_chg?oid=…`).
            Ok(Granted {
                subject: None,
                scope: scope.clone(),
                refresh: None,
                openid: false,
                redirect_variant: None,
            })
        }
    }
}
