//! `/profile/delete`: «Удалить учетную запись». After an explicit confirmation the account gets
//! status DELETED, every session ends and login becomes impossible; the data stays, so `/rs`
//! keeps answering with `status: "DELETED"` as ESIA does.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{session_person, with_csrf};
use crate::cookies::{self, csrf_ok};
use crate::pages::{blocking, core_error_page, csrf_failed, html, render_error_page};
use crate::AppState;

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

async fn page(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    if let Err(r) = session_person(&req, &state, "/profile/delete").await {
        return r;
    }
    with_csrf(&req, &state, |csrf| {
        html(StatusCode::OK, &DeletePage { csrf, error: None })
    })
}

async fn delete(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<DeleteForm>,
) -> HttpResponse {
    if !csrf_ok(&req, &form.csrf) {
        return csrf_failed();
    }
    let person_id = match session_person(&req, &state, "/profile/delete").await {
        Ok(p) => p,
        Err(r) => return r,
    };
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
    let core = state.core.clone();
    match blocking(move || core.delete_account(&person_id)).await {
        Ok(()) => {
            let mut resp = render_error_page(
                StatusCode::OK,
                "Учётная запись удалена",
                "Вход в эту учётную запись больше невозможен.",
            );
            let _ = resp.add_cookie(&cookies::removal(
                cookies::SESSION,
                crate::pages::secure(&state),
            ));
            resp
        }
        Err(e) => core_error_page(&e),
    }
}
