//! The QA control plane's rows and queries: fault rules (the `remaining` count is decremented
//! by one conditional UPDATE so replicas share it), process-wide settings (the clock) and
//! per-client controls for zero-click login. No transactions and no rules here; esia-core's
//! `control` module owns validation and the in-process snapshot.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::{client_controls, control_settings, fault_rules, journal};
use crate::{DbConnection, StoreError};

/// One fault rule; `effect` is the JSON of the effect as validated by esia-core.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = fault_rules)]
pub struct FaultRuleRow {
    pub id: String,
    pub endpoint: Option<String>,
    pub client_id: Option<String>,
    pub persona_oid: Option<i64>,
    /// Requests left; None = until deleted.
    pub remaining: Option<i64>,
    pub fired: i64,
    pub effect: String,
    pub created_at: NaiveDateTime,
}

pub fn insert_fault(conn: &mut DbConnection, row: &FaultRuleRow) -> Result<(), StoreError> {
    diesel::insert_into(fault_rules::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// Every rule, oldest first (the order in which they are matched).
pub fn list_faults(conn: &mut DbConnection) -> Result<Vec<FaultRuleRow>, StoreError> {
    Ok(fault_rules::table
        .order((fault_rules::created_at.asc(), fault_rules::id.asc()))
        .select(FaultRuleRow::as_select())
        .load(conn)?)
}

/// Rules that can still fire, oldest first.
pub fn active_faults(conn: &mut DbConnection) -> Result<Vec<FaultRuleRow>, StoreError> {
    Ok(fault_rules::table
        .filter(
            fault_rules::remaining
                .is_null()
                .or(fault_rules::remaining.gt(0)),
        )
        .order((fault_rules::created_at.asc(), fault_rules::id.asc()))
        .select(FaultRuleRow::as_select())
        .load(conn)?)
}

pub fn find_fault(conn: &mut DbConnection, id: &str) -> Result<Option<FaultRuleRow>, StoreError> {
    Ok(fault_rules::table
        .find(id)
        .select(FaultRuleRow::as_select())
        .first(conn)
        .optional()?)
}

/// Takes one firing from a rule: true when it may fire (a count left, or unlimited). One
/// conditional UPDATE, so two replicas never both take the last one.
pub fn take_fault(conn: &mut DbConnection, id: &str) -> Result<bool, StoreError> {
    let limited = diesel::update(
        fault_rules::table
            .filter(fault_rules::id.eq(id))
            .filter(fault_rules::remaining.gt(0)),
    )
    .set((
        fault_rules::remaining.eq(fault_rules::remaining - 1),
        fault_rules::fired.eq(fault_rules::fired + 1),
    ))
    .execute(conn)?;
    if limited == 1 {
        return Ok(true);
    }
    let unlimited = diesel::update(
        fault_rules::table
            .filter(fault_rules::id.eq(id))
            .filter(fault_rules::remaining.is_null()),
    )
    .set(fault_rules::fired.eq(fault_rules::fired + 1))
    .execute(conn)?;
    Ok(unlimited == 1)
}

pub fn delete_fault(conn: &mut DbConnection, id: &str) -> Result<usize, StoreError> {
    Ok(diesel::delete(fault_rules::table.find(id)).execute(conn)?)
}

pub fn delete_all_faults(conn: &mut DbConnection) -> Result<usize, StoreError> {
    Ok(diesel::delete(fault_rules::table).execute(conn)?)
}

/// A named setting (JSON value) and the stamp of its last change.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = control_settings)]
pub struct SettingRow {
    pub name: String,
    pub value: String,
    pub stamp: String,
    pub updated_at: NaiveDateTime,
}

pub fn find_setting(conn: &mut DbConnection, name: &str) -> Result<Option<SettingRow>, StoreError> {
    Ok(control_settings::table
        .find(name)
        .select(SettingRow::as_select())
        .first(conn)
        .optional()?)
}

/// Writes a setting: UPDATE, then INSERT when there was no row (portable; the caller's
/// transaction makes the pair atomic).
pub fn put_setting(conn: &mut DbConnection, row: &SettingRow) -> Result<(), StoreError> {
    let n = diesel::update(control_settings::table.find(&row.name))
        .set((
            control_settings::value.eq(&row.value),
            control_settings::stamp.eq(&row.stamp),
            control_settings::updated_at.eq(row.updated_at),
        ))
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(control_settings::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

/// Per-client controls: zero-click allowed, and a queued next login (persona login or oid).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = client_controls)]
pub struct ClientControlRow {
    pub mnemonic: String,
    pub zero_click: bool,
    pub next_login: Option<String>,
    pub updated_at: NaiveDateTime,
}

pub fn find_client_control(
    conn: &mut DbConnection,
    mnemonic: &str,
) -> Result<Option<ClientControlRow>, StoreError> {
    Ok(client_controls::table
        .find(mnemonic)
        .select(ClientControlRow::as_select())
        .first(conn)
        .optional()?)
}

/// Every client's controls (a small table: one row per client QA touched).
pub fn list_client_controls(conn: &mut DbConnection) -> Result<Vec<ClientControlRow>, StoreError> {
    Ok(client_controls::table
        .select(ClientControlRow::as_select())
        .load(conn)?)
}

/// Sets the zero-click flag, keeping a queued login.
pub fn set_zero_click(
    conn: &mut DbConnection,
    mnemonic: &str,
    on: bool,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let n = diesel::update(client_controls::table.find(mnemonic))
        .set((
            client_controls::zero_click.eq(on),
            client_controls::updated_at.eq(now),
        ))
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(client_controls::table)
            .values(&ClientControlRow {
                mnemonic: mnemonic.into(),
                zero_click: on,
                next_login: None,
                updated_at: now,
            })
            .execute(conn)?;
    }
    Ok(())
}

/// Queues the next login of a client, keeping the zero-click flag.
pub fn queue_next_login(
    conn: &mut DbConnection,
    mnemonic: &str,
    persona: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let n = diesel::update(client_controls::table.find(mnemonic))
        .set((
            client_controls::next_login.eq(persona),
            client_controls::updated_at.eq(now),
        ))
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(client_controls::table)
            .values(&ClientControlRow {
                mnemonic: mnemonic.into(),
                zero_click: false,
                next_login: Some(persona.into()),
                updated_at: now,
            })
            .execute(conn)?;
    }
    Ok(())
}

/// Consumes the queued next login: returns it only to the one caller whose conditional UPDATE
/// cleared it (two replicas never both use it).
pub fn take_next_login(
    conn: &mut DbConnection,
    mnemonic: &str,
) -> Result<Option<String>, StoreError> {
    let Some(row) = find_client_control(conn, mnemonic)? else {
        return Ok(None);
    };
    let Some(persona) = row.next_login else {
        return Ok(None);
    };
    let n = diesel::update(
        client_controls::table
            .filter(client_controls::mnemonic.eq(mnemonic))
            .filter(client_controls::next_login.eq(&persona)),
    )
    .set(client_controls::next_login.eq(None::<String>))
    .execute(conn)?;
    Ok((n == 1).then_some(persona))
}

/// A journal line written by the control plane (a fault fired, a zero-click login). Names its
/// columns so that columns added to the journal later keep their defaults.
pub struct ControlJournal<'a> {
    pub id: &'a str,
    pub at: NaiveDateTime,
    pub endpoint: &'a str,
    pub mnemonic: Option<&'a str>,
    pub params: &'a str,
    pub outcome: &'a str,
    pub error_code: Option<&'a str>,
    pub detail: &'a str,
    /// The person the request was about, when known.
    pub persona_oid: Option<i64>,
}

pub fn insert_control_journal(
    conn: &mut DbConnection,
    j: &ControlJournal<'_>,
) -> Result<(), StoreError> {
    diesel::insert_into(journal::table)
        .values((
            journal::id.eq(j.id),
            journal::created_at.eq(j.at),
            journal::endpoint.eq(j.endpoint),
            journal::mnemonic.eq(j.mnemonic),
            journal::params.eq(j.params),
            journal::outcome.eq(j.outcome),
            journal::error_code.eq(j.error_code),
            journal::verification.eq(Some(j.detail)),
            journal::persona_oid.eq(j.persona_oid),
        ))
        .execute(conn)?;
    Ok(())
}
