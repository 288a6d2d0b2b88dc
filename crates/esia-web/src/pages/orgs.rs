//! `/profile/orgs/create`: «Создать организацию» for a confirmed account. Step one checks the
//! organisation's data (ФНС) and shows the statement to sign; step two sends the chief's
//! electronic signature and creates the organisation with the person as its chief.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use esia_core::upgrade::orgs::{org_challenge, NewOrgForm};
use esia_core::CoreError;

use crate::extractors::{csrf_field, PersonForm, SessionPerson};
use crate::respond::{core_error_page, field_errors, html, redirect, with_csrf};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/profile/orgs/create", web::get().to(page))
        .route("/profile/orgs/create", web::post().to(submit));
}

#[derive(Template)]
#[template(path = "org_new.html")]
struct Page<'a> {
    csrf: &'a str,
    form: &'a NewOrgForm,
    errors: &'a HashMap<&'static str, String>,
    error: Option<String>,
    /// The statement to sign (step two).
    challenge: Option<String>,
    created: Option<i64>,
}

#[derive(serde::Deserialize)]
struct Form {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    signature: String,
    #[serde(flatten)]
    org: NewOrgForm,
}

csrf_field!(Form);

#[derive(serde::Deserialize, Default)]
struct PageQuery {
    created: Option<i64>,
}

#[derive(Default)]
struct View {
    errors: HashMap<&'static str, String>,
    error: Option<String>,
    challenge: Option<String>,
    created: Option<i64>,
}

fn render(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    form: &NewOrgForm,
    v: View,
) -> HttpResponse {
    with_csrf(req, state, |csrf| {
        html(
            status,
            &Page {
                csrf,
                form,
                errors: &v.errors,
                error: v.error.clone(),
                challenge: v.challenge.clone(),
                created: v.created,
            },
        )
    })
}

async fn page(
    req: HttpRequest,
    state: web::Data<AppState>,
    q: web::Query<PageQuery>,
    _: SessionPerson,
) -> HttpResponse {
    let view = View {
        created: q.created,
        ..View::default()
    };
    render(&req, &state, StatusCode::OK, &NewOrgForm::default(), view)
}

async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    PersonForm {
        person_id: pid,
        form,
    }: PersonForm<Form>,
) -> HttpResponse {
    let (id, org, signature) = (pid.clone(), form.org.clone(), form.signature.clone());
    let signing = !signature.trim().is_empty();
    let result = state
        .run(move |core| {
            if signing {
                esia_core::upgrade::orgs::create_organization(core, &id, &org, &signature).map(Some)
            } else {
                esia_core::upgrade::orgs::check_new_org(core, &id, &org).map(|()| None)
            }
        })
        .await;
    let (status, view) = match result {
        Ok(Some(oid)) => return redirect(&format!("/profile/orgs/create?created={oid}")),
        Ok(None) => (
            StatusCode::OK,
            View {
                challenge: Some(org_challenge(&pid, &form.org)),
                ..View::default()
            },
        ),
        Err(CoreError::Validation(list)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            View {
                errors: field_errors(&list),
                ..View::default()
            },
        ),
        Err(CoreError::Conflict(m)) => (
            StatusCode::CONFLICT,
            View {
                error: Some(m),
                ..View::default()
            },
        ),
        Err(e) => return core_error_page(&e),
    };
    render(&req, &state, status, &form.org, view)
}
