//! The core's error type. Business outcomes a page must show (a wrong code, a taken phone) are
//! variants here or outcome enums of the use case; esia-web maps each variant to HTTP once.

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
    /// The request conflicts with the current state (e.g. a phone taken by another account).
    #[error("{0}")]
    Conflict(String),
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

    /// True when the database is away: every channel answers 503 with `Retry-After` (never
    /// a 500), and the request can simply be retried.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, CoreError::Store(e) if e.is_unavailable())
    }
}

pub type CoreResult<T> = Result<T, CoreError>;
