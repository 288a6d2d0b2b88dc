//! Госуслуги-like HTML pages: registration, login, recovery, the cabinet. Server-rendered askama
//! templates that work without JavaScript; every element has a `data-testid`. Pages map core
//! outcomes to what the user sees; they hold no rules of their own.

mod admin;
mod assets;
mod bank;
mod bank_register;
mod clients;
mod confirm;
mod emulator_home;
mod login;
mod login_signature;
mod operator;
mod orgs;
mod personal_data;
mod profile;
mod recovery;
mod registration;

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use esia_core::{CoreError, FieldError};

use crate::AppState;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The ESIA pages and the simulated banks (open: users reach the banks from the profile).
pub fn configure(cfg: &mut web::ServiceConfig) {
    assets::configure(cfg);
    registration::configure(cfg);
    login::configure(cfg);
    login_signature::configure(cfg);
    recovery::configure(cfg);
    profile::configure(cfg);
    personal_data::configure(cfg);
    confirm::configure(cfg);
    orgs::configure(cfg);
    bank::configure(cfg);
    bank_register::configure(cfg);
}

/// The admin pages; paths are relative to the `/emulator` scope that `crate::configure` wraps
/// with the admin guard.
pub fn configure_admin(cfg: &mut web::ServiceConfig) {
    emulator_home::configure(cfg);
    admin::configure(cfg);
    clients::configure(cfg);
    operator::configure(cfg);
}

#[derive(Template)]
#[template(path = "message.html")]
pub(crate) struct MessagePage<'a> {
    pub title: &'a str,
    pub text: &'a str,
    pub link: Option<(&'a str, &'a str)>,
}

/// Renders a template into an HTML response with the given status.
pub(crate) fn html<T: Template>(status: StatusCode, page: &T) -> HttpResponse {
    match page.render() {
        Ok(body) => HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(body),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            HttpResponse::InternalServerError()
                .content_type("text/plain; charset=utf-8")
                .body("Внутренняя ошибка")
        }
    }
}

/// The error page and the page channel's map of core errors live in `crate::error::page`;
/// these names stay for the pages that call them.
pub use crate::error::page::render_error_page;

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
    render_error_page(
        StatusCode::FORBIDDEN,
        "Сессия формы устарела",
        "Обновите страницу и отправьте форму ещё раз (проверка CSRF не пройдена).",
    )
}

/// Runs a blocking core call off the async threads; a panic or cancellation becomes a 500 error.
pub(crate) async fn blocking<T, F>(f: F) -> Result<T, CoreError>
where
    F: FnOnce() -> Result<T, CoreError> + Send + 'static,
    T: Send + 'static,
{
    web::block(crate::request_log::carry(f))
        .await
        .map_err(|e| CoreError::Internal(e.to_string()))?
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

pub async fn not_found() -> HttpResponse {
    render_error_page(
        StatusCode::NOT_FOUND,
        "Страница не найдена",
        "Проверьте адрес страницы.",
    )
}
