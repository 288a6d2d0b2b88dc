//! The admin-token guard of the QA control plane. With `[admin] token` set, every `/emulator/…`
//! path except the probes, the API description, the simulated banks (users reach them from
//! the profile) and the admin login page needs `Authorization: Bearer <token>` (or
//! `X-Emulator-Token`), or the admin cookie set by `/emulator/login`. The API answers 401 JSON;
//! pages redirect to the login page. With no token it is open (config validation allows that
//! only on loopback).

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::cookies::csrf_ok;
use crate::error::ErrorBody;
use crate::pages::{html, secure, with_csrf};
use crate::AppState;

pub const COOKIE: &str = "esia_admin";

/// Paths under `/emulator` that stay open with a token configured.
const OPEN: &[&str] = &[
    "/emulator/health",
    "/emulator/ready",
    "/emulator/login",
    "/emulator/api/openapi.json",
    "/emulator/api/docs",
];
const OPEN_PREFIXES: &[&str] = &["/emulator/bank/"];

fn guarded(path: &str) -> bool {
    (path == "/emulator" || path.starts_with("/emulator/"))
        && !OPEN.contains(&path)
        && !OPEN_PREFIXES.iter().any(|p| path.starts_with(p))
}

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

/// `from_fn` middleware: see the module comment.
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let admin = &state.core.config.admin;
    if admin.is_open() || !guarded(req.path()) {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let by_header = presented_token(req.request()).is_some_and(|t| admin.token_matches(&t));
    let by_cookie = req
        .cookie(COOKIE)
        .is_some_and(|c| admin.cookie_matches(c.value()));
    if by_header || by_cookie {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    tracing::info!(path = %crate::loggable_path(req.path()), "admin token missing or wrong");
    let response = if req.path().starts_with("/emulator/api/") {
        HttpResponse::Unauthorized()
            .insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"esia-emulator\""))
            .json(ErrorBody::new(
                "admin_token_required",
                "send the emulator's admin token: Authorization: Bearer <token>",
            ))
    } else {
        let target = format!("/emulator/login?next={}", urlencoding(req.path()));
        HttpResponse::SeeOther()
            .insert_header((header::LOCATION, target))
            .finish()
    };
    Ok(req.into_response(response))
}

fn urlencoding(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Only our own admin pages are valid targets after login (no open redirect).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if guarded(n) && !n.starts_with("//") && !n.contains("..") => n.to_string(),
        _ => "/emulator".to_string(),
    }
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
    let next = safe_next(q.next.as_deref());
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
    let next = safe_next(form.next.as_deref());
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
    use super::{guarded, safe_next};

    #[test]
    fn what_the_guard_covers() {
        assert!(guarded("/emulator"));
        assert!(guarded("/emulator/api/personas"));
        assert!(guarded("/emulator/journal"));
        assert!(guarded("/emulator/operator"));
        assert!(!guarded("/emulator/health"));
        assert!(!guarded("/emulator/api/openapi.json"));
        assert!(!guarded("/emulator/bank/sberbank"));
        assert!(!guarded("/login"));
        assert!(!guarded("/emulatorx"));
        assert!(!guarded("/aas/oauth2/v2/ac"));
    }

    #[test]
    fn login_redirects_only_to_admin_pages() {
        assert_eq!(safe_next(Some("/emulator/journal")), "/emulator/journal");
        assert_eq!(safe_next(Some("https://evil.example/")), "/emulator");
        assert_eq!(safe_next(Some("//evil.example/emulator")), "/emulator");
        assert_eq!(safe_next(Some("/emulator/../profile")), "/emulator");
        assert_eq!(safe_next(None), "/emulator");
    }
}
