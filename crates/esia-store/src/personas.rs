//! Queries the personas API needs beyond the person model's own: a filtered page of persons,
//! whole-row updates, replacing a person's collections, organisations by ОГРН, all roles of a
//! person (active or not), the hard delete, and the registry entry of a document a persona's
//! level says was checked. No transactions, no business rules.

use diesel::prelude::*;
use esia_domain::ContactKind;

use crate::person_data::{OrgRoleRow, OrganizationRow};
use crate::persons::PersonRow;
use crate::schema::{
    addresses, contacts, documents, kids, org_roles, organizations, persons, registry_people,
    vehicles,
};
use crate::verification::{insert_registry_person, RegistryPersonRow};
use crate::{DbConnection, StoreError};

#[diesel::declare_sql_function]
extern "SQL" {
    /// `lower(text)`: ASCII lower-casing on SQLite, full on PostgreSQL — the same for the
    /// ASCII letters e-mails and logins use.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// A page of persons, oldest first: optionally only one level, optionally only those with a
/// contact (phone or e-mail) or SNILS containing `login`. `login` must be in the stored
/// spelling already (lower-case e-mail, `+7…` phone, SNILS digits: the caller normalises); the
/// column is lower-cased and LIKE's wildcards are escaped, so SQLite (whose LIKE ignores ASCII
/// case) and PostgreSQL (whose LIKE does not) find the same persons.
pub fn page_persons(
    conn: &mut DbConnection,
    level: Option<esia_domain::AccountLevel>,
    login: Option<&str>,
    offset: i64,
    limit: i64,
) -> Result<Vec<PersonRow>, StoreError> {
    let mut q = persons::table.into_boxed();
    if let Some(level) = level {
        q = q.filter(persons::level.eq(level.as_str()));
    }
    if let Some(login) = login {
        let escaped = login
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let pattern = format!("%{escaped}%");
        let owners = contacts::table
            .filter(lower(contacts::value).like(pattern.clone()).escape('\\'))
            .select(contacts::person_id);
        q = q.filter(
            persons::id
                .eq_any(owners)
                .or(persons::snils.like(pattern).escape('\\')),
        );
    }
    Ok(q.order((persons::created_at.asc(), persons::oid.asc()))
        .offset(offset)
        .limit(limit)
        .select(PersonRow::as_select())
        .load(conn)?)
}

/// Saves every column of the person row (by id).
pub fn update_person_row(conn: &mut DbConnection, row: &PersonRow) -> Result<usize, StoreError> {
    Ok(diesel::update(persons::table.find(&row.id))
        .set(row.clone())
        .execute(conn)?)
}

/// Removes the person's contacts of `contact_kinds`, documents of `doc_types` (their own and
/// their kids'), addresses, kids, vehicles and roles (before they are written again from a
/// spec). Contacts and documents of other kinds, which a spec cannot describe, stay.
pub fn clear_person_data(
    conn: &mut DbConnection,
    person_id: &str,
    contact_kinds: &[ContactKind],
    doc_types: &[&str],
) -> Result<(), StoreError> {
    diesel::delete(
        documents::table
            .filter(documents::person_id.eq(person_id))
            .filter(documents::doc_type.eq_any(doc_types)),
    )
    .execute(conn)?;
    diesel::delete(kids::table.filter(kids::person_id.eq(person_id))).execute(conn)?;
    diesel::delete(
        contacts::table
            .filter(contacts::person_id.eq(person_id))
            .filter(contacts::kind.eq_any(contact_kinds.iter().map(|k| k.as_str()))),
    )
    .execute(conn)?;
    diesel::delete(addresses::table.filter(addresses::person_id.eq(person_id))).execute(conn)?;
    diesel::delete(vehicles::table.filter(vehicles::person_id.eq(person_id))).execute(conn)?;
    diesel::delete(org_roles::table.filter(org_roles::person_id.eq(person_id))).execute(conn)?;
    Ok(())
}

/// Hard delete; every row referencing the person goes with it (ON DELETE CASCADE).
pub fn delete_person(conn: &mut DbConnection, person_id: &str) -> Result<usize, StoreError> {
    Ok(diesel::delete(persons::table.find(person_id)).execute(conn)?)
}

pub fn find_organization_by_ogrn(
    conn: &mut DbConnection,
    ogrn: &str,
) -> Result<Option<OrganizationRow>, StoreError> {
    Ok(organizations::table
        .filter(organizations::ogrn.eq(ogrn))
        .select(OrganizationRow::as_select())
        .first(conn)
        .optional()?)
}

/// All the person's roles, active or not, with their organisations (oldest first).
pub fn all_roles_of(
    conn: &mut DbConnection,
    person_id: &str,
) -> Result<Vec<(OrgRoleRow, OrganizationRow)>, StoreError> {
    Ok(org_roles::table
        .inner_join(organizations::table)
        .filter(org_roles::person_id.eq(person_id))
        .order((org_roles::created_at.asc(), organizations::oid.asc()))
        .select((OrgRoleRow::as_select(), OrganizationRow::as_select()))
        .load(conn)?)
}

/// The person holding this SNILS, if any (SNILS is a login).
pub fn snils_owner(conn: &mut DbConnection, snils: &str) -> Result<Option<String>, StoreError> {
    Ok(persons::table
        .filter(persons::snils.eq(snils))
        .select(persons::id)
        .first(conn)
        .optional()?)
}

/// The owner of a contact of this kind and value, if any.
pub fn contact_owner(
    conn: &mut DbConnection,
    kind: ContactKind,
    value: &str,
) -> Result<Option<String>, StoreError> {
    Ok(contacts::table
        .filter(contacts::kind.eq(kind.as_str()))
        .filter(contacts::value.eq(value))
        .select(contacts::person_id)
        .first(conn)
        .optional()?)
}

/// The contacts of several persons in one query (a list page's logins).
pub fn contacts_of_persons(
    conn: &mut DbConnection,
    person_ids: &[String],
) -> Result<Vec<crate::persons::ContactRow>, StoreError> {
    if person_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(contacts::table
        .filter(contacts::person_id.eq_any(person_ids))
        .select(crate::persons::ContactRow::as_select())
        .load(conn)?)
}

/// Makes the registry hold `row`'s one document (its SNILS, passport or INN) under `row`'s
/// person: the entry already holding that document takes the row's names, gender and birth
/// date (and, for a passport, its validity); otherwise the row is inserted.
pub fn upsert_registry_document(
    conn: &mut DbConnection,
    row: &RegistryPersonRow,
) -> Result<(), StoreError> {
    use registry_people as r;
    macro_rules! person_of_row {
        () => {
            (
                r::surname.eq(&row.surname),
                r::name.eq(&row.name),
                r::patronymic.eq(row.patronymic.as_deref()),
                r::gender.eq(&row.gender),
                r::birth_date.eq(row.birth_date),
            )
        };
    }
    let updated = match (&row.snils, &row.passport, &row.inn) {
        (Some(snils), _, _) => diesel::update(r::table.filter(r::snils.eq(snils)))
            .set(person_of_row!())
            .execute(conn)?,
        (None, Some(passport), _) => diesel::update(r::table.filter(r::passport.eq(passport)))
            .set((person_of_row!(), r::passport_valid.eq(row.passport_valid)))
            .execute(conn)?,
        (None, None, Some(inn)) => diesel::update(r::table.filter(r::inn.eq(inn)))
            .set(person_of_row!())
            .execute(conn)?,
        (None, None, None) => return Ok(()),
    };
    if updated == 0 {
        insert_registry_person(conn, row)?;
    }
    Ok(())
}
