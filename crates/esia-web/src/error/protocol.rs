//! The protocol channel, answered exactly as ESIA does: an `ac`-family refusal that cannot go
//! back as a redirect becomes an error page (`AcRefused`), a `te` error the HTTP 400 JSON
//! `{error, error_description, state}` (`TeError`), an ESIA error on logout a plain page. The
//! statuses, titles and texts live here; core only says what happened (`AcRefusal`,
//! `ProtocolError`). Redirects with `error=` are built by core (they are the protocol's
//! success path for a refusal) and sent by `esia::redirect_302`; this module must not render
//! successful answers.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use esia_core::protocol::ac_response::AcRefusal;
use esia_core::protocol::{EsiaErrorCode, ProtocolError};
use serde_json::json;

use super::page::render_error_page;

/// The title of every page that refuses an authorization request with an ESIA code.
const AC_TITLE: &str = "Ошибка запроса на авторизацию";

/// `ESIA-007014: Запрос не содержит обязательного параметра`.
fn code_text(code: EsiaErrorCode) -> String {
    format!("{}: {}", code.code(), code.message_ru())
}

/// Status, title and text of a refusal page.
fn words(r: AcRefusal) -> (StatusCode, &'static str, String) {
    let fixed = |status, title, text: &str| (status, title, text.to_string());
    match r {
        // The database being away is a 503 (ESIA-007008); every other request refusal is a
        // 400, an internal failure (ESIA-007007) included, as ESIA shows it.
        AcRefusal::Request(code) => {
            let status = if code == EsiaErrorCode::E007008 {
                StatusCode::SERVICE_UNAVAILABLE
            } else {
                StatusCode::BAD_REQUEST
            };
            (status, AC_TITLE, code_text(code))
        }
        // A fault rule answers with the status the catalogue suggests for its code.
        AcRefusal::Fault(code) => (esia_status(code), AC_TITLE, code_text(code)),
        AcRefusal::Gone => fixed(
            StatusCode::GONE,
            "Запрос на авторизацию устарел",
            "Запрос не найден или уже обработан. Вернитесь в систему, из которой пришли, и начните вход заново.",
        ),
        AcRefusal::NoRole => fixed(
            StatusCode::BAD_REQUEST,
            "Роль не выбрана",
            "Вернитесь на страницу выбора роли и выберите, от чьего имени войти.",
        ),
        AcRefusal::Unavailable => fixed(
            StatusCode::SERVICE_UNAVAILABLE,
            "Сервис временно недоступен",
            "База данных недоступна. Повторите через несколько секунд.",
        ),
        AcRefusal::Internal => fixed(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Внутренняя ошибка",
            "Что-то пошло не так. Попробуйте позже.",
        ),
    }
}

/// The catalogue's status for an ESIA code on a JSON or page answer.
pub(crate) fn esia_status(code: EsiaErrorCode) -> StatusCode {
    StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::BAD_REQUEST)
}

/// The error page for an `ac`-family refusal (503 with `Retry-After`).
pub fn ac_refused(r: AcRefusal) -> HttpResponse {
    let (status, title, text) = words(r);
    super::with_retry_after(render_error_page(status, title, &text))
}

/// An `ac`-family refusal on the page channel.
#[derive(Debug)]
pub struct AcRefused(pub AcRefusal);

impl std::fmt::Display for AcRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "authorization request refused: {:?}", self.0)
    }
}

impl ResponseError for AcRefused {
    fn status_code(&self) -> StatusCode {
        words(self.0).0
    }

    fn error_response(&self) -> HttpResponse {
        ac_refused(self.0)
    }
}

/// A `te` error: HTTP 400 (503 for ESIA-007008, 500 for ESIA-007007) JSON
/// `{error, error_description, state}`, never cached.
#[derive(Debug)]
pub struct TeError(pub ProtocolError);

impl std::fmt::Display for TeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.0.code.code(), self.0.detail)
    }
}

impl ResponseError for TeError {
    fn status_code(&self) -> StatusCode {
        esia_status(self.0.code)
    }

    fn error_response(&self) -> HttpResponse {
        let e = &self.0;
        super::with_retry_after(
            HttpResponse::build(self.status_code())
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .json(json!({
                    "error": e.code.oauth_error(),
                    "error_description": e.code.error_description(),
                    "state": e.state,
                })),
        )
    }
}

/// The `te` error channel as a response (see `TeError`).
pub fn te_error(e: &ProtocolError) -> HttpResponse {
    TeError(e.clone()).error_response()
}

/// An ESIA error on `/idp/ext/Logout` (a fault rule): a page with the code and its text.
pub fn logout_error(code: EsiaErrorCode) -> HttpResponse {
    render_error_page(esia_status(code), "Ошибка", &code_text(code))
}

#[cfg(test)]
mod tests {
    use super::*;
    use EsiaErrorCode as E;

    /// Every refusal: status and title of its page (byte-identical to the answers before the
    /// refusal became a type; the integration tests pin the pages themselves).
    #[test]
    fn every_refusal_maps_to_its_page() {
        let table = [
            (AcRefusal::Request(E::E007014), 400, AC_TITLE),
            (AcRefusal::Request(E::E007007), 400, AC_TITLE),
            (AcRefusal::Request(E::E007008), 503, AC_TITLE),
            (AcRefusal::Fault(E::E007007), 500, AC_TITLE),
            (AcRefusal::Fault(E::E007002), 400, AC_TITLE),
            (AcRefusal::Gone, 410, "Запрос на авторизацию устарел"),
            (AcRefusal::NoRole, 400, "Роль не выбрана"),
            (AcRefusal::Unavailable, 503, "Сервис временно недоступен"),
            (AcRefusal::Internal, 500, "Внутренняя ошибка"),
        ];
        for (r, status, title) in table {
            let resp = ac_refused(r);
            assert_eq!(resp.status().as_u16(), status, "{r:?}");
            assert_eq!(AcRefused(r).status_code().as_u16(), status, "{r:?}");
            assert_eq!(resp.headers().contains_key("retry-after"), status == 503);
            assert_eq!(words(r).1, title, "{r:?}");
        }
        assert_eq!(
            words(AcRefusal::Request(E::E007014)).2,
            "ESIA-007014: Запрос не содержит обязательного параметра"
        );
    }

    #[test]
    fn te_errors_are_json_with_the_catalogue_status() {
        for (code, status) in [(E::E007011, 400), (E::E007007, 500), (E::E007008, 503)] {
            let resp = te_error(&ProtocolError::new(code, Some("st"), "secret detail"));
            assert_eq!(resp.status().as_u16(), status, "{code:?}");
            assert_eq!(resp.headers().get("cache-control").unwrap(), "no-store");
            assert_eq!(resp.headers().contains_key("retry-after"), status == 503);
            let bytes = actix_web::rt::System::new()
                .block_on(actix_web::body::to_bytes(resp.into_body()))
                .unwrap();
            let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            assert_eq!(body["error"], code.oauth_error());
            assert_eq!(body["state"], "st");
            assert!(!body.to_string().contains("secret"), "{body}");
        }
    }
}
