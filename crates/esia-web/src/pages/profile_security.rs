//! `/profile/security`: «Безопасность» — today its «Межведомственные запросы» part: which
//! system read which of the person's data, when, and whether it was given (the core's
//! `person::data_reads`), newest first, 20 a page. It must not show the data themselves.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::moscow_time;
use crate::extractors::SessionPerson;
use crate::respond::{core_error_page, html};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/profile/security", web::get().to(page));
}

struct Row {
    at: String,
    system: String,
    resource: &'static str,
    given: bool,
}

#[derive(Template)]
#[template(path = "profile_security.html")]
struct SecurityPage<'a> {
    rows: &'a [Row],
    journal_on: bool,
    newer: Option<u32>,
    older: Option<u32>,
}

#[derive(Debug, Deserialize)]
struct PageQuery {
    #[serde(default)]
    page: u32,
}

async fn page(req: HttpRequest, state: web::Data<AppState>, person: SessionPerson) -> HttpResponse {
    // A page number that does not parse is the first page, as a link would mean.
    let number = web::Query::<PageQuery>::from_query(req.query_string())
        .map(|q| q.page)
        .unwrap_or(0);
    let person_id = person.person_id;
    match state
        .run(move |core| esia_core::person::data_reads::data_reads(core, &person_id, number))
        .await
    {
        Ok(view) => {
            let rows: Vec<Row> = view
                .reads
                .into_iter()
                .map(|r| Row {
                    at: moscow_time(r.at),
                    system: r.system,
                    resource: r.resource,
                    given: r.given,
                })
                .collect();
            html(
                StatusCode::OK,
                &SecurityPage {
                    rows: &rows,
                    journal_on: view.journal_on,
                    newer: number.checked_sub(1),
                    older: view.more.then_some(number + 1),
                },
            )
        }
        Err(e) => core_error_page(&e),
    }
}
