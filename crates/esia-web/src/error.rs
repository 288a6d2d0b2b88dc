//! The one place that maps core errors to HTTP. Pages answer with a Russian error page, the JSON
//! API with `{"error":"snake_code","message":"…"}`. 5xx bodies never carry the cause; the cause
//! is logged once here. A database that is away is a 503 with `Retry-After` on every channel
//! (`database_unavailable` here; the page, protocol and `/rs` maps follow `classify`).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use esia_core::CoreError;

/// The body of every JSON API error: a stable snake_case code, a readable message and, for
/// validation failures, one entry per refused field.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<FieldErrorBody>>,
}

/// One refused field of a validation error.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct FieldErrorBody {
    pub field: String,
    pub code: String,
    pub message: String,
}

impl ErrorBody {
    pub fn new(code: &str, message: impl Into<String>) -> ErrorBody {
        ErrorBody {
            error: code.to_string(),
            message: message.into(),
            fields: None,
        }
    }
}

/// A core error on the JSON API surface.
#[derive(Debug)]
pub struct ApiError(pub CoreError);

impl From<CoreError> for ApiError {
    fn from(e: CoreError) -> Self {
        ApiError(e)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Seconds a client is told to wait (`Retry-After`) when the database is away; the pool
/// reconnects within about that long.
pub const RETRY_AFTER_SECS: &str = "2";

/// Status and stable snake_case code for a core error.
pub fn classify(e: &CoreError) -> (StatusCode, &'static str) {
    match e {
        e if e.is_unavailable() => (StatusCode::SERVICE_UNAVAILABLE, "database_unavailable"),
        CoreError::Validation(_) => (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
        CoreError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
        CoreError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
        CoreError::TooManyAttempts { .. } => (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts"),
        CoreError::WrongCredentials => (StatusCode::UNAUTHORIZED, "wrong_credentials"),
        CoreError::Unauthenticated => (StatusCode::UNAUTHORIZED, "unauthenticated"),
        CoreError::Expired(_) => (StatusCode::GONE, "expired"),
        CoreError::InvalidDocument(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_document"),
        CoreError::Config(_) | CoreError::Store(_) | CoreError::Internal(_) => {
            (StatusCode::INTERNAL_SERVER_ERROR, "internal_error")
        }
    }
}

/// Logs a server-side failure once, with its cause chain, and returns the opaque body text.
/// A database outage is a warning: it heals by itself and is not a bug.
pub fn log_internal(e: &CoreError) {
    if e.is_unavailable() {
        tracing::warn!(error = %e, "request refused: database unavailable");
    } else {
        tracing::error!(error = %e, "request failed");
    }
}

/// Adds `Retry-After` to a 503 answer.
pub fn with_retry_after(mut resp: HttpResponse) -> HttpResponse {
    if resp.status() == StatusCode::SERVICE_UNAVAILABLE {
        resp.headers_mut().insert(
            actix_web::http::header::RETRY_AFTER,
            actix_web::http::header::HeaderValue::from_static(RETRY_AFTER_SECS),
        );
    }
    resp
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        classify(&self.0).0
    }

    fn error_response(&self) -> HttpResponse {
        let (status, code) = classify(&self.0);
        let message = if self.0.is_unavailable() {
            log_internal(&self.0);
            "the database is unavailable; retry shortly".to_string()
        } else if status.is_server_error() {
            log_internal(&self.0);
            "internal error".to_string()
        } else {
            match &self.0 {
                CoreError::Validation(fields) => fields
                    .iter()
                    .map(|f| format!("{}: {}", f.field, f.error.message))
                    .collect::<Vec<_>>()
                    .join("; "),
                other => other.to_string(),
            }
        };
        let mut body = ErrorBody::new(code, message);
        if let CoreError::Validation(fields) = &self.0 {
            body.fields = Some(
                fields
                    .iter()
                    .map(|f| FieldErrorBody {
                        field: f.field.to_string(),
                        code: f.error.code.to_string(),
                        message: f.error.message.to_string(),
                    })
                    .collect(),
            );
        }
        with_retry_after(HttpResponse::build(status).json(body))
    }
}

/// A JSON error with an explicit code, for input the core never sees.
pub fn api_bad_request(code: &str, message: impl Into<String>) -> HttpResponse {
    HttpResponse::BadRequest().json(ErrorBody::new(code, message))
}

/// Malformed form bodies: answered as a page-level 400 rather than actix's plain text.
pub fn form_error(
    err: actix_web::error::UrlencodedError,
    _req: &actix_web::HttpRequest,
) -> actix_web::Error {
    let message = format!("Не удалось прочитать форму: {err}");
    actix_web::error::InternalError::from_response(
        err,
        crate::pages::render_error_page(StatusCode::BAD_REQUEST, "Некорректный запрос", &message),
    )
    .into()
}

/// Malformed query strings on the JSON API: a JSON 400 naming the problem.
pub fn query_error(
    err: actix_web::error::QueryPayloadError,
    _req: &actix_web::HttpRequest,
) -> actix_web::Error {
    let message = err.to_string();
    actix_web::error::InternalError::from_response(err, api_bad_request("bad_query", message))
        .into()
}

/// Malformed or mistyped JSON bodies taken with `web::Json`: a JSON 400 naming the problem
/// (actix's default is a plain-text body).
pub fn json_error(
    err: actix_web::error::JsonPayloadError,
    _req: &actix_web::HttpRequest,
) -> actix_web::Error {
    let response = match &err {
        actix_web::error::JsonPayloadError::ContentType => HttpResponse::UnsupportedMediaType()
            .json(ErrorBody::new(
                "unsupported_media_type",
                "send Content-Type: application/json",
            )),
        other => api_bad_request("bad_json", other.to_string()),
    };
    actix_web::error::InternalError::from_response(err, response).into()
}
