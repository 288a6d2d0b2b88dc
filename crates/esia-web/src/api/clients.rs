//! QA/admin JSON API for client systems (`/emulator/api/clients`) and signature diagnostics
//! (`/emulator/api/debug/verify-secret`). The journal is in `api/journal.rs`.
//! Errors answer `{"error":"snake_code","message":"…"}`.

use actix_web::{web, HttpResponse};
use esia_core::protocol::clients::{ClientSpec, ClientView};
use esia_core::protocol::journal::VerifySecretRequest;
use serde_json::json;

use super::ErrorBody;
use crate::error::{api_bad_request, ApiError};
use crate::state::blocking;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/clients", web::get().to(list))
        .route("/clients", web::post().to(add))
        .route("/clients/{mnemonic}", web::get().to(show))
        .route("/clients/{mnemonic}", web::delete().to(remove))
        .route("/debug/verify-secret", web::post().to(verify_secret));
}

/// Every registered client system.
#[utoipa::path(get, path = "/emulator/api/clients", tag = "clients",
    responses((status = 200, description = "`{\"clients\":[ClientView…]}`", body = Object)))]
pub(crate) async fn list(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let core = state.core.clone();
    let clients = blocking(move || esia_core::protocol::clients::list_clients(&core)).await?;
    Ok(HttpResponse::Ok().json(json!({ "clients": clients })))
}

/// Registers a client system (mnemonic, redirect URIs, scopes, certificates).
#[utoipa::path(post, path = "/emulator/api/clients", tag = "clients", request_body = ClientSpec,
    responses(
        (status = 201, body = ClientView),
        (status = 400, description = "Not JSON or unknown fields", body = ErrorBody),
        (status = 409, description = "The mnemonic is taken", body = ErrorBody),
        (status = 422, description = "A field is invalid", body = ErrorBody)))]
pub(crate) async fn add(
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let spec: ClientSpec = match serde_json::from_slice(&body) {
        Ok(s) => s,
        Err(e) => return Ok(api_bad_request("bad_json", e.to_string())),
    };
    let core = state.core.clone();
    let view = blocking(move || esia_core::protocol::clients::add_client(&core, &spec)).await?;
    Ok(HttpResponse::Created().json(view))
}

/// One client system.
#[utoipa::path(get, path = "/emulator/api/clients/{mnemonic}", tag = "clients",
    params(("mnemonic" = String, Path)),
    responses((status = 200, body = ClientView), (status = 404, body = ErrorBody)))]
pub(crate) async fn show(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let core = state.core.clone();
    let m = path.into_inner();
    let view = blocking(move || esia_core::protocol::clients::show_client(&core, &m)).await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Removes a client system.
#[utoipa::path(delete, path = "/emulator/api/clients/{mnemonic}", tag = "clients",
    params(("mnemonic" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub(crate) async fn remove(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let core = state.core.clone();
    let m = path.into_inner();
    blocking(move || esia_core::protocol::clients::remove_client(&core, &m)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Explains whether and why a `client_secret` verifies: expected signing strings, every crypto
/// attempt, certificate hashes, timestamp skew. Stores nothing.
#[utoipa::path(post, path = "/emulator/api/debug/verify-secret", tag = "journal",
    request_body = VerifySecretRequest,
    responses(
        (status = 200, description = "The diagnostics report", body = Object),
        (status = 400, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub(crate) async fn verify_secret(
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let req: VerifySecretRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => return Ok(api_bad_request("bad_json", e.to_string())),
    };
    let core = state.core.clone();
    let report =
        blocking(move || esia_core::protocol::journal::debug_verify_secret(&core, &req)).await?;
    Ok(HttpResponse::Ok().json(report))
}
