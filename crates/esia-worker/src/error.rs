//! `JobError`: why a job did not complete. Its `Display` is what the runner stores in the jobs
//! row's `last_error` (QA reads it on the admin page, tests compare it), so a use case's
//! `CoreError` shows through unchanged. This module classifies; it never decides on retries
//! (the runner retries every error until the job's attempts are spent).

use esia_core::error::CoreError;

#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// No job is registered under the row's kind (or it is a test-only job and
    /// `verification.test_jobs` is off).
    #[error("unknown job kind `{0}`")]
    UnknownKind(String),
    /// The payload is not the JSON the kind's payload type reads.
    #[error("bad payload: {0}")]
    BadPayload(#[from] serde_json::Error),
    /// The database was away: the job may not have run at all; a later attempt can succeed.
    #[error(transparent)]
    Unavailable(CoreError),
    /// The use case failed («ведомство недоступно», a lost SMTP server, …).
    #[error(transparent)]
    Failed(CoreError),
}

impl From<CoreError> for JobError {
    fn from(e: CoreError) -> Self {
        if e.is_unavailable() {
            JobError::Unavailable(e)
        } else {
            JobError::Failed(e)
        }
    }
}

impl From<esia_store::StoreError> for JobError {
    fn from(e: esia_store::StoreError) -> Self {
        CoreError::from(e).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_text_is_the_core_error_text() {
        let e = JobError::from(CoreError::Internal("ведомство недоступно".into()));
        assert!(matches!(e, JobError::Failed(_)));
        assert_eq!(e.to_string(), "internal error: ведомство недоступно");
        let e = JobError::UnknownKind("no_such_kind".into());
        assert_eq!(e.to_string(), "unknown job kind `no_such_kind`");
    }

    #[test]
    fn a_lost_database_is_unavailable() {
        let e = JobError::from(CoreError::Store(esia_store::StoreError::Unavailable(
            "pool timed out".into(),
        )));
        assert!(matches!(e, JobError::Unavailable(_)), "{e:?}");
    }
}
