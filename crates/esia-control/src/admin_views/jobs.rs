//! Verification jobs for QA: the queue as it stands (state, attempts, last error, when it runs)
//! and «Повторить» — a failed or dead-lettered job goes back to the queue, due now.

use esia_domain::ValidationError;
use esia_store::jobs::JobRow;
use esia_store::write_transaction;
use serde::{Deserialize, Serialize};

use crate::Control;
use esia_core::error::{CoreError, CoreResult, FieldError};

const STATUSES: [&str; 4] = ["queued", "running", "done", "dead"];

/// A job as the admin page and the API show it. The payload holds internal ids only.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct JobView {
    pub id: String,
    pub kind: String,
    /// `queued`, `running`, `done` or `dead`.
    pub status: String,
    /// True when the job failed and may be retried (dead, or queued again after an error).
    pub failed: bool,
    pub attempts: i32,
    pub max_attempts: i32,
    /// When the job is (or was) due, RFC 3339.
    pub run_at: String,
    pub last_error: Option<String>,
    pub created_at: String,
    pub finished_at: Option<String>,
    /// The job's parameters (JSON text with internal ids).
    pub payload: String,
}

impl JobView {
    /// The state in the page's words.
    pub fn label(&self) -> &'static str {
        match (self.status.as_str(), self.failed) {
            ("queued", true) => "Повтор после ошибки",
            ("queued", false) => "В очереди",
            ("running", _) => "Выполняется",
            ("done", _) => "Выполнено",
            ("dead", _) => "Ошибка, попытки исчерпаны",
            _ => "Неизвестно",
        }
    }
}

impl From<JobRow> for JobView {
    fn from(r: JobRow) -> Self {
        JobView {
            failed: r.is_dead() || (r.is_queued() && r.last_error.is_some()),
            id: r.id,
            kind: r.kind,
            status: r.status,
            attempts: r.attempts,
            max_attempts: r.max_attempts,
            run_at: r.run_at.and_utc().to_rfc3339(),
            last_error: r.last_error,
            created_at: r.created_at.and_utc().to_rfc3339(),
            finished_at: r.finished_at.map(|t| t.and_utc().to_rfc3339()),
            payload: r.payload,
        }
    }
}

/// Job filters as sent; empty values mean "any".
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields, default)]
#[into_params(parameter_in = Query)]
pub struct JobsQuery {
    /// `queued`, `running`, `done` or `dead`.
    pub status: Option<String>,
    /// Job kind, e.g. `check_snils`.
    pub kind: Option<String>,
}

/// The newest jobs (at most 200) matching the filters.
pub fn list_jobs(ctl: &Control, q: &JobsQuery) -> CoreResult<Vec<JobView>> {
    let status = q.status.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if let Some(s) = status {
        if !STATUSES.contains(&s) {
            return Err(CoreError::Validation(vec![FieldError::new(
                "status",
                ValidationError::new("status_invalid", "status — queued, running, done или dead"),
            )]));
        }
    }
    let kind = q.kind.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let mut conn = ctl.idp.conn()?;
    let rows = esia_store::admin_queries::list_jobs(&mut conn, status, kind, 200)?;
    Ok(rows.into_iter().map(JobView::from).collect())
}

/// Puts a failed job back in the queue, due now. Unknown id → NotFound; a job that has not
/// failed (queued fresh, running, done) → Conflict.
pub fn retry_job(ctl: &Control, id: &str) -> CoreResult<JobView> {
    let now = ctl.idp.now_naive();
    let mut conn = ctl.idp.conn()?;
    let row = write_transaction(&mut conn, |c| -> CoreResult<JobRow> {
        let changed = esia_store::admin_queries::retry_failed_job(c, id, now)?;
        let row = esia_store::jobs::find(c, id)?.ok_or_else(|| CoreError::NotFound("job"))?;
        if changed == 0 {
            return Err(CoreError::Conflict(format!(
                "задание в состоянии {} не завершилось ошибкой — повторять нечего",
                row.status
            )));
        }
        Ok(row)
    })?;
    tracing::info!(job.id = %row.id, job.kind = %row.kind, "job retried by QA");
    Ok(JobView::from(row))
}
