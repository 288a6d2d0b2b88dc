//! esia-worker: the background worker. It owns the job runner (`runner`: claim with a lease,
//! run outside any transaction, complete / retry with backoff / dead-letter, the batched check
//! path and the claim budget), the typed jobs (`job`: one `BackgroundJob` per kind) and the
//! registry mapping a row's kind to its job, with typed errors (`JobError`). [`run`] is the
//! loop the binary starts. What a job does stays in esia-core's use cases; the queue's SQL in
//! esia-store. esia-core never depends on this crate.

use std::time::Duration;

use esia_core::Core;
use tokio::sync::watch;

mod error;
mod job;
mod registry;
mod runner;

pub use error::JobError;
pub use job::{BackgroundJob, CheckJob, DeliverEmailJob, PostLetterJob, SleepJob};
pub use registry::{run_job, Prepared, Registry};
pub use runner::{
    run_check_batch, run_job_batch, run_job_batch_within, run_next_job, JobRun, BATCH_SIZE,
    CLAIM_RUN_BUDGET, LEASE_SECS,
};

/// How long an idle worker waits before looking for due jobs again.
pub const IDLE_POLL: Duration = Duration::from_millis(100);

/// Runs jobs until `stop` becomes true; returns how many jobs it ran. Claims batches on a
/// blocking thread, sleeps briefly when idle, and stops after the current batch when told to
/// (the binary wires SIGTERM/Ctrl-C to that signal).
pub async fn run(core: Core, worker_id: String, mut stop: watch::Receiver<bool>) -> u64 {
    let mut ran = 0u64;
    tracing::info!(worker.id = %worker_id, "worker started");
    loop {
        if *stop.borrow() {
            break;
        }
        let c = core.clone();
        let id = worker_id.clone();
        let outcome = tokio::task::spawn_blocking(move || run_job_batch(&c, &id, BATCH_SIZE)).await;
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
