//! A citizen's consents as the cabinet shows them: the scopes granted to each system, when
//! each system last received a code, and the writes of a withdrawal (the consents and the
//! system's refresh tokens for the person; the access tokens are revoked through
//! `grants::revoke_access_by_sid` under the person's key). Queries only; what a withdrawal means lives in esia-core.

use chrono::NaiveDateTime;
use diesel::dsl::max;
use diesel::prelude::*;

use crate::schema::{auth_codes, consents, refresh_tokens};
use crate::{DbConnection, StoreError};

/// One remembered consent: (system, scope, granted at), ordered by system then scope.
pub fn consents_of(
    conn: &mut DbConnection,
    person_id: &str,
) -> Result<Vec<(String, String, NaiveDateTime)>, StoreError> {
    Ok(consents::table
        .filter(consents::person_id.eq(person_id))
        .order((consents::mnemonic.asc(), consents::scope.asc()))
        .select((consents::mnemonic, consents::scope, consents::created_at))
        .load(conn)?)
}

/// For each system the person logged in to: when its last authorization code was issued.
pub fn last_logins(
    conn: &mut DbConnection,
    person_id: &str,
) -> Result<Vec<(String, NaiveDateTime)>, StoreError> {
    let rows: Vec<(String, Option<NaiveDateTime>)> = auth_codes::table
        .filter(auth_codes::person_id.eq(person_id))
        .group_by(auth_codes::mnemonic)
        .select((auth_codes::mnemonic, max(auth_codes::created_at)))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(m, at)| at.map(|at| (m, at)))
        .collect())
}

/// Deletes every consent of the person for the system; returns how many there were.
pub fn delete_consents(
    conn: &mut DbConnection,
    person_id: &str,
    mnemonic: &str,
) -> Result<usize, StoreError> {
    Ok(diesel::delete(
        consents::table
            .filter(consents::person_id.eq(person_id))
            .filter(consents::mnemonic.eq(mnemonic)),
    )
    .execute(conn)?)
}

/// Revokes the system's live refresh tokens for the person; returns how many.
pub fn revoke_refresh_of_person(
    conn: &mut DbConnection,
    person_id: &str,
    mnemonic: &str,
    now: NaiveDateTime,
) -> Result<usize, StoreError> {
    Ok(diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::person_id.eq(person_id))
            .filter(refresh_tokens::mnemonic.eq(mnemonic))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(now))
    .execute(conn)?)
}
