//! The job queue: enqueue inside the caller's transaction, claim atomically with a short lease,
//! finish, retry with backoff, dead-letter. A lease that expires returns the job to the queue, so
//! a killed worker loses nothing. Claiming is the one place where SQL differs per backend.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamp};

use crate::schema::jobs;
use crate::{Backend, DbConnection, StoreError};

#[derive(Debug, Clone, Queryable, QueryableByName, Selectable, Insertable)]
#[diesel(table_name = jobs)]
pub struct JobRow {
    pub id: String,
    pub kind: String,
    pub payload: String,
    pub status: String,
    pub attempts: i32,
    pub max_attempts: i32,
    pub run_at: NaiveDateTime,
    pub locked_by: Option<String>,
    pub locked_until: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
    /// The `X-Request-Id` of the request that enqueued it (None outside a request).
    pub request_id: Option<String>,
}

impl JobRow {
    /// Given up on: out of attempts, or a kind no worker runs.
    pub fn is_dead(&self) -> bool {
        self.status == "dead"
    }

    /// Waiting for a worker (new, or back after a failed attempt).
    pub fn is_queued(&self) -> bool {
        self.status == "queued"
    }
}

/// Adds a job; call it inside the transaction that makes the job necessary.
pub fn enqueue(conn: &mut DbConnection, row: &JobRow) -> Result<(), StoreError> {
    diesel::insert_into(jobs::table).values(row).execute(conn)?;
    Ok(())
}

/// Claims the next due job (queued and due, or running with an expired lease) for `worker`,
/// counting one attempt. Returns None when nothing is due.
pub fn claim_next(
    conn: &mut DbConnection,
    worker: &str,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
) -> Result<Option<JobRow>, StoreError> {
    match conn.backend() {
        // PostgreSQL: one statement; SKIP LOCKED lets concurrent workers pass each other.
        Backend::Postgres => {
            let rows: Vec<JobRow> = diesel::sql_query(
                "UPDATE jobs SET status = 'running', locked_by = $1, locked_until = $2, \
                 attempts = attempts + 1 \
                 WHERE id = (SELECT id FROM jobs \
                   WHERE (status = 'queued' AND run_at <= $3) \
                      OR (status = 'running' AND locked_until < $3) \
                   ORDER BY run_at LIMIT 1 FOR UPDATE SKIP LOCKED) \
                 RETURNING *",
            )
            .bind::<Text, _>(worker)
            .bind::<Timestamp, _>(lease_until)
            .bind::<Timestamp, _>(now)
            .load(conn)?;
            Ok(rows.into_iter().next())
        }
        // SQLite: a single UPDATE … RETURNING is atomic (one writer at a time), so the select and
        // the claim cannot interleave with another worker's.
        Backend::Sqlite => {
            let rows: Vec<JobRow> = diesel::sql_query(
                "UPDATE jobs SET status = 'running', locked_by = ?1, locked_until = ?2, \
                 attempts = attempts + 1 \
                 WHERE id = (SELECT id FROM jobs \
                   WHERE (status = 'queued' AND run_at <= ?3) \
                      OR (status = 'running' AND locked_until < ?3) \
                   ORDER BY run_at LIMIT 1) \
                 RETURNING *",
            )
            .bind::<Text, _>(worker)
            .bind::<Timestamp, _>(lease_until)
            .bind::<Timestamp, _>(now)
            .load(conn)?;
            Ok(rows.into_iter().next())
        }
    }
}

/// Claims up to `limit` due jobs at once (one statement, one round trip), oldest `run_at` first,
/// counting one attempt each. Returns them in `run_at` order; empty when nothing is due.
pub fn claim_batch(
    conn: &mut DbConnection,
    worker: &str,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> Result<Vec<JobRow>, StoreError> {
    let sql = match conn.backend() {
        // SKIP LOCKED: concurrent workers take disjoint batches without waiting for each other.
        Backend::Postgres => {
            "UPDATE jobs SET status = 'running', locked_by = $1, locked_until = $2, \
             attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM jobs \
               WHERE (status = 'queued' AND run_at <= $3) \
                  OR (status = 'running' AND locked_until < $3) \
               ORDER BY run_at LIMIT $4 FOR UPDATE SKIP LOCKED) \
             RETURNING *"
        }
        // SQLite has one writer at a time: the UPDATE … RETURNING is atomic on its own.
        Backend::Sqlite => {
            "UPDATE jobs SET status = 'running', locked_by = ?1, locked_until = ?2, \
             attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM jobs \
               WHERE (status = 'queued' AND run_at <= ?3) \
                  OR (status = 'running' AND locked_until < ?3) \
               ORDER BY run_at LIMIT ?4) \
             RETURNING *"
        }
    };
    let mut rows: Vec<JobRow> = diesel::sql_query(sql)
        .bind::<Text, _>(worker)
        .bind::<Timestamp, _>(lease_until)
        .bind::<Timestamp, _>(now)
        .bind::<BigInt, _>(limit)
        .load(conn)?;
    // RETURNING gives no order guarantee.
    rows.sort_by(|a, b| a.run_at.cmp(&b.run_at).then_with(|| a.id.cmp(&b.id)));
    Ok(rows)
}

/// Marks several claimed jobs done in one statement, only those `worker` still holds; returns
/// how many it marked. Call it in the transaction that applied the jobs' effects, so a job is
/// done exactly when its effects are stored.
pub fn complete_many(
    conn: &mut DbConnection,
    ids: &[String],
    worker: &str,
    now: NaiveDateTime,
) -> Result<usize, StoreError> {
    if ids.is_empty() {
        return Ok(0);
    }
    let target = jobs::table
        .filter(jobs::id.eq_any(ids))
        .filter(jobs::locked_by.eq(worker));
    let values = (
        jobs::status.eq("done"),
        jobs::finished_at.eq(now),
        jobs::locked_until.eq(None::<NaiveDateTime>),
    );
    // `eq_any` needs the concrete backend (an array bind on PostgreSQL, `IN (…)` on SQLite).
    Ok(match conn {
        DbConnection::Postgres(c) => diesel::update(target).set(values).execute(c)?,
        DbConnection::Sqlite(c) => diesel::update(target).set(values).execute(c)?,
    })
}

/// PostgreSQL: this transaction's COMMIT does not wait for the WAL flush
/// (`synchronous_commit = off`, local to the transaction). Safe for job transactions that store
/// a job's effects together with its completion: a crash can only lose the newest such
/// transactions whole, and their jobs then run again, so effects still happen exactly once.
/// Nothing outside the database has seen them (e-mails are separate jobs). No-op on SQLite,
/// whose WAL mode with `synchronous = NORMAL` already commits without fsync.
pub fn relax_commit_flush(conn: &mut DbConnection) -> Result<(), StoreError> {
    if conn.backend() == Backend::Postgres {
        use diesel::connection::SimpleConnection;
        conn.batch_execute("SET LOCAL synchronous_commit = off")?;
    }
    Ok(())
}

/// Marks a claimed job done, only if `worker` still holds it (a worker whose lease expired and
/// was taken over must not overwrite the new holder's state).
pub fn complete(
    conn: &mut DbConnection,
    id: &str,
    worker: &str,
    now: NaiveDateTime,
) -> Result<bool, StoreError> {
    let n = diesel::update(jobs::table.find(id).filter(jobs::locked_by.eq(worker)))
        .set((
            jobs::status.eq("done"),
            jobs::finished_at.eq(now),
            jobs::locked_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// Returns a failed job to the queue at `retry_at`, or dead-letters it when attempts ran out.
pub fn fail(
    conn: &mut DbConnection,
    id: &str,
    worker: &str,
    error: &str,
    retry_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let target = jobs::table.find(id).filter(jobs::locked_by.eq(worker));
    match retry_at {
        Some(at) => diesel::update(target)
            .set((
                jobs::status.eq("queued"),
                jobs::run_at.eq(at),
                jobs::last_error.eq(error),
                jobs::locked_by.eq(None::<String>),
                jobs::locked_until.eq(None::<NaiveDateTime>),
            ))
            .execute(conn)?,
        None => diesel::update(target)
            .set((
                jobs::status.eq("dead"),
                jobs::last_error.eq(error),
                jobs::finished_at.eq(now),
                jobs::locked_until.eq(None::<NaiveDateTime>),
            ))
            .execute(conn)?,
    };
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Option<JobRow>, StoreError> {
    Ok(jobs::table
        .find(id)
        .select(JobRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn list(
    conn: &mut DbConnection,
    status: Option<&str>,
    limit: i64,
) -> Result<Vec<JobRow>, StoreError> {
    let mut q = jobs::table.select(JobRow::as_select()).into_boxed();
    if let Some(s) = status {
        q = q.filter(jobs::status.eq(s.to_string()));
    }
    Ok(q.order(jobs::created_at.desc()).limit(limit).load(conn)?)
}

/// Counts jobs by status (for readiness and tests that check nothing is left behind).
pub fn count_by_status(conn: &mut DbConnection, status: &str) -> Result<i64, StoreError> {
    Ok(jobs::table
        .filter(jobs::status.eq(status))
        .count()
        .get_result(conn)?)
}

/// How many jobs a worker has still to run by `now`: running ones, and queued ones that are
/// due (a retry's backoff or a scheduled job later than `now` is not counted).
pub fn count_due_or_running(
    conn: &mut DbConnection,
    now: NaiveDateTime,
) -> Result<i64, StoreError> {
    Ok(jobs::table
        .filter(
            jobs::status
                .eq("running")
                .or(jobs::status.eq("queued").and(jobs::run_at.le(now))),
        )
        .count()
        .get_result(conn)?)
}

/// How many jobs there are of one kind in one state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobCount {
    pub kind: String,
    pub status: String,
    pub count: i64,
}

impl JobCount {
    /// Waiting for a worker (the queue depth).
    pub fn is_queued(&self) -> bool {
        self.status == "queued"
    }
}

/// How many jobs there are of each `(kind, status)` (the metrics' job gauges), in key order.
pub fn count_by_kind_and_status(conn: &mut DbConnection) -> Result<Vec<JobCount>, StoreError> {
    let rows: Vec<(String, String, i64)> = jobs::table
        .group_by((jobs::kind, jobs::status))
        .select((jobs::kind, jobs::status, diesel::dsl::count_star()))
        .order((jobs::kind, jobs::status))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(kind, status, count)| JobCount {
            kind,
            status,
            count,
        })
        .collect())
}

/// Hands claimed jobs that `worker` did not start back to the queue, their claim's attempt
/// uncounted; returns how many it released.
pub fn release_unstarted(
    conn: &mut DbConnection,
    ids: &[String],
    worker: &str,
) -> Result<usize, StoreError> {
    Ok(diesel::update(
        jobs::table
            .filter(jobs::id.eq_any(ids))
            .filter(jobs::locked_by.eq(worker))
            .filter(jobs::status.eq("running")),
    )
    .set((
        jobs::status.eq("queued"),
        jobs::attempts.eq(jobs::attempts - 1),
        jobs::locked_by.eq(None::<String>),
        jobs::locked_until.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?)
}

/// Puts a dead or stuck job back in the queue now (QA "retry").
pub fn requeue(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> Result<usize, StoreError> {
    Ok(diesel::update(jobs::table.find(id))
        .set((
            jobs::status.eq("queued"),
            jobs::run_at.eq(now),
            jobs::attempts.eq(0),
            jobs::locked_by.eq(None::<String>),
            jobs::locked_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?)
}
