//! esia-worker: the background job loop. It claims due jobs in batches through esia-core, runs
//! them on a blocking thread, sleeps briefly when idle, and stops after the current batch when
//! told to (the binary wires SIGTERM/Ctrl-C to that signal). Job logic lives in esia-core, not here.

use std::time::Duration;

use esia_core::jobs::BATCH_SIZE;
use esia_core::Core;
use tokio::sync::watch;

/// How long an idle worker waits before looking for due jobs again.
pub const IDLE_POLL: Duration = Duration::from_millis(100);

/// Runs jobs until `stop` becomes true; returns how many jobs it ran.
pub async fn run(core: Core, worker_id: String, mut stop: watch::Receiver<bool>) -> u64 {
    let mut ran = 0u64;
    tracing::info!(worker.id = %worker_id, "worker started");
    loop {
        if *stop.borrow() {
            break;
        }
        let c = core.clone();
        let id = worker_id.clone();
        let outcome = tokio::task::spawn_blocking(move || c.run_job_batch(&id, BATCH_SIZE)).await;
        match outcome {
            Ok(Ok(runs)) if runs.is_empty() => {
                tokio::select! {
                    _ = tokio::time::sleep(IDLE_POLL) => {}
                    _ = stop.changed() => {}
                }
            }
            Ok(Ok(runs)) => ran += runs.len() as u64,
            Ok(Err(e)) => {
                tracing::error!(error = %e, "worker could not run a job");
                tokio::time::sleep(IDLE_POLL * 10).await;
            }
            Err(e) => {
                tracing::error!(error = %e, "job thread failed");
            }
        }
    }
    tracing::info!(worker.id = %worker_id, jobs = ran, "worker stopped");
    ran
}
