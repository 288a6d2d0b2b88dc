//! esia-store: persistence for the emulator. One portable diesel schema over SQLite and
//! PostgreSQL (`DbConnection`), the r2d2 pool, embedded migrations, row types and query
//! functions. Query functions take `&mut DbConnection` and never open transactions: the use
//! cases in esia-core decide transaction boundaries.

pub mod db;
pub mod schema;

pub use db::{
    build_pool, write_transaction, Backend, DbConnection, DbPool, PoolOptions, PooledConnection,
};
pub use diesel::result::Error as QueryError;

/// Errors of the persistence layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unsupported database URL scheme `{0}`: use a SQLite path (or sqlite://PATH) or postgres://…")]
    UnsupportedUrl(String),
    #[error("cannot connect to the database: {0}")]
    Connection(#[from] diesel::ConnectionError),
    #[error("database error: {0}")]
    Query(diesel::result::Error),
    #[error("connection pool error: {0}")]
    Pool(String),
    /// The database is away: the connection was lost (terminated backend, restart) or no
    /// connection could be had within the pool's timeout. Callers answer 503 and retry later;
    /// the pool heals by itself.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("migration failed: {0}")]
    Migration(String),
    #[error("{0}")]
    Io(String),
}

impl From<diesel::result::Error> for StoreError {
    fn from(e: diesel::result::Error) -> Self {
        if db::is_connection_lost(&e) {
            StoreError::Unavailable(e.to_string())
        } else {
            StoreError::Query(e)
        }
    }
}

impl StoreError {
    /// True when the database is away (a 503, not a 500): a lost connection, a refused or
    /// timed-out connection attempt.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, StoreError::Unavailable(_) | StoreError::Connection(_))
    }

    /// True when PostgreSQL refused a text value holding U+0000 (it cannot store one; SQLite
    /// can). Such a value came from the request: hostile input, not a database failure.
    pub fn is_nul_in_text(&self) -> bool {
        match self {
            StoreError::Query(diesel::result::Error::DatabaseError(_, info)) => {
                let m = info.message();
                m.contains("invalid byte sequence for encoding") && m.contains("0x00")
            }
            _ => false,
        }
    }

    /// True when a unique constraint refused the write (e.g. a phone already taken).
    pub fn is_unique_violation(&self) -> bool {
        matches!(
            self,
            StoreError::Query(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _
            ))
        )
    }
}

pub mod admin;
pub mod admin_queries;
pub mod auth;
pub mod clients;
pub mod consents;
pub mod control;
pub mod grants;
pub mod jobs;
pub mod journal_reads;
pub mod outbox;
pub mod person_changes;
pub mod person_data;
pub mod person_read;
pub mod personas;
pub mod persons;
pub mod verification;
pub mod verification_batch;
