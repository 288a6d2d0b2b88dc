//! `/profile/delete`: «Удалить учётную запись». After an explicit confirmation the account gets
//! status DELETED, every session ends and login becomes impossible; the data stays, so `/rs`
//! keeps answering with `status: "DELETED"` as ESIA does.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::cookies;
use crate::error::page::render_error_page;
use crate::extractors::{csrf_field, PersonForm, SessionPerson};
use crate::respond::with_csrf;
use crate::respond::{core_error_page, html};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/profile/delete", web::get().to(page))
        .route("/profile/delete", web::post().to(delete));
}

#[derive(Template)]
#[template(path = "profile_delete.html")]
struct DeletePage<'a> {
    csrf: &'a str,
    error: Option<&'a str>,
}

#[derive(Debug, Deserialize)]
struct DeleteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    confirm: Option<String>,
}

csrf_field!(DeleteForm);

/// Only for a logged-in person (the extractor's redirect otherwise).
async fn page(req: HttpRequest, state: web::Data<AppState>, _: SessionPerson) -> HttpResponse {
    with_csrf(&req, &state, |csrf| {
        html(StatusCode::OK, &DeletePage { csrf, error: None })
    })
}

async fn delete(
    req: HttpRequest,
    state: web::Data<AppState>,
    PersonForm { person_id, form }: PersonForm<DeleteForm>,
) -> HttpResponse {
    if form.confirm.is_none() {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return with_csrf(&req, &state, |csrf| {
            html(
                status,
                &DeletePage {
                    csrf,
                    error: Some("Подтвердите удаление учётной записи"),
                },
            )
        });
    }
    match state
        .run(move |core| esia_core::person::edit::delete_account(core, &person_id))
        .await
    {
        Ok(()) => {
            let mut resp = render_error_page(
                StatusCode::OK,
                "Учётная запись удалена",
                "Вход в эту учётную запись больше невозможен.",
            );
            let _ = resp.add_cookie(&cookies::removal(
                cookies::SESSION,
                crate::respond::secure(&state),
            ));
            resp
        }
        Err(e) => core_error_page(&e),
    }
}
