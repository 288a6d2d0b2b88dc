//! Published key material: `/public/esia.zip`, `/public/esia-rsa.pem`, `/public/esia-gost.pem`,
//! and the emulator extension `/.well-known/openid-configuration` + `/.well-known/jwks.json`
//! (RS256 only; real ESIA serves neither).

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use esia_core::protocol::endpoints::{DISCOVERY_PATH, JWKS_PATH};

use crate::error::ApiError;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/public/esia.zip", web::get().to(zip))
        .route("/public/esia-rsa.pem", web::get().to(rsa_pem))
        .route("/public/esia-gost.pem", web::get().to(gost_pem))
        .route(DISCOVERY_PATH, web::get().to(openid_configuration))
        .route(JWKS_PATH, web::get().to(jwks));
}

fn pem(body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/x-pem-file")
        .body(body)
}

async fn rsa_pem(state: web::Data<AppState>) -> HttpResponse {
    pem(esia_core::protocol::public::esia_rsa_pem(&state.core))
}

async fn gost_pem(state: web::Data<AppState>) -> HttpResponse {
    pem(esia_core::protocol::public::esia_gost_pem(&state.core))
}

async fn zip(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let bytes = esia_core::protocol::public::esia_zip(&state.core)?;
    Ok(HttpResponse::Ok()
        .content_type("application/zip")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"esia.zip\"",
        ))
        .body(bytes))
}

async fn openid_configuration(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().json(esia_core::protocol::public::openid_configuration(
        &state.core,
    ))
}

async fn jwks(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().json(esia_core::protocol::public::jwks(&state.core))
}
