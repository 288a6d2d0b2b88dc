//! The state endpoints of the QA API: `POST /emulator/api/reset` (wipe everything, re-apply the
//! startup seed), `GET /emulator/api/snapshot` (the whole state as a seed document) and
//! `POST /emulator/api/snapshot` (replace the state by one). Thin: parse, one ctl call, map.

use actix_web::{web, HttpResponse};
use esia_control::seed_file::{SeedDocument, SeedSummary};
use serde::Serialize;

use crate::error::{api_bad_request, ApiError};
use crate::state::blocking;
use crate::state::AppState;

/// Snapshots of thousands of personas are megabytes; the default 256 KiB body limit would cut
/// them off.
const SNAPSHOT_LIMIT: usize = 64 * 1024 * 1024;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/reset", web::post().to(reset)).service(
        web::resource("/snapshot")
            .app_data(web::PayloadConfig::new(SNAPSHOT_LIMIT))
            .route(web::get().to(export))
            .route(web::post().to(import)),
    );
}

/// What reset and import answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StateChanged {
    /// `reset` or `imported`.
    pub state: &'static str,
    /// What the re-applied seed or the imported document created.
    pub summary: SeedSummary,
}

/// Wipes all state (persons and their data, sessions, codes, tokens, grants, journal, outbox,
/// jobs, clients, rules) and re-applies the startup seed: the same oids as at start.
#[utoipa::path(
    post,
    path = "/emulator/api/reset",
    tag = "state",
    responses(
        (status = 200, description = "State reset to the startup seed", body = StateChanged),
        (status = 422, description = "The configured seed file is invalid now"),
    )
)]
pub async fn reset(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let ctl = state.control.clone();
    let summary = blocking(move || esia_control::snapshot::reset_state(&ctl)).await?;
    Ok(HttpResponse::Ok().json(StateChanged {
        state: "reset",
        summary,
    }))
}

/// The whole state as a seed document: personas with oids and password hashes, clients with
/// their certificates, API verification rules.
#[utoipa::path(
    get,
    path = "/emulator/api/snapshot",
    tag = "state",
    responses((status = 200, description = "The current state", body = SeedDocument))
)]
pub async fn export(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let ctl = state.control.clone();
    let doc = blocking(move || esia_control::snapshot::export_snapshot(&ctl)).await?;
    Ok(HttpResponse::Ok().json(doc))
}

/// Replaces the whole state by a snapshot (wipe, then apply).
#[utoipa::path(
    post,
    path = "/emulator/api/snapshot",
    tag = "state",
    request_body = SeedDocument,
    responses(
        (status = 200, description = "Imported", body = StateChanged),
        (status = 400, description = "Not JSON, wrong types or unknown fields (state untouched)"),
        (status = 422, description = "An entry was refused; the message names it"),
    )
)]
pub async fn import(
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let doc: SeedDocument = match serde_json::from_slice(&body) {
        Ok(d) => d,
        Err(e) => return Ok(api_bad_request("bad_json", e.to_string())),
    };
    let ctl = state.control.clone();
    let summary = blocking(move || esia_control::snapshot::import_snapshot(&ctl, doc)).await?;
    Ok(HttpResponse::Ok().json(StateChanged {
        state: "imported",
        summary,
    }))
}
