//! The load generator: `concurrency` tasks in this process repeat one operation until a fixed
//! duration has passed or a request count is reached, timing each and counting the ones that
//! did not get the expected answer. It knows no endpoint; the figures say what one operation is.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::stats::Summary;

/// How long and how wide one run is.
#[derive(Debug, Clone, Copy)]
pub struct Load {
    pub concurrency: usize,
    pub duration: Duration,
    /// Stop after this many operations even before `duration` (e.g. the codes prepared).
    pub max_ops: Option<u64>,
}

/// Runs `op(i)` (i = 0, 1, … across all tasks) under `load`; `Err` counts as an error.
pub async fn run<F, Fut>(load: Load, op: F) -> Summary
where
    F: Fn(u64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    let op = Arc::new(op);
    let next = Arc::new(AtomicU64::new(0));
    let first_error = Arc::new(Mutex::new(None::<String>));
    let started = Instant::now();
    let deadline = started + load.duration;
    let mut tasks = Vec::with_capacity(load.concurrency);
    for _ in 0..load.concurrency.max(1) {
        let (op, next, first_error) = (op.clone(), next.clone(), first_error.clone());
        tasks.push(tokio::spawn(async move {
            let (mut latencies, mut errors) = (Vec::new(), 0u64);
            while Instant::now() < deadline {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if load.max_ops.is_some_and(|max| i >= max) {
                    break;
                }
                let t = Instant::now();
                match op(i).await {
                    Ok(()) => latencies.push(t.elapsed()),
                    Err(e) => {
                        errors += 1;
                        first_error.lock().unwrap().get_or_insert(e);
                    }
                }
            }
            (latencies, errors)
        }));
    }
    let (mut latencies, mut errors) = (Vec::new(), 0);
    for t in tasks {
        match t.await {
            Ok((l, e)) => {
                latencies.extend(l);
                errors += e;
            }
            Err(e) => {
                errors += 1;
                first_error.lock().unwrap().get_or_insert(e.to_string());
            }
        }
    }
    let mut summary = Summary::new(latencies, errors, started.elapsed().as_secs_f64());
    summary.first_error = first_error.lock().unwrap().take();
    summary
}

/// A GET of `url` (with `bearer` when given) that must answer 200; the body is read whole.
pub async fn get_200(
    http: &reqwest::Client,
    url: &str,
    bearer: Option<&str>,
) -> Result<(), String> {
    let mut req = http.get(url);
    if let Some(token) = bearer {
        req = req.bearer_auth(token);
    }
    let resp = req
        .send()
        .await
        .map_err(|e| format!("GET: {}", e.without_url()))?;
    let status = resp.status().as_u16();
    resp.bytes()
        .await
        .map_err(|e| format!("body: {}", e.without_url()))?;
    if status == 200 {
        Ok(())
    } else {
        Err(format!("GET answered {status}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn counts_errors_and_stops_at_the_request_count() {
        let load = Load {
            concurrency: 4,
            duration: Duration::from_secs(10),
            max_ops: Some(100),
        };
        let s = run(load, |i| async move {
            if i % 10 == 0 {
                Err(format!("op {i} failed"))
            } else {
                Ok(())
            }
        })
        .await;
        assert_eq!((s.ok, s.errors), (90, 10));
        assert!(s.first_error.unwrap().ends_with("failed"));
        assert!(s.secs < 5.0, "stopped at the count, not the duration");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn stops_at_the_duration_and_counts_a_panic_as_an_error() {
        let load = Load {
            concurrency: 2,
            duration: Duration::from_millis(200),
            max_ops: None,
        };
        let s = run(load, |i| async move {
            assert!(i != 0, "the first operation panics");
            tokio::time::sleep(Duration::from_millis(5)).await;
            Ok(())
        })
        .await;
        assert_eq!(s.errors, 1, "the panicking task is one error");
        assert!(s.ok > 5, "{s:?}");
        assert!((0.19..2.0).contains(&s.secs), "{s:?}");
    }
}
