//! Persons and their contacts: row types and queries. No transactions, no business rules.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use esia_domain::{AccountLevel, AccountStatus, ContactKind, VerificationStatus};

use crate::schema::{contacts, persons};
use crate::{DbConnection, StoreError};

/// A person. The closed-set columns are typed here, once: diesel reads them as `String` and
/// converts with the domain's `TryFrom<String>` (`deserialize_as`), and writes them back through
/// `Into<String>` (`serialize_as`). That was chosen over diesel newtypes (`AsExpression` +
/// `FromSql`/`ToSql` per backend) because it is two attributes per field, keeps the domain free of
/// diesel, and hands the use cases the domain enum itself rather than a wrapper to unwrap. A
/// stored value outside the set is a deserialization error, so a query answers `StoreError`. The
/// price: diesel derives `Insertable`/`AsChangeset` only for owned rows, so writers clone.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = persons)]
pub struct PersonRow {
    pub id: String,
    pub oid: i64,
    pub surname: String,
    pub name: String,
    pub patronymic: Option<String>,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub level: AccountLevel,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: AccountStatus,
    pub blocked: bool,
    pub password_hash: Option<String>,
    pub snils: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub gender: Option<String>,
    pub birth_date: Option<chrono::NaiveDate>,
    pub birth_place: Option<String>,
    pub citizenship: Option<String>,
    pub inn: Option<String>,
    /// The upgrade checks' state.
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub verification: VerificationStatus,
    pub verification_note: Option<String>,
}

impl PersonRow {
    /// A new registered simplified person with only the registration data filled in.
    pub fn new_simplified(
        id: String,
        oid: i64,
        surname: String,
        name: String,
        patronymic: Option<String>,
        now: NaiveDateTime,
    ) -> PersonRow {
        PersonRow {
            id,
            oid,
            surname,
            name,
            patronymic,
            level: AccountLevel::Simplified,
            status: AccountStatus::Registered,
            blocked: false,
            password_hash: None,
            snils: None,
            created_at: now,
            updated_at: now,
            gender: None,
            birth_date: None,
            birth_place: None,
            citizenship: None,
            inn: None,
            verification: VerificationStatus::None,
            verification_note: None,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = contacts)]
pub struct ContactRow {
    pub id: String,
    pub esia_id: i64,
    pub person_id: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub kind: ContactKind,
    pub value: String,
    pub verified: bool,
    pub verifying_value: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert_person(conn: &mut DbConnection, row: &PersonRow) -> Result<(), StoreError> {
    diesel::insert_into(persons::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

pub fn insert_contact(conn: &mut DbConnection, row: &ContactRow) -> Result<(), StoreError> {
    diesel::insert_into(contacts::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

pub fn find_person(conn: &mut DbConnection, id: &str) -> Result<Option<PersonRow>, StoreError> {
    Ok(persons::table
        .find(id)
        .select(PersonRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn find_person_by_oid(
    conn: &mut DbConnection,
    oid: i64,
) -> Result<Option<PersonRow>, StoreError> {
    Ok(persons::table
        .filter(persons::oid.eq(oid))
        .select(PersonRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn find_person_by_snils(
    conn: &mut DbConnection,
    snils_digits: &str,
) -> Result<Option<PersonRow>, StoreError> {
    Ok(persons::table
        .filter(persons::snils.eq(snils_digits))
        .select(PersonRow::as_select())
        .first(conn)
        .optional()?)
}

/// The person owning a contact of this kind and value (phones and e-mails are unique).
pub fn find_person_by_contact(
    conn: &mut DbConnection,
    kind: ContactKind,
    value: &str,
) -> Result<Option<PersonRow>, StoreError> {
    Ok(contacts::table
        .inner_join(persons::table)
        .filter(contacts::kind.eq(kind.as_str()))
        .filter(contacts::value.eq(value))
        .select(PersonRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn contact_value_taken(
    conn: &mut DbConnection,
    kind: ContactKind,
    value: &str,
) -> Result<bool, StoreError> {
    let count: i64 = contacts::table
        .filter(contacts::kind.eq(kind.as_str()))
        .filter(contacts::value.eq(value))
        .count()
        .get_result(conn)?;
    Ok(count > 0)
}

pub fn contacts_of(
    conn: &mut DbConnection,
    person_id: &str,
) -> Result<Vec<ContactRow>, StoreError> {
    Ok(contacts::table
        .filter(contacts::person_id.eq(person_id))
        .order(contacts::created_at.asc())
        .select(ContactRow::as_select())
        .load(conn)?)
}

pub fn list_persons(conn: &mut DbConnection, limit: i64) -> Result<Vec<PersonRow>, StoreError> {
    Ok(persons::table
        .order(persons::created_at.asc())
        .limit(limit)
        .select(PersonRow::as_select())
        .load(conn)?)
}

pub fn count_persons(conn: &mut DbConnection) -> Result<i64, StoreError> {
    Ok(persons::table.count().get_result(conn)?)
}

pub fn update_password(
    conn: &mut DbConnection,
    person_id: &str,
    password_hash: &str,
    now: NaiveDateTime,
) -> Result<usize, StoreError> {
    Ok(diesel::update(persons::table.find(person_id))
        .set((
            persons::password_hash.eq(password_hash),
            persons::updated_at.eq(now),
        ))
        .execute(conn)?)
}

/// Sets the person's SNILS (11 digits, no separators).
pub fn set_snils(
    conn: &mut DbConnection,
    person_id: &str,
    snils_digits: &str,
    now: NaiveDateTime,
) -> Result<usize, StoreError> {
    Ok(diesel::update(persons::table.find(person_id))
        .set((persons::snils.eq(snils_digits), persons::updated_at.eq(now)))
        .execute(conn)?)
}
