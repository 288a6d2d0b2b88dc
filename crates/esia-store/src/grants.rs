//! Protocol grants: authorization requests waiting for login or consent, authorization codes,
//! refresh tokens and remembered consents. Row types and queries only; single use, expiry and
//! revocation rules live in esia-core.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::{ac_requests, auth_codes, consents, refresh_tokens};
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = ac_requests)]
pub struct AcRequestRow {
    pub id: String,
    pub mnemonic: String,
    pub generation: String,
    pub redirect_uri: String,
    pub scope: String,
    pub state: String,
    pub access_type: String,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
    pub person_filter: Option<String>,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    /// The `scope_org` parameter as received (organisation scopes bound by the role choice).
    pub scope_org: Option<String>,
    /// The role chosen on the role page: `P` (private person) or an organisation oid.
    pub role: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = auth_codes)]
pub struct AuthCodeRow {
    pub code: String,
    pub mnemonic: String,
    pub person_id: String,
    pub sid: String,
    pub auth_time: NaiveDateTime,
    pub auth_method: String,
    pub redirect_uri: String,
    pub scope: String,
    pub access_type: String,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    /// The `ac` request's `state` (None for codes issued before it was kept).
    pub ac_state: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshTokenRow {
    pub token: String,
    pub mnemonic: String,
    pub person_id: String,
    pub sid: String,
    pub auth_time: NaiveDateTime,
    pub auth_method: String,
    pub scope: String,
    pub origin_code: Option<String>,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

pub fn insert_ac_request(conn: &mut DbConnection, row: &AcRequestRow) -> Result<(), StoreError> {
    diesel::insert_into(ac_requests::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn find_ac_request(
    conn: &mut DbConnection,
    id: &str,
) -> Result<Option<AcRequestRow>, StoreError> {
    Ok(ac_requests::table
        .find(id)
        .select(AcRequestRow::as_select())
        .first(conn)
        .optional()?)
}

/// Records the role chosen for a parked authorization request.
pub fn set_ac_role(conn: &mut DbConnection, id: &str, role: &str) -> Result<usize, StoreError> {
    Ok(diesel::update(ac_requests::table.find(id))
        .set(ac_requests::role.eq(role))
        .execute(conn)?)
}

/// Deletes a request; returns 1 when this call removed it (so only one decision wins).
pub fn delete_ac_request(conn: &mut DbConnection, id: &str) -> Result<usize, StoreError> {
    Ok(diesel::delete(ac_requests::table.find(id)).execute(conn)?)
}

pub fn insert_code(conn: &mut DbConnection, row: &AuthCodeRow) -> Result<(), StoreError> {
    diesel::insert_into(auth_codes::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn find_code(conn: &mut DbConnection, code: &str) -> Result<Option<AuthCodeRow>, StoreError> {
    Ok(auth_codes::table
        .find(code)
        .select(AuthCodeRow::as_select())
        .first(conn)
        .optional()?)
}

/// Marks a code used; returns 1 only for the first use (the single-use guard).
pub fn mark_code_used(
    conn: &mut DbConnection,
    code: &str,
    now: NaiveDateTime,
) -> Result<usize, StoreError> {
    Ok(diesel::update(
        auth_codes::table
            .find(code)
            .filter(auth_codes::used_at.is_null()),
    )
    .set(auth_codes::used_at.eq(now))
    .execute(conn)?)
}

pub fn insert_refresh(conn: &mut DbConnection, row: &RefreshTokenRow) -> Result<(), StoreError> {
    diesel::insert_into(refresh_tokens::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn find_refresh(
    conn: &mut DbConnection,
    token: &str,
) -> Result<Option<RefreshTokenRow>, StoreError> {
    Ok(refresh_tokens::table
        .find(token)
        .select(RefreshTokenRow::as_select())
        .first(conn)
        .optional()?)
}

/// Revokes one refresh token; returns 1 only when it was live (the rotation guard).
pub fn revoke_refresh(
    conn: &mut DbConnection,
    token: &str,
    now: NaiveDateTime,
) -> Result<usize, StoreError> {
    Ok(diesel::update(
        refresh_tokens::table
            .find(token)
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(now))
    .execute(conn)?)
}

/// Revokes every refresh token descended from a code (a replayed code).
pub fn revoke_refresh_by_code(
    conn: &mut DbConnection,
    code: &str,
    now: NaiveDateTime,
) -> Result<usize, StoreError> {
    Ok(diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::origin_code.eq(code))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(now))
    .execute(conn)?)
}

/// The scope names a person already granted to a client.
pub fn consented_scopes(
    conn: &mut DbConnection,
    person_id: &str,
    mnemonic: &str,
) -> Result<Vec<String>, StoreError> {
    Ok(consents::table
        .filter(consents::person_id.eq(person_id))
        .filter(consents::mnemonic.eq(mnemonic))
        .select(consents::scope)
        .load(conn)?)
}

pub fn insert_consent(
    conn: &mut DbConnection,
    person_id: &str,
    mnemonic: &str,
    scope: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    use diesel::sql_types::{Text, Timestamp};
    // Two first logins of the same person to the same system at once both remember the
    // consent: the second insert finds the row and leaves it (a plain INSERT failed the
    // request with a unique violation, and on PostgreSQL aborted its transaction).
    diesel::sql_query(
        "INSERT INTO consents (person_id, mnemonic, scope, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (person_id, mnemonic, scope) DO NOTHING",
    )
    .bind::<Text, _>(person_id)
    .bind::<Text, _>(mnemonic)
    .bind::<Text, _>(scope)
    .bind::<Timestamp, _>(now)
    .execute(conn)?;
    Ok(())
}

/// Revokes the access tokens a client holds for one login (`sid`, or a person's revocation key
/// after a withdrawn consent), issued up to `now`.
pub fn revoke_access_by_sid(
    conn: &mut DbConnection,
    id: &str,
    client_id: &str,
    sid: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    use crate::schema::token_revocations::dsl as t;
    diesel::insert_into(t::token_revocations)
        .values((
            t::id.eq(id),
            t::client_id.eq(client_id),
            t::sid.eq(sid),
            t::revoked_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// True when an access token of this client, issued at `issued_at`, was revoked under one of
/// `keys` (its login's sid, or its person's key after a withdrawn consent).
pub fn access_revoked(
    conn: &mut DbConnection,
    client_id: &str,
    keys: &[&str],
    issued_at: NaiveDateTime,
) -> Result<bool, StoreError> {
    use crate::schema::token_revocations::dsl as t;
    let n: i64 = t::token_revocations
        .filter(t::sid.eq_any(keys))
        .filter(t::client_id.eq(client_id))
        .filter(t::revoked_at.ge(issued_at))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}
