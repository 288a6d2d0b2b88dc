//! The `/emulator/metrics` endpoint: sets the gauges read at scrape time (jobs by kind and
//! state, queue depth, pool size) and renders the process's recorder as Prometheus text. Behind
//! the admin token (401 JSON without it, as the QA API). Counting lives in `metrics`.

use actix_web::http::header;
use actix_web::{web, HttpResponse};

use crate::metrics::install;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    use actix_web::middleware::from_fn;
    cfg.service(
        web::resource("/emulator/metrics")
            .wrap(from_fn(crate::admin_auth::api_guard))
            .route(web::get().to(metrics)),
    );
}

async fn metrics(state: web::Data<AppState>) -> Result<HttpResponse, crate::error::ApiError> {
    let Some(handle) = install() else {
        return Ok(HttpResponse::ServiceUnavailable().body("metrics recorder not installed\n"));
    };
    let jobs = state.run(esia_core::jobs::counts).await?;
    let mut queued = 0;
    for job in jobs {
        if job.is_queued() {
            queued += job.count;
        }
        metrics::gauge!("esia_jobs", "kind" => job.kind, "state" => job.status)
            .set(job.count as f64);
    }
    metrics::gauge!("esia_job_queue_depth").set(queued as f64);
    let pool = state.core.pool.state();
    metrics::gauge!("esia_db_pool_connections").set(f64::from(pool.connections));
    metrics::gauge!("esia_db_pool_idle_connections").set(f64::from(pool.idle_connections));
    metrics::gauge!("esia_db_pool_max_size").set(f64::from(state.core.config.database.pool_size));
    Ok(HttpResponse::Ok()
        .insert_header((
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(handle.render()))
}
