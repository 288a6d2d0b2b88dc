//! The admin-token guard of the QA control plane. With `[admin] token` set, the `/emulator/api`
//! and `/emulator` scopes (registered in `crate::configure`) are wrapped by `api_guard` and
//! `page_guard`: every request the router sends into them needs `Authorization: Bearer <token>`
//! (or `X-Emulator-Token`), or the admin cookie set by `/emulator/login`. The guard wraps the
//! scopes, so it sees exactly what the router resolved (percent-decoded paths included) and
//! never compares path strings. The open paths (probes, API description, simulated banks, this
//! login page) are registered before the scopes. The API answers 401 JSON; pages redirect to
//! the login page. With no token it is open (config validation allows that only on loopback).

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::cookies::csrf_ok;
use crate::error::ErrorBody;
use crate::local_redirect::same_origin_path;
use crate::respond::{html, secure, with_csrf};
use crate::state::AppState;

pub const COOKIE: &str = "esia_admin";

fn presented_token(req: &HttpRequest) -> Option<String> {
    let header_value = |name: header::HeaderName| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .map(str::to_string)
    };
    header_value(header::AUTHORIZATION)
        .and_then(|v| v.strip_prefix("Bearer ").map(|t| t.trim().to_string()))
        .or_else(|| header_value(header::HeaderName::from_static("x-emulator-token")))
}

/// True when the control plane is open or the request carries the token or the admin cookie.
/// Without the application state (never in practice) nothing is admitted.
fn admitted(req: &ServiceRequest) -> bool {
    let Some(state) = req.app_data::<web::Data<AppState>>() else {
        return false;
    };
    let admin = &state.core.config.admin;
    admin.is_open()
        || presented_token(req.request()).is_some_and(|t| admin.token_matches(&t))
        || req
            .cookie(COOKIE)
            .is_some_and(|c| admin.cookie_matches(c.value()))
}

/// `from_fn` middleware of the `/emulator/api` scope: 401 JSON without the token, before
/// anything reads the body.
pub async fn api_guard(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if admitted(&req) {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    tracing::info!(path = %crate::loggable_path(req.path()), "admin token missing or wrong");
    let response = HttpResponse::Unauthorized()
        .insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"esia-emulator\""))
        .json(ErrorBody::new(
            "admin_token_required",
            "send the emulator's admin token: Authorization: Bearer <token>",
        ));
    Ok(req.into_response(response))
}

/// `from_fn` middleware of the `/emulator` admin pages scope: without the token or cookie the
/// browser goes to the login page, which comes back here (`safe_next` checks the way back).
pub async fn page_guard(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if admitted(&req) {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    tracing::info!(path = %crate::loggable_path(req.path()), "admin login required");
    let target = format!("/emulator/login?next={}", urlencoding(req.path()));
    let response = HttpResponse::SeeOther()
        .insert_header((header::LOCATION, target))
        .finish();
    Ok(req.into_response(response))
}

fn urlencoding(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Where the admin login continues: `next` when it is a same-origin path (parsed as a browser
/// would, see `local_redirect`) that resolves to `/emulator` or below, otherwise `/emulator`.
/// Whatever it names is behind the guard again, so this only has to prevent leaving the site.
fn safe_next(base: &url::Url, next: Option<&str>) -> String {
    next.and_then(|n| same_origin_path(n, base))
        .filter(|p| p == "/emulator" || p.starts_with("/emulator/") || p.starts_with("/emulator?"))
        .unwrap_or_else(|| "/emulator".to_string())
}

fn base_url(state: &AppState) -> url::Url {
    url::Url::parse(&state.core.config.public_base_url())
        .unwrap_or_else(|_| url::Url::parse("http://localhost/").expect("a literal URL"))
}

#[derive(Template)]
#[template(path = "emulator_login.html")]
struct LoginPage<'a> {
    csrf: &'a str,
    next: &'a str,
    error: Option<&'a str>,
    open: bool,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginForm {
    token: String,
    next: Option<String>,
    csrf: String,
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/emulator/login", web::get().to(login_page))
        .route("/emulator/login", web::post().to(login));
}

async fn login_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    q: web::Query<NextQuery>,
) -> HttpResponse {
    let next = safe_next(&base_url(&state), q.next.as_deref());
    let open = state.core.config.admin.is_open();
    with_csrf(&req, &state, |csrf| {
        html(
            StatusCode::OK,
            &LoginPage {
                csrf,
                next: &next,
                error: None,
                open,
            },
        )
    })
}

async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<LoginForm>,
) -> HttpResponse {
    let admin = &state.core.config.admin;
    let next = safe_next(&base_url(&state), form.next.as_deref());
    let error = if !csrf_ok(&req, &form.csrf) {
        Some("Форма устарела. Обновите страницу и попробуйте снова.")
    } else if !admin.token_matches(form.token.trim()) {
        Some("Неверный токен администратора")
    } else {
        None
    };
    if let Some(error) = error {
        let open = admin.is_open();
        return with_csrf(&req, &state, |csrf| {
            html(
                StatusCode::UNAUTHORIZED,
                &LoginPage {
                    csrf,
                    next: &next,
                    error: Some(error),
                    open,
                },
            )
        });
    }
    let mut cookie = crate::cookies::build(
        COOKIE,
        admin.cookie_value(),
        secure(&state),
        Some(12 * 3600),
    );
    cookie.set_path("/emulator");
    cookie.set_same_site(actix_web::cookie::SameSite::Strict);
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, next))
        .cookie(cookie)
        .finish()
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn login_redirects_only_to_admin_pages() {
        let base = url::Url::parse("http://127.0.0.1:8080").unwrap();
        let next = |n: &str| safe_next(&base, Some(n));
        assert_eq!(next("/emulator/journal"), "/emulator/journal");
        assert_eq!(next("/emulator/journal?q=1"), "/emulator/journal?q=1");
        assert_eq!(next("/emulator"), "/emulator");
        assert_eq!(next("/emulator/./outbox"), "/emulator/outbox");
        for hostile in [
            "https://evil.example/",
            "//evil.example/emulator",
            "/\\evil.example/emulator",
            "/\t/evil.example/emulator",
            "/emulator/\r\nSet-Cookie: x=y",
            "/emulator/../profile",
            "/emulator/%2e%2e/profile",
            "/x/../../emulator/../login",
            "/emulatorx",
            "/Emulator/journal",
            "http://127.0.0.1:8080/emulator",
        ] {
            assert_eq!(next(hostile), "/emulator", "{hostile:?}");
        }
        assert_eq!(safe_next(&base, None), "/emulator");
    }
}
