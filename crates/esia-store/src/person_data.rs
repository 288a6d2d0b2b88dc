//! Row types and basic queries of the person model: documents (of persons and their kids),
//! addresses, kids, vehicles, organisations and roles in them. No transactions, no rules.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::schema::{addresses, documents, kids, org_roles, organizations, persons, vehicles};
use crate::{DbConnection, StoreError};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = documents)]
#[diesel(treat_none_as_null = true)]
pub struct DocumentRow {
    pub id: String,
    pub esia_id: i64,
    pub person_id: String,
    pub kid_id: Option<String>,
    pub doc_type: String,
    pub series: Option<String>,
    pub number: Option<String>,
    pub issue_date: Option<NaiveDate>,
    pub issue_id: Option<String>,
    pub issued_by: Option<String>,
    pub expiry_date: Option<NaiveDate>,
    pub act_no: Option<String>,
    pub act_date: Option<NaiveDate>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    #[diesel(deserialize_as = String, serialize_as = String)] // typed as `PersonRow` explains
    pub vrf_stu: esia_domain::VrfStatus,
    pub vrf_val_stu: Option<String>,
    pub fms_valid: Option<bool>,
    pub fms_state: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = addresses)]
#[diesel(treat_none_as_null = true)]
pub struct AddressRow {
    pub id: String,
    pub esia_id: i64,
    pub person_id: String,
    pub addr_type: String,
    pub address_str: String,
    pub fias_code: Option<String>,
    pub country_id: String,
    pub zip_code: Option<String>,
    pub region: Option<String>,
    pub district: Option<String>,
    pub area: Option<String>,
    pub city: Option<String>,
    pub settlement: Option<String>,
    pub street: Option<String>,
    pub house: Option<String>,
    pub building: Option<String>,
    pub frame: Option<String>,
    pub flat: Option<String>,
    pub addition_area: Option<String>,
    pub addition_area_street: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = kids)]
#[diesel(treat_none_as_null = true)]
pub struct KidRow {
    pub id: String,
    pub esia_id: i64,
    pub person_id: String,
    pub surname: String,
    pub name: String,
    pub patronymic: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub gender: Option<String>,
    pub snils: Option<String>,
    pub inn: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = vehicles)]
#[diesel(treat_none_as_null = true)]
pub struct VehicleRow {
    pub id: String,
    pub esia_id: i64,
    pub person_id: String,
    pub name: Option<String>,
    pub number_plate: String,
    pub reg_cert_series: Option<String>,
    pub reg_cert_number: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = organizations)]
#[diesel(treat_none_as_null = true)]
pub struct OrganizationRow {
    pub id: String,
    pub oid: i64,
    pub full_name: String,
    pub short_name: String,
    pub ogrn: String,
    pub inn: String,
    pub kpp: Option<String>,
    pub org_type: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = org_roles)]
pub struct OrgRoleRow {
    pub id: String,
    pub org_id: String,
    pub person_id: String,
    pub chief: bool,
    pub admin: bool,
    pub active: bool,
    pub created_at: NaiveDateTime,
}

pub fn insert_document(conn: &mut DbConnection, row: &DocumentRow) -> Result<(), StoreError> {
    diesel::insert_into(documents::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

pub fn update_document(conn: &mut DbConnection, row: &DocumentRow) -> Result<usize, StoreError> {
    Ok(diesel::update(documents::table.find(&row.id))
        .set(row.clone())
        .execute(conn)?)
}

/// The person's own documents (not their kids'), oldest first.
pub fn documents_of(
    conn: &mut DbConnection,
    person_id: &str,
) -> Result<Vec<DocumentRow>, StoreError> {
    Ok(documents::table
        .filter(documents::person_id.eq(person_id))
        .filter(documents::kid_id.is_null())
        .order(documents::created_at.asc())
        .select(DocumentRow::as_select())
        .load(conn)?)
}

pub fn documents_of_kid(
    conn: &mut DbConnection,
    kid_id: &str,
) -> Result<Vec<DocumentRow>, StoreError> {
    Ok(documents::table
        .filter(documents::kid_id.eq(kid_id))
        .order(documents::created_at.asc())
        .select(DocumentRow::as_select())
        .load(conn)?)
}

pub fn insert_address(conn: &mut DbConnection, row: &AddressRow) -> Result<(), StoreError> {
    diesel::insert_into(addresses::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn addresses_of(
    conn: &mut DbConnection,
    person_id: &str,
) -> Result<Vec<AddressRow>, StoreError> {
    Ok(addresses::table
        .filter(addresses::person_id.eq(person_id))
        .order(addresses::created_at.asc())
        .select(AddressRow::as_select())
        .load(conn)?)
}

pub fn insert_kid(conn: &mut DbConnection, row: &KidRow) -> Result<(), StoreError> {
    diesel::insert_into(kids::table).values(row).execute(conn)?;
    Ok(())
}

pub fn kids_of(conn: &mut DbConnection, person_id: &str) -> Result<Vec<KidRow>, StoreError> {
    Ok(kids::table
        .filter(kids::person_id.eq(person_id))
        .order(kids::created_at.asc())
        .select(KidRow::as_select())
        .load(conn)?)
}

pub fn insert_vehicle(conn: &mut DbConnection, row: &VehicleRow) -> Result<(), StoreError> {
    diesel::insert_into(vehicles::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn vehicles_of(
    conn: &mut DbConnection,
    person_id: &str,
) -> Result<Vec<VehicleRow>, StoreError> {
    Ok(vehicles::table
        .filter(vehicles::person_id.eq(person_id))
        .order(vehicles::created_at.asc())
        .select(VehicleRow::as_select())
        .load(conn)?)
}

pub fn insert_organization(
    conn: &mut DbConnection,
    row: &OrganizationRow,
) -> Result<(), StoreError> {
    diesel::insert_into(organizations::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn find_organization_by_oid(
    conn: &mut DbConnection,
    oid: i64,
) -> Result<Option<OrganizationRow>, StoreError> {
    Ok(organizations::table
        .filter(organizations::oid.eq(oid))
        .select(OrganizationRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn insert_org_role(conn: &mut DbConnection, row: &OrgRoleRow) -> Result<(), StoreError> {
    diesel::insert_into(org_roles::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// The person's active roles with their organisations.
pub fn roles_of(
    conn: &mut DbConnection,
    person_id: &str,
) -> Result<Vec<(OrgRoleRow, OrganizationRow)>, StoreError> {
    Ok(org_roles::table
        .inner_join(organizations::table)
        .filter(org_roles::person_id.eq(person_id))
        .filter(org_roles::active.eq(true))
        .order(organizations::full_name.asc())
        .select((OrgRoleRow::as_select(), OrganizationRow::as_select()))
        .load(conn)?)
}

/// Saves the personal-data columns of a person (everything but login and level state).
pub fn update_personal_data(
    conn: &mut DbConnection,
    row: &crate::persons::PersonRow,
) -> Result<usize, StoreError> {
    Ok(diesel::update(persons::table.find(&row.id))
        .set((
            persons::surname.eq(&row.surname),
            persons::name.eq(&row.name),
            persons::patronymic.eq(&row.patronymic),
            persons::gender.eq(&row.gender),
            persons::birth_date.eq(row.birth_date),
            persons::birth_place.eq(&row.birth_place),
            persons::citizenship.eq(&row.citizenship),
            persons::snils.eq(&row.snils),
            persons::inn.eq(&row.inn),
            persons::updated_at.eq(row.updated_at),
        ))
        .execute(conn)?)
}

/// Sets level, verification state and its note.
pub fn update_level_state(
    conn: &mut DbConnection,
    person_id: &str,
    level: esia_domain::AccountLevel,
    verification: esia_domain::VerificationStatus,
    note: Option<&str>,
    now: NaiveDateTime,
) -> Result<usize, StoreError> {
    Ok(diesel::update(persons::table.find(person_id))
        .set((
            persons::level.eq(level.as_str()),
            persons::verification.eq(verification.as_str()),
            persons::verification_note.eq(note),
            persons::updated_at.eq(now),
        ))
        .execute(conn)?)
}
