//! The `/rs` REST surface (esia-protocol §7) and the OIDC userinfo facade: thin handlers that
//! pass the `Authorization` header to one `esia_core::person` call that validates the token,
//! revocation included (database work off the async threads; the cached person read stays on
//! them), journal the request (`protocol.journal_rs`), then render ESIA's `{code, message}`
//! errors. No grant is checked here: web never sees a grant whose revocation is unchecked.
//! Registered from `crate::configure`.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use esia_core::person::{AccessGrant, Collection, RestError};
use esia_core::protocol::journal::RsJournalEntry;
use serde_json::Value;

// The `/rs` error channel lives with the other channels in `crate::error`.
use crate::error::rest as errors;
pub use crate::error::rest::rest_error;

use crate::state::AppState;

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
    let auth = authorization(req).map(str::to_string);
    let path = req.path().to_string();
    let query = req.query_string().to_string();
    let outcome = web::block(crate::request_log::carry(move || {
        let (result, client, oid) =
            match esia_core::person::bearer::rest_grant(&core, auth.as_deref()) {
                Ok(g) => (f(&core, &g), Some(g.client_id.clone()), g.subject_oid),
                Err(e) => (Err(e), None, None),
            };
        let (st, code, _) = errors::describe(result.as_ref().err(), status);
        esia_core::protocol::journal::journal_rs(
            &core,
            RsJournalEntry {
                path: &path,
                query: &query,
                client_id: client.as_deref(),
                persona_oid: oid,
                status: st.as_u16(),
                error_code: code,
            },
        );
        result
    }))
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

/// The hot path: one core call verifies the token, checks its revocation and the person's
/// freshness, and answers from the cache without a blocking thread when it can. Journaled like
/// the other `/rs` requests, before the answer leaves.
async fn person(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> HttpResponse {
    let core = &state.core;
    let status = core.config.protocol.rest_scope_error_status;
    let query = req.query_string();
    let read =
        esia_core::person::rest::rs_person(core, authorization(&req), &path.into_inner(), query)
            .await;
    let (st, code, _) = errors::describe(read.body.as_ref().err(), status);
    esia_core::protocol::journal::journal_rs_async(
        core,
        RsJournalEntry {
            path: req.path(),
            query,
            client_id: read.client_id.as_deref(),
            persona_oid: read.subject_oid,
            status: st.as_u16(),
            error_code: code,
        },
    )
    .await;
    match read.body {
        Ok(body) => HttpResponse::Ok()
            .content_type("application/json; charset=utf-8")
            .body(body),
        Err(e) => rest_error(&e, status),
    }
}

/// The `Authorization` header, when it is text.
fn authorization(req: &HttpRequest) -> Option<&str> {
    req.headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
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
        esia_core::person::rest::rs_collection(core, g, parse_oid(&oid)?, c, &query)
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
        esia_core::person::rest::rs_element(core, g, parse_oid(&oid)?, c, &id, &query)
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
        esia_core::person::rest::rs_kid_docs(core, g, parse_oid(&oid)?, &kid, None, &query)
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
        esia_core::person::rest::rs_kid_docs(core, g, parse_oid(&oid)?, &kid, Some(&doc), &query)
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
        esia_core::person::rest::rs_org(core, g, parse_oid(&org)?)
    })
    .await
}

/// Emulator extension (not ESIA): OIDC userinfo over the same data and scopes.
async fn userinfo(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    answer(&req, &state, esia_core::person::userinfo::oidc_userinfo).await
}
