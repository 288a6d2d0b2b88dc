//! The core's error type: one vocabulary for every use case, each variant with a stable
//! snake_case `code()` that every channel of esia-web answers with. Business outcomes a page
//! must show (a wrong code, a taken phone) are variants here or outcome enums of the use case.
//! This module knows no HTTP: statuses, page titles and wire shapes are esia-web's `error/`
//! (one module per channel), which never looks inside a store error to choose a code — a case
//! that needs its own code (a login taken, the database away) is decided here.

use esia_domain::ValidationError;

/// A validation problem tied to a form field, for rendering under that field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub error: ValidationError,
}

impl FieldError {
    pub fn new(field: &'static str, error: ValidationError) -> Self {
        FieldError { field, error }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// Input that failed validation; every problem, per field.
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    /// The thing asked for does not exist (or is not visible to the caller).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The request conflicts with the current state (e.g. a contact not yet confirmed).
    #[error("{0}")]
    Conflict(String),
    /// A login value (phone, e-mail, SNILS) or oid that another account already holds — found
    /// by a check, or by the database's unique index refusing the write (`or_taken`).
    #[error("{0}")]
    LoginTaken(String),
    /// Too many attempts; try again after the given number of seconds.
    #[error("too many attempts")]
    TooManyAttempts { retry_after_secs: u64 },
    /// Login or password wrong (never says which).
    #[error("wrong login or password")]
    WrongCredentials,
    /// The caller is not logged in or the session ended.
    #[error("not authenticated")]
    Unauthenticated,
    /// A link or code that has expired or was already used.
    #[error("{0}")]
    Expired(&'static str),
    /// A submitted document (seed file, snapshot) refused as a whole; the message names every
    /// problem with its place.
    #[error("{0}")]
    InvalidDocument(String),
    #[error("configuration: {0}")]
    Config(String),
    #[error(transparent)]
    Store(esia_store::StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<esia_store::StoreError> for CoreError {
    fn from(e: esia_store::StoreError) -> Self {
        // A NUL character in a key or value from the request: PostgreSQL refuses the statement,
        // SQLite finds no row. Either way no record has it, on both backends: not found, not a
        // 500 (the hostile-input walk found `/emulator/api/clients/%00` and its kin).
        if e.is_nul_in_text() {
            return CoreError::NotFound("record");
        }
        CoreError::Store(e)
    }
}

impl From<diesel_error::Error> for CoreError {
    fn from(e: diesel_error::Error) -> Self {
        esia_store::StoreError::from(e).into()
    }
}

/// Re-exported so the core can convert diesel errors without depending on diesel directly.
mod diesel_error {
    pub use esia_store::QueryError as Error;
}

impl CoreError {
    pub fn field(field: &'static str, error: ValidationError) -> CoreError {
        CoreError::Validation(vec![FieldError::new(field, error)])
    }

    /// The stable snake_case code of this error, the same on every channel that shows one
    /// (the QA API's `error`, logs). Wire compatibility: never rename one.
    pub fn code(&self) -> &'static str {
        match self {
            CoreError::Validation(_) => "validation_failed",
            CoreError::NotFound(_) => "not_found",
            CoreError::Conflict(_) => "conflict",
            CoreError::LoginTaken(_) => "login_taken",
            CoreError::TooManyAttempts { .. } => "too_many_attempts",
            CoreError::WrongCredentials => "wrong_credentials",
            CoreError::Unauthenticated => "unauthenticated",
            CoreError::Expired(_) => "expired",
            CoreError::InvalidDocument(_) => "invalid_document",
            e if e.is_unavailable() => "database_unavailable",
            CoreError::Config(_) | CoreError::Store(_) | CoreError::Internal(_) => "internal_error",
        }
    }

    /// A write the database's unique index refused becomes `LoginTaken` with `message`: two
    /// clients creating at once can draw the same free login, and the index is the last word.
    /// Any other error is returned as it is.
    pub fn or_taken(self, message: &str) -> CoreError {
        match self {
            CoreError::Store(e) if e.is_unique_violation() => {
                CoreError::LoginTaken(message.to_string())
            }
            other => other,
        }
    }

    /// The database is away (a pool timeout, a lost connection): 503 with `Retry-After` on
    /// every channel.
    pub fn unavailable(cause: impl Into<String>) -> CoreError {
        CoreError::Store(esia_store::StoreError::Unavailable(cause.into()))
    }

    /// True when the database is away: every channel answers 503 with `Retry-After` (never
    /// a 500), and the request can simply be retried.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, CoreError::Store(e) if e.is_unavailable())
    }
}

pub type CoreResult<T> = Result<T, CoreError>;

#[cfg(test)]
mod tests {
    use super::*;

    /// Every variant's code: a change here changes a wire code, so it must be deliberate.
    #[test]
    fn every_variant_has_its_stable_code() {
        let table: Vec<(CoreError, &str)> = vec![
            (
                CoreError::field("phone", ValidationError::new("phone_invalid", "x")),
                "validation_failed",
            ),
            (CoreError::NotFound("client"), "not_found"),
            (CoreError::Conflict("x".into()), "conflict"),
            (CoreError::LoginTaken("x".into()), "login_taken"),
            (
                CoreError::TooManyAttempts {
                    retry_after_secs: 1,
                },
                "too_many_attempts",
            ),
            (CoreError::WrongCredentials, "wrong_credentials"),
            (CoreError::Unauthenticated, "unauthenticated"),
            (CoreError::Expired("link"), "expired"),
            (CoreError::InvalidDocument("x".into()), "invalid_document"),
            (CoreError::Config("x".into()), "internal_error"),
            (CoreError::Internal("x".into()), "internal_error"),
            (CoreError::unavailable("down"), "database_unavailable"),
        ];
        for (e, code) in table {
            assert_eq!(e.code(), code, "{e:?}");
        }
    }

    #[test]
    fn only_a_unique_violation_becomes_login_taken() {
        let down = CoreError::unavailable("down");
        assert!(down.or_taken("taken").is_unavailable());
        assert!(matches!(
            CoreError::Conflict("c".into()).or_taken("taken"),
            CoreError::Conflict(_)
        ));
    }
}
