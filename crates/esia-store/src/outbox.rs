//! The outbox: every SMS, e-mail and letter the emulator "sends", kept for QA to read.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::outbox;
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = outbox)]
pub struct OutboxRow {
    pub id: String,
    pub kind: String,
    pub recipient: String,
    pub subject: Option<String>,
    pub body: String,
    pub code: Option<String>,
    pub link: Option<String>,
    pub person_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub delivered_at: Option<NaiveDateTime>,
    pub delivery_error: Option<String>,
}

pub fn insert(conn: &mut DbConnection, row: &OutboxRow) -> Result<(), StoreError> {
    diesel::insert_into(outbox::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Option<OutboxRow>, StoreError> {
    Ok(outbox::table
        .find(id)
        .select(OutboxRow::as_select())
        .first(conn)
        .optional()?)
}

/// Messages, newest first, optionally filtered by recipient and kind.
pub fn list(
    conn: &mut DbConnection,
    recipient: Option<&str>,
    kind: Option<&str>,
    limit: i64,
) -> Result<Vec<OutboxRow>, StoreError> {
    let mut query = outbox::table.select(OutboxRow::as_select()).into_boxed();
    if let Some(r) = recipient {
        query = query.filter(outbox::recipient.eq(r.to_string()));
    }
    if let Some(k) = kind {
        query = query.filter(outbox::kind.eq(k.to_string()));
    }
    Ok(query
        .order((outbox::created_at.desc(), outbox::id.desc()))
        .limit(limit)
        .load(conn)?)
}

pub fn mark_delivered(
    conn: &mut DbConnection,
    id: &str,
    now: NaiveDateTime,
    error: Option<&str>,
) -> Result<(), StoreError> {
    diesel::update(outbox::table.find(id))
        .set((
            outbox::delivered_at.eq(if error.is_none() { Some(now) } else { None }),
            outbox::delivery_error.eq(error),
        ))
        .execute(conn)?;
    Ok(())
}
