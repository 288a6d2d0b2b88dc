//! `/login` and `/logout`: password login with the real ESIA DOM (`#login`, `#password`,
//! `button.plain-button_wide`), «Чужой компьютер», lockout page, and the session cookie.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use esia_core::CoreError;
use serde::Deserialize;

use crate::cookies;
use crate::extractors::{csrf_field, CsrfForm};
use crate::local_redirect::same_origin_path;
use crate::respond::{core_error_page, html, redirect, secure, with_csrf};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home))
        .route("/login", web::get().to(login_page))
        .route("/login", web::post().to(login_submit))
        .route("/logout", web::post().to(logout));
}

csrf_field!(LoginForm, CsrfOnly);

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    csrf: &'a str,
    login: &'a str,
    return_to: &'a str,
    error: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
struct LoginQuery {
    #[serde(default)]
    return_to: String,
}

#[derive(Debug, Deserialize)]
struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    foreign_computer: Option<String>,
    #[serde(default)]
    return_to: String,
}

/// Where to go after login: `return_to` when it is a same-origin path of the public base URL
/// (`local_redirect::same_origin_path`), otherwise the cabinet (no open redirect, no header
/// injection).
fn safe_return(state: &AppState, to: &str) -> String {
    url::Url::parse(&state.core.config.public_base_url())
        .ok()
        .and_then(|base| same_origin_path(to, &base))
        .unwrap_or_else(|| "/profile".to_string())
}

/// The answer to a successful login (password or electronic signature): the session cookie, and
/// a redirect to `return_to` when it is a local path. On «Чужой компьютер» the cookie has no
/// max-age, so it ends with the browser.
pub(super) fn logged_in(
    state: &AppState,
    session_token: String,
    foreign: bool,
    return_to: &str,
) -> HttpResponse {
    let mut resp = redirect(&safe_return(state, return_to));
    let max_age = (!foreign).then_some(state.core.config.login.session_ttl_secs as i64);
    let _ = resp.add_cookie(&cookies::build(
        cookies::SESSION,
        session_token,
        secure(state),
        max_age,
    ));
    resp
}

async fn home(req: HttpRequest) -> HttpResponse {
    if cookies::value(&req, cookies::SESSION).is_some() {
        redirect("/profile")
    } else {
        redirect("/login")
    }
}

fn render(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    login: &str,
    return_to: &str,
    error: Option<String>,
) -> HttpResponse {
    with_csrf(req, state, |csrf| {
        html(
            status,
            &LoginPage {
                csrf,
                login,
                return_to,
                error,
            },
        )
    })
}

async fn login_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<LoginQuery>,
) -> HttpResponse {
    render(&req, &state, StatusCode::OK, "", &query.return_to, None)
}

async fn login_submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: CsrfForm<LoginForm>,
) -> HttpResponse {
    let form = form.into_inner();
    let foreign = form.foreign_computer.is_some();
    let (login, password) = (form.login.clone(), form.password.clone());
    match state
        .run(move |core| esia_core::login::login(core, &login, &password, foreign))
        .await
    {
        Ok(session) => logged_in(&state, session.token, foreign, &form.return_to),
        Err(CoreError::WrongCredentials) => render(
            &req,
            &state,
            StatusCode::UNAUTHORIZED,
            &form.login,
            &form.return_to,
            Some("Неверный логин или пароль".into()),
        ),
        Err(CoreError::TooManyAttempts { retry_after_secs }) => {
            let mut resp = render(
                &req,
                &state,
                StatusCode::TOO_MANY_REQUESTS,
                &form.login,
                &form.return_to,
                Some("Слишком много попыток. Повторите через 5 минут".into()),
            );
            resp.headers_mut().insert(
                header::RETRY_AFTER,
                header::HeaderValue::from(retry_after_secs),
            );
            resp
        }
        Err(CoreError::Conflict(message)) => render(
            &req,
            &state,
            StatusCode::FORBIDDEN,
            &form.login,
            &form.return_to,
            Some(message),
        ),
        Err(e) => core_error_page(&e),
    }
}

#[derive(Debug, Deserialize)]
struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

async fn logout(
    req: HttpRequest,
    state: web::Data<AppState>,
    _: CsrfForm<CsrfOnly>,
) -> HttpResponse {
    if let Some(token) = cookies::value(&req, cookies::SESSION) {
        if let Err(e) = state
            .run(move |core| esia_core::session::end_session(core, &token))
            .await
        {
            return core_error_page(&e);
        }
    }
    let mut resp = redirect("/login");
    let _ = resp.add_cookie(&cookies::removal(cookies::SESSION, secure(&state)));
    resp
}
