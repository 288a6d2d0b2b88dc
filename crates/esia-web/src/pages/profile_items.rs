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

use crate::extractors::{KindSegment, PathKind, PersonForm, SessionPerson};
use crate::respond::with_csrf;
use crate::respond::{core_error_page, html, redirect};
use crate::state::AppState;

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

impl KindSegment for ItemKind {
    fn from_segment(segment: &str) -> Option<ItemKind> {
        ItemKind::from_segment(segment)
    }
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
    kind: ItemKind,
    person_id: String,
    id: Option<String>,
) -> HttpResponse {
    match state
        .run(move |core| esia_core::person::edit::item_form(core, &person_id, kind, id.as_deref()))
        .await
    {
        Ok(form) => render(&req, &state, StatusCode::OK, &form),
        Err(e) => core_error_page(&e),
    }
}

async fn new_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    PathKind(kind): PathKind<ItemKind>,
    person: SessionPerson,
) -> HttpResponse {
    show(req, state, kind, person.person_id, None).await
}

async fn edit_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    PathKind(kind): PathKind<ItemKind>,
    path: web::Path<(String, String)>,
    person: SessionPerson,
) -> HttpResponse {
    let (_, id) = path.into_inner();
    show(req, state, kind, person.person_id, Some(id)).await
}

async fn save(
    req: HttpRequest,
    state: web::Data<AppState>,
    kind: ItemKind,
    id: Option<String>,
    post: PersonForm<HashMap<String, String>>,
) -> HttpResponse {
    let PersonForm {
        person_id,
        form: values,
    } = post;
    let (id2, values2) = (id.clone(), values.clone());
    let saved = state
        .run(move |core| {
            esia_core::person::edit::save_item(core, &person_id, kind, id2.as_deref(), &values2)
        })
        .await;
    match saved {
        Ok(()) => redirect("/profile?saved=1"),
        Err(CoreError::Validation(errors)) => {
            let form = esia_core::person::edit::item_form_with_errors(
                kind,
                id.as_deref(),
                &values,
                &errors,
            );
            render(&req, &state, StatusCode::UNPROCESSABLE_ENTITY, &form)
        }
        Err(e) => core_error_page(&e),
    }
}

async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    PathKind(kind): PathKind<ItemKind>,
    post: PersonForm<HashMap<String, String>>,
) -> HttpResponse {
    save(req, state, kind, None, post).await
}

async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    PathKind(kind): PathKind<ItemKind>,
    path: web::Path<(String, String)>,
    post: PersonForm<HashMap<String, String>>,
) -> HttpResponse {
    let (_, id) = path.into_inner();
    save(req, state, kind, Some(id), post).await
}

async fn delete(
    state: web::Data<AppState>,
    PathKind(kind): PathKind<ItemKind>,
    path: web::Path<(String, String)>,
    post: PersonForm<HashMap<String, String>>,
) -> HttpResponse {
    let (_, id) = path.into_inner();
    let person_id = post.person_id;
    match state
        .run(move |core| esia_core::person::edit::delete_item(core, &person_id, kind, &id))
        .await
    {
        Ok(()) => redirect("/profile?saved=1"),
        Err(e) => core_error_page(&e),
    }
}
