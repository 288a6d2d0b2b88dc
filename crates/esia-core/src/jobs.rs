//! Running queued jobs: claim one with a lease, run it outside any transaction, then complete,
//! retry with exponential backoff, or dead-letter. The worker crate loops over `run_next_job`.

use chrono::Duration;
use serde::Deserialize;

use crate::app::Core;
use crate::error::{CoreError, CoreResult};
use crate::notify::JOB_DELIVER_EMAIL;

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

#[derive(Deserialize)]
struct DeliverEmail {
    outbox_id: String,
}

impl Core {
    /// Claims and runs the next due job, if any.
    pub fn run_next_job(&self, worker_id: &str) -> CoreResult<JobRun> {
        let now = self.now_naive();
        let job = {
            let mut conn = self.conn()?;
            esia_store::jobs::claim_next(
                &mut conn,
                worker_id,
                now,
                now + Duration::seconds(LEASE_SECS),
            )?
        };
        match job {
            Some(job) => self.run_claimed(worker_id, job),
            None => Ok(JobRun::Idle),
        }
    }

    /// Claims up to `max` due jobs in one statement and runs them; empty when nothing is due.
    /// Check jobs run together in one transaction (`upgrade::check_batch`), except those whose
    /// agency is unavailable; if the batch fails they, like every other kind, run one by one.
    pub fn run_job_batch(&self, worker_id: &str, max: i64) -> CoreResult<Vec<JobRun>> {
        self.run_job_batch_within(worker_id, max, CLAIM_RUN_BUDGET)
    }

    /// `run_job_batch`, but once `budget` has passed since the claim the jobs not started yet
    /// go back to the queue: jobs run one by one (e-mails over a slow SMTP server) must not
    /// outlive the lease, or another worker would take them over and run them twice.
    pub fn run_job_batch_within(
        &self,
        worker_id: &str,
        max: i64,
        budget: std::time::Duration,
    ) -> CoreResult<Vec<JobRun>> {
        let started = std::time::Instant::now();
        let now = self.now_naive();
        let jobs = {
            let mut conn = self.conn()?;
            esia_store::jobs::claim_batch(
                &mut conn,
                worker_id,
                now,
                now + Duration::seconds(LEASE_SECS),
                max.max(1),
            )?
        };
        let mut runs = Vec::with_capacity(jobs.len());
        let (checks, others): (Vec<_>, Vec<_>) = jobs
            .into_iter()
            .partition(|j| crate::upgrade::is_check_job(&j.kind));
        let one_by_one = match checks.len() {
            0 => Vec::new(),
            // A single job gains nothing from the batch path, and keeps its error handling.
            1 => checks,
            n => match crate::upgrade::run_check_batch(self, worker_id, &checks) {
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
                let mut conn = self.conn()?;
                let released = esia_store::jobs::release_unstarted(&mut conn, &ids, worker_id)?;
                tracing::info!(
                    released,
                    "claim ran past its budget; unstarted jobs requeued"
                );
                break;
            }
            runs.push(self.run_claimed(worker_id, job)?);
        }
        Ok(runs)
    }

    /// Runs one claimed job outside any transaction, then completes, retries or dead-letters it.
    fn run_claimed(&self, worker_id: &str, job: esia_store::jobs::JobRow) -> CoreResult<JobRun> {
        let _span = tracing::info_span!("job", job.id = %job.id, job.kind = %job.kind, job.attempt = job.attempts).entered();
        let result = self.execute_job(&job.kind, &job.payload);
        let mut conn = self.conn()?;
        let now = self.now_naive();
        match result {
            Ok(()) => {
                esia_store::jobs::complete(&mut conn, &job.id, worker_id, now)?;
                Ok(JobRun::Done { kind: job.kind })
            }
            Err(error) => {
                let retry_at = (job.attempts < job.max_attempts).then(|| {
                    now + Duration::seconds(2_i64.saturating_pow(job.attempts.clamp(0, 16) as u32))
                });
                esia_store::jobs::fail(&mut conn, &job.id, worker_id, &error, retry_at, now)?;
                tracing::warn!(error = %error, retry = retry_at.is_some(), "job failed");
                Ok(if retry_at.is_some() {
                    JobRun::Retrying {
                        kind: job.kind,
                        error,
                    }
                } else {
                    JobRun::Dead {
                        kind: job.kind,
                        error,
                    }
                })
            }
        }
    }

    fn execute_job(&self, kind: &str, payload: &str) -> Result<(), String> {
        match kind {
            JOB_DELIVER_EMAIL => {
                let p: DeliverEmail =
                    serde_json::from_str(payload).map_err(|e| format!("bad payload: {e}"))?;
                self.deliver_email(&p.outbox_id).map_err(|e| e.to_string())
            }
            other => crate::upgrade::execute_job(self, other, payload),
        }
    }

    /// Delivers one stored e-mail; idempotent (an already delivered message is not sent again).
    fn deliver_email(&self, outbox_id: &str) -> CoreResult<()> {
        let mut conn = self.conn()?;
        let row = esia_store::outbox::find(&mut conn, outbox_id)?
            .ok_or(CoreError::NotFound("outbox message"))?;
        if row.delivered_at.is_some() {
            return Ok(());
        }
        let subject = row.subject.clone().unwrap_or_default();
        let sent = self
            .mailer
            .send(&self.config.mail.from, &row.recipient, &subject, &row.body);
        let now = self.now_naive();
        esia_store::outbox::mark_delivered(
            &mut conn,
            outbox_id,
            now,
            sent.as_ref().err().map(String::as_str),
        )?;
        sent.map_err(CoreError::Internal)
    }
}
