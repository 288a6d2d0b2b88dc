//! Counting for `/emulator/metrics`: the crates count through the `metrics` facade (requests
//! here, from the request log; pool waits in the IdP core), and this module installs the one
//! process-wide Prometheus recorder. `metrics_endpoint` sets the scrape-time gauges and serves
//! the text. Labels are route templates, codes and kinds, never a path, an identifier or
//! personal data.

use std::sync::OnceLock;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

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
