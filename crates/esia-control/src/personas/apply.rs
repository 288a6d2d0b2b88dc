//! Saving a persona inside the caller's write transaction: find the persona a spec means (by
//! oid, phone or e-mail), build every row from the merged spec, keep logins unique, write the
//! person and replace its collections, and link its organisations (`memberships`).

use chrono::{NaiveDate, NaiveDateTime};
use esia_domain::generate::TestDataGenerator;
use esia_domain::ContactKind;
use esia_store::person_data as pd;
use esia_store::personas as q;
use esia_store::persons::{self, ContactRow, PersonRow};
use esia_store::DbConnection;
use rand::Rng;

use super::build::{build_core, contact, Ids, OID_MAX};
use super::check::Checks;
use super::collections::{build_parts, Ctx};
use super::export::{spec_from_rows, Rows};
use super::memberships::link_organizations;
use super::spec::{PersonaDocType, PersonaSpec};
use super::view::{merge_spec, PersonaLogins, PersonaView};
use esia_core::app::{new_id, new_oid};
use esia_core::error::{CoreError, CoreResult};

/// The persona a spec refers to: its oid, else the owner of its phone, else of its e-mail.
pub(crate) fn find_target(
    conn: &mut DbConnection,
    spec: &PersonaSpec,
) -> CoreResult<Option<PersonRow>> {
    if let Some(oid) = spec.oid {
        return Ok(persons::find_person_by_oid(conn, oid)?);
    }
    let mut c = Checks::default();
    if let Some(phone) = c.mobile("phone", spec.phone.as_deref()) {
        if let Some(p) = persons::find_person_by_contact(conn, ContactKind::Mobile, &phone)? {
            return Ok(Some(p));
        }
    }
    if let Some(email) = c.email("email", spec.email.as_deref()) {
        if let Some(p) = persons::find_person_by_contact(conn, ContactKind::Email, &email)? {
            return Ok(Some(p));
        }
    }
    Ok(None)
}

/// A free oid: the spec's, or a random one not taken yet.
fn pick_oid(conn: &mut DbConnection, given: Option<i64>) -> CoreResult<i64> {
    if let Some(oid) = given {
        return Ok(oid);
    }
    for _ in 0..20 {
        let oid = new_oid();
        if persons::find_person_by_oid(conn, oid)?.is_none() {
            return Ok(oid);
        }
    }
    Err(CoreError::Internal("no free oid after 20 draws".into()))
}

fn taken_by_other(owner: Option<String>, person_id: &str) -> bool {
    owner.is_some_and(|o| o != person_id)
}

/// A login value: given (must be free), generated (retried until free) or none.
fn login(
    conn: &mut DbConnection,
    kind: ContactKind,
    given: Option<String>,
    mut generate: impl FnMut() -> String,
    wanted: bool,
    person_id: &str,
) -> CoreResult<Option<String>> {
    if let Some(v) = given {
        if taken_by_other(q::contact_owner(conn, kind, &v)?, person_id) {
            let what = if kind == ContactKind::Mobile {
                "phone"
            } else {
                "email"
            };
            return Err(CoreError::LoginTaken(format!(
                "{what} belongs to another persona"
            )));
        }
        return Ok(Some(v));
    }
    if !wanted {
        return Ok(None);
    }
    for _ in 0..20 {
        let v = generate();
        if q::contact_owner(conn, kind, &v)?.is_none() {
            return Ok(Some(v));
        }
    }
    Err(CoreError::Internal(format!(
        "no free {kind} after 20 draws"
    )))
}

/// A password in plain text (to show once) and its hash.
pub(crate) type NewPassword = Option<(String, String)>;

/// Writes the persona described by `spec` (already merged onto `existing` by the caller when
/// it exists); `password` is stored (and shown in the view) when the spec carries no hash.
pub(crate) fn save(
    conn: &mut DbConnection,
    existing: Option<PersonRow>,
    spec: &PersonaSpec,
    password: NewPassword,
    (today, now): (NaiveDate, NaiveDateTime),
) -> CoreResult<PersonaView> {
    let mut c = Checks::default();
    if let Some(oid) = spec.oid {
        if !(1..=OID_MAX).contains(&oid) {
            c.fail("oid", "oid_invalid", "oid — от 1 до 9999999999");
            return Err(CoreError::Validation(c.errors));
        }
    }
    let oid = match &existing {
        Some(p) => p.oid,
        None => pick_oid(conn, spec.oid)?,
    };
    let person_id = existing
        .as_ref()
        .map(|p| p.id.clone())
        .unwrap_or_else(new_id);
    // Generated data follows the oid, so a seed naming oids gives the same personas each time.
    let mut g = TestDataGenerator::new(0xE51A_7000_0000 ^ oid as u64);
    let mut ids = Ids::new(oid);
    let mut core = build_core(
        spec,
        &mut c,
        &mut g,
        &mut ids,
        person_id.clone(),
        oid,
        today,
        now,
    );
    if let Some(p) = &existing {
        core.person.created_at = p.created_at;
    }
    let phone = c.mobile("phone", spec.phone.as_deref());
    let email = c.email("email", spec.email.as_deref());
    let pending = c.mobile("pending_phone", spec.pending_phone.as_deref());
    let home = c.any_phone("home_phone", spec.home_phone.as_deref());
    let work_email = c.email("work_email", spec.work_email.as_deref());
    let work_phone = c.any_phone("work_phone", spec.work_phone.as_deref());
    if spec.no_phone && spec.phone.is_some() {
        c.fail("phone", "conflicting_fields", "phone и no_phone вместе");
    }
    if spec.no_email && spec.email.is_some() {
        c.fail("email", "conflicting_fields", "email и no_email вместе");
    }
    if spec.no_phone && spec.no_email {
        c.fail(
            "phone",
            "login_required",
            "Нужен мобильный телефон или электронная почта",
        );
    }
    if let Some(pw) = &spec.password {
        if pw.is_empty() || pw.chars().count() > 128 || pw.chars().any(char::is_control) {
            c.fail("password", "password_invalid", "От 1 до 128 символов");
        }
    }
    if let Some(h) = &spec.password_hash {
        if !h.starts_with("$argon2") {
            c.fail("password_hash", "password_hash_invalid", "Хеш argon2 (PHC)");
        }
    }
    let mut x = Ctx {
        c: &mut c,
        g: &mut g,
        ids: &mut ids,
        person_id: &person_id,
        today,
        now,
        verified: core.verified,
    };
    let surname = core.person.surname.clone();
    let parts = build_parts(spec, &mut x, &surname, core.gender);
    if !c.errors.is_empty() {
        return Err(CoreError::Validation(c.errors));
    }
    if let Some(snils) = &core.person.snils {
        if taken_by_other(q::snils_owner(conn, snils)?, &person_id) {
            return Err(CoreError::LoginTaken(
                "snils belongs to another persona".into(),
            ));
        }
    }
    let phone = login(
        conn,
        ContactKind::Mobile,
        phone,
        || format!("+7900{:07}", g.rng().gen_range(0..10_000_000)),
        !spec.no_phone,
        &person_id,
    )?;
    let email_surname = core.person.surname.clone();
    let email = login(
        conn,
        ContactKind::Email,
        email,
        || g.email(&email_surname).as_str().to_string(),
        !spec.no_email,
        &person_id,
    )?;
    if let Some(p) = &pending {
        if q::contact_owner(conn, ContactKind::Mobile, p)?.is_some() {
            return Err(CoreError::LoginTaken(
                "pending_phone belongs to another persona".into(),
            ));
        }
    }
    let mut shown = None;
    core.person.password_hash = match (&spec.password_hash, password) {
        (Some(h), _) => Some(h.clone()),
        (None, Some((plain, hash))) => {
            shown = Some(plain);
            Some(hash)
        }
        (None, None) => None,
    };
    let mut contacts: Vec<ContactRow> = Vec::new();
    if let Some(v) = phone {
        contacts.push(contact(
            &mut ids,
            &person_id,
            ContactKind::Mobile,
            v,
            pending,
            now,
        ));
    }
    if let Some(v) = email {
        contacts.push(contact(
            &mut ids,
            &person_id,
            ContactKind::Email,
            v,
            None,
            now,
        ));
    }
    if let Some(v) = home {
        contacts.push(contact(
            &mut ids,
            &person_id,
            ContactKind::Phone,
            v,
            None,
            now,
        ));
    }
    for (kind, value) in [
        (ContactKind::CorporateEmail, work_email),
        (ContactKind::CorporatePhone, work_phone),
    ] {
        if let Some(v) = value {
            contacts.push(contact(&mut ids, &person_id, kind, v, None, now));
        }
    }
    core.contacts = contacts;

    if existing.is_some() {
        q::update_person_row(conn, &core.person)?;
        let mut doc_types: Vec<&str> = PersonaDocType::ALL.iter().map(|t| t.as_str()).collect();
        doc_types.push("RF_PASSPORT");
        // Work contacts are replaced only when the spec describes them.
        let mut kinds = vec![ContactKind::Mobile, ContactKind::Email, ContactKind::Phone];
        kinds.extend(
            spec.work_email
                .as_ref()
                .map(|_| ContactKind::CorporateEmail),
        );
        kinds.extend(
            spec.work_phone
                .as_ref()
                .map(|_| ContactKind::CorporatePhone),
        );
        q::clear_person_data(conn, &person_id, &kinds, &doc_types)?;
    } else {
        persons::insert_person(conn, &core.person)?;
    }
    for row in &core.contacts {
        persons::insert_contact(conn, row)?;
    }
    let mut documents = Vec::new();
    documents.extend(core.passport.clone());
    for k in &parts.kids {
        pd::insert_kid(conn, k)?;
    }
    documents.extend(parts.documents);
    for d in &documents {
        pd::insert_document(conn, d)?;
    }
    for a in &parts.addresses {
        pd::insert_address(conn, a)?;
    }
    for v in &parts.vehicles {
        pd::insert_vehicle(conn, v)?;
    }
    esia_core::upgrade::declared::record_declared_state(
        conn,
        &core.person,
        core.passport.as_ref(),
        now,
    )?;
    let roles = link_organizations(conn, &spec.organizations, &person_id, &mut g, now)?;
    let mut data = spec_from_rows(Rows {
        person: &core.person,
        contacts: &core.contacts,
        documents: &documents,
        addresses: parts.addresses,
        kids: parts.kids,
        vehicles: parts.vehicles,
        roles,
    });
    data.password_hash = None;
    let mut view = view_of(&core.person, &core.contacts, data);
    view.password = shown;
    Ok(view)
}

pub(crate) fn logins_of(p: &PersonRow, contacts: &[ContactRow]) -> PersonaLogins {
    let find = |kind: ContactKind| {
        contacts
            .iter()
            .find(|c| c.kind == kind && c.person_id == p.id)
            .map(|c| c.value.clone())
    };
    PersonaLogins {
        phone: find(ContactKind::Mobile),
        email: find(ContactKind::Email),
        snils: p.snils.clone(),
    }
}

pub(crate) fn view_of(p: &PersonRow, contacts: &[ContactRow], data: PersonaSpec) -> PersonaView {
    PersonaView {
        oid: p.oid,
        level: p.level,
        status: p.status.to_string(),
        blocked: p.blocked,
        logins: logins_of(p, contacts),
        password: None,
        data,
    }
}

/// Applies `spec` onto the persona it refers to (or a new one) — the caller's transaction.
pub(crate) fn apply_in(
    conn: &mut DbConnection,
    spec: &PersonaSpec,
    password: NewPassword,
    clock: (NaiveDate, NaiveDateTime),
) -> CoreResult<(bool, PersonaView)> {
    let existing = find_target(conn, spec)?;
    let created = existing.is_none();
    let merged;
    let spec = match &existing {
        Some(p) => {
            merged = merge_spec(super::export::spec_of(conn, p)?, spec);
            &merged
        }
        None => spec,
    };
    let view = save(conn, existing, spec, password, clock)?;
    Ok((created, view))
}
