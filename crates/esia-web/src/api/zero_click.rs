//! Zero-click login controls per client — an emulator extension, NOT ESIA behaviour
//! (docs/zero-click.md): `GET|PUT /emulator/api/clients/{mnemonic}/zero-click` and
//! `POST /emulator/api/clients/{mnemonic}/next-login`. Thin handlers over
//! `esia_control::zero_click`.

use actix_web::{web, HttpResponse};
use esia_control::zero_click::{NextLoginRequest, ZeroClickRequest, ZeroClickView};

use super::faults::parse_body;
use crate::error::ApiError;
use crate::state::blocking;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/clients/{mnemonic}/zero-click", web::get().to(show))
        .route("/clients/{mnemonic}/zero-click", web::put().to(switch))
        .route("/clients/{mnemonic}/next-login", web::post().to(next_login));
}

/// Whether zero-click login is on for the client, and the queued next login.
#[utoipa::path(get, path = "/emulator/api/clients/{mnemonic}/zero-click", tag = "zero-click",
    params(("mnemonic" = String, Path, description = "Client system")),
    responses((status = 200, body = ZeroClickView), (status = 404, description = "Unknown client")))]
pub async fn show(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let ctl = state.control.clone();
    let m = path.into_inner();
    let view = blocking(move || esia_control::zero_click::zero_click_view(&ctl, &m)).await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Enables or disables zero-click login for the client.
#[utoipa::path(put, path = "/emulator/api/clients/{mnemonic}/zero-click", tag = "zero-click",
    params(("mnemonic" = String, Path, description = "Client system")),
    request_body = ZeroClickRequest,
    responses((status = 200, body = ZeroClickView), (status = 404, description = "Unknown client"),
        (status = 422, description = "Bad body")))]
pub async fn switch(
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let req: ZeroClickRequest = match parse_body(&body) {
        Ok(r) => r,
        Err(resp) => return Ok(*resp),
    };
    let ctl = state.control.clone();
    let m = path.into_inner();
    let view = blocking(move || esia_control::zero_click::set_zero_click(&ctl, &m, &req)).await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Queues the persona of the client's next `ac` request (consumed once).
#[utoipa::path(post, path = "/emulator/api/clients/{mnemonic}/next-login", tag = "zero-click",
    params(("mnemonic" = String, Path, description = "Client system")),
    request_body = NextLoginRequest,
    responses((status = 200, body = ZeroClickView), (status = 404, description = "Unknown client"),
        (status = 409, description = "Zero-click is off for the client"),
        (status = 422, description = "Unknown persona or bad body")))]
pub async fn next_login(
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let req: NextLoginRequest = match parse_body(&body) {
        Ok(r) => r,
        Err(resp) => return Ok(*resp),
    };
    let ctl = state.control.clone();
    let m = path.into_inner();
    let view = blocking(move || esia_control::zero_click::queue_next_login(&ctl, &m, &req)).await?;
    Ok(HttpResponse::Ok().json(view))
}
