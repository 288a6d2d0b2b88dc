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

#[derive(Debug, Clone, Queryable, QueryableByName, Selectable, Insertable)]
#[diesel(table_name = login_throttle)]
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

/// What reserving a login attempt needs to know: the current time, where the failure window
/// starts (`now - window`), how many password checks a window allows and when a lockout
/// that starts now ends.
#[derive(Debug, Clone, Copy)]
pub struct AttemptLimits {
    pub now: NaiveDateTime,
    pub window_cutoff: NaiveDateTime,
    pub max_attempts: i32,
    pub lockout_until: NaiveDateTime,
}

/// Reserves one password check for `login_key` in ONE statement (an upsert-increment), so
/// concurrent attempts on any number of replicas each get a distinct count and never race on
/// the primary key. Returns the row after the reservation:
/// - locked (`blocked_until > now`): unchanged, the caller refuses without checking;
/// - the window expired or a lockout ended: a fresh window with this attempt as its first;
/// - otherwise `failures + 1`; when that exceeds `max_attempts` the lockout starts now.
///
/// A reservation with `failures <= max_attempts` and no lock may check the password, so at
/// most `max_attempts` checks happen per window whatever the concurrency. In SET, every
/// `login_throttle.col` is the value before the update on both backends.
pub fn reserve_login_attempt(
    conn: &mut DbConnection,
    login_key: &str,
    limits: &AttemptLimits,
) -> Result<ThrottleRow, StoreError> {
    use diesel::sql_types::{Integer, Text, Timestamp};
    const SQL: &str = "INSERT INTO login_throttle (login_key, failures, window_started_at, blocked_until) \
         VALUES ($1, 1, $2, NULL) \
         ON CONFLICT (login_key) DO UPDATE SET \
         failures = CASE \
           WHEN login_throttle.blocked_until > $2 THEN login_throttle.failures \
           WHEN login_throttle.window_started_at <= $3 OR login_throttle.blocked_until IS NOT NULL THEN 1 \
           ELSE login_throttle.failures + 1 END, \
         window_started_at = CASE \
           WHEN login_throttle.blocked_until > $2 THEN login_throttle.window_started_at \
           WHEN login_throttle.window_started_at <= $3 OR login_throttle.blocked_until IS NOT NULL THEN $2 \
           ELSE login_throttle.window_started_at END, \
         blocked_until = CASE \
           WHEN login_throttle.blocked_until > $2 THEN login_throttle.blocked_until \
           WHEN login_throttle.window_started_at <= $3 OR login_throttle.blocked_until IS NOT NULL THEN NULL \
           WHEN login_throttle.failures + 1 > $4 THEN $5 \
           ELSE NULL END \
         RETURNING login_key, failures, window_started_at, blocked_until";
    // The statement is the same on both backends; only the placeholder syntax differs
    // (SQLite's numbered form is `?N`).
    let sql = match conn.backend() {
        crate::Backend::Postgres => SQL.to_string(),
        crate::Backend::Sqlite => SQL.replace('$', "?"),
    };
    let rows: Vec<ThrottleRow> = diesel::sql_query(sql)
        .bind::<Text, _>(login_key)
        .bind::<Timestamp, _>(limits.now)
        .bind::<Timestamp, _>(limits.window_cutoff)
        .bind::<Integer, _>(limits.max_attempts)
        .bind::<Timestamp, _>(limits.lockout_until)
        .load(conn)?;
    rows.into_iter()
        .next()
        .ok_or_else(|| StoreError::Query(diesel::result::Error::NotFound))
}

/// Starts the lockout of `login_key` (the last allowed check failed). A row a successful
/// login cleared meanwhile stays cleared.
pub fn block_login(
    conn: &mut DbConnection,
    login_key: &str,
    until: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::update(login_throttle::table.find(login_key))
        .set(login_throttle::blocked_until.eq(Some(until)))
        .execute(conn)?;
    Ok(())
}

pub fn clear_throttle(conn: &mut DbConnection, login_key: &str) -> Result<(), StoreError> {
    diesel::delete(login_throttle::table.find(login_key)).execute(conn)?;
    Ok(())
}
