//! Database connections: one `DbConnection` enum over SQLite and PostgreSQL (diesel
//! `MultiConnection`), the backend picked from the URL scheme, an r2d2 pool that never hands a
//! dead or mid-transaction connection back out, per-connection SQLite PRAGMAs and the embedded
//! migrations (serialised across processes). Nothing here knows about tables or use cases.

use diesel::connection::{
    AnsiTransactionManager, Instrumentation, InstrumentationEvent, SimpleConnection,
    TransactionManager,
};
use diesel::pg::PgConnection;
use diesel::r2d2::{self, CustomizeConnection, ManageConnection, R2D2Connection};
use diesel::sqlite::SqliteConnection;
use diesel::Connection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use std::time::Duration;

use crate::StoreError;

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

/// The PostgreSQL advisory lock key that serialises migrations across processes (an arbitrary
/// constant: "ESIAMIGR" in ASCII).
const MIGRATION_LOCK: i64 = 0x4553_4941_4d49_4752;

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

    /// Applies every pending embedded migration of this backend's tree. Several processes
    /// (replicas started together) may call this at once: PostgreSQL holds a session advisory
    /// lock around the run, SQLite runs it inside one `BEGIN EXCLUSIVE` transaction, so the
    /// second process waits and then finds nothing pending.
    pub fn run_migrations(&mut self) -> Result<usize, StoreError> {
        let migration =
            |e: Box<dyn std::error::Error + Send + Sync>| StoreError::Migration(e.to_string());
        match self {
            DbConnection::Sqlite(c) => {
                AnsiTransactionManager::begin_transaction_sql(c, "BEGIN EXCLUSIVE")?;
                match c.run_pending_migrations(SQLITE_MIGRATIONS) {
                    Ok(applied) => {
                        let n = applied.len();
                        AnsiTransactionManager::commit_transaction(c)?;
                        Ok(n)
                    }
                    Err(e) => {
                        let _ = AnsiTransactionManager::rollback_transaction(c);
                        Err(migration(e))
                    }
                }
            }
            DbConnection::Postgres(c) => {
                c.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))?;
                let applied = c
                    .run_pending_migrations(POSTGRES_MIGRATIONS)
                    .map(|v| v.len());
                // Released explicitly: the pooled session outlives this call. If the
                // connection died, the server released the lock with the session.
                let unlocked =
                    c.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"));
                let n = applied.map_err(migration)?;
                unlocked?;
                Ok(n)
            }
        }
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

/// True when a query failed because the connection itself is gone (terminated backend,
/// server restart, network loss): diesel reports those as `ClosedConnection` (libpq's status is
/// `CONNECTION_BAD`) or `UnableToSendCommand`.
pub fn is_connection_lost(e: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    matches!(
        e,
        Error::DatabaseError(
            DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
            _
        )
    )
}

/// Per-connection instrumentation that remembers a lost connection, so that the pool drops it
/// when it comes back instead of handing a dead session to the next request.
#[derive(Debug, Default)]
struct ConnectionHealth {
    lost: bool,
}

impl Instrumentation for ConnectionHealth {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::FinishQuery { error: Some(e), .. } = event {
            if is_connection_lost(e) {
                self.lost = true;
            }
        }
    }
}

/// True when this connection must not be reused: a query saw it lost, or a transaction is
/// still open or failed half-way (the caller panicked or returned mid-transaction).
pub fn is_broken(conn: &mut DbConnection) -> bool {
    let lost = conn
        .instrumentation()
        .downcast_ref::<ConnectionHealth>()
        .is_some_and(|h| h.lost);
    lost || R2D2Connection::is_broken(conn)
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
        let mut conn = match Backend::from_url(&self.url) {
            Ok(Backend::Sqlite) => SqliteConnection::establish(sqlite_path(&self.url))
                .map(DbConnection::Sqlite)
                .map_err(r2d2::Error::ConnectionError)?,
            Ok(Backend::Postgres) => establish_postgres(&self.url)
                .map(DbConnection::Postgres)
                .map_err(r2d2::Error::ConnectionError)?,
            Err(e) => {
                return Err(r2d2::Error::ConnectionError(
                    diesel::ConnectionError::BadConnection(e.to_string()),
                ))
            }
        };
        conn.set_instrumentation(ConnectionHealth::default());
        Ok(conn)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)
    }

    /// Called by r2d2 whenever a connection comes back; a `true` drops it (as diesel's own
    /// `ConnectionManager` does, plus the lost-connection flag diesel does not track).
    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        std::thread::panicking() || is_broken(conn)
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
    /// How long a checkout waits for a connection before it fails with
    /// `StoreError::Unavailable` (a 503): short, so that requests do not hang while the
    /// database is away.
    pub connect_timeout: Duration,
}

impl Default for PoolOptions {
    fn default() -> Self {
        PoolOptions {
            max_size: 8,
            connect_timeout: Duration::from_secs(5),
        }
    }
}

/// Builds the pool. r2d2's per-checkout `SELECT 1` test is off: it halves PostgreSQL read
/// throughput. Instead a lost connection fails its query (a 503), is flagged by
/// `ConnectionHealth` and dropped by `has_broken` when it comes back, and the pool opens a
/// fresh one: at most one failed request per pooled connection after a database restart.
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
                (Err(e), _) => Err(E::from(StoreError::from(e))),
                (Ok(()), None) => unreachable!("transaction body always records an outcome"),
            }
        }
        Backend::Sqlite => {
            // Through diesel's transaction manager, so that a connection left mid-transaction
            // (a panic in `f`) is seen as broken by the pool.
            sqlite_tx(conn, |c| {
                AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")
            })
            .map_err(|e| E::from(StoreError::from(e)))?;
            match f(conn) {
                Ok(v) => match sqlite_tx(conn, AnsiTransactionManager::commit_transaction) {
                    Ok(()) => Ok(v),
                    Err(e) => {
                        let _ = sqlite_tx(conn, AnsiTransactionManager::rollback_transaction);
                        Err(E::from(StoreError::from(e)))
                    }
                },
                Err(e) => {
                    let _ = sqlite_tx(conn, AnsiTransactionManager::rollback_transaction);
                    Err(e)
                }
            }
        }
    }
}

/// Runs a transaction-manager step on the SQLite connection inside `conn`.
fn sqlite_tx(
    conn: &mut DbConnection,
    step: impl FnOnce(&mut SqliteConnection) -> diesel::QueryResult<()>,
) -> diesel::QueryResult<()> {
    match conn {
        DbConnection::Sqlite(c) => step(c),
        // Never taken: the callers are on the SQLite branch.
        DbConnection::Postgres(_) => Err(diesel::result::Error::QueryBuilderError(
            "not a SQLite connection".into(),
        )),
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
