//! One log line per request, and the request id that ties every line of a request together.
//! An incoming `X-Request-Id` is kept when it is a plain token (1–64 of `A-Z a-z 0-9 . _ : -`);
//! anything else, or none, gets a fresh id. The id is returned in `X-Request-Id` and every log
//! line written while the request is handled (the blocking pool included, see
//! [`carry`]) carries it as the `request` span's `request_id` field. The line names the
//! method, the route *template* the router matched (`/rs/prns/{oid}`, never the oid), the status
//! and the latency; never a query string, a header value or a body. Deciding what a request may
//! do is not this module's business.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};
use tracing::Instrument;

/// The header that carries the id both ways.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Longest incoming id that is kept.
const MAX_LEN: usize = 64;

/// The id of the request being handled, for handlers that hand work on (jobs, other threads).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub String);

tokio::task_local! {
    /// The id of the request the current task handles (set around the whole handler chain).
    static CURRENT_ID: String;
}

/// `f`, to run on another thread (the blocking pool) under the current request's span, so its
/// log lines carry the request id too, and with the id as the core's request context, so the
/// jobs it enqueues carry it to the worker. Every `web::block` of a handler goes through it.
pub fn carry<T>(f: impl FnOnce() -> T) -> impl FnOnce() -> T {
    let span = tracing::Span::current();
    let id = CURRENT_ID.try_with(Clone::clone).ok();
    move || esia_core::request_context::within(id, || span.in_scope(f))
}

/// The caller's id when it is a plain token, else a fresh one (32 hex digits).
pub fn request_id_of(incoming: Option<&HeaderValue>) -> String {
    incoming
        .and_then(|v| v.to_str().ok())
        .filter(|v| is_plain_token(v))
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string())
}

fn is_plain_token(v: &str) -> bool {
    (1..=MAX_LEN).contains(&v.len())
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'))
}

/// `from_fn` middleware, the outermost one: see the module comment. `/emulator/health` is
/// answered without a line (load balancers poll it), but still gets its id back.
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let id = request_id_of(req.headers().get(&REQUEST_ID));
    req.extensions_mut().insert(RequestId(id.clone()));
    let method = req.method().clone();
    // Neither logged nor counted: load balancers poll it.
    let quiet = req.path() == "/emulator/health";
    let span = tracing::info_span!("request", request_id = %id);
    let started = Instant::now();
    let result = CURRENT_ID
        .scope(id.clone(), next.call(req).instrument(span.clone()))
        .await;
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    let mut res = result?;
    if !quiet {
        let route = res
            .request()
            .match_pattern()
            .unwrap_or_else(|| "(no route)".to_string());
        crate::metrics::observe_request(
            method.as_str(),
            &route,
            res.status().as_u16(),
            latency_ms / 1000.0,
        );
        span.in_scope(|| {
            tracing::info!(
                method = %method,
                route = %route,
                status = res.status().as_u16(),
                latency_ms = format_args!("{latency_ms:.2}"),
                "request"
            );
        });
    }
    if let Ok(value) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(REQUEST_ID, value);
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_ids_are_kept_and_anything_else_is_replaced() {
        let keep = |s: &str| request_id_of(Some(&HeaderValue::from_str(s).unwrap()));
        assert_eq!(keep("qa-run-42.step_7"), "qa-run-42.step_7");
        assert_eq!(keep("00-4bf92f3577b34da6-01"), "00-4bf92f3577b34da6-01");
        for hostile in ["", "a b", "x\"y", "<script>", "1;DROP", &"a".repeat(65)] {
            let got = keep(hostile);
            assert_ne!(got, hostile);
            assert_eq!(got.len(), 32, "a fresh id for {hostile:?}");
            assert!(got.bytes().all(|b| b.is_ascii_hexdigit()));
        }
        let fresh = request_id_of(None);
        assert_eq!(fresh.len(), 32);
        assert_ne!(fresh, request_id_of(None));
    }
}
