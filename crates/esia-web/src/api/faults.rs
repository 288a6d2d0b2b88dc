//! `/emulator/api/faults`: QA fault rules — create, list, show, delete one or all. Thin
//! handlers over `esia_control::faults`; the middleware in `crate::faults` applies them.
//! Errors answer `{"error":"snake_code","message":"…"}`: 400 for unreadable JSON, 422 for
//! unknown fields, kinds, codes, clients or personas, 404 for an unknown rule id.

use actix_web::{web, HttpResponse};
use esia_control::fault_rule::{FaultRule, FaultSpec};
use serde::de::DeserializeOwned;
use serde_json::json;

use crate::error::{api_bad_request, ApiError};
use crate::state::blocking;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/faults", web::get().to(list))
        .route("/faults", web::post().to(add))
        .route("/faults", web::delete().to(clear))
        .route("/faults/{id}", web::get().to(show))
        .route("/faults/{id}", web::delete().to(remove));
}

/// A JSON body: 400 `bad_json` when it does not parse as JSON, 422 `invalid_body` when it does
/// but does not fit (unknown field or kind, wrong type, missing field).
/// The error response is boxed: it is the rare path.
pub(crate) fn parse_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, Box<HttpResponse>> {
    serde_json::from_slice(body).map_err(|e| {
        use serde_json::error::Category;
        Box::new(match e.classify() {
            Category::Data => HttpResponse::UnprocessableEntity()
                .json(json!({ "error": "invalid_body", "message": e.to_string() })),
            _ => api_bad_request("bad_json", e.to_string()),
        })
    })
}

/// Creates a fault rule.
#[utoipa::path(post, path = "/emulator/api/faults", tag = "faults",
    request_body = FaultSpec,
    responses(
        (status = 201, description = "The rule", body = FaultRule),
        (status = 400, description = "Not JSON"),
        (status = 422, description = "Unknown field, kind, ESIA code, client or persona"),
    ))]
pub async fn add(state: web::Data<AppState>, body: web::Bytes) -> Result<HttpResponse, ApiError> {
    let spec: FaultSpec = match parse_body(&body) {
        Ok(s) => s,
        Err(resp) => return Ok(*resp),
    };
    let ctl = state.control.clone();
    let rule = blocking(move || esia_control::faults::add_fault(&ctl, &spec)).await?;
    Ok(HttpResponse::Created().json(rule))
}

/// Every rule, oldest first (the matching order); exhausted ones have `active: false`.
#[utoipa::path(get, path = "/emulator/api/faults", tag = "faults",
    responses((status = 200, description = "`{\"faults\": [FaultRule]}`", body = Vec<FaultRule>)))]
pub async fn list(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let ctl = state.control.clone();
    let faults = blocking(move || esia_control::faults::list_faults(&ctl)).await?;
    Ok(HttpResponse::Ok().json(json!({ "faults": faults })))
}

/// One rule.
#[utoipa::path(get, path = "/emulator/api/faults/{id}", tag = "faults",
    params(("id" = String, Path, description = "Rule id")),
    responses((status = 200, body = FaultRule), (status = 404, description = "Unknown id")))]
pub async fn show(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let ctl = state.control.clone();
    let id = path.into_inner();
    let rule = blocking(move || esia_control::faults::show_fault(&ctl, &id)).await?;
    Ok(HttpResponse::Ok().json(rule))
}

/// Deletes one rule.
#[utoipa::path(delete, path = "/emulator/api/faults/{id}", tag = "faults",
    params(("id" = String, Path, description = "Rule id")),
    responses((status = 204, description = "Deleted"), (status = 404, description = "Unknown id")))]
pub async fn remove(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let ctl = state.control.clone();
    let id = path.into_inner();
    blocking(move || esia_control::faults::delete_fault(&ctl, &id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Deletes every rule.
#[utoipa::path(delete, path = "/emulator/api/faults", tag = "faults",
    responses((status = 200, description = "`{\"deleted\": n}`")))]
pub async fn clear(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let ctl = state.control.clone();
    let n = blocking(move || esia_control::faults::clear_faults(&ctl)).await?;
    Ok(HttpResponse::Ok().json(json!({ "deleted": n })))
}
