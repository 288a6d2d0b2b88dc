//! Read queries of the `/rs` hot path (esia-protocol §7): the person with its eTag version
//! (`persons.etag_version`, bumped by triggers on every change of the person or of a row that
//! belongs to it), the one-query freshness check that validates the response cache and the
//! token revocation at once, and the expiry of pending contact-change codes
//! (`isCfmCodeExpired`). No transactions, no business rules.

use chrono::NaiveDateTime;
use diesel::dsl::exists;
use diesel::prelude::*;
use diesel::sql_types::Bool;

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

/// A token's login, for the revocation check: `(client_id, sid, issued_at)`.
pub type RevocationKey<'a> = (&'a str, &'a str, NaiveDateTime);

/// One indexed query: the person's eTag version and whether the access tokens of this login
/// issued at `issued_at` were revoked (`false` without a key). `None`: no such person.
pub fn person_version_and_revocation(
    conn: &mut DbConnection,
    oid: i64,
    revocation: Option<RevocationKey<'_>>,
) -> Result<Option<(i64, bool)>, StoreError> {
    let q = persons::table.filter(persons::oid.eq(oid));
    let row = match revocation {
        Some((client, sid, issued_at)) => q
            .select((
                persons::etag_version,
                exists(
                    token_revocations::table
                        .filter(token_revocations::sid.eq(sid))
                        .filter(token_revocations::client_id.eq(client))
                        .filter(token_revocations::revoked_at.ge(issued_at)),
                ),
            ))
            .first::<(i64, bool)>(conn)
            .optional()?,
        None => q
            .select((persons::etag_version, false.into_sql::<Bool>()))
            .first::<(i64, bool)>(conn)
            .optional()?,
    };
    Ok(row)
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
