//! How a page handler answers: a rendered template, a 303, an error page for a core error, the
//! CSRF refusal, field errors for a form, the page alert of the admin pages, and whether cookies
//! are `Secure`. Shared by every page and door of esia-web; holds no routes and no rules.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use esia_core::{CoreError, FieldError};

use crate::state::AppState;

pub(crate) use crate::render::{html, MessagePage};

/// Maps a core error that a page did not handle itself to an error page.
pub(crate) fn core_error_page(e: &CoreError) -> HttpResponse {
    crate::error::page::error_page(e)
}

/// Field errors keyed by field name, for templates.
pub(crate) fn field_errors(fields: &[FieldError]) -> HashMap<&'static str, String> {
    let mut map = HashMap::new();
    for f in fields {
        map.entry(f.field)
            .or_insert_with(|| f.error.message.clone());
    }
    map
}

/// 303 to `to`; never a 500 on a bad header value (see `local_redirect::location`).
pub(crate) fn redirect(to: &str) -> HttpResponse {
    crate::local_redirect::location(StatusCode::SEE_OTHER, to)
}

pub(crate) fn csrf_failed() -> HttpResponse {
    crate::error::page::render_error_page(
        StatusCode::FORBIDDEN,
        "Сессия формы устарела",
        "Обновите страницу и отправьте форму ещё раз (проверка CSRF не пройдена).",
    )
}

/// Renders a page with this browser's CSRF token, setting the token's cookie when it is new.
/// `build` renders the page (and its status) around the token.
pub(crate) fn with_csrf(
    req: &HttpRequest,
    state: &AppState,
    build: impl FnOnce(&str) -> HttpResponse,
) -> HttpResponse {
    let (token, cookie) = crate::cookies::csrf_token(req, secure(state));
    let mut resp = build(&token);
    if let Some(c) = cookie {
        let _ = resp.add_cookie(&c);
    }
    resp
}

/// Whether cookies carry `Secure`: configured, or an https public base URL.
pub(crate) fn secure(state: &AppState) -> bool {
    state.core.config.server.cookies_secure()
}

/// A core error as one line for the page's alert, or None when the page should give way to the
/// generic error page (internal failures).
pub(crate) fn page_message(e: &CoreError) -> Option<String> {
    match e {
        CoreError::Validation(fields) => Some(
            fields
                .iter()
                .map(|f| format!("{}: {}", f.field, f.error.message))
                .collect::<Vec<_>>()
                .join("; "),
        ),
        CoreError::NotFound(what) => Some(format!("Не найдено: {what}")),
        CoreError::Conflict(m) | CoreError::LoginTaken(m) => Some(m.clone()),
        _ => None,
    }
}
