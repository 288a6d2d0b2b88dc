//! `/profile/{documents|addresses|kids|vehicles}/…`: add, edit and delete one item of the
//! logged-in person with a generic form (fields described by `esia_core::person::edit_forms`).
//! The passport is not editable here (it belongs to «Персональные данные»).

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use esia_core::person::edit::ItemForm;
use esia_core::person::edit_forms::ItemKind;
use esia_core::CoreError;

use super::{session_person, with_csrf};
use crate::cookies::csrf_ok;
use crate::pages::{blocking, core_error_page, csrf_failed, html, redirect};
use crate::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/profile/{kind}/new", web::get().to(new_form))
        .route("/profile/{kind}/new", web::post().to(create))
        .route("/profile/{kind}/{id}/edit", web::get().to(edit_form))
        .route("/profile/{kind}/{id}/edit", web::post().to(update))
        .route("/profile/{kind}/{id}/delete", web::post().to(delete));
}

#[derive(Template)]
#[template(path = "profile_item.html")]
struct ItemPage<'a> {
    csrf: &'a str,
    title: &'a str,
    action: String,
    form: &'a ItemForm,
}

fn not_found() -> HttpResponse {
    core_error_page(&CoreError::NotFound("page"))
}

fn render(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    form: &ItemForm,
) -> HttpResponse {
    let seg = form.kind.segment();
    let action = match &form.id {
        Some(id) => format!("/profile/{seg}/{id}/edit"),
        None => format!("/profile/{seg}/new"),
    };
    let title = form.kind.title_ru(form.id.is_some());
    with_csrf(req, state, |csrf| {
        html(
            status,
            &ItemPage {
                csrf,
                title,
                action,
                form,
            },
        )
    })
}

async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    kind: String,
    id: Option<String>,
) -> HttpResponse {
    let Some(kind) = ItemKind::from_segment(&kind) else {
        return not_found();
    };
    let person_id = match session_person(&req, &state, "/profile").await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let core = state.core.clone();
    match blocking(move || core.item_form(&person_id, kind, id.as_deref())).await {
        Ok(form) => render(&req, &state, StatusCode::OK, &form),
        Err(e) => core_error_page(&e),
    }
}

async fn new_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> HttpResponse {
    show(req, state, path.into_inner(), None).await
}

async fn edit_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let (kind, id) = path.into_inner();
    show(req, state, kind, Some(id)).await
}

async fn save(
    req: HttpRequest,
    state: web::Data<AppState>,
    kind: String,
    id: Option<String>,
    values: HashMap<String, String>,
) -> HttpResponse {
    let Some(kind) = ItemKind::from_segment(&kind) else {
        return not_found();
    };
    if !csrf_ok(&req, values.get("csrf").map(String::as_str).unwrap_or("")) {
        return csrf_failed();
    }
    let person_id = match session_person(&req, &state, "/profile").await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let core = state.core.clone();
    let (id2, values2) = (id.clone(), values.clone());
    match blocking(move || core.save_item(&person_id, kind, id2.as_deref(), &values2)).await {
        Ok(()) => redirect("/profile?saved=1"),
        Err(CoreError::Validation(errors)) => {
            let form = state
                .core
                .item_form_with_errors(kind, id.as_deref(), &values, &errors);
            render(&req, &state, StatusCode::UNPROCESSABLE_ENTITY, &form)
        }
        Err(e) => core_error_page(&e),
    }
}

async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    save(req, state, path.into_inner(), None, form.into_inner()).await
}

async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    let (kind, id) = path.into_inner();
    save(req, state, kind, Some(id), form.into_inner()).await
}

async fn delete(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    let (kind, id) = path.into_inner();
    let Some(kind) = ItemKind::from_segment(&kind) else {
        return not_found();
    };
    if !csrf_ok(&req, form.get("csrf").map(String::as_str).unwrap_or("")) {
        return csrf_failed();
    }
    let person_id = match session_person(&req, &state, "/profile").await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let core = state.core.clone();
    match blocking(move || core.delete_item(&person_id, kind, &id)).await {
        Ok(()) => redirect("/profile?saved=1"),
        Err(e) => core_error_page(&e),
    }
}
