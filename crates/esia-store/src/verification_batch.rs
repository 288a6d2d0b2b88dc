//! Set-based queries of the batched check runner: load every row a batch of check jobs needs
//! with one `eq_any` query per table, and write its results with multi-row inserts and one
//! `eq_any` update per distinct value set (PostgreSQL; SQLite inserts row by row, see
//! `insert_all!`). No transactions and no rules here; esia-core decides
//! both (`upgrade::check_batch`). Empty inputs cost no round trip.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::jobs::JobRow;
use crate::outbox::OutboxRow;
use crate::person_data::DocumentRow;
use crate::persons::{ContactRow, PersonRow};
use crate::schema::{
    contacts, documents, jobs, outbox, persons, registry_people, verification_checks,
};
use crate::verification::{CheckRow, RegistryPersonRow};
use crate::{DbConnection, StoreError};

/// Runs `$body` with `$c` bound to the concrete backend connection. Updates filtered with
/// `eq_any` and multi-row inserts need it: the MultiConnection covers only the SQL both
/// backends share (PostgreSQL binds one array, SQLite expands `IN (…)` and inserts rows one
/// `VALUES` list at a time).
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            DbConnection::Postgres($c) => $body,
            DbConnection::Sqlite($c) => $body,
        }
    };
}

/// The checks with these ids (any status).
pub fn checks_by_ids(conn: &mut DbConnection, ids: &[String]) -> Result<Vec<CheckRow>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(verification_checks::table
        .filter(verification_checks::id.eq_any(ids))
        .select(CheckRow::as_select())
        .load(conn)?)
}

/// The pending checks of these persons, newest first (the order `verification::checks_of` has).
pub fn pending_checks_of_persons(
    conn: &mut DbConnection,
    person_ids: &[String],
) -> Result<Vec<CheckRow>, StoreError> {
    if person_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(verification_checks::table
        .filter(verification_checks::person_id.eq_any(person_ids))
        .filter(verification_checks::status.eq("pending"))
        .order(verification_checks::created_at.desc())
        .select(CheckRow::as_select())
        .load(conn)?)
}

/// The persons with these ids.
pub fn persons_by_ids(
    conn: &mut DbConnection,
    ids: &[String],
) -> Result<Vec<PersonRow>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(persons::table
        .filter(persons::id.eq_any(ids))
        .select(PersonRow::as_select())
        .load(conn)?)
}

/// The own documents (not their kids') of these persons, oldest first, as
/// `person_data::documents_of` orders them.
pub fn documents_of_persons(
    conn: &mut DbConnection,
    person_ids: &[String],
) -> Result<Vec<DocumentRow>, StoreError> {
    if person_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(documents::table
        .filter(documents::person_id.eq_any(person_ids))
        .filter(documents::kid_id.is_null())
        .order((documents::created_at.asc(), documents::id.asc()))
        .select(DocumentRow::as_select())
        .load(conn)?)
}

/// The contacts of these persons, oldest first, as `persons::contacts_of` orders them.
pub fn contacts_of_persons(
    conn: &mut DbConnection,
    person_ids: &[String],
) -> Result<Vec<ContactRow>, StoreError> {
    if person_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(contacts::table
        .filter(contacts::person_id.eq_any(person_ids))
        .order((contacts::created_at.asc(), contacts::id.asc()))
        .select(ContactRow::as_select())
        .load(conn)?)
}

/// Registry entries holding any of these SNILS, passports or INNs (one query).
pub fn registry_by_values(
    conn: &mut DbConnection,
    snils: &[String],
    passports: &[String],
    inns: &[String],
) -> Result<Vec<RegistryPersonRow>, StoreError> {
    if snils.is_empty() && passports.is_empty() && inns.is_empty() {
        return Ok(Vec::new());
    }
    Ok(registry_people::table
        .filter(
            registry_people::snils
                .eq_any(snils)
                .or(registry_people::passport.eq_any(passports))
                .or(registry_people::inn.eq_any(inns)),
        )
        .order(registry_people::created_at.asc())
        .select(RegistryPersonRow::as_select())
        .load(conn)?)
}

/// Finishes the still pending checks among `ids` with one status and reason; returns how many
/// it finished (fewer than `ids.len()` means another run got there first).
pub fn finish_checks(
    conn: &mut DbConnection,
    ids: &[String],
    status: esia_domain::CheckStatus,
    reason: Option<&str>,
    now: NaiveDateTime,
) -> Result<usize, StoreError> {
    if ids.is_empty() {
        return Ok(0);
    }
    let target = verification_checks::table
        .filter(verification_checks::id.eq_any(ids))
        .filter(verification_checks::status.eq("pending"));
    let values = (
        verification_checks::status.eq(status.as_str()),
        verification_checks::reason.eq(reason),
        verification_checks::finished_at.eq(now),
    );
    Ok(on_backend!(conn, |c| diesel::update(target)
        .set(values)
        .execute(c)?))
}

/// Cancels the still pending checks among `ids`; returns how many it cancelled.
pub fn cancel_checks(
    conn: &mut DbConnection,
    ids: &[String],
    now: NaiveDateTime,
) -> Result<usize, StoreError> {
    if ids.is_empty() {
        return Ok(0);
    }
    let target = verification_checks::table
        .filter(verification_checks::id.eq_any(ids))
        .filter(verification_checks::status.eq("pending"));
    let values = (
        verification_checks::status.eq("cancelled"),
        verification_checks::finished_at.eq(now),
    );
    Ok(on_backend!(conn, |c| diesel::update(target)
        .set(values)
        .execute(c)?))
}

/// Stores one level state on several persons.
pub fn update_level_states(
    conn: &mut DbConnection,
    person_ids: &[String],
    level: esia_domain::AccountLevel,
    verification: esia_domain::VerificationStatus,
    note: Option<&str>,
    now: NaiveDateTime,
) -> Result<usize, StoreError> {
    if person_ids.is_empty() {
        return Ok(0);
    }
    let target = persons::table.filter(persons::id.eq_any(person_ids));
    let values = (
        persons::level.eq(level.as_str()),
        persons::verification.eq(verification.as_str()),
        persons::verification_note.eq(note),
        persons::updated_at.eq(now),
    );
    Ok(on_backend!(conn, |c| diesel::update(target)
        .set(values)
        .execute(c)?))
}

/// Stores one verification status (`vrfStu`, `vrfValStu`, `fms_valid`) on several documents.
pub fn update_document_statuses(
    conn: &mut DbConnection,
    doc_ids: &[String],
    vrf_stu: esia_domain::VrfStatus,
    vrf_val_stu: Option<&str>,
    fms_valid: Option<bool>,
    now: NaiveDateTime,
) -> Result<usize, StoreError> {
    if doc_ids.is_empty() {
        return Ok(0);
    }
    let target = documents::table.filter(documents::id.eq_any(doc_ids));
    let values = (
        documents::vrf_stu.eq(vrf_stu.as_str()),
        documents::vrf_val_stu.eq(vrf_val_stu),
        documents::fms_valid.eq(fms_valid),
        documents::updated_at.eq(now),
    );
    Ok(on_backend!(conn, |c| diesel::update(target)
        .set(values)
        .execute(c)?))
}

/// Rows per multi-row INSERT: far below PostgreSQL's 65,535 bind parameters for the widest row
/// here (12 columns).
const INSERT_CHUNK: usize = 500;

/// Inserts `$rows` into `$table`: PostgreSQL several rows per statement (one round trip per
/// chunk); SQLite one row per statement, because diesel runs a multi-row SQLite insert as row
/// inserts inside its own transaction, which cannot nest in `write_transaction`'s
/// `BEGIN IMMEDIATE` (and an in-process insert costs no round trip anyway).
macro_rules! insert_all {
    ($conn:expr, $table:expr, $rows:expr) => {
        match $conn {
            DbConnection::Postgres(c) => {
                for chunk in $rows.chunks(INSERT_CHUNK) {
                    diesel::insert_into($table).values(chunk).execute(c)?;
                }
            }
            DbConnection::Sqlite(c) => {
                for row in $rows {
                    diesel::insert_into($table).values(row).execute(c)?;
                }
            }
        }
    };
}

/// Inserts registry entries.
pub fn insert_registry_people(
    conn: &mut DbConnection,
    rows: &[RegistryPersonRow],
) -> Result<(), StoreError> {
    insert_all!(conn, registry_people::table, rows);
    Ok(())
}

/// Inserts outbox messages.
pub fn insert_outbox(conn: &mut DbConnection, rows: &[OutboxRow]) -> Result<(), StoreError> {
    insert_all!(conn, outbox::table, rows);
    Ok(())
}

/// Enqueues jobs; call it inside the transaction that makes them necessary.
pub fn enqueue_jobs(conn: &mut DbConnection, rows: &[JobRow]) -> Result<(), StoreError> {
    insert_all!(conn, jobs::table, rows);
    Ok(())
}
