//! `/emulator/bank/{bank}`: simulated online banks (Сбербанк, Тинькофф, Почта Банк). The user
//! logs in to the bank (phone, any password), agrees to pass the data to ESIA, and ESIA confirms
//! the account when the bank's data match it; a mismatch is shown.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use esia_core::domain::level::BankId;
use serde::Deserialize;

use crate::error::page::render_error_page;
use crate::extractors::{csrf_field, CsrfForm};
use crate::respond::{core_error_page, html, with_csrf};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/emulator/bank/{bank}", web::get().to(login_page))
        .route("/emulator/bank/{bank}/login", web::post().to(login))
        .route("/emulator/bank/{bank}/agree", web::post().to(agree));
}

/// The bank named in the path, or the «Банк не найден» page (boxed: a response is large).
pub(super) fn bank(slug: &str) -> Result<BankId, Box<HttpResponse>> {
    match slug {
        "sberbank" => Ok(BankId::Sberbank),
        "tinkoff" => Ok(BankId::Tinkoff),
        "pochta" => Ok(BankId::PochtaBank),
        _ => Err(Box::new(render_error_page(
            StatusCode::NOT_FOUND,
            "Банк не найден",
            "Доступны: sberbank, tinkoff, pochta.",
        ))),
    }
}

#[derive(Template)]
#[template(path = "bank.html")]
struct Page<'a> {
    csrf: &'a str,
    slug: &'a str,
    bank: &'a str,
    /// `login`, `consent`, `done`.
    step: &'a str,
    person_id: &'a str,
    client_name: &'a str,
    error: Option<String>,
}

#[allow(clippy::too_many_arguments)]
fn render(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    slug: &str,
    id: BankId,
    step: &str,
    person: (&str, &str),
    error: Option<String>,
) -> HttpResponse {
    with_csrf(req, state, |csrf| {
        html(
            status,
            &Page {
                csrf,
                slug,
                bank: id.title_ru(),
                step,
                person_id: person.0,
                client_name: person.1,
                error,
            },
        )
    })
}

async fn login_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> HttpResponse {
    let id = match bank(&slug) {
        Ok(id) => id,
        Err(page) => return *page,
    };
    render(
        &req,
        &state,
        StatusCode::OK,
        &slug,
        id,
        "login",
        ("", ""),
        None,
    )
}

// No Debug: the fields are personal data (or codes) and must never reach a log.
#[derive(Deserialize)]
struct Form {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    person_id: String,
}

csrf_field!(Form);

async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    form: CsrfForm<Form>,
) -> HttpResponse {
    let id = match bank(&slug) {
        Ok(id) => id,
        Err(page) => return *page,
    };
    let phone = form.phone.clone();
    match state
        .run(move |core| esia_core::upgrade::operator::bank_client(core, &phone))
        .await
    {
        Ok(Some((pid, name))) => render(
            &req,
            &state,
            StatusCode::OK,
            &slug,
            id,
            "consent",
            (&pid, &name),
            None,
        ),
        Ok(None) => render(
            &req,
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            &slug,
            id,
            "login",
            ("", ""),
            Some("Клиент с таким телефоном не найден".into()),
        ),
        Err(e) => core_error_page(&e),
    }
}

async fn agree(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    form: CsrfForm<Form>,
) -> HttpResponse {
    let id = match bank(&slug) {
        Ok(id) => id,
        Err(page) => return *page,
    };
    let pid = form.person_id.clone();
    match state
        .run(move |core| esia_core::upgrade::confirm::bank_confirm(core, &pid, id))
        .await
    {
        Ok(()) => render(
            &req,
            &state,
            StatusCode::OK,
            &slug,
            id,
            "done",
            ("", ""),
            None,
        ),
        Err(esia_core::CoreError::Conflict(m)) => render(
            &req,
            &state,
            StatusCode::CONFLICT,
            &slug,
            id,
            "error",
            ("", ""),
            Some(m),
        ),
        Err(e) => core_error_page(&e),
    }
}
