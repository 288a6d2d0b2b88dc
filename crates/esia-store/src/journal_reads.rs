//! The journal's rows that record a system reading one person's data (`/rs/…` and userinfo),
//! newest first, for the cabinet's «Межведомственные запросы». Queries only; what a row means
//! to the person is esia-core's business.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::journal;
use crate::{DbConnection, StoreError};

/// One read: when, which path, which system, the HTTP status answered.
pub type DataReadRow = (NaiveDateTime, String, Option<String>, Option<i32>);

/// The reads of the person `oid`'s data (`/rs/…` or `userinfo_path`), newest first.
pub fn data_reads_of(
    conn: &mut DbConnection,
    oid: i64,
    userinfo_path: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<DataReadRow>, StoreError> {
    Ok(journal::table
        .filter(journal::persona_oid.eq(oid))
        .filter(
            journal::endpoint
                .like("/rs/%")
                .or(journal::endpoint.eq(userinfo_path)),
        )
        .order((journal::created_at.desc(), journal::id.desc()))
        .limit(limit)
        .offset(offset)
        .select((
            journal::created_at,
            journal::endpoint,
            journal::mnemonic,
            journal::http_status,
        ))
        .load(conn)?)
}
