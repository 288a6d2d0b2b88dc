//! Client systems («информационные системы»), their registered certificates and the protocol
//! journal: row types and queries. No transactions, no business rules (validation of mnemonics,
//! URIs and certificates lives in esia-core).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::{client_certificates, client_systems, journal};
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = client_systems)]
pub struct ClientRow {
    pub mnemonic: String,
    pub name: String,
    /// JSON array of registered redirect URI prefixes.
    pub redirect_uris: String,
    /// JSON array of allowed scope names.
    pub scopes: String,
    pub token_alg: String,
    pub mode: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = client_certificates)]
pub struct ClientCertRow {
    pub id: String,
    pub mnemonic: String,
    pub pem: String,
    pub hash_hex: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = journal)]
pub struct JournalRow {
    pub id: String,
    pub created_at: NaiveDateTime,
    pub endpoint: String,
    pub mnemonic: Option<String>,
    /// JSON object of the request parameters (secrets truncated, codes and tokens removed).
    pub params: String,
    /// `ok` or `error`.
    pub outcome: String,
    pub error_code: Option<String>,
    /// JSON of the signature check (match or failure with attempts).
    pub verification: Option<String>,
    /// The persona the request was about, when known (te from the code, /rs from the token).
    pub persona_oid: Option<i64>,
    /// The HTTP status answered.
    pub http_status: Option<i32>,
    /// JSON summary of the response (error code, token kinds issued; never token values).
    pub response: Option<String>,
}

/// Journal filters; `None` means "any".
#[derive(Debug, Clone, Default)]
pub struct JournalFilter {
    pub mnemonic: Option<String>,
    pub persona_oid: Option<i64>,
    /// Exact endpoint path, or a prefix when it ends with `*` (e.g. `/rs/*`).
    pub endpoint: Option<String>,
    /// Inclusive lower bound on `created_at`.
    pub from: Option<NaiveDateTime>,
    /// Exclusive upper bound on `created_at`.
    pub to: Option<NaiveDateTime>,
}

pub fn insert_client(conn: &mut DbConnection, row: &ClientRow) -> Result<(), StoreError> {
    diesel::insert_into(client_systems::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn insert_client_cert(conn: &mut DbConnection, row: &ClientCertRow) -> Result<(), StoreError> {
    diesel::insert_into(client_certificates::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn find_client(
    conn: &mut DbConnection,
    mnemonic: &str,
) -> Result<Option<ClientRow>, StoreError> {
    Ok(client_systems::table
        .find(mnemonic)
        .select(ClientRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn list_clients(conn: &mut DbConnection) -> Result<Vec<ClientRow>, StoreError> {
    Ok(client_systems::table
        .order(client_systems::mnemonic.asc())
        .select(ClientRow::as_select())
        .load(conn)?)
}

pub fn client_certs(
    conn: &mut DbConnection,
    mnemonic: &str,
) -> Result<Vec<ClientCertRow>, StoreError> {
    Ok(client_certificates::table
        .filter(client_certificates::mnemonic.eq(mnemonic))
        .order(client_certificates::created_at.asc())
        .select(ClientCertRow::as_select())
        .load(conn)?)
}

/// Deletes a client; its certificates, codes, tokens and consents go with it (ON DELETE CASCADE).
pub fn delete_client(conn: &mut DbConnection, mnemonic: &str) -> Result<usize, StoreError> {
    diesel::delete(client_certificates::table.filter(client_certificates::mnemonic.eq(mnemonic)))
        .execute(conn)?;
    Ok(diesel::delete(client_systems::table.find(mnemonic)).execute(conn)?)
}

pub fn insert_journal(conn: &mut DbConnection, row: &JournalRow) -> Result<(), StoreError> {
    diesel::insert_into(journal::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// Several journal rows: one multi-row statement on PostgreSQL; on SQLite (in process, no
/// round trips, and diesel's multi-backend connection has no batch insert) one each.
pub fn insert_journal_rows(conn: &mut DbConnection, rows: &[JournalRow]) -> Result<(), StoreError> {
    match conn {
        DbConnection::Postgres(pg) if !rows.is_empty() => {
            diesel::insert_into(journal::table)
                .values(rows)
                .execute(pg)?;
        }
        _ => {
            for row in rows {
                insert_journal(conn, row)?;
            }
        }
    }
    Ok(())
}

/// Deletes all but the newest `keep` journal entries (ties in time, as under a frozen
/// emulator clock, broken by id). Returns how many were deleted.
pub fn trim_journal(conn: &mut DbConnection, keep: i64) -> Result<usize, StoreError> {
    let cutoff: Option<(NaiveDateTime, String)> = journal::table
        .order((journal::created_at.desc(), journal::id.desc()))
        .offset(keep)
        .select((journal::created_at, journal::id))
        .first(conn)
        .optional()?;
    let Some((at, id)) = cutoff else {
        return Ok(0);
    };
    Ok(diesel::delete(
        journal::table.filter(
            journal::created_at
                .lt(at)
                .or(journal::created_at.eq(at).and(journal::id.le(id))),
        ),
    )
    .execute(conn)?)
}

/// Newest journal entries first, filtered.
pub fn list_journal(
    conn: &mut DbConnection,
    f: &JournalFilter,
    limit: i64,
) -> Result<Vec<JournalRow>, StoreError> {
    let mut q = journal::table.into_boxed();
    if let Some(m) = &f.mnemonic {
        q = q.filter(journal::mnemonic.eq(m.clone()));
    }
    if let Some(oid) = f.persona_oid {
        q = q.filter(journal::persona_oid.eq(oid));
    }
    match f.endpoint.as_deref().map(|e| (e, e.strip_suffix('*'))) {
        Some((_, Some(prefix))) => {
            // A prefix filter: escape LIKE's wildcards so only the `*` the caller wrote matches.
            let escaped = prefix
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            q = q.filter(journal::endpoint.like(format!("{escaped}%")).escape('\\'));
        }
        Some((e, None)) => q = q.filter(journal::endpoint.eq(e.to_string())),
        None => {}
    }
    if let Some(from) = f.from {
        q = q.filter(journal::created_at.ge(from));
    }
    if let Some(to) = f.to {
        q = q.filter(journal::created_at.lt(to));
    }
    Ok(q.order((journal::created_at.desc(), journal::id.desc()))
        .limit(limit)
        .select(JournalRow::as_select())
        .load(conn)?)
}

/// Deletes every journal entry; returns how many there were.
pub fn clear_journal(conn: &mut DbConnection) -> Result<usize, StoreError> {
    Ok(diesel::delete(journal::table).execute(conn)?)
}

/// Rewrites a client's settings in place (seed files re-applied), keeping its codes, tokens and
/// consents; `created_at` stays as it was.
pub fn update_client(conn: &mut DbConnection, row: &ClientRow) -> Result<usize, StoreError> {
    Ok(
        diesel::update(client_systems::table.filter(client_systems::mnemonic.eq(&row.mnemonic)))
            .set((
                client_systems::name.eq(&row.name),
                client_systems::redirect_uris.eq(&row.redirect_uris),
                client_systems::scopes.eq(&row.scopes),
                client_systems::token_alg.eq(&row.token_alg),
                client_systems::mode.eq(&row.mode),
            ))
            .execute(conn)?,
    )
}

/// Removes a client's certificates only (they are replaced as a set).
pub fn delete_client_certs(conn: &mut DbConnection, mnemonic: &str) -> Result<usize, StoreError> {
    Ok(diesel::delete(
        client_certificates::table.filter(client_certificates::mnemonic.eq(mnemonic)),
    )
    .execute(conn)?)
}
