//! The `/rs` channel, ESIA's REST error bodies (esia-protocol §7.7): `{code, message}` with
//! 401 for a bad or expired token, the configured status (403 by default) for a scope not
//! granted, 404 for an unknown resource, 503 ESIA-007008 with `Retry-After` while the
//! database is away and an opaque 500 whose cause is logged once. `RestFailure` is the
//! `ResponseError`; `describe` also feeds the journal. It must not render successful answers.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use esia_core::person::RestError;
use esia_core::protocol::EsiaErrorCode;
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

/// `{code, message}` with `WWW-Authenticate: Bearer` on a 401.
pub(crate) fn body(status: StatusCode, code: &str, message: &str) -> HttpResponse {
    let mut resp = HttpResponse::build(status);
    if status == StatusCode::UNAUTHORIZED {
        resp.insert_header(("WWW-Authenticate", "Bearer"));
    }
    resp.json(json!({ "code": code, "message": message }))
}

/// A `/rs` failure with the configured status for a scope not granted.
#[derive(Debug)]
pub struct RestFailure {
    pub error: RestError,
    /// `protocol.rest_scope_error_status`.
    pub scope_status: u16,
}

impl std::fmt::Display for RestFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.error)
    }
}

impl ResponseError for RestFailure {
    fn status_code(&self) -> StatusCode {
        describe(Some(&self.error), self.scope_status).0
    }

    fn error_response(&self) -> HttpResponse {
        rest_error(&self.error, self.scope_status)
    }
}

/// Renders a `/rs` failure; `scope_status` is `protocol.rest_scope_error_status`.
pub fn rest_error(e: &RestError, scope_status: u16) -> HttpResponse {
    if let RestError::Internal(cause) = e {
        super::log_internal(cause);
    }
    let (status, code, message) = describe(Some(e), scope_status);
    super::with_retry_after(body(status, code.unwrap_or_default(), message))
}

/// An ESIA error on a JSON endpoint outside `te` (`/rs`, userinfo, published keys) from a
/// fault rule: the catalogue's status and `{code, message}`.
pub fn esia_error(code: EsiaErrorCode) -> HttpResponse {
    body(
        super::protocol::esia_status(code),
        code.code(),
        code.description(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use esia_core::CoreError;

    #[test]
    fn every_rest_error_maps_to_its_status_and_code() {
        let table = [
            (RestError::InvalidToken, 401, "ESIA-005011"),
            (RestError::ExpiredToken, 401, "ESIA-005013"),
            (RestError::ScopeNotAllowed, 403, "ESIA-005029"),
            (RestError::NotFound, 404, "NOT_FOUND"),
            (
                RestError::Internal(CoreError::unavailable("secret")),
                503,
                "ESIA-007008",
            ),
            (
                RestError::Internal(CoreError::Internal("secret".into())),
                500,
                "INTERNAL_ERROR",
            ),
        ];
        for (e, status, code) in table {
            let failure = RestFailure {
                error: e,
                scope_status: 403,
            };
            assert_eq!(failure.status_code().as_u16(), status);
            let resp = failure.error_response();
            assert_eq!(resp.status().as_u16(), status);
            assert_eq!(resp.headers().contains_key("retry-after"), status == 503);
            assert_eq!(
                resp.headers().contains_key("www-authenticate"),
                status == 401
            );
            let bytes = actix_web::rt::System::new()
                .block_on(actix_web::body::to_bytes(resp.into_body()))
                .unwrap();
            let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            assert_eq!(body["code"], code);
            assert!(!body.to_string().contains("secret"), "{body}");
        }
    }

    #[test]
    fn the_scope_status_is_configurable() {
        let (s, _, _) = describe(Some(&RestError::ScopeNotAllowed), 401);
        assert_eq!(s, StatusCode::UNAUTHORIZED);
    }
}
