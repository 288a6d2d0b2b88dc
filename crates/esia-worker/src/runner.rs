//! The runner: claim due jobs with a lease, run each outside any transaction, then complete,
//! retry with exponential backoff, or dead-letter. Check jobs of one claim are answered
//! together (`esia_core::upgrade::run_check_batch`); a claim stops starting jobs once its
//! budget is spent. The queue's SQL is esia-store's; what a job does is esia-core's.

use chrono::Duration;
use esia_core::Core;
use esia_store::jobs::JobRow;

use crate::error::JobError;
use crate::registry::Registry;

/// The lease a worker holds on a claimed job; an expired lease returns the job to the queue.
pub const LEASE_SECS: i64 = 60;

/// How many due jobs a worker claims at once. The check jobs of a claim cost a fixed number of
/// statements (`upgrade::check_batch`), so bigger claims are cheaper per job: 128 about doubled
/// PostgreSQL throughput over 32 (docs/benchmarks.md) while a batch still holds SQLite's write
/// lock for only milliseconds.
pub const BATCH_SIZE: i64 = 128;

/// How long a claim's jobs may keep starting: half the lease, so the last one started still
/// has half a lease to finish in.
pub const CLAIM_RUN_BUDGET: std::time::Duration =
    std::time::Duration::from_secs(LEASE_SECS as u64 / 2);

/// What one pass of the runner did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobRun {
    Idle,
    Done { kind: String },
    Retrying { kind: String, error: String },
    Dead { kind: String, error: String },
}

/// Claims and runs the next due job, if any. `Err` only when the queue itself failed (the
/// claim or the outcome could not be stored); a failing job is `Ok(Retrying | Dead)`.
pub fn run_next_job(core: &Core, worker_id: &str) -> Result<JobRun, JobError> {
    let registry = Registry::for_core(core);
    let now = core.now_naive();
    let job = {
        let mut conn = core.conn()?;
        esia_store::jobs::claim_next(
            &mut conn,
            worker_id,
            now,
            now + Duration::seconds(LEASE_SECS),
        )?
    };
    match job {
        Some(job) => run_claimed(core, &registry, worker_id, job),
        None => Ok(JobRun::Idle),
    }
}

/// Claims up to `max` due jobs in one statement and runs them; empty when nothing is due.
/// Check jobs run together in one transaction (`upgrade::check_batch`), except those whose
/// agency is unavailable; if the batch fails they, like every other kind, run one by one.
pub fn run_job_batch(core: &Core, worker_id: &str, max: i64) -> Result<Vec<JobRun>, JobError> {
    run_job_batch_within(core, worker_id, max, CLAIM_RUN_BUDGET)
}

/// `run_job_batch`, but once `budget` has passed since the claim the jobs not started yet
/// go back to the queue: jobs run one by one (e-mails over a slow SMTP server) must not
/// outlive the lease, or another worker would take them over and run them twice.
pub fn run_job_batch_within(
    core: &Core,
    worker_id: &str,
    max: i64,
    budget: std::time::Duration,
) -> Result<Vec<JobRun>, JobError> {
    let registry = Registry::for_core(core);
    let started = std::time::Instant::now();
    let now = core.now_naive();
    let jobs = {
        let mut conn = core.conn()?;
        esia_store::jobs::claim_batch(
            &mut conn,
            worker_id,
            now,
            now + Duration::seconds(LEASE_SECS),
            max.max(1),
        )?
    };
    let mut runs = Vec::with_capacity(jobs.len());
    let (checks, others): (Vec<_>, Vec<_>) =
        jobs.into_iter().partition(|j| registry.is_check(&j.kind));
    let one_by_one = match checks.len() {
        0 => Vec::new(),
        // A single job gains nothing from the batch path, and keeps its error handling.
        1 => checks,
        n => match run_check_batch(core, &registry, worker_id, &checks) {
            Ok(left_out) => {
                let (alone, done): (Vec<_>, Vec<_>) =
                    checks.into_iter().partition(|j| left_out.contains(&j.id));
                runs.extend(done.into_iter().map(|j| JobRun::Done { kind: j.kind }));
                alone
            }
            Err(e) => {
                tracing::info!(error = %e, jobs = n, "check batch rolled back; running its jobs one by one");
                checks
            }
        },
    };
    let mut queue = one_by_one.into_iter().chain(others);
    while let Some(job) = queue.next() {
        if started.elapsed() > budget {
            let ids: Vec<String> = std::iter::once(job).chain(queue).map(|j| j.id).collect();
            let mut conn = core.conn()?;
            let released = esia_store::jobs::release_unstarted(&mut conn, &ids, worker_id)?;
            tracing::info!(
                released,
                "claim ran past its budget; unstarted jobs requeued"
            );
            break;
        }
        runs.push(run_claimed(core, &registry, worker_id, job)?);
    }
    Ok(runs)
}

/// Answers claimed check jobs `jobs` as one batch (see `esia_core::upgrade::run_check_batch`);
/// returns the ids of the jobs left out (agency unavailable), for the caller to run alone.
/// `Err` (a payload that does not decode, or a rolled back batch): nothing was stored.
/// Public so tests can prove a batch really took this path (the runner falls back silently).
pub fn run_check_batch(
    core: &Core,
    registry: &Registry,
    worker_id: &str,
    jobs: &[JobRow],
) -> Result<std::collections::HashSet<String>, JobError> {
    let claims = jobs
        .iter()
        .map(|j| {
            registry
                .check_claim(j)
                .unwrap_or_else(|| Err(JobError::UnknownKind(j.kind.clone())))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(esia_core::upgrade::run_check_batch(
        core, worker_id, &claims,
    )?)
}

/// Runs one claimed job outside any transaction, then completes, retries or dead-letters it.
fn run_claimed(
    core: &Core,
    registry: &Registry,
    worker_id: &str,
    job: JobRow,
) -> Result<JobRun, JobError> {
    // The request that enqueued the job (if any) names every line of its run, as it names the
    // lines of the request itself.
    let span = tracing::info_span!(
        "job",
        job.id = %job.id,
        job.kind = %job.kind,
        job.attempt = job.attempts,
        request_id = tracing::field::Empty
    );
    if let Some(id) = &job.request_id {
        span.record("request_id", tracing::field::display(id));
    }
    let _span = span.entered();
    let result = registry.run(core, &job.kind, &job.payload);
    let mut conn = core.conn()?;
    let now = core.now_naive();
    let stored = match result {
        Ok(()) => {
            tracing::info!("job done");
            esia_store::jobs::complete(&mut conn, &job.id, worker_id, now)
                .map(|_| JobRun::Done { kind: job.kind })
        }
        Err(e) => {
            let error = e.to_string();
            let retry_at = (job.attempts < job.max_attempts).then(|| {
                now + Duration::seconds(2_i64.saturating_pow(job.attempts.clamp(0, 16) as u32))
            });
            tracing::warn!(error = %error, retry = retry_at.is_some(), "job failed");
            esia_store::jobs::fail(&mut conn, &job.id, worker_id, &error, retry_at, now).map(|_| {
                match retry_at {
                    Some(_) => JobRun::Retrying {
                        kind: job.kind,
                        error,
                    },
                    None => JobRun::Dead {
                        kind: job.kind,
                        error,
                    },
                }
            })
        }
    };
    Ok(stored?)
}
