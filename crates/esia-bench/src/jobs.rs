//! Verification jobs per second in a real `esia-emulator worker` process: the queue is filled
//! directly in the run's database (generated persons submit their personal data, agencies
//! answer at once), then a worker process is started and the queue is watched until it is
//! empty. Timed from the first finished job to the last, so the worker's own start is not in the
//! figure. Dead jobs count as errors. It measures the queue only.

use std::time::{Duration, Instant};

use esia_testkit::verification_load::{core_on, queue_checks};

use crate::emulator::Setup;
use crate::stats::Summary;

fn count(core: &esia_core::Core, status: &str) -> Result<i64, String> {
    let mut conn = core.conn().map_err(|e| format!("database: {e}"))?;
    esia_store::jobs::count_by_status(&mut conn, status).map_err(|e| format!("jobs: {e}"))
}

/// Jobs the worker has to run by now. Jobs that earlier figures' processes queued for later
/// (a notice's retry backoff) are not waited for: the figure is the worker's rate on what is due.
fn due_or_running(core: &esia_core::Core) -> Result<i64, String> {
    let mut conn = core.conn().map_err(|e| format!("database: {e}"))?;
    esia_store::jobs::count_due_or_running(&mut conn, core.now_naive())
        .map_err(|e| format!("jobs: {e}"))
}

/// The queued and running jobs by kind, for the message when the queue does not empty.
fn unfinished(core: &esia_core::Core) -> Result<String, String> {
    let mut conn = core.conn().map_err(|e| format!("database: {e}"))?;
    let counts =
        esia_store::jobs::count_by_kind_and_status(&mut conn).map_err(|e| format!("jobs: {e}"))?;
    Ok(counts
        .iter()
        .filter(|c| c.status == "queued" || c.status == "running")
        .map(|c| format!("{} {} {}", c.count, c.kind, c.status))
        .collect::<Vec<_>>()
        .join(", "))
}

/// Queues checks for `persons` new persons (oids from `first_oid`), runs them in a worker
/// process started with `env`, and returns jobs finished per second (checks and the notices
/// they produce) with the dead ones as errors.
pub async fn verification_jobs(
    setup: &Setup,
    persons: usize,
    first_oid: i64,
    env: &[(&str, &str)],
) -> Result<Summary, String> {
    let core = core_on(&setup.database_url, &setup.data_dir(), &setup.keys_dir(), 4);
    let queued = queue_checks(&core, persons, first_oid);
    if queued == 0 {
        return Err("no verification job was queued".into());
    }
    let (done_before, dead_before) = (count(&core, "done")?, count(&core, "dead")?);
    let mut worker = setup.worker("worker", env)?;
    let deadline = Instant::now() + Duration::from_secs(300);
    let mut first_done: Option<(Instant, i64)> = None;
    loop {
        let done = count(&core, "done")?;
        if first_done.is_none() && done > done_before {
            first_done = Some((Instant::now(), done));
        }
        let left = due_or_running(&core)?;
        if left == 0 {
            let (since, at_start) = first_done.unwrap_or((Instant::now(), done));
            let secs = since.elapsed().as_secs_f64();
            let finished = (done - at_start).max(0) as u64;
            let mut s = Summary::new(
                Vec::new(),
                (count(&core, "dead")? - dead_before) as u64,
                secs,
            );
            s.ok = finished;
            let later = unfinished(&core)?;
            if !later.is_empty() {
                eprintln!("[esia-bench] jobs not due yet, not waited for: {later}");
            }
            return Ok(s);
        }
        if !worker.running() {
            return Err(format!(
                "the worker process exited with jobs left: {}",
                unfinished(&core)?
            ));
        }
        if Instant::now() > deadline {
            return Err(format!(
                "{left} jobs left after 300 s: {}",
                unfinished(&core)?
            ));
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}
