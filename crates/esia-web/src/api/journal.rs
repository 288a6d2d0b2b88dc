//! `/emulator/api/journal`: the protocol journal for QA — every `ac`, `te`, `/rs` and userinfo
//! request with decoded parameters, signature diagnostics, the persona and the answer; filtered
//! by client, persona, endpoint and time; `DELETE` clears it. Thin: one ctl call each.

use actix_web::{web, HttpResponse};
use esia_control::admin_views::journal::JournalQuery;
use esia_core::protocol::journal::JournalEntry;
use serde::Serialize;

use crate::error::ApiError;
use crate::state::blocking;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/journal", web::get().to(list))
        .route("/journal", web::delete().to(clear));
}

/// Journal entries, newest first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct JournalList {
    pub entries: Vec<JournalEntry>,
}

/// How many entries `DELETE` removed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct JournalCleared {
    pub deleted: usize,
}

/// Lists journal entries matching the filters, newest first.
#[utoipa::path(
    get,
    path = "/emulator/api/journal",
    tag = "journal",
    params(JournalQuery),
    responses(
        (status = 200, description = "Entries, newest first", body = JournalList),
        (status = 400, description = "Unknown query parameter (`bad_query`)"),
        (status = 422, description = "A filter does not parse (`validation_failed`, per field)"),
    )
)]
pub async fn list(
    state: web::Data<AppState>,
    query: web::Query<JournalQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let ctl = state.control.clone();
    let entries =
        blocking(move || esia_control::admin_views::journal::list_journal(&ctl, &q)).await?;
    Ok(HttpResponse::Ok().json(JournalList { entries }))
}

/// Deletes every journal entry.
#[utoipa::path(
    delete,
    path = "/emulator/api/journal",
    tag = "journal",
    responses((status = 200, description = "The journal is empty", body = JournalCleared))
)]
pub async fn clear(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let ctl = state.control.clone();
    let deleted = blocking(move || esia_control::admin_views::journal::clear_journal(&ctl)).await?;
    Ok(HttpResponse::Ok().json(JournalCleared { deleted }))
}
