//! ESIA's `/rs` error bodies (esia-protocol §7.7): `{code, message}` with 401 for a bad or
//! expired token, the configured status (403 by default) for a scope not granted, 404 for an
//! unknown resource, 503 ESIA-007008 with `Retry-After` while the database is away and an
//! opaque 500 whose cause is logged once.

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use esia_core::person::RestError;
use serde_json::json;

/// Status, ESIA code and message of a `/rs` outcome (`None` = success), for the answer and the
/// journal; `scope_status` is `protocol.rest_scope_error_status`.
pub(crate) fn describe(
    e: Option<&RestError>,
    scope_status: u16,
) -> (StatusCode, Option<&'static str>, &'static str) {
    let (status, code, message) = match e {
        None => return (StatusCode::OK, None, ""),
        Some(RestError::InvalidToken) => (
            StatusCode::UNAUTHORIZED,
            "ESIA-005011",
            "SecurityErrorEnum.invalidToken",
        ),
        Some(RestError::ExpiredToken) => (
            StatusCode::UNAUTHORIZED,
            "ESIA-005013",
            "SecurityErrorEnum.expiredToken",
        ),
        Some(RestError::ScopeNotAllowed) => (
            StatusCode::from_u16(scope_status).unwrap_or(StatusCode::FORBIDDEN),
            "ESIA-005029",
            "SecurityErrorEnum.scopeNotAllowed",
        ),
        Some(RestError::NotFound) => (StatusCode::NOT_FOUND, "NOT_FOUND", "Resource not found"),
        Some(RestError::Internal(e)) if e.is_unavailable() => (
            StatusCode::SERVICE_UNAVAILABLE,
            "ESIA-007008",
            "Temporarily unavailable",
        ),
        Some(RestError::Internal(_)) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_ERROR",
            "Internal error",
        ),
    };
    (status, Some(code), message)
}

/// Renders a `/rs` failure; `scope_status` is `protocol.rest_scope_error_status`.
pub fn rest_error(e: &RestError, scope_status: u16) -> HttpResponse {
    if let RestError::Internal(cause) = e {
        crate::error::log_internal(cause);
    }
    let (status, code, message) = describe(Some(e), scope_status);
    let mut resp = HttpResponse::build(status);
    if status == StatusCode::UNAUTHORIZED {
        resp.insert_header(("WWW-Authenticate", "Bearer"));
    }
    crate::error::with_retry_after(resp.json(json!({ "code": code, "message": message })))
}
