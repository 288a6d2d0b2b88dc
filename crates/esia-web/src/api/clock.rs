//! `/emulator/api/clock`: the emulator's time — show, change (exactly one of offset, advance,
//! freeze at, freeze, unfreeze) and reset to real time. Thin handlers over
//! `esia_control::clock`, which shares the setting with the worker and other replicas.

use actix_web::{web, HttpResponse};
use esia_control::clock::{ClockRequest, ClockView};

use super::faults::parse_body;
use crate::error::ApiError;
use crate::state::blocking;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/clock", web::get().to(show))
        .route("/clock", web::post().to(change))
        .route("/clock", web::delete().to(reset));
}

/// The emulator's current time, offset and freeze.
#[utoipa::path(get, path = "/emulator/api/clock", tag = "clock",
    responses((status = 200, body = ClockView)))]
pub async fn show(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().json(esia_control::clock::clock_view(&state.control))
}

/// Changes the clock: exactly one of `offset_secs`, `advance_secs`, `freeze_at`, `freeze`,
/// `unfreeze`.
#[utoipa::path(post, path = "/emulator/api/clock", tag = "clock",
    request_body = ClockRequest,
    responses(
        (status = 200, body = ClockView),
        (status = 400, description = "Not JSON"),
        (status = 422, description = "Not exactly one field, unknown field, bad value"),
    ))]
pub async fn change(
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let req: ClockRequest = match parse_body(&body) {
        Ok(r) => r,
        Err(resp) => return Ok(*resp),
    };
    let ctl = state.control.clone();
    let view = blocking(move || esia_control::clock::set_clock(&ctl, &req)).await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Back to real time.
#[utoipa::path(delete, path = "/emulator/api/clock", tag = "clock",
    responses((status = 200, body = ClockView)))]
pub async fn reset(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let ctl = state.control.clone();
    let view = blocking(move || esia_control::clock::reset_clock(&ctl)).await?;
    Ok(HttpResponse::Ok().json(view))
}
