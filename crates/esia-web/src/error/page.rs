//! The page channel: a core error a page did not handle itself becomes the Russian error page
//! (`message.html`), with the shared status; «not logged in» becomes a 303 to `/login`. The
//! titles and texts live here, not in core. `PageError` is the `ResponseError` a page handler
//! returns; `render_error_page` also serves pages' own messages (CSRF, 404, a bad form body).
//! It must not render successful pages or look inside a store error.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use esia_core::CoreError;

use crate::render::{html, MessagePage};

/// A Russian error page with the given status.
pub fn render_error_page(status: StatusCode, title: &str, text: &str) -> HttpResponse {
    let page = MessagePage {
        title,
        text,
        link: Some(("/", "На главную")),
    };
    html(status, &page)
}

/// Title and text of the error page for a core error; `None` for «not logged in» (a
/// redirect to the login page). Server-side failures say nothing of their cause.
fn words(e: &CoreError) -> Option<(&'static str, String)> {
    let fixed = |title, text: &str| Some((title, text.to_string()));
    match e {
        CoreError::Unauthenticated => None,
        e if e.is_unavailable() => fixed(
            "Сервис временно недоступен",
            "База данных недоступна. Повторите через несколько секунд.",
        ),
        CoreError::NotFound(_) => fixed("Не найдено", "Страница или ссылка не найдена."),
        CoreError::Expired(_) => fixed(
            "Срок действия истёк",
            "Ссылка или код больше не действуют. Начните заново.",
        ),
        CoreError::TooManyAttempts { .. } => fixed(
            "Слишком много попыток",
            "Слишком много попыток. Повторите через 5 минут",
        ),
        CoreError::Conflict(m) | CoreError::LoginTaken(m) => {
            Some(("Действие невозможно", m.clone()))
        }
        CoreError::InvalidDocument(m) => Some(("Документ отклонён", m.clone())),
        _ => fixed(
            "Внутренняя ошибка",
            "Что-то пошло не так. Попробуйте позже.",
        ),
    }
}

/// The status of the error page: the shared one, except that a 4xx the page has no words for
/// (wrong credentials, a validation the page did not show) is an internal failure here, as a
/// page that lets it through is a bug.
fn status(e: &CoreError) -> StatusCode {
    let shared = super::status_of(e);
    match e {
        CoreError::Validation(_) | CoreError::WrongCredentials => StatusCode::INTERNAL_SERVER_ERROR,
        _ => shared,
    }
}

/// The answer for a core error on a page; a 5xx logs its cause once.
pub fn error_page(e: &CoreError) -> HttpResponse {
    let Some((title, text)) = words(e) else {
        // A constant target: always a valid header, so no need for `local_redirect::location`.
        return HttpResponse::SeeOther()
            .insert_header((actix_web::http::header::LOCATION, "/login"))
            .finish();
    };
    let status = status(e);
    if status.is_server_error() {
        super::log_internal(e);
    }
    super::with_retry_after(render_error_page(status, title, &text))
}

/// A core error on the page surface.
#[derive(Debug)]
pub struct PageError(pub CoreError);

impl From<CoreError> for PageError {
    fn from(e: CoreError) -> Self {
        PageError(e)
    }
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match &self.0 {
            CoreError::Unauthenticated => StatusCode::SEE_OTHER,
            e => status(e),
        }
    }

    fn error_response(&self) -> HttpResponse {
        error_page(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(resp: HttpResponse) -> String {
        let bytes = actix_web::rt::System::new()
            .block_on(actix_web::body::to_bytes(resp.into_body()))
            .unwrap();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    /// Every variant: status and title of its page (a change here changes what users see).
    #[test]
    fn every_core_error_maps_to_its_page() {
        let expected: [(u16, &str); 12] = [
            (500, "Внутренняя ошибка"),
            (404, "Не найдено"),
            (409, "Действие невозможно"),
            (409, "Действие невозможно"),
            (429, "Слишком много попыток"),
            (500, "Внутренняя ошибка"),
            (303, ""),
            (410, "Срок действия истёк"),
            (422, "Документ отклонён"),
            (500, "Внутренняя ошибка"),
            (500, "Внутренняя ошибка"),
            (503, "Сервис временно недоступен"),
        ];
        for (e, (code, title)) in super::super::every_core_error().into_iter().zip(expected) {
            let pe = PageError(e);
            let resp = pe.error_response();
            assert_eq!(resp.status().as_u16(), code, "{pe:?}");
            assert_eq!(pe.status_code().as_u16(), code, "{pe:?}");
            if code == 303 {
                assert_eq!(resp.headers().get("location").unwrap(), "/login");
                continue;
            }
            assert_eq!(resp.headers().contains_key("retry-after"), code == 503);
            let html = body(resp);
            assert!(html.contains(title), "{pe:?}: {html}");
            assert!(
                !html.contains("secret"),
                "{pe:?}: a 5xx page names its cause"
            );
        }
    }

    #[test]
    fn a_conflict_shows_its_message() {
        let html = body(error_page(&CoreError::Conflict(
            "Учётная запись заблокирована".into(),
        )));
        assert!(html.contains("Учётная запись заблокирована"));
    }
}
