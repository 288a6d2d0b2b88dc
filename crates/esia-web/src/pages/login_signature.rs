//! `/login/signature`: «Вход с помощью электронной подписи». The page shows a challenge bound to
//! the browser's CSRF token; the user signs it (CMS, base64) and the core opens a `DS` session
//! for the confirmed account named by the certificate's SNILS. Continues to `return_to` like the
//! password login, so the `ac` flow goes on to consent and the client callback.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use esia_core::login_signature::signature_login_challenge;
use esia_core::CoreError;
use serde::Deserialize;

use super::login::logged_in;
use crate::extractors::{csrf_field, CsrfForm};
use crate::respond::{core_error_page, html, with_csrf};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/login/signature", web::get().to(page))
        .route("/login/signature", web::post().to(submit));
}

csrf_field!(Form);

#[derive(Template)]
#[template(path = "login_signature.html")]
struct Page<'a> {
    csrf: &'a str,
    challenge: &'a str,
    return_to: &'a str,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
struct PageQuery {
    #[serde(default)]
    return_to: String,
}

// No Debug: the signature carries the certificate (SNILS, name).
#[derive(Deserialize)]
struct Form {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    signature: String,
    #[serde(default)]
    foreign_computer: Option<String>,
    #[serde(default)]
    return_to: String,
}

fn render(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    return_to: &str,
    error: Option<String>,
) -> HttpResponse {
    with_csrf(req, state, |csrf| {
        html(
            status,
            &Page {
                csrf,
                challenge: &signature_login_challenge(csrf),
                return_to,
                error,
            },
        )
    })
}

async fn page(
    req: HttpRequest,
    state: web::Data<AppState>,
    q: web::Query<PageQuery>,
) -> HttpResponse {
    render(&req, &state, StatusCode::OK, &q.return_to, None)
}

async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: CsrfForm<Form>,
) -> HttpResponse {
    let form = form.into_inner();
    let foreign = form.foreign_computer.is_some();
    let (nonce, signature) = (form.csrf.clone(), form.signature.clone());
    match state
        .run(move |core| {
            esia_core::login_signature::login_with_signature_base64(
                core, &nonce, &signature, foreign,
            )
        })
        .await
    {
        Ok(session) => logged_in(&state, session.token, foreign, &form.return_to),
        Err(CoreError::Conflict(message)) => render(
            &req,
            &state,
            StatusCode::FORBIDDEN,
            &form.return_to,
            Some(message),
        ),
        Err(e) => core_error_page(&e),
    }
}
