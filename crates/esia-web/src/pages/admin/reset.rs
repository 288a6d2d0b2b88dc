//! `/emulator/reset`: «Сбросить состояние» — wipes every person, session, token, code, job,
//! message, journal line, fault rule and non-seed client, then applies the startup seed again
//! (the same oids as at start); the same ctl function as `POST /emulator/api/reset`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::extractors::{csrf_field, CsrfForm};
use crate::respond::{core_error_page, html, with_csrf};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/reset", web::get().to(page))
        .route("/reset", web::post().to(reset));
}

csrf_field!(ResetForm);

#[derive(Template)]
#[template(path = "admin_reset.html")]
struct ResetPage<'a> {
    csrf: &'a str,
    notice: Option<String>,
}

fn render(req: &HttpRequest, state: &AppState, notice: Option<String>) -> HttpResponse {
    with_csrf(req, state, |csrf| {
        html(StatusCode::OK, &ResetPage { csrf, notice })
    })
}

async fn page(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    render(&req, &state, None)
}

#[derive(Deserialize)]
struct ResetForm {
    #[serde(default)]
    csrf: String,
}

async fn reset(
    req: HttpRequest,
    state: web::Data<AppState>,
    _: CsrfForm<ResetForm>,
) -> HttpResponse {
    match state.run_control(esia_control::snapshot::reset_state).await {
        Ok(summary) => {
            tracing::info!("state reset from the admin page");
            render(
                &req,
                &state,
                Some(format!(
                    "Состояние сброшено, начальные данные применены: {summary}"
                )),
            )
        }
        Err(e) => core_error_page(&e),
    }
}
