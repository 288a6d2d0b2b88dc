//! Queries behind the admin pages and the QA API that no use case needs: the verification jobs
//! listing with filters, and the QA "retry" of a failed job. No transactions, no rules beyond
//! the `WHERE` that says which jobs a retry may touch.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::jobs::JobRow;
use crate::schema::jobs;
use crate::{DbConnection, StoreError};

/// Jobs newest first, optionally filtered by status and kind.
pub fn list_jobs(
    conn: &mut DbConnection,
    status: Option<&str>,
    kind: Option<&str>,
    limit: i64,
) -> Result<Vec<JobRow>, StoreError> {
    let mut q = jobs::table.select(JobRow::as_select()).into_boxed();
    if let Some(s) = status {
        q = q.filter(jobs::status.eq(s.to_string()));
    }
    if let Some(k) = kind {
        q = q.filter(jobs::kind.eq(k.to_string()));
    }
    Ok(q.order((jobs::created_at.desc(), jobs::id.desc()))
        .limit(limit)
        .load(conn)?)
}

/// Puts a failed job back in the queue, due now, with a fresh set of attempts: a dead job, or a
/// queued one that failed and waits for its backoff. A running or finished job is not touched
/// (retrying it could run it twice). Returns the number of rows changed (0 or 1).
pub fn retry_failed_job(
    conn: &mut DbConnection,
    id: &str,
    now: NaiveDateTime,
) -> Result<usize, StoreError> {
    let failed = jobs::status.eq("dead").or(jobs::status
        .eq("queued")
        .and(jobs::last_error.is_not_null()));
    Ok(diesel::update(jobs::table.find(id).filter(failed))
        .set((
            jobs::status.eq("queued"),
            jobs::run_at.eq(now),
            jobs::attempts.eq(0),
            jobs::locked_by.eq(None::<String>),
            jobs::locked_until.eq(None::<NaiveDateTime>),
            jobs::finished_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?)
}
