//! Registrations in progress, one-time codes and e-mail links, browser sessions and the login
//! throttle: row types and queries. No transactions, no business rules.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::{confirmation_codes, email_links, login_throttle, registrations, sessions};
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = registrations)]
pub struct RegistrationRow {
    pub id: String,
    pub surname: String,
    pub name: String,
    pub patronymic: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub phone_confirmed: bool,
    pub email_confirmed: bool,
    pub completed_person_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = confirmation_codes)]
pub struct CodeRow {
    pub id: String,
    pub purpose: String,
    pub subject_id: String,
    pub target: String,
    pub code: String,
    pub attempts_left: i32,
    pub sent_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub blocked_until: Option<NaiveDateTime>,
    pub consumed_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = email_links)]
pub struct EmailLinkRow {
    pub token: String,
    pub purpose: String,
    pub subject_id: String,
    pub email: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    pub id: String,
    pub person_id: String,
    pub sid: String,
    pub auth_method: String,
    pub auth_time: NaiveDateTime,
    pub persistent: bool,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub ended_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = login_throttle)]
#[diesel(treat_none_as_null = true)]
pub struct ThrottleRow {
    pub login_key: String,
    pub failures: i32,
    pub window_started_at: NaiveDateTime,
    pub blocked_until: Option<NaiveDateTime>,
}

pub fn insert_registration(
    conn: &mut DbConnection,
    row: &RegistrationRow,
) -> Result<(), StoreError> {
    diesel::insert_into(registrations::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn find_registration(
    conn: &mut DbConnection,
    id: &str,
) -> Result<Option<RegistrationRow>, StoreError> {
    Ok(registrations::table
        .find(id)
        .select(RegistrationRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn mark_registration_confirmed(
    conn: &mut DbConnection,
    id: &str,
    phone: bool,
    email: bool,
) -> Result<(), StoreError> {
    if phone {
        diesel::update(registrations::table.find(id))
            .set(registrations::phone_confirmed.eq(true))
            .execute(conn)?;
    }
    if email {
        diesel::update(registrations::table.find(id))
            .set(registrations::email_confirmed.eq(true))
            .execute(conn)?;
    }
    Ok(())
}

pub fn complete_registration(
    conn: &mut DbConnection,
    id: &str,
    person_id: &str,
) -> Result<usize, StoreError> {
    Ok(diesel::update(
        registrations::table
            .find(id)
            .filter(registrations::completed_person_id.is_null()),
    )
    .set(registrations::completed_person_id.eq(person_id))
    .execute(conn)?)
}

pub fn insert_code(conn: &mut DbConnection, row: &CodeRow) -> Result<(), StoreError> {
    diesel::insert_into(confirmation_codes::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// The newest code of a purpose for a subject (a resend supersedes older codes).
pub fn latest_code(
    conn: &mut DbConnection,
    purpose: &str,
    subject_id: &str,
) -> Result<Option<CodeRow>, StoreError> {
    Ok(confirmation_codes::table
        .filter(confirmation_codes::purpose.eq(purpose))
        .filter(confirmation_codes::subject_id.eq(subject_id))
        .order(confirmation_codes::sent_at.desc())
        .select(CodeRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn update_code_attempts(
    conn: &mut DbConnection,
    id: &str,
    attempts_left: i32,
    blocked_until: Option<NaiveDateTime>,
) -> Result<(), StoreError> {
    diesel::update(confirmation_codes::table.find(id))
        .set((
            confirmation_codes::attempts_left.eq(attempts_left),
            confirmation_codes::blocked_until.eq(blocked_until),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn consume_code(
    conn: &mut DbConnection,
    id: &str,
    now: NaiveDateTime,
) -> Result<usize, StoreError> {
    Ok(diesel::update(
        confirmation_codes::table
            .find(id)
            .filter(confirmation_codes::consumed_at.is_null()),
    )
    .set(confirmation_codes::consumed_at.eq(now))
    .execute(conn)?)
}

pub fn insert_email_link(conn: &mut DbConnection, row: &EmailLinkRow) -> Result<(), StoreError> {
    diesel::insert_into(email_links::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn find_email_link(
    conn: &mut DbConnection,
    token: &str,
) -> Result<Option<EmailLinkRow>, StoreError> {
    Ok(email_links::table
        .find(token)
        .select(EmailLinkRow::as_select())
        .first(conn)
        .optional()?)
}

/// Marks a link used; returns 0 when it was already used (a second click).
pub fn use_email_link(
    conn: &mut DbConnection,
    token: &str,
    now: NaiveDateTime,
) -> Result<usize, StoreError> {
    Ok(diesel::update(
        email_links::table
            .find(token)
            .filter(email_links::used_at.is_null()),
    )
    .set(email_links::used_at.eq(now))
    .execute(conn)?)
}

pub fn insert_session(conn: &mut DbConnection, row: &SessionRow) -> Result<(), StoreError> {
    diesel::insert_into(sessions::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn find_session(conn: &mut DbConnection, id: &str) -> Result<Option<SessionRow>, StoreError> {
    Ok(sessions::table
        .find(id)
        .select(SessionRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn end_session(
    conn: &mut DbConnection,
    id: &str,
    now: NaiveDateTime,
) -> Result<usize, StoreError> {
    Ok(diesel::update(
        sessions::table
            .find(id)
            .filter(sessions::ended_at.is_null()),
    )
    .set(sessions::ended_at.eq(now))
    .execute(conn)?)
}

pub fn end_sessions_of_person(
    conn: &mut DbConnection,
    person_id: &str,
    now: NaiveDateTime,
) -> Result<usize, StoreError> {
    Ok(diesel::update(
        sessions::table
            .filter(sessions::person_id.eq(person_id))
            .filter(sessions::ended_at.is_null()),
    )
    .set(sessions::ended_at.eq(now))
    .execute(conn)?)
}

pub fn find_throttle(
    conn: &mut DbConnection,
    login_key: &str,
) -> Result<Option<ThrottleRow>, StoreError> {
    Ok(login_throttle::table
        .find(login_key)
        .select(ThrottleRow::as_select())
        .first(conn)
        .optional()?)
}

/// Insert or replace the throttle row. Select-then-write keeps one code path for both backends;
/// callers run it inside a transaction.
pub fn save_throttle(conn: &mut DbConnection, row: &ThrottleRow) -> Result<(), StoreError> {
    let updated = diesel::update(login_throttle::table.find(&row.login_key))
        .set(row)
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(login_throttle::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

pub fn clear_throttle(conn: &mut DbConnection, login_key: &str) -> Result<(), StoreError> {
    diesel::delete(login_throttle::table.find(login_key)).execute(conn)?;
    Ok(())
}
