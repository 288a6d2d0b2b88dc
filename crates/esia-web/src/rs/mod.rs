//! The `/rs` REST surface (esia-protocol §7) and the OIDC userinfo facade: thin handlers that
//! validate the bearer token (no database), call one `esia_core::person` function off the async
//! threads, and render ESIA's `{code, message}` errors. Registered from `crate::configure`.

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

fn grant(req: &HttpRequest, state: &AppState) -> Result<AccessGrant, RestError> {
    let auth = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    state.core.rest_grant(auth)
}

fn parse_oid(s: &str) -> Result<i64, RestError> {
    s.parse().map_err(|_| RestError::NotFound)
}

/// Runs a database read off the async threads and renders the outcome.
async fn answer<F>(state: &web::Data<AppState>, f: F) -> HttpResponse
where
    F: FnOnce(&esia_core::Core) -> Result<Value, RestError> + Send + 'static,
{
    let core = state.core.clone();
    let status = core.config.protocol.rest_scope_error_status;
    match web::block(move || f(&core)).await {
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

macro_rules! granted {
    ($req:expr, $state:expr) => {
        match grant(&$req, &$state) {
            Ok(g) => g,
            Err(e) => return rest_error(&e, $state.core.config.protocol.rest_scope_error_status),
        }
    };
}

async fn person(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> HttpResponse {
    let g = granted!(req, state);
    let query = req.query_string().to_string();
    let oid = path.into_inner();
    answer(&state, move |core| {
        core.rs_person(&g, parse_oid(&oid)?, &query)
    })
    .await
}

async fn collection(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let g = granted!(req, state);
    let (oid, coll) = path.into_inner();
    let query = req.query_string().to_string();
    answer(&state, move |core| {
        let c = Collection::from_segment(&coll).ok_or(RestError::NotFound)?;
        core.rs_collection(&g, parse_oid(&oid)?, c, &query)
    })
    .await
}

async fn element(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
) -> HttpResponse {
    let g = granted!(req, state);
    let (oid, coll, id) = path.into_inner();
    let query = req.query_string().to_string();
    answer(&state, move |core| {
        let c = Collection::from_segment(&coll).ok_or(RestError::NotFound)?;
        core.rs_element(&g, parse_oid(&oid)?, c, &id, &query)
    })
    .await
}

async fn kid_docs(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let g = granted!(req, state);
    let (oid, kid) = path.into_inner();
    let query = req.query_string().to_string();
    answer(&state, move |core| {
        core.rs_kid_docs(&g, parse_oid(&oid)?, &kid, None, &query)
    })
    .await
}

async fn kid_doc(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
) -> HttpResponse {
    let g = granted!(req, state);
    let (oid, kid, doc) = path.into_inner();
    let query = req.query_string().to_string();
    answer(&state, move |core| {
        core.rs_kid_docs(&g, parse_oid(&oid)?, &kid, Some(&doc), &query)
    })
    .await
}

async fn organization(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> HttpResponse {
    let g = granted!(req, state);
    let org = path.into_inner();
    answer(&state, move |core| core.rs_org(&g, parse_oid(&org)?)).await
}

/// Emulator extension (not ESIA): OIDC userinfo over the same data and scopes.
async fn userinfo(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let g = granted!(req, state);
    answer(&state, move |core| core.oidc_userinfo(&g)).await
}
