//! `/emulator/bank/{bank}/register`: registration of a new, already confirmed ESIA account
//! through a simulated online bank (account-lifecycle §2 shortcuts, §6). The form stands for the
//! data the bank holds about its client; the core checks them and sends a temporary password by
//! SMS.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use esia_core::upgrade::centre::CentreRegistration;
use esia_core::CoreError;

use super::bank::bank;
use super::personal_data::{fields, FieldView};
use crate::extractors::{csrf_field, CsrfForm};
use crate::respond::{core_error_page, field_errors, html, with_csrf};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/emulator/bank/{bank}/register", web::get().to(page))
        .route("/emulator/bank/{bank}/register", web::post().to(submit));
}

#[derive(Template)]
#[template(path = "bank_register.html")]
struct Page<'a> {
    csrf: &'a str,
    slug: &'a str,
    bank: &'a str,
    phone: &'a str,
    gender: &'a str,
    fields: Vec<FieldView>,
    errors: &'a HashMap<&'static str, String>,
    error: Option<String>,
    /// The phone the temporary password went to, once registered.
    registered: Option<String>,
}

// No Debug: the fields are personal data and must never reach a log.
#[derive(serde::Deserialize)]
struct Form {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    reg: CentreRegistration,
}

csrf_field!(Form);

struct View<'a> {
    form: &'a CentreRegistration,
    errors: HashMap<&'static str, String>,
    error: Option<String>,
    registered: Option<String>,
}

fn render(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    slug: &str,
    title: &str,
    v: View<'_>,
) -> HttpResponse {
    with_csrf(req, state, |csrf| {
        html(
            status,
            &Page {
                csrf,
                slug,
                bank: title,
                phone: &v.form.phone,
                gender: &v.form.data.gender,
                fields: fields(&v.form.data, &v.errors),
                errors: &v.errors,
                error: v.error.clone(),
                registered: v.registered.clone(),
            },
        )
    })
}

async fn page(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> HttpResponse {
    let id = match bank(&slug) {
        Ok(id) => id,
        Err(page) => return *page,
    };
    let empty = CentreRegistration::default();
    let view = View {
        form: &empty,
        errors: HashMap::new(),
        error: None,
        registered: None,
    };
    render(&req, &state, StatusCode::OK, &slug, id.title_ru(), view)
}

async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    form: CsrfForm<Form>,
) -> HttpResponse {
    let id = match bank(&slug) {
        Ok(id) => id,
        Err(page) => return *page,
    };
    let input = form.reg.clone();
    let (status, view) = match state
        .run(move |core| esia_core::upgrade::centre::bank_register(core, id, &input))
        .await
    {
        Ok(_) => (
            StatusCode::OK,
            View {
                form: &form.reg,
                errors: HashMap::new(),
                error: None,
                registered: Some(form.reg.phone.clone()),
            },
        ),
        Err(CoreError::Validation(list)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            View {
                form: &form.reg,
                errors: field_errors(&list),
                error: Some("Проверьте данные".into()),
                registered: None,
            },
        ),
        Err(CoreError::Conflict(m)) => (
            StatusCode::CONFLICT,
            View {
                form: &form.reg,
                errors: HashMap::new(),
                error: Some(m),
                registered: None,
            },
        ),
        Err(e) => return core_error_page(&e),
    };
    render(&req, &state, status, &slug, id.title_ru(), view)
}
