//! The cabinet's changes to the person model (updating and deleting documents, addresses, kids
//! and vehicles; contact value changes; the account status) and the joined reads of the `/rs`
//! read models (the person with its contacts, all kids' documents, organisation membership).
//! No transactions, no rules.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::person_data::{AddressRow, DocumentRow, KidRow, VehicleRow};
use crate::schema::{addresses, documents, kids, org_roles, organizations, persons, vehicles};
use crate::{DbConnection, StoreError};

/// The person with every contact in one query (a LEFT JOIN; `None` contact when there is none).
pub fn person_with_contacts_by_oid(
    conn: &mut DbConnection,
    oid: i64,
) -> Result<
    Vec<(
        crate::persons::PersonRow,
        Option<crate::persons::ContactRow>,
    )>,
    StoreError,
> {
    use crate::persons::{ContactRow, PersonRow};
    use crate::schema::contacts;
    Ok(persons::table
        .left_join(contacts::table)
        .filter(persons::oid.eq(oid))
        .order(contacts::created_at.asc())
        .select((PersonRow::as_select(), Option::<ContactRow>::as_select()))
        .load(conn)?)
}

/// Documents of all kids of a person in one query (avoids one query per kid).
pub fn kid_documents_of(
    conn: &mut DbConnection,
    person_id: &str,
) -> Result<Vec<DocumentRow>, StoreError> {
    Ok(documents::table
        .filter(documents::person_id.eq(person_id))
        .filter(documents::kid_id.is_not_null())
        .order(documents::created_at.asc())
        .select(DocumentRow::as_select())
        .load(conn)?)
}

pub fn delete_document(
    conn: &mut DbConnection,
    person_id: &str,
    id: &str,
) -> Result<usize, StoreError> {
    Ok(diesel::delete(
        documents::table
            .filter(documents::person_id.eq(person_id))
            .filter(documents::id.eq(id)),
    )
    .execute(conn)?)
}

pub fn update_address(conn: &mut DbConnection, row: &AddressRow) -> Result<usize, StoreError> {
    Ok(diesel::update(addresses::table.find(&row.id))
        .set(row)
        .execute(conn)?)
}

pub fn delete_address(
    conn: &mut DbConnection,
    person_id: &str,
    id: &str,
) -> Result<usize, StoreError> {
    Ok(diesel::delete(
        addresses::table
            .filter(addresses::person_id.eq(person_id))
            .filter(addresses::id.eq(id)),
    )
    .execute(conn)?)
}

pub fn update_kid(conn: &mut DbConnection, row: &KidRow) -> Result<usize, StoreError> {
    Ok(diesel::update(kids::table.find(&row.id))
        .set(row)
        .execute(conn)?)
}

pub fn delete_kid(conn: &mut DbConnection, person_id: &str, id: &str) -> Result<usize, StoreError> {
    diesel::delete(documents::table.filter(documents::kid_id.eq(id))).execute(conn)?;
    Ok(diesel::delete(
        kids::table
            .filter(kids::person_id.eq(person_id))
            .filter(kids::id.eq(id)),
    )
    .execute(conn)?)
}

pub fn update_vehicle(conn: &mut DbConnection, row: &VehicleRow) -> Result<usize, StoreError> {
    Ok(diesel::update(vehicles::table.find(&row.id))
        .set(row)
        .execute(conn)?)
}

pub fn delete_vehicle(
    conn: &mut DbConnection,
    person_id: &str,
    id: &str,
) -> Result<usize, StoreError> {
    Ok(diesel::delete(
        vehicles::table
            .filter(vehicles::person_id.eq(person_id))
            .filter(vehicles::id.eq(id)),
    )
    .execute(conn)?)
}

/// Whether the person has an active role in the organisation with this oid.
pub fn is_member_of_org(
    conn: &mut DbConnection,
    person_id: &str,
    org_oid: i64,
) -> Result<bool, StoreError> {
    let n: i64 = org_roles::table
        .inner_join(organizations::table)
        .filter(org_roles::person_id.eq(person_id))
        .filter(org_roles::active.eq(true))
        .filter(organizations::oid.eq(org_oid))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Starts (or cancels with `None`) a pending change of a contact's value.
pub fn set_contact_verifying_value(
    conn: &mut DbConnection,
    contact_id: &str,
    verifying_value: Option<&str>,
    now: NaiveDateTime,
) -> Result<usize, StoreError> {
    use crate::schema::contacts;
    Ok(diesel::update(contacts::table.find(contact_id))
        .set((
            contacts::verifying_value.eq(verifying_value),
            contacts::updated_at.eq(now),
        ))
        .execute(conn)?)
}

/// Replaces a contact's value by its confirmed pending value.
pub fn confirm_contact_value(
    conn: &mut DbConnection,
    contact_id: &str,
    value: &str,
    now: NaiveDateTime,
) -> Result<usize, StoreError> {
    use crate::schema::contacts;
    Ok(diesel::update(contacts::table.find(contact_id))
        .set((
            contacts::value.eq(value),
            contacts::verified.eq(true),
            contacts::verifying_value.eq(None::<String>),
            contacts::updated_at.eq(now),
        ))
        .execute(conn)?)
}

/// Sets the account status (`REGISTERED` / `DELETED`).
pub fn set_person_status(
    conn: &mut DbConnection,
    person_id: &str,
    status: &str,
    now: NaiveDateTime,
) -> Result<usize, StoreError> {
    Ok(diesel::update(persons::table.find(person_id))
        .set((persons::status.eq(status), persons::updated_at.eq(now)))
        .execute(conn)?)
}
