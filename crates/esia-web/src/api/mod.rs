//! The QA JSON API under `/emulator/api/` and the probes `/emulator/health` and
//! `/emulator/ready`. Errors answer `{"error":"snake_code","message":"…"}` (`ErrorBody`). The
//! OpenAPI document of all of it is `openapi.rs`; its readable rendering is `docs.rs`.

mod clients;
pub mod clock;
mod docs;
pub mod faults;
pub mod journal;
pub mod openapi;
pub(crate) mod personas;
mod rules;
pub mod state;
pub mod zero_click;

use actix_web::{web, HttpResponse};
use esia_core::outbox::OutboxMessage;
use serde::Deserialize;
use serde_json::json;

use crate::error::ApiError;
pub(crate) use crate::error::ErrorBody;
use crate::state::blocking;
use crate::state::AppState;

/// The open part of `/emulator`: the probes and the API description (registered before the
/// guarded scopes, which would otherwise catch them).
pub fn configure_open(cfg: &mut web::ServiceConfig) {
    docs::configure(cfg);
    cfg.route("/emulator/health", web::get().to(health))
        .route("/emulator/ready", web::get().to(ready));
}

/// The guarded QA API; paths are relative to the `/emulator/api` scope that `crate::configure`
/// wraps with the admin guard and the JSON-only rule.
pub fn configure(cfg: &mut web::ServiceConfig) {
    clients::configure(cfg);
    faults::configure(cfg);
    clock::configure(cfg);
    zero_click::configure(cfg);
    journal::configure(cfg);
    rules::configure(cfg);
    personas::configure(cfg);
    state::configure(cfg);
    cfg.route("/outbox", web::get().to(outbox));
}

/// An unknown path under `/emulator/api`, in the API's error format.
pub(crate) async fn not_found() -> HttpResponse {
    HttpResponse::NotFound().json(ErrorBody::new("not_found", "no such endpoint"))
}

/// Liveness: the process answers.
#[utoipa::path(get, path = "/emulator/health", tag = "probes",
    responses((status = 200, description = "`{\"status\":\"ok\"}`", body = Object)))]
pub(crate) async fn health() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

/// Readiness: the database answers.
#[utoipa::path(get, path = "/emulator/ready", tag = "probes",
    responses(
        (status = 200, description = "`{\"status\":\"ready\",\"database\":\"ok\"}`", body = Object),
        (status = 503, description = "The database is unreachable", body = Object)))]
pub(crate) async fn ready(state: web::Data<AppState>) -> HttpResponse {
    let core = state.core.clone();
    let ok = web::block(move || core.database_ready())
        .await
        .unwrap_or(false);
    if ok {
        HttpResponse::Ok().json(json!({ "status": "ready", "database": "ok" }))
    } else {
        HttpResponse::ServiceUnavailable()
            .json(json!({ "status": "not_ready", "database": "unreachable" }))
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub(crate) struct OutboxQuery {
    /// Recipient: a phone in any accepted spelling, or an e-mail.
    to: Option<String>,
    /// `sms`, `email` or `letter`.
    kind: Option<String>,
    /// At most this many, newest first (default 100).
    limit: Option<i64>,
}

/// The body of `GET /emulator/api/outbox`.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub(crate) struct OutboxList {
    messages: Vec<OutboxMessage>,
}

/// Messages the emulator "sent" (SMS, e-mail, post letters) with their codes and links.
#[utoipa::path(get, path = "/emulator/api/outbox", tag = "outbox", params(OutboxQuery),
    responses(
        (status = 200, body = OutboxList),
        (status = 400, description = "Unknown query parameter", body = ErrorBody),
        (status = 422, description = "`to` is neither a phone nor an e-mail", body = ErrorBody)))]
pub(crate) async fn outbox(
    state: web::Data<AppState>,
    query: web::Query<OutboxQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let core = state.core.clone();
    let messages = blocking(move || {
        esia_core::outbox::list_outbox(
            &core,
            q.to.as_deref(),
            q.kind.as_deref(),
            q.limit.unwrap_or(100),
        )
    })
    .await?;
    Ok(HttpResponse::Ok().json(OutboxList { messages }))
}
