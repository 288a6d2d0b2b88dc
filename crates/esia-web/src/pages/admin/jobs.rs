//! `/emulator/jobs`: verification jobs with state, attempts, last error and run_at; «Повторить»
//! puts a failed or dead job back in the queue.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use esia_control::admin_views::jobs::{JobView, JobsQuery};
use serde::Deserialize;

use crate::extractors::{csrf_field, CsrfForm};
use crate::respond::page_message;
use crate::respond::{core_error_page, html, with_csrf};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/jobs", web::get().to(page))
        .route("/jobs/{id}/retry", web::post().to(retry));
}

csrf_field!(RetryForm);

#[derive(Template)]
#[template(path = "admin_jobs.html")]
struct JobsPage<'a> {
    csrf: &'a str,
    jobs: &'a [JobView],
    status: &'a str,
    kind: &'a str,
    error: Option<String>,
    notice: Option<String>,
}

async fn render(
    req: &HttpRequest,
    state: &AppState,
    query: JobsQuery,
    code: StatusCode,
    error: Option<String>,
    notice: Option<String>,
) -> HttpResponse {
    let q = query.clone();
    let (jobs, error, code) = match state
        .run_control(move |ctl| esia_control::admin_views::jobs::list_jobs(ctl, &q))
        .await
    {
        Ok(j) => (j, error, code),
        Err(e) => match page_message(&e) {
            Some(m) => (Vec::new(), Some(m), StatusCode::UNPROCESSABLE_ENTITY),
            None => return core_error_page(&e),
        },
    };
    with_csrf(req, state, |csrf| {
        html(
            code,
            &JobsPage {
                csrf,
                jobs: &jobs,
                status: query.status.as_deref().unwrap_or(""),
                kind: query.kind.as_deref().unwrap_or(""),
                error,
                notice,
            },
        )
    })
}

async fn page(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    match web::Query::<JobsQuery>::from_query(req.query_string()) {
        Ok(q) => render(&req, &state, q.into_inner(), StatusCode::OK, None, None).await,
        Err(e) => {
            let msg = format!("Некорректный фильтр: {e}");
            render(
                &req,
                &state,
                JobsQuery::default(),
                StatusCode::BAD_REQUEST,
                Some(msg),
                None,
            )
            .await
        }
    }
}

#[derive(Debug, Deserialize)]
struct RetryForm {
    #[serde(default)]
    csrf: String,
}

async fn retry(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    _: CsrfForm<RetryForm>,
) -> HttpResponse {
    let id = path.into_inner();
    let q = JobsQuery::default();
    match state
        .run_control(move |ctl| esia_control::admin_views::jobs::retry_job(ctl, &id))
        .await
    {
        Ok(job) => {
            let notice = format!("Задание {} ({}) снова в очереди", job.id, job.kind);
            render(&req, &state, q, StatusCode::OK, None, Some(notice)).await
        }
        Err(e) => match page_message(&e) {
            Some(m) => {
                let code = crate::error::classify(&e).0;
                render(&req, &state, q, code, Some(m), None).await
            }
            None => core_error_page(&e),
        },
    }
}
