//! `Core`: the handle every use case runs on — configuration, database pool, clock and mailer.
//! It owns connection checkout and id generation; use cases live in their own modules.

use std::sync::Arc;

use chrono::{DateTime, NaiveDateTime, Utc};
use esia_domain::clock::{Clock, ControlledClock};
use esia_store::{DbPool, PooledConnection};
use rand::Rng;

use crate::config::Config;
use crate::error::{CoreError, CoreResult};
use crate::mail::Mailer;

/// The application core, cheap to clone (everything inside is shared).
#[derive(Clone)]
pub struct Core {
    pub config: Arc<Config>,
    pub pool: DbPool,
    pub clock: Arc<ControlledClock>,
    pub(crate) mailer: Arc<Mailer>,
}

impl Core {
    /// Connects to the configured database (creating the SQLite file's directory) without
    /// migrating; call `migrate` before serving.
    pub fn open(config: Config, clock: Arc<ControlledClock>) -> CoreResult<Core> {
        let options = esia_store::PoolOptions {
            max_size: config.database.pool_size,
            ..Default::default()
        };
        let pool = esia_store::build_pool(&config.database_url(), &options)?;
        let mailer = Mailer::from_config(&config)?;
        Ok(Core { config: Arc::new(config), pool, clock, mailer: Arc::new(mailer) })
    }

    /// Applies pending migrations; returns how many ran.
    pub fn migrate(&self) -> CoreResult<usize> {
        let mut conn = self.conn()?;
        Ok(conn.run_migrations()?)
    }

    pub fn conn(&self) -> CoreResult<PooledConnection> {
        self.pool.get().map_err(|e| CoreError::Store(esia_store::StoreError::Pool(e.to_string())))
    }

    /// True when the database answers (readiness probe).
    pub fn database_ready(&self) -> bool {
        self.conn().map(|mut c| esia_store::db::ping(&mut c)).unwrap_or(false)
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub fn now_naive(&self) -> NaiveDateTime {
        self.clock.now().naive_utc()
    }

    pub fn backend_name(&self) -> &'static str {
        esia_store::Backend::from_url(&self.config.database_url())
            .map(|b| b.as_str())
            .unwrap_or("unknown")
    }
}

/// A fresh random UUID string for row ids.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A random URL-safe secret token (256 bits, hex).
pub fn new_token() -> String {
    let bytes: [u8; 32] = rand::thread_rng().gen();
    hex::encode(bytes)
}

/// A 6-digit numeric confirmation code.
pub fn new_code() -> String {
    format!("{:06}", rand::thread_rng().gen_range(0..1_000_000))
}

/// A random numeric id in ESIA's style (positive, 8 digits) for contacts and documents.
pub fn new_esia_id() -> i64 {
    rand::thread_rng().gen_range(10_000_000..100_000_000)
}

/// A random person oid in the range real ESIA oids use (10 digits starting with 1).
pub fn new_oid() -> i64 {
    rand::thread_rng().gen_range(1_000_000_000..1_100_000_000)
}
