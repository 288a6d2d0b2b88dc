//! The `/rs` REST surface (esia-protocol §7) and the OIDC userinfo facade: thin handlers that,
//! off the async threads, validate the bearer token, call one `esia_core::person` function and
//! journal the request (`protocol.journal_rs`), then render ESIA's `{code, message}` errors.
//! Registered from `crate::configure`.

mod errors;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use esia_core::person::{AccessGrant, Collection, RestError};
use serde_json::Value;

pub use errors::rest_error;

use crate::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/rs/prns/{oid}", web::get().to(person))
        .route("/rs/prns/{oid}/kids/{kid}/docs", web::get().to(kid_docs))
        .route(
            "/rs/prns/{oid}/kids/{kid}/docs/{doc}",
            web::get().to(kid_doc),
        )
        .route("/rs/prns/{oid}/{coll}", web::get().to(collection))
        .route("/rs/prns/{oid}/{coll}/{id}", web::get().to(element))
        .route("/rs/orgs/{org}", web::get().to(organization))
        .route(
            esia_core::person::userinfo::USERINFO_PATH,
            web::get().to(userinfo),
        );
}

fn parse_oid(s: &str) -> Result<i64, RestError> {
    s.parse().map_err(|_| RestError::NotFound)
}

/// Validates the bearer token and runs a database read off the async threads, journals the
/// request (one insert, after the answer is known) and renders the outcome.
async fn answer<F>(req: &HttpRequest, state: &web::Data<AppState>, f: F) -> HttpResponse
where
    F: FnOnce(&esia_core::Core, &AccessGrant) -> Result<Value, RestError> + Send + 'static,
{
    let core = state.core.clone();
    let status = core.config.protocol.rest_scope_error_status;
    let auth = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let path = req.path().to_string();
    let query = req.query_string().to_string();
    let outcome = web::block(move || {
        let (result, client, oid) = match core.rest_grant(auth.as_deref()) {
            Ok(g) => (f(&core, &g), Some(g.client_id.clone()), g.subject_oid),
            Err(e) => (Err(e), None, None),
        };
        let (st, code, _) = errors::describe(result.as_ref().err(), status);
        core.journal_rs(&path, &query, client.as_deref(), oid, st.as_u16(), code);
        result
    })
    .await;
    match outcome {
        Ok(Ok(body)) => HttpResponse::Ok()
            .content_type("application/json; charset=utf-8")
            .json(body),
        Ok(Err(e)) => rest_error(&e, status),
        Err(e) => rest_error(
            &RestError::Internal(esia_core::CoreError::Internal(e.to_string())),
            status,
        ),
    }
}

/// The hot path: the token (cached once verified), its revocation and the person's freshness
/// in one query inside `rs_person_body`, which may answer from its cache; journaled like the
/// other `/rs` requests.
async fn person(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> HttpResponse {
    let core = state.core.clone();
    let status = core.config.protocol.rest_scope_error_status;
    let auth = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let req_path = req.path().to_string();
    let query = req.query_string().to_string();
    let oid = path.into_inner();
    let outcome = web::block(move || {
        let (result, client, sbj) = match core.rest_grant_unchecked(auth.as_deref()) {
            Ok((g, login)) => {
                let r = parse_oid(&oid)
                    .and_then(|o| core.rs_person_body(&g, login.as_ref(), o, &query));
                (r, Some(g.client_id), g.subject_oid)
            }
            Err(e) => (Err(e), None, None),
        };
        let (st, code, _) = errors::describe(result.as_ref().err(), status);
        core.journal_rs(&req_path, &query, client.as_deref(), sbj, st.as_u16(), code);
        result
    })
    .await;
    match outcome {
        Ok(Ok(body)) => HttpResponse::Ok()
            .content_type("application/json; charset=utf-8")
            .body(body),
        Ok(Err(e)) => rest_error(&e, status),
        Err(e) => rest_error(
            &RestError::Internal(esia_core::CoreError::Internal(e.to_string())),
            status,
        ),
    }
}

async fn collection(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let (oid, coll) = path.into_inner();
    let query = req.query_string().to_string();
    answer(&req, &state, move |core, g| {
        let c = Collection::from_segment(&coll).ok_or(RestError::NotFound)?;
        core.rs_collection(g, parse_oid(&oid)?, c, &query)
    })
    .await
}

async fn element(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
) -> HttpResponse {
    let (oid, coll, id) = path.into_inner();
    let query = req.query_string().to_string();
    answer(&req, &state, move |core, g| {
        let c = Collection::from_segment(&coll).ok_or(RestError::NotFound)?;
        core.rs_element(g, parse_oid(&oid)?, c, &id, &query)
    })
    .await
}

async fn kid_docs(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let (oid, kid) = path.into_inner();
    let query = req.query_string().to_string();
    answer(&req, &state, move |core, g| {
        core.rs_kid_docs(g, parse_oid(&oid)?, &kid, None, &query)
    })
    .await
}

async fn kid_doc(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
) -> HttpResponse {
    let (oid, kid, doc) = path.into_inner();
    let query = req.query_string().to_string();
    answer(&req, &state, move |core, g| {
        core.rs_kid_docs(g, parse_oid(&oid)?, &kid, Some(&doc), &query)
    })
    .await
}

async fn organization(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> HttpResponse {
    let org = path.into_inner();
    answer(&req, &state, move |core, g| {
        core.rs_org(g, parse_oid(&org)?)
    })
    .await
}

/// Emulator extension (not ESIA): OIDC userinfo over the same data and scopes.
async fn userinfo(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    answer(&req, &state, move |core, g| core.oidc_userinfo(g)).await
}
