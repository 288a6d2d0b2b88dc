//! The QA JSON API under `/emulator/api/` and the probes `/emulator/health` and
//! `/emulator/ready`. Errors answer `{"error":"snake_code","message":"…"}`.

mod clients;
pub mod clock;
pub mod faults;
pub mod journal;
pub(crate) mod personas;
pub mod zero_click;

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use crate::error::ApiError;
use crate::pages::blocking;
use crate::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    clients::configure(cfg);
    faults::configure(cfg);
    clock::configure(cfg);
    zero_click::configure(cfg);
    journal::configure(cfg);
    personas::configure(cfg);
    cfg.route("/emulator/health", web::get().to(health))
        .route("/emulator/ready", web::get().to(ready))
        .route("/emulator/api/outbox", web::get().to(outbox));
}

async fn health() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

async fn ready(state: web::Data<AppState>) -> HttpResponse {
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OutboxQuery {
    to: Option<String>,
    kind: Option<String>,
    limit: Option<i64>,
}

async fn outbox(
    state: web::Data<AppState>,
    query: web::Query<OutboxQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let core = state.core.clone();
    let messages = blocking(move || {
        core.list_outbox(q.to.as_deref(), q.kind.as_deref(), q.limit.unwrap_or(100))
    })
    .await?;
    Ok(HttpResponse::Ok().json(json!({ "messages": messages })))
}
