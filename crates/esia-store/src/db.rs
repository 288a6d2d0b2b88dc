//! Database connections: one `DbConnection` enum over SQLite and PostgreSQL (diesel
//! `MultiConnection`), the backend picked from the URL scheme, an r2d2 pool, per-connection SQLite
//! PRAGMAs and the embedded migrations. Nothing here knows about tables or use cases.

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::{self, CustomizeConnection, ManageConnection};
use diesel::sqlite::SqliteConnection;
use diesel::Connection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use std::time::Duration;

use crate::StoreError;

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

/// A connection to either backend; queries are written once against it.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
}

/// Which backend a URL selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Picks the backend from the URL scheme. An unknown scheme is refused, so a typo never
    /// silently creates an empty SQLite file named after it.
    pub fn from_url(url: &str) -> Result<Backend, StoreError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else if url.starts_with("sqlite://") || url.starts_with("file:") {
            Ok(Backend::Sqlite)
        } else if !url.contains("://") && !url.is_empty() {
            // A bare path is a SQLite file, the default form `./data/esia.db`.
            Ok(Backend::Sqlite)
        } else {
            Err(StoreError::UnsupportedUrl(
                url.split("://").next().unwrap_or_default().to_string(),
            ))
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// Strips `sqlite://` so that SQLite gets a plain path.
pub fn sqlite_path(url: &str) -> &str {
    url.strip_prefix("sqlite://").unwrap_or(url)
}

impl DbConnection {
    pub fn backend(&self) -> Backend {
        match self {
            DbConnection::Sqlite(_) => Backend::Sqlite,
            DbConnection::Postgres(_) => Backend::Postgres,
        }
    }

    /// Opens one connection for the URL's backend.
    pub fn open(url: &str) -> Result<DbConnection, StoreError> {
        Ok(match Backend::from_url(url)? {
            Backend::Sqlite => DbConnection::Sqlite(SqliteConnection::establish(sqlite_path(url))?),
            Backend::Postgres => DbConnection::Postgres(establish_postgres(url)?),
        })
    }

    /// Applies every pending embedded migration of this backend's tree.
    pub fn run_migrations(&mut self) -> Result<usize, StoreError> {
        let applied = match self {
            DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
            DbConnection::Postgres(c) => c
                .run_pending_migrations(POSTGRES_MIGRATIONS)
                .map(|v| v.len()),
        };
        applied.map_err(|e| StoreError::Migration(e.to_string()))
    }

    /// Reverts every applied migration (used by the up→down→up check).
    pub fn revert_all_migrations(&mut self) -> Result<(), StoreError> {
        let result = match self {
            DbConnection::Sqlite(c) => c.revert_all_migrations(SQLITE_MIGRATIONS).map(|_| ()),
            DbConnection::Postgres(c) => c.revert_all_migrations(POSTGRES_MIGRATIONS).map(|_| ()),
        };
        result.map_err(|e| StoreError::Migration(e.to_string()))
    }
}

/// Connects to PostgreSQL after initialising the OpenSSL that libpq uses for TLS without its
/// exit-time cleanup. Otherwise `exit()` frees OpenSSL's global state while pool threads may
/// still be closing TLS connections, and the process aborts with "double free or corruption"
/// (seen in CI at the end of a test binary; diesel-rs/diesel#3441). `openssl-sys` links the same
/// system libssl as libpq; we call only its `init`.
fn establish_postgres(url: &str) -> diesel::ConnectionResult<PgConnection> {
    openssl_sys::init();
    PgConnection::establish(url)
}

/// The r2d2 manager: opens connections by scheme (diesel's generic manager would try SQLite
/// first and create a file named after a PostgreSQL URL).
#[derive(Debug, Clone)]
pub struct DbManager {
    url: String,
}

impl ManageConnection for DbManager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        match Backend::from_url(&self.url) {
            Ok(Backend::Sqlite) => SqliteConnection::establish(sqlite_path(&self.url))
                .map(DbConnection::Sqlite)
                .map_err(r2d2::Error::ConnectionError),
            Ok(Backend::Postgres) => establish_postgres(&self.url)
                .map(DbConnection::Postgres)
                .map_err(r2d2::Error::ConnectionError),
            Err(e) => Err(r2d2::Error::ConnectionError(
                diesel::ConnectionError::BadConnection(e.to_string()),
            )),
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

/// SQLite settings applied to every connection as it is opened: WAL for concurrent readers,
/// foreign keys, and a busy timeout so writers wait instead of failing.
#[derive(Debug, Clone, Copy)]
struct SqlitePragmas;

impl CustomizeConnection<DbConnection, r2d2::Error> for SqlitePragmas {
    fn on_acquire(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        if let DbConnection::Sqlite(c) = conn {
            // busy_timeout first, so the other PRAGMAs wait for a lock instead of failing.
            c.batch_execute(
                "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
            )
            .map_err(r2d2::Error::QueryError)?;
        }
        Ok(())
    }
}

pub type DbPool = r2d2::Pool<DbManager>;
pub type PooledConnection = r2d2::PooledConnection<DbManager>;

/// Pool settings from configuration.
#[derive(Debug, Clone)]
pub struct PoolOptions {
    pub max_size: u32,
    pub connect_timeout: Duration,
}

impl Default for PoolOptions {
    fn default() -> Self {
        PoolOptions {
            max_size: 8,
            connect_timeout: Duration::from_secs(10),
        }
    }
}

/// Builds the pool. r2d2's per-checkout `SELECT 1` test is off: it halves PostgreSQL read
/// throughput, and a broken connection surfaces as a query error anyway.
pub fn build_pool(url: &str, options: &PoolOptions) -> Result<DbPool, StoreError> {
    let backend = Backend::from_url(url)?;
    if backend == Backend::Sqlite {
        if let Some(parent) = std::path::Path::new(sqlite_path(url)).parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| StoreError::Io(format!("{}: {e}", parent.display())))?;
            }
        }
    }
    if backend == Backend::Sqlite {
        // WAL is a property of the file: set it once, before the pool opens connections in
        // parallel (several connections switching the mode at once fail with "locked").
        let mut conn = SqliteConnection::establish(sqlite_path(url))?;
        conn.batch_execute("PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL;")?;
    }
    r2d2::Pool::builder()
        .max_size(options.max_size)
        .min_idle(Some(1))
        .connection_timeout(options.connect_timeout)
        .test_on_check_out(false)
        .connection_customizer(Box::new(SqlitePragmas))
        .build(DbManager {
            url: url.to_string(),
        })
        .map_err(|e| StoreError::Pool(e.to_string()))
}

/// Runs `f` in a write transaction. PostgreSQL uses diesel's transaction; SQLite starts it with
/// `BEGIN IMMEDIATE` so that a read-then-write use case takes the write lock up front instead of
/// failing with SQLITE_BUSY when it tries to upgrade under concurrency. Query functions never
/// call this; only use cases in esia-core do, and they never nest it.
pub fn write_transaction<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<StoreError>,
{
    match conn.backend() {
        Backend::Postgres => {
            let mut outcome: Option<Result<T, E>> = None;
            let tx = conn.transaction::<(), diesel::result::Error, _>(|c| match f(c) {
                Ok(v) => {
                    outcome = Some(Ok(v));
                    Ok(())
                }
                Err(e) => {
                    outcome = Some(Err(e));
                    Err(diesel::result::Error::RollbackTransaction)
                }
            });
            match (tx, outcome) {
                (_, Some(Err(e))) => Err(e),
                (Ok(()), Some(Ok(v))) => Ok(v),
                (Err(e), _) => Err(E::from(StoreError::Query(e))),
                (Ok(()), None) => unreachable!("transaction body always records an outcome"),
            }
        }
        Backend::Sqlite => {
            conn.batch_execute("BEGIN IMMEDIATE")
                .map_err(|e| E::from(StoreError::Query(e)))?;
            match f(conn) {
                Ok(v) => match conn.batch_execute("COMMIT") {
                    Ok(()) => Ok(v),
                    Err(e) => {
                        let _ = conn.batch_execute("ROLLBACK");
                        Err(E::from(StoreError::Query(e)))
                    }
                },
                Err(e) => {
                    let _ = conn.batch_execute("ROLLBACK");
                    Err(e)
                }
            }
        }
    }
}

/// True when the database answers a trivial query.
pub fn ping(conn: &mut DbConnection) -> bool {
    conn.batch_execute("SELECT 1").is_ok()
}

/// Runs raw SQL statements (test and admin helpers: create or drop a database).
pub fn execute_sql(conn: &mut DbConnection, sql: &str) -> Result<(), StoreError> {
    conn.batch_execute(sql)?;
    Ok(())
}
