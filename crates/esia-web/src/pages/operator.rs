//! `/emulator/operator`: the service-centre operator («Центр обслуживания») finds an account
//! by SNILS, phone or name, compares the documents and presses «Подтвердить».

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use std::collections::HashMap;

use esia_core::upgrade::centre::CentreRegistration;
use esia_core::upgrade::operator::OperatorPerson;
use serde::Deserialize;

use super::personal_data::{fields, FieldView};
use crate::extractors::{csrf_field, CsrfForm};
use crate::respond::{core_error_page, field_errors, html, with_csrf};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/operator", web::get().to(page))
        .route("/operator/confirm", web::post().to(confirm))
        .route("/operator/register", web::post().to(register));
}

csrf_field!(ConfirmForm, RegisterForm);

#[derive(Template)]
#[template(path = "operator.html")]
struct Page<'a> {
    csrf: &'a str,
    q: &'a str,
    people: &'a [OperatorPerson],
    notice: Option<String>,
    error: Option<String>,
    reg_fields: Vec<FieldView>,
    reg_phone: String,
    reg_errors: HashMap<&'static str, String>,
    registered: Option<(i64, String)>,
}

/// The «register a confirmed account» card's state.
#[derive(Default)]
struct RegState {
    form: CentreRegistration,
    errors: HashMap<&'static str, String>,
    registered: Option<(i64, String)>,
}

// No Debug: the fields are personal data (or codes) and must never reach a log.
#[derive(Deserialize, Default)]
struct Query {
    #[serde(default)]
    q: String,
    done: Option<String>,
}

async fn render(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    q: String,
    notice: Option<String>,
    error: Option<String>,
    reg: RegState,
) -> HttpResponse {
    let term = q.clone();
    match state
        .run(move |core| esia_core::upgrade::operator::operator_search(core, &term))
        .await
    {
        Ok(people) => with_csrf(req, state, |csrf| {
            html(
                status,
                &Page {
                    csrf,
                    q: &q,
                    people: &people,
                    notice,
                    error,
                    reg_fields: fields(&reg.form.data, &reg.errors),
                    reg_phone: reg.form.phone.clone(),
                    reg_errors: reg.errors,
                    registered: reg.registered,
                },
            )
        }),
        Err(e) => core_error_page(&e),
    }
}

async fn page(req: HttpRequest, state: web::Data<AppState>, q: web::Query<Query>) -> HttpResponse {
    let notice = q
        .done
        .as_ref()
        .map(|_| "Личность подтверждена. Учётная запись подтверждена".to_string());
    render(
        &req,
        &state,
        StatusCode::OK,
        q.q.clone(),
        notice,
        None,
        RegState::default(),
    )
    .await
}

// No Debug: the fields are personal data (or codes) and must never reach a log.
#[derive(Deserialize)]
struct ConfirmForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    person_id: String,
    #[serde(default)]
    q: String,
}

async fn confirm(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: CsrfForm<ConfirmForm>,
) -> HttpResponse {
    let id = form.person_id.clone();
    match state
        .run(move |core| esia_core::upgrade::confirm::operator_confirm(core, &id))
        .await
    {
        Ok(()) => crate::respond::redirect(&format!(
            "/emulator/operator?done=1&q={}",
            url_encode(&form.q)
        )),
        Err(esia_core::CoreError::Conflict(m)) => {
            render(
                &req,
                &state,
                StatusCode::CONFLICT,
                form.q.clone(),
                None,
                Some(m),
                RegState::default(),
            )
            .await
        }
        Err(e) => core_error_page(&e),
    }
}

// No Debug: the fields are personal data (or codes) and must never reach a log.
#[derive(serde::Deserialize)]
struct RegisterForm {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    reg: CentreRegistration,
}

async fn register(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: CsrfForm<RegisterForm>,
) -> HttpResponse {
    let input = form.reg.clone();
    let (status, reg) = match state
        .run(move |core| esia_core::upgrade::centre::operator_register(core, &input))
        .await
    {
        Ok(done) => (
            StatusCode::OK,
            RegState {
                registered: Some((done.oid, done.temp_password)),
                ..RegState::default()
            },
        ),
        Err(esia_core::CoreError::Validation(list)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            RegState {
                form: form.reg.clone(),
                errors: field_errors(&list),
                registered: None,
            },
        ),
        Err(e) => return core_error_page(&e),
    };
    render(&req, &state, status, String::new(), None, None, reg).await
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
