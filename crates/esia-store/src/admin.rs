//! State administration for the QA API: wiping every table of emulator state in one go (reset,
//! snapshot import). The list of tables lives in ONE const, children before parents so the
//! deletes never trip a foreign key on either backend. Opens no transaction: the caller does.

use diesel::prelude::*;

use crate::{DbConnection, StoreError};

/// Every table holding emulator state, in foreign-key-safe delete order (children first).
/// `__diesel_schema_migrations` is deliberately absent. A new state table must be added here
/// or to `KEPT_TABLES` (the wipe-list test in tests/api_state.rs fails otherwise).
pub const WIPE_TABLES: &[&str] = &[
    // Protocol: journal, revocations, grants, codes and requests reference clients and persons.
    "token_revocations",
    "journal",
    // Control plane: fault rules and per-client zero-click controls.
    "fault_rules",
    "client_controls",
    "consents",
    "refresh_tokens",
    "auth_codes",
    "ac_requests",
    "client_certificates",
    "client_systems",
    // Verification and upgrade.
    "identity_confirmations",
    "post_letters",
    "verification_checks",
    "verification_rules",
    "registry_people",
    // Person data.
    "org_roles",
    "organizations",
    "vehicles",
    "documents",
    "kids",
    "addresses",
    // Foundation: messages, jobs, login state, registrations, contacts, then persons.
    "outbox",
    "jobs",
    "login_throttle",
    "sessions",
    "email_links",
    "confirmation_codes",
    "registrations",
    "contacts",
    "persons",
];

/// Tables a reset deliberately keeps: `control_settings` holds the emulator clock, which has
/// its own reset (`/emulator/api/clock`) and which other processes follow by its stamp;
/// `persons_etag_base` (SQLite only; PostgreSQL uses a sequence) must keep counting so a
/// re-created person never repeats an eTag version the `/rs` cache has seen.
pub const KEPT_TABLES: &[&str] = &["control_settings", "persons_etag_base"];

/// The PostgreSQL advisory lock key of "the whole state is being replaced" (reset, snapshot
/// import, startup seed). Arbitrary but fixed: every replica must use the same one.
const STATE_LOCK_KEY: i64 = 0x6573_6961_0000_0012;

/// Serialises state replacements across replicas; call it first in the write transaction,
/// the lock is released when the transaction ends. PostgreSQL: `pg_advisory_xact_lock`, so a
/// second reset waits for the first to commit instead of deleting rows the first is writing
/// and then colliding on its unique keys. SQLite: nothing to do, `BEGIN IMMEDIATE` already
/// holds the only write lock.
pub fn lock_state(conn: &mut DbConnection) -> Result<(), StoreError> {
    if let DbConnection::Postgres(pg) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
            .bind::<diesel::sql_types::BigInt, _>(STATE_LOCK_KEY)
            .execute(pg)?;
    }
    Ok(())
}

/// The shared side of the state lock, for a write transaction that inserts rows referencing
/// rows it read before it began (a login's session): it waits for a state replacement in
/// progress and keeps one from starting until it commits. Taken first, like `lock_state`, so
/// the two never deadlock on row locks taken in opposite orders. SQLite: nothing to do.
pub fn share_state_lock(conn: &mut DbConnection) -> Result<(), StoreError> {
    if let DbConnection::Postgres(pg) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock_shared($1)")
            .bind::<diesel::sql_types::BigInt, _>(STATE_LOCK_KEY)
            .execute(pg)?;
    }
    Ok(())
}

/// Deletes every row of every state table; returns the number of rows deleted.
pub fn wipe_all(conn: &mut DbConnection) -> Result<usize, StoreError> {
    let mut total = 0;
    for table in WIPE_TABLES {
        // Table names come from the const above, never from input.
        total += diesel::sql_query(format!("DELETE FROM {table}")).execute(conn)?;
    }
    Ok(total)
}

#[derive(QueryableByName)]
struct TableName {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
}

/// The tables that exist in the database (minus diesel's migration bookkeeping), sorted: lets a
/// test prove that `WIPE_TABLES` covers every table.
pub fn state_tables(conn: &mut DbConnection) -> Result<Vec<String>, StoreError> {
    // The catalogue differs per backend.
    let sql = match conn.backend() {
        crate::Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name <> '__diesel_schema_migrations' ORDER BY name"
        }
        crate::Backend::Postgres => {
            "SELECT table_name AS name FROM information_schema.tables \
             WHERE table_schema = 'public' AND table_type = 'BASE TABLE' \
             AND table_name <> '__diesel_schema_migrations' ORDER BY table_name"
        }
    };
    Ok(diesel::sql_query(sql)
        .load::<TableName>(conn)?
        .into_iter()
        .map(|t| t.name)
        .collect())
}
