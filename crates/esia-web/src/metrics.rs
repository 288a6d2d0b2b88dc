//! `/emulator/metrics`: Prometheus text for whoever runs the emulator as a shared service. The
//! crates count through the `metrics` facade (requests here from the request log, pool waits in
//! the IdP core); this module installs the one process-wide Prometheus recorder, sets the gauges
//! read at scrape time (jobs by kind and state, queue depth, pool size) and renders. Behind the
//! admin token (401 JSON without it, as the QA API). Labels are route templates, codes and kinds,
//! never a path, an identifier or personal data.

use std::sync::OnceLock;

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::AppState;

/// Request latency buckets, in seconds: 0.25 ms to 5 s.
const LATENCY_BUCKETS: &[f64] = &[
    0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

static RECORDER: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Installs the process's recorder once (every server of a test process shares it); None when
/// another recorder was installed first (metrics then go there, and this endpoint says so).
pub fn install() -> Option<&'static PrometheusHandle> {
    RECORDER
        .get_or_init(|| {
            let built = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), LATENCY_BUCKETS)
                .and_then(|b| b.install_recorder());
            match built {
                Ok(handle) => Some(handle),
                Err(e) => {
                    tracing::warn!(error = %e, "metrics recorder not installed");
                    None
                }
            }
        })
        .as_ref()
}

/// Counts one answered request (called by the request log, which knows the route template).
pub fn observe_request(method: &str, route: &str, status: u16, seconds: f64) {
    metrics::counter!(
        "esia_http_requests_total",
        "method" => method.to_string(),
        "route" => route.to_string(),
        "status" => status.to_string()
    )
    .increment(1);
    metrics::histogram!("esia_http_request_duration_seconds", "route" => route.to_string())
        .record(seconds);
}

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
