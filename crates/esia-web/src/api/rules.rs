//! QA JSON API of verification rules (`/emulator/api/verification-rules`): force the outcome and
//! delay of the government checks by field value or pattern (account-lifecycle §5).

use actix_web::{web, HttpResponse};
use esia_core::upgrade::rules::NewRule;
use serde_json::json;

use super::ErrorBody;
use crate::error::{api_bad_request, ApiError};
use crate::state::blocking;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/verification-rules", web::get().to(list))
        .route("/verification-rules", web::post().to(add))
        .route("/verification-rules", web::delete().to(delete_all))
        .route("/verification-rules/{id}", web::delete().to(delete_one));
}

/// Every rule, oldest first.
#[utoipa::path(get, path = "/emulator/api/verification-rules", tag = "verification",
    responses((status = 200, description = "`{\"rules\":[…]}`", body = Object)))]
pub(crate) async fn list(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let core = state.core.clone();
    let rules = blocking(move || esia_core::upgrade::rules::verification_rules(&core)).await?;
    Ok(HttpResponse::Ok().json(json!({ "rules": rules })))
}

/// Adds a rule: checks of `field` whose value matches `pattern` end with `outcome`.
#[utoipa::path(post, path = "/emulator/api/verification-rules", tag = "verification",
    request_body = NewRule,
    responses(
        (status = 201, description = "The stored rule with its id", body = Object),
        (status = 400, description = "Not JSON or unknown fields", body = ErrorBody),
        (status = 409, description = "Unknown field or outcome", body = ErrorBody)))]
pub(crate) async fn add(
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let rule: NewRule = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => return Ok(api_bad_request("bad_json", e.to_string())),
    };
    let core = state.core.clone();
    let rule =
        blocking(move || esia_core::upgrade::rules::add_verification_rule(&core, rule)).await?;
    Ok(HttpResponse::Created().json(rule))
}

/// Deletes every rule.
#[utoipa::path(delete, path = "/emulator/api/verification-rules", tag = "verification",
    responses((status = 200, description = "`{\"deleted\":N}`", body = Object)))]
pub(crate) async fn delete_all(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let core = state.core.clone();
    let n =
        blocking(move || esia_core::upgrade::rules::delete_verification_rules(&core, None)).await?;
    Ok(HttpResponse::Ok().json(json!({ "deleted": n })))
}

/// Deletes one rule.
#[utoipa::path(delete, path = "/emulator/api/verification-rules/{id}", tag = "verification",
    params(("id" = String, Path, description = "Rule id")),
    responses(
        (status = 200, description = "`{\"deleted\":1}`", body = Object),
        (status = 404, description = "No such rule", body = ErrorBody)))]
pub(crate) async fn delete_one(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let core = state.core.clone();
    let n =
        blocking(move || esia_core::upgrade::rules::delete_verification_rules(&core, Some(&id)))
            .await?;
    if n == 0 {
        return Err(ApiError(esia_core::CoreError::NotFound("rule")));
    }
    Ok(HttpResponse::Ok().json(json!({ "deleted": n })))
}
