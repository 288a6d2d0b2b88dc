//! Rows and queries of account upgrade and identity confirmation: verification checks, QA rules
//! that force check outcomes, the simulated registry of "real" people, Russian Post letters and
//! the confirmation log. No transactions and no rules here; esia-core decides both.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use esia_domain::{CheckKind, CheckStatus, LetterStatus};

use crate::schema::{
    identity_confirmations, organizations, persons, post_letters, registry_people,
    verification_checks, verification_rules,
};
use crate::{DbConnection, StoreError};

/// One government check of one verification request (`kind` and `status` typed as
/// `persons::PersonRow` explains).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = verification_checks)]
pub struct CheckRow {
    pub id: String,
    pub request_id: String,
    pub person_id: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub kind: CheckKind,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: CheckStatus,
    pub reason: Option<String>,
    pub job_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
}

/// A QA rule: when `field` matches `pattern` (exact or with `*`/`?`), force `outcome`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, serde::Serialize)]
#[diesel(table_name = verification_rules)]
pub struct RuleRow {
    pub id: String,
    pub field: String,
    pub pattern: String,
    pub outcome: String,
    pub delay_secs: Option<i64>,
    pub created_at: NaiveDateTime,
}

/// A "real" person as the agencies know them.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = registry_people)]
pub struct RegistryPersonRow {
    pub id: String,
    pub surname: String,
    pub name: String,
    pub patronymic: Option<String>,
    pub gender: String,
    pub birth_date: NaiveDate,
    /// 11 digits.
    pub snils: Option<String>,
    /// Series and number, 10 digits.
    pub passport: Option<String>,
    pub passport_valid: bool,
    pub inn: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = post_letters)]
pub struct PostLetterRow {
    pub id: String,
    pub person_id: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: LetterStatus,
    pub code: Option<String>,
    pub attempts_left: i32,
    pub expires_at: Option<NaiveDateTime>,
    pub ordered_at: NaiveDateTime,
    pub delivered_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = identity_confirmations)]
pub struct ConfirmationRow {
    pub id: String,
    pub person_id: String,
    pub method: String,
    pub detail: Option<String>,
    pub created_at: NaiveDateTime,
}

pub fn insert_check(conn: &mut DbConnection, row: &CheckRow) -> Result<(), StoreError> {
    diesel::insert_into(verification_checks::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

pub fn find_check(conn: &mut DbConnection, id: &str) -> Result<Option<CheckRow>, StoreError> {
    Ok(verification_checks::table
        .find(id)
        .select(CheckRow::as_select())
        .first(conn)
        .optional()?)
}

/// Finishes a pending check; returns false when it was no longer pending (a duplicate run).
pub fn finish_check(
    conn: &mut DbConnection,
    id: &str,
    status: CheckStatus,
    reason: Option<&str>,
    now: NaiveDateTime,
) -> Result<bool, StoreError> {
    let n = diesel::update(
        verification_checks::table
            .find(id)
            .filter(verification_checks::status.eq("pending")),
    )
    .set((
        verification_checks::status.eq(status.as_str()),
        verification_checks::reason.eq(reason),
        verification_checks::finished_at.eq(now),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Cancels the person's pending checks of `kind`.
pub fn cancel_pending(
    conn: &mut DbConnection,
    person_id: &str,
    kind: CheckKind,
    now: NaiveDateTime,
) -> Result<usize, StoreError> {
    Ok(diesel::update(
        verification_checks::table
            .filter(verification_checks::person_id.eq(person_id))
            .filter(verification_checks::kind.eq(kind.as_str()))
            .filter(verification_checks::status.eq("pending")),
    )
    .set((
        verification_checks::status.eq("cancelled"),
        verification_checks::finished_at.eq(now),
    ))
    .execute(conn)?)
}

/// The person's checks, newest first.
pub fn checks_of(
    conn: &mut DbConnection,
    person_id: &str,
    limit: i64,
) -> Result<Vec<CheckRow>, StoreError> {
    Ok(verification_checks::table
        .filter(verification_checks::person_id.eq(person_id))
        .order(verification_checks::created_at.desc())
        .limit(limit)
        .select(CheckRow::as_select())
        .load(conn)?)
}

pub fn insert_rule(conn: &mut DbConnection, row: &RuleRow) -> Result<(), StoreError> {
    diesel::insert_into(verification_rules::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// Every rule, newest first (newer rules win).
pub fn list_rules(conn: &mut DbConnection) -> Result<Vec<RuleRow>, StoreError> {
    Ok(verification_rules::table
        .order(verification_rules::created_at.desc())
        .select(RuleRow::as_select())
        .load(conn)?)
}

/// Deletes one rule, or every rule when `id` is None.
pub fn delete_rules(conn: &mut DbConnection, id: Option<&str>) -> Result<usize, StoreError> {
    Ok(match id {
        Some(id) => diesel::delete(verification_rules::table.find(id)).execute(conn)?,
        None => diesel::delete(verification_rules::table).execute(conn)?,
    })
}

pub fn insert_registry_person(
    conn: &mut DbConnection,
    row: &RegistryPersonRow,
) -> Result<(), StoreError> {
    diesel::insert_into(registry_people::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn count_registry(conn: &mut DbConnection) -> Result<i64, StoreError> {
    Ok(registry_people::table.count().get_result(conn)?)
}

pub fn list_registry(
    conn: &mut DbConnection,
    limit: i64,
) -> Result<Vec<RegistryPersonRow>, StoreError> {
    Ok(registry_people::table
        .order(registry_people::created_at.asc())
        .limit(limit)
        .select(RegistryPersonRow::as_select())
        .load(conn)?)
}

pub fn registry_by_snils(
    conn: &mut DbConnection,
    snils: &str,
) -> Result<Option<RegistryPersonRow>, StoreError> {
    Ok(registry_people::table
        .filter(registry_people::snils.eq(snils))
        .select(RegistryPersonRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn registry_by_passport(
    conn: &mut DbConnection,
    passport: &str,
) -> Result<Option<RegistryPersonRow>, StoreError> {
    Ok(registry_people::table
        .filter(registry_people::passport.eq(passport))
        .select(RegistryPersonRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn registry_by_inn(
    conn: &mut DbConnection,
    inn: &str,
) -> Result<Option<RegistryPersonRow>, StoreError> {
    Ok(registry_people::table
        .filter(registry_people::inn.eq(inn))
        .select(RegistryPersonRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn insert_letter(conn: &mut DbConnection, row: &PostLetterRow) -> Result<(), StoreError> {
    diesel::insert_into(post_letters::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

pub fn find_letter(conn: &mut DbConnection, id: &str) -> Result<Option<PostLetterRow>, StoreError> {
    Ok(post_letters::table
        .find(id)
        .select(PostLetterRow::as_select())
        .first(conn)
        .optional()?)
}

/// Marks an ordered letter delivered with its code; false when it already was (a duplicate
/// job run).
pub fn deliver_letter(
    conn: &mut DbConnection,
    id: &str,
    code: &str,
    expires_at: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<bool, StoreError> {
    let n = diesel::update(
        post_letters::table
            .find(id)
            .filter(post_letters::status.eq("ordered")),
    )
    .set((
        post_letters::status.eq("delivered"),
        post_letters::code.eq(code),
        post_letters::expires_at.eq(expires_at),
        post_letters::delivered_at.eq(now),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Stores the attempts left and the status (`delivered` or `used`) of a letter's code.
pub fn update_letter_code_state(
    conn: &mut DbConnection,
    id: &str,
    attempts_left: i32,
    status: LetterStatus,
) -> Result<usize, StoreError> {
    Ok(diesel::update(post_letters::table.find(id))
        .set((
            post_letters::attempts_left.eq(attempts_left),
            post_letters::status.eq(status.as_str()),
        ))
        .execute(conn)?)
}

/// The person's newest letter.
pub fn latest_letter(
    conn: &mut DbConnection,
    person_id: &str,
) -> Result<Option<PostLetterRow>, StoreError> {
    Ok(post_letters::table
        .filter(post_letters::person_id.eq(person_id))
        .order(post_letters::ordered_at.desc())
        .select(PostLetterRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn insert_confirmation(
    conn: &mut DbConnection,
    row: &ConfirmationRow,
) -> Result<(), StoreError> {
    diesel::insert_into(identity_confirmations::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// Persons whose surname, name or SNILS contains `term` (operator search), at most `limit`.
pub fn search_persons(
    conn: &mut DbConnection,
    term: &str,
    limit: i64,
) -> Result<Vec<crate::persons::PersonRow>, StoreError> {
    let like = format!("%{}%", term.replace(['%', '_'], ""));
    Ok(persons::table
        .filter(
            persons::surname
                .like(like.clone())
                .or(persons::name.like(like.clone()))
                .or(persons::snils.like(like)),
        )
        .order(persons::created_at.asc())
        .limit(limit)
        .select(crate::persons::PersonRow::as_select())
        .load(conn)?)
}

/// Locks (PostgreSQL `FOR UPDATE`) the persons of the given checks in one statement, in id order:
/// every batch takes its locks in the same global order, so two workers never deadlock.
/// No-op on SQLite (its write transaction is exclusive already).
pub fn lock_persons_of_checks(
    conn: &mut DbConnection,
    check_ids: &[String],
) -> Result<(), StoreError> {
    if let DbConnection::Postgres(pg) = conn {
        diesel::sql_query(
            "SELECT id FROM persons WHERE id IN \
             (SELECT person_id FROM verification_checks WHERE id = ANY($1)) \
             ORDER BY id FOR UPDATE",
        )
        .bind::<diesel::sql_types::Array<diesel::sql_types::Text>, _>(check_ids)
        .execute(pg)?;
    }
    Ok(())
}

/// Locks the person's row until the transaction ends, so two check answers for one person
/// (two workers) are applied one after the other. PostgreSQL: `SELECT … FOR UPDATE`; SQLite
/// needs nothing (write transactions start with `BEGIN IMMEDIATE` and are exclusive).
pub fn lock_person(conn: &mut DbConnection, person_id: &str) -> Result<(), StoreError> {
    if conn.backend() == crate::Backend::Postgres {
        diesel::sql_query("SELECT id FROM persons WHERE id = $1 FOR UPDATE")
            .bind::<diesel::sql_types::Text, _>(person_id)
            .execute(conn)?;
    }
    Ok(())
}

/// Whether an organisation account with this ОГРН or ИНН exists (the ФНС uniqueness check).
pub fn organization_taken(
    conn: &mut DbConnection,
    ogrn: &str,
    inn: &str,
) -> Result<bool, StoreError> {
    let n: i64 = organizations::table
        .filter(organizations::ogrn.eq(ogrn).or(organizations::inn.eq(inn)))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}
