//! `/aas/oauth2/…`: the authorization endpoints (`ac` v1 and `v2/ac`, GET and form POST), the
//! continuation after login (`continue`), the consent page and its decision (`consent`), and
//! the token endpoints (`te` v1 and `v3/te`, form body, query string or HTTP Basic).

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use esia_core::protocol::{Endpoint, Params, ProtocolError};
use serde::Deserialize;

use super::ac_pages::{block_ac, render_ac_page};
use super::{params_of, te_error};
use crate::cookies;
use crate::extractors::{csrf_field, CsrfForm};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    use esia_core::protocol::endpoints::{CONSENT_PATH, CONTINUE_PATH};
    cfg.route(Endpoint::AcV1.path(), web::get().to(ac_v1))
        .route(Endpoint::AcV1.path(), web::post().to(ac_v1))
        .route(Endpoint::AcV2.path(), web::get().to(ac_v2))
        .route(Endpoint::AcV2.path(), web::post().to(ac_v2))
        .route(CONTINUE_PATH, web::get().to(continue_ac))
        .route(CONSENT_PATH, web::post().to(consent))
        .service(te_resource(Endpoint::TeV1).route(web::post().to(te_v1)))
        .service(te_resource(Endpoint::TeV3).route(web::post().to(te_v3)));
}

/// A `te` path whose other methods get the token channel's JSON 405, not an empty body.
fn te_resource(endpoint: Endpoint) -> actix_web::Resource {
    web::resource(endpoint.path()).default_service(web::to(crate::error::unrouted::unrouted))
}

async fn ac(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
    endpoint: Endpoint,
) -> HttpResponse {
    let params = params_of(&req, Some(&body));
    let session = cookies::value(&req, cookies::SESSION);
    let core = state.core.clone();
    let resp = block_ac(move || {
        esia_core::protocol::authorize::authorize(&core, endpoint, params, session.as_deref())
    })
    .await;
    render_ac_page(&req, &state, resp)
}

async fn ac_v1(req: HttpRequest, state: web::Data<AppState>, body: web::Bytes) -> HttpResponse {
    ac(req, state, body, Endpoint::AcV1).await
}

async fn ac_v2(req: HttpRequest, state: web::Data<AppState>, body: web::Bytes) -> HttpResponse {
    ac(req, state, body, Endpoint::AcV2).await
}

#[derive(Debug, Deserialize)]
struct ContinueQuery {
    #[serde(default)]
    request: String,
}

async fn continue_ac(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let id = web::Query::<ContinueQuery>::from_query(req.query_string())
        .map(|q| q.into_inner().request)
        .unwrap_or_default();
    let session = cookies::value(&req, cookies::SESSION);
    let core = state.core.clone();
    let resp = block_ac(move || {
        esia_core::protocol::consent::continue_authorization(&core, &id, session.as_deref())
    })
    .await;
    render_ac_page(&req, &state, resp)
}

#[derive(Debug, Deserialize)]
struct ConsentForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    request: String,
    #[serde(default)]
    decision: String,
}

csrf_field!(ConsentForm);

async fn consent(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: CsrfForm<ConsentForm>,
) -> HttpResponse {
    let form = form.into_inner();
    let grant = form.decision == "grant";
    let session = cookies::value(&req, cookies::SESSION);
    let core = state.core.clone();
    let resp = block_ac(move || {
        esia_core::protocol::consent::decide_consent(
            &core,
            &form.request,
            session.as_deref(),
            grant,
        )
    })
    .await;
    render_ac_page(&req, &state, resp)
}

async fn te(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
    endpoint: Endpoint,
) -> HttpResponse {
    let params: Params = params_of(&req, Some(&body));
    let basic = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(esia_core::protocol::parse_basic_auth);
    let state_param = params.get("state").map(str::to_string);
    let core = state.core.clone();
    let result = web::block(crate::request_log::carry(move || {
        esia_core::protocol::token_endpoint::token(&core, endpoint, params, basic)
    }))
    .await
    .unwrap_or_else(|_| {
        Err(ProtocolError::new(
            esia_core::protocol::EsiaErrorCode::E007007,
            state_param.as_deref(),
            "worker failed",
        ))
    });
    match result {
        Ok(body) => HttpResponse::Ok()
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .json(body),
        Err(e) => te_error(&e),
    }
}

async fn te_v1(req: HttpRequest, state: web::Data<AppState>, body: web::Bytes) -> HttpResponse {
    te(req, state, body, Endpoint::TeV1).await
}

async fn te_v3(req: HttpRequest, state: web::Data<AppState>, body: web::Bytes) -> HttpResponse {
    te(req, state, body, Endpoint::TeV3).await
}
