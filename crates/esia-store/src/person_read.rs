//! Read queries of the `/rs` hot path (esia-protocol §7): the person with its eTag version
//! (`persons.etag_version`, bumped by triggers on every change of the person or of a row that
//! belongs to it), the batched freshness check (persons' versions and their logins' token
//! revocations) that validates the response cache, and the expiry of pending contact-change codes
//! (`isCfmCodeExpired`). No transactions, no business rules.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::persons::{ContactRow, PersonRow};
use crate::schema::{confirmation_codes, contacts, persons, token_revocations};
use crate::{DbConnection, StoreError};

/// The person with its eTag version and every contact, in one query (a LEFT JOIN; a `None`
/// contact when there is none).
pub fn person_with_contacts(
    conn: &mut DbConnection,
    oid: i64,
) -> Result<Vec<(PersonRow, i64, Option<ContactRow>)>, StoreError> {
    Ok(persons::table
        .left_join(contacts::table)
        .filter(persons::oid.eq(oid))
        .order(contacts::created_at.asc())
        .select((
            PersonRow::as_select(),
            persons::etag_version,
            Option::<ContactRow>::as_select(),
        ))
        .load(conn)?)
}

/// The person with its eTag version.
pub fn person_by_oid(
    conn: &mut DbConnection,
    oid: i64,
) -> Result<Option<(PersonRow, i64)>, StoreError> {
    Ok(persons::table
        .filter(persons::oid.eq(oid))
        .select((PersonRow::as_select(), persons::etag_version))
        .first(conn)
        .optional()?)
}

/// The eTag versions of the persons among `oids` that exist, `(oid, etag_version)`: one
/// indexed query for a whole batch of `/rs` freshness checks.
pub fn person_versions(
    conn: &mut DbConnection,
    oids: &[i64],
) -> Result<Vec<(i64, i64)>, StoreError> {
    if oids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(persons::table
        .filter(persons::oid.eq_any(oids))
        .select((persons::oid, persons::etag_version))
        .load(conn)?)
}

/// Every token revocation of the logins among `sids`, `(sid, client_id, revoked_at)`:
/// revocations are rare, so the caller compares clients and times in memory.
pub fn revocations_of_sids(
    conn: &mut DbConnection,
    sids: &[&str],
) -> Result<Vec<(String, String, NaiveDateTime)>, StoreError> {
    if sids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(token_revocations::table
        .filter(token_revocations::sid.eq_any(sids))
        .select((
            token_revocations::sid,
            token_revocations::client_id,
            token_revocations::revoked_at,
        ))
        .load(conn)?)
}

/// For each contact id: the expiry of its newest contact-change code (`purpose`), if any.
pub fn latest_code_expiry(
    conn: &mut DbConnection,
    purpose: &str,
    subject_ids: &[&str],
) -> Result<Vec<(String, NaiveDateTime)>, StoreError> {
    let rows: Vec<(String, NaiveDateTime, NaiveDateTime)> = confirmation_codes::table
        .filter(confirmation_codes::purpose.eq(purpose))
        .filter(confirmation_codes::subject_id.eq_any(subject_ids))
        .order(confirmation_codes::sent_at.asc())
        .select((
            confirmation_codes::subject_id,
            confirmation_codes::sent_at,
            confirmation_codes::expires_at,
        ))
        .load(conn)?;
    let mut out: Vec<(String, NaiveDateTime)> = Vec::new();
    for (subject, _, expires) in rows {
        match out.iter_mut().find(|(s, _)| *s == subject) {
            Some(slot) => slot.1 = expires,
            None => out.push((subject, expires)),
        }
    }
    Ok(out)
}
