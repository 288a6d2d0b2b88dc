//! The QA JSON API channel: `{"error":"snake_code","message":"…","fields":[…]}` with the
//! shared status (`super::status_of`) and the core's stable code. `ApiError` is the
//! `ResponseError` a handler returns; the personas API keeps its published names for two
//! codes (`PersonaApiError`, `ApiCodes::PERSONAS`). Also the JSON 400s for input the core never sees (bad query,
//! bad JSON) and the form-body error page. It must not look inside a store error or carry a
//! cause in a 5xx body.

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

/// The names an API answers with where it published its own before the vocabulary was one
/// (wire compatibility: clients match them). `None` keeps the core's code and message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ApiCodes {
    /// Code for `CoreError::Validation`.
    validation: Option<&'static str>,
    /// Code and message for `CoreError::NotFound`.
    not_found: Option<(&'static str, &'static str)>,
}

impl ApiCodes {
    /// The core's codes, unchanged.
    const STANDARD: ApiCodes = ApiCodes {
        validation: None,
        not_found: None,
    };
    /// `/emulator/api/personas`: 422 `invalid_field`, 404 `persona_not_found`.
    const PERSONAS: ApiCodes = ApiCodes {
        validation: Some("invalid_field"),
        not_found: Some(("persona_not_found", "no persona with this oid")),
    };
}

/// A core error on the JSON API surface, in the core's codes.
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

/// A core error on the personas API, in its published names (`ApiCodes::PERSONAS`).
#[derive(Debug)]
pub struct PersonaApiError(pub CoreError);

impl From<CoreError> for PersonaApiError {
    fn from(e: CoreError) -> Self {
        PersonaApiError(e)
    }
}

impl std::fmt::Display for PersonaApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Code, message and fields of a core error on this channel; a 5xx message is opaque and the
/// cause is logged (once, here).
fn body_of(e: &CoreError, codes: ApiCodes) -> ErrorBody {
    let status = super::status_of(e);
    let mut code = e.code();
    let message = if e.is_unavailable() {
        super::log_internal(e);
        "the database is unavailable; retry shortly".to_string()
    } else if status.is_server_error() {
        super::log_internal(e);
        "internal error".to_string()
    } else {
        match e {
            CoreError::Validation(fields) => fields
                .iter()
                .map(|f| format!("{}: {}", f.field, f.error.message))
                .collect::<Vec<_>>()
                .join("; "),
            CoreError::NotFound(_) => match codes.not_found {
                Some((c, m)) => {
                    code = c;
                    m.to_string()
                }
                None => e.to_string(),
            },
            other => other.to_string(),
        }
    };
    let mut body = ErrorBody::new(code, message);
    if let CoreError::Validation(fields) = e {
        if let Some(c) = codes.validation {
            body.error = c.to_string();
        }
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
    body
}

/// The answer: shared status, body in `codes`, `Retry-After` on a 503.
fn respond(e: &CoreError, codes: ApiCodes) -> HttpResponse {
    let body = body_of(e, codes);
    super::with_retry_after(HttpResponse::build(super::status_of(e)).json(body))
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        super::status_of(&self.0)
    }

    fn error_response(&self) -> HttpResponse {
        respond(&self.0, ApiCodes::STANDARD)
    }
}

impl ResponseError for PersonaApiError {
    fn status_code(&self) -> StatusCode {
        super::status_of(&self.0)
    }

    fn error_response(&self) -> HttpResponse {
        respond(&self.0, ApiCodes::PERSONAS)
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
        super::page::render_error_page(StatusCode::BAD_REQUEST, "Некорректный запрос", &message),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(e: impl ResponseError) -> (u16, serde_json::Value, Option<String>) {
        let resp = e.error_response();
        let status = resp.status().as_u16();
        let retry = resp
            .headers()
            .get(actix_web::http::header::RETRY_AFTER)
            .map(|v| v.to_str().unwrap().to_string());
        // A fixed body is ready on the first poll; a bare system runs the future.
        let bytes = actix_web::rt::System::new()
            .block_on(actix_web::body::to_bytes(resp.into_body()))
            .unwrap();
        (status, serde_json::from_slice(&bytes).unwrap(), retry)
    }

    /// Every variant on the standard API and on the personas API: status and `error`.
    #[test]
    fn every_core_error_maps_to_its_status_and_code() {
        let standard = [
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
        for (e, (status, code)) in super::super::every_core_error().into_iter().zip(standard) {
            let (s, body, _) = answer(ApiError(e));
            assert_eq!((s, body["error"].as_str()), (status, Some(code)), "{body}");
        }
        let personas: Vec<_> = super::super::every_core_error()
            .into_iter()
            .map(|e| {
                let (s, b, _) = answer(PersonaApiError(e));
                (s, b["error"].as_str().unwrap().to_string())
            })
            .collect();
        assert_eq!(personas[0], (422, "invalid_field".to_string()));
        assert_eq!(personas[1], (404, "persona_not_found".to_string()));
        assert_eq!(personas[3], (409, "login_taken".to_string()));
    }

    #[test]
    fn server_errors_carry_no_cause_and_503_says_retry() {
        for e in super::super::every_core_error() {
            let (s, body, retry) = answer(ApiError(e));
            let text = body.to_string();
            assert!(!text.contains("secret"), "{text}");
            assert_eq!(retry.is_some(), s == 503, "{text}");
        }
    }

    #[test]
    fn validation_lists_every_field() {
        let (_, body, _) = answer(PersonaApiError(super::super::every_core_error().remove(0)));
        assert_eq!(body["fields"][0]["field"], "phone");
        assert_eq!(body["fields"][0]["code"], "phone_invalid");
        assert_eq!(body["message"], "phone: неверный номер");
    }
}
