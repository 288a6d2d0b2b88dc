//! QA/admin JSON API for client systems (`/emulator/api/clients`) and signature diagnostics
//! (`/emulator/api/debug/verify-secret`). The journal is in `api/journal.rs`.
//! Errors answer `{"error":"snake_code","message":"…"}`.

use actix_web::{web, HttpResponse};
use esia_core::protocol::clients::ClientSpec;
use esia_core::protocol::journal::VerifySecretRequest;
use serde_json::json;

use crate::error::{api_bad_request, ApiError};
use crate::pages::blocking;
use crate::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/emulator/api/clients", web::get().to(list))
        .route("/emulator/api/clients", web::post().to(add))
        .route("/emulator/api/clients/{mnemonic}", web::get().to(show))
        .route("/emulator/api/clients/{mnemonic}", web::delete().to(remove))
        .route(
            "/emulator/api/debug/verify-secret",
            web::post().to(verify_secret),
        );
}

async fn list(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let core = state.core.clone();
    let clients = blocking(move || core.list_clients()).await?;
    Ok(HttpResponse::Ok().json(json!({ "clients": clients })))
}

async fn add(state: web::Data<AppState>, body: web::Bytes) -> Result<HttpResponse, ApiError> {
    let spec: ClientSpec = match serde_json::from_slice(&body) {
        Ok(s) => s,
        Err(e) => return Ok(api_bad_request("bad_json", e.to_string())),
    };
    let core = state.core.clone();
    let view = blocking(move || core.add_client(&spec)).await?;
    Ok(HttpResponse::Created().json(view))
}

async fn show(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let core = state.core.clone();
    let m = path.into_inner();
    let view = blocking(move || core.show_client(&m)).await?;
    Ok(HttpResponse::Ok().json(view))
}

async fn remove(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let core = state.core.clone();
    let m = path.into_inner();
    blocking(move || core.remove_client(&m)).await?;
    Ok(HttpResponse::NoContent().finish())
}

async fn verify_secret(
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let req: VerifySecretRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => return Ok(api_bad_request("bad_json", e.to_string())),
    };
    let core = state.core.clone();
    let report = blocking(move || core.debug_verify_secret(&req)).await?;
    Ok(HttpResponse::Ok().json(report))
}
