//! The one place where core outcomes become HTTP, one module per channel: `page` (the Russian
//! error page), `api` (the QA JSON API's `{"error","message","fields"}`), `protocol` (the `ac`
//! error page and the `te` 400 JSON, ESIA codes) and `rest` (`/rs` `{code, message}`). Each has
//! a type behind `ResponseError` so a handler can return `Result<_, PageError>`, `ApiError`, ….
//! This module holds what they share: the status for a core error, the 503 + `Retry-After`
//! when the database is away (on every channel), and the one log line for a server-side
//! failure — 5xx bodies never carry the cause. The codes are the core's (`CoreError::code`);
//! nothing here looks inside a store error, and nothing here renders a successful answer.

pub mod api;
pub mod page;
pub mod protocol;
pub mod rest;
pub mod unrouted;

use actix_web::http::header::{HeaderValue, RETRY_AFTER};
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use esia_core::CoreError;

pub use api::{api_bad_request, form_error, json_error, query_error, ApiError};
pub use api::{ErrorBody, FieldErrorBody};

/// Seconds a client is told to wait (`Retry-After`) when the database is away; the pool
/// reconnects within about that long.
pub const RETRY_AFTER_SECS: &str = "2";

/// The HTTP status of a core error, the same on the page and QA API channels (401/403/404/
/// 409/410/422/429 chosen deliberately; 503 for a database that is away, 500 otherwise).
pub fn status_of(e: &CoreError) -> StatusCode {
    match e {
        e if e.is_unavailable() => StatusCode::SERVICE_UNAVAILABLE,
        CoreError::Validation(_) | CoreError::InvalidDocument(_) => {
            StatusCode::UNPROCESSABLE_ENTITY
        }
        CoreError::NotFound(_) => StatusCode::NOT_FOUND,
        CoreError::Conflict(_) | CoreError::LoginTaken(_) => StatusCode::CONFLICT,
        CoreError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
        CoreError::WrongCredentials | CoreError::Unauthenticated => StatusCode::UNAUTHORIZED,
        CoreError::Expired(_) => StatusCode::GONE,
        CoreError::Config(_) | CoreError::Store(_) | CoreError::Internal(_) => {
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

/// Status and stable snake_case code (`CoreError::code`) for a core error.
pub fn classify(e: &CoreError) -> (StatusCode, &'static str) {
    (status_of(e), e.code())
}

/// Logs a server-side failure once, with its cause chain (the body never carries it).
/// A database outage is a warning: it heals by itself and is not a bug.
pub fn log_internal(e: &CoreError) {
    if e.is_unavailable() {
        tracing::warn!(error = %e, "request refused: database unavailable");
    } else {
        tracing::error!(error = %e, "request failed");
    }
}

/// Adds `Retry-After` to a 503 answer (any channel); other answers pass unchanged.
pub fn with_retry_after(mut resp: HttpResponse) -> HttpResponse {
    if resp.status() == StatusCode::SERVICE_UNAVAILABLE {
        resp.headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from_static(RETRY_AFTER_SECS));
    }
    resp
}

/// Every core error variant once, for the channels' table tests.
#[cfg(test)]
pub(crate) fn every_core_error() -> Vec<CoreError> {
    use esia_domain::ValidationError;
    vec![
        CoreError::field(
            "phone",
            ValidationError::new("phone_invalid", "неверный номер"),
        ),
        CoreError::NotFound("client"),
        CoreError::Conflict("Учётная запись заблокирована".into()),
        CoreError::LoginTaken("phone belongs to another persona".into()),
        CoreError::TooManyAttempts {
            retry_after_secs: 300,
        },
        CoreError::WrongCredentials,
        CoreError::Unauthenticated,
        CoreError::Expired("link"),
        CoreError::InvalidDocument("personas[0]: bad".into()),
        CoreError::Config("secret-config-cause".into()),
        CoreError::Internal("secret-internal-cause".into()),
        CoreError::unavailable("secret-outage-cause"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shared status of every variant: a change here changes a wire status.
    #[test]
    fn every_core_error_has_its_status_and_code() {
        let expected: [(u16, &str); 12] = [
            (422, "validation_failed"),
            (404, "not_found"),
            (409, "conflict"),
            (409, "login_taken"),
            (429, "too_many_attempts"),
            (401, "wrong_credentials"),
            (401, "unauthenticated"),
            (410, "expired"),
            (422, "invalid_document"),
            (500, "internal_error"),
            (500, "internal_error"),
            (503, "database_unavailable"),
        ];
        let all = every_core_error();
        assert_eq!(all.len(), expected.len());
        for (e, (status, code)) in all.iter().zip(expected) {
            let (s, c) = classify(e);
            assert_eq!((s.as_u16(), c), (status, code), "{e:?}");
        }
    }

    #[test]
    fn retry_after_only_on_503() {
        let r = with_retry_after(HttpResponse::ServiceUnavailable().finish());
        assert_eq!(r.headers().get(RETRY_AFTER).unwrap(), RETRY_AFTER_SECS);
        let r = with_retry_after(HttpResponse::InternalServerError().finish());
        assert!(r.headers().get(RETRY_AFTER).is_none());
    }
}
