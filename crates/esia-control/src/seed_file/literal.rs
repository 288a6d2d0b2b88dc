//! Inserting a fully written persona exactly as given, for the demo seed and snapshot imports:
//! nothing generated, nothing absent filled in (a snapshot comes back as it was exported). For
//! the demo seed, internal ESIA ids (contacts, documents, addresses, kids, vehicles) are
//! allocated in document order from `100000000 + n·1000` where `n` is the oid's tail, so they
//! are the same on every start (tests and docs quote them). Runs inside the caller's
//! transaction; the personas use case (`apply_persona`) is the validating, generating path.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use esia_domain::ContactKind;
use esia_store::person_data::{
    self as pd, AddressRow, DocumentRow, KidRow, OrgRoleRow, OrganizationRow, VehicleRow,
};
use esia_store::persons::{self, PersonRow};
use esia_store::DbConnection;

use crate::personas::rows::{
    blank_document, contact_row, gender_of, level_of, person_row, set_passport_checks,
    verification_of,
};
use crate::personas::spec::{DocumentSpec, PersonaGender, PersonaSpec, PersonaVerification};
use esia_core::app::new_id;
use esia_core::error::{CoreError, CoreResult};
use esia_core::upgrade::declared::declared_failure_note;

/// Internal ESIA ids for a persona's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdMode {
    /// Sequential from `100000000 + n·1000` (`n` the oid's tail), outside the range
    /// `new_esia_id` draws from: the demo seed, whose ids tests and docs quote.
    Stable,
    /// Fresh random ids, as any new row gets (snapshot imports).
    Fresh,
}

struct Ids(Option<i64>);

impl Ids {
    fn next(&mut self) -> i64 {
        match &mut self.0 {
            Some(n) => {
                *n += 1;
                *n
            }
            None => esia_core::app::new_esia_id(),
        }
    }
}

fn invalid(what: String) -> CoreError {
    CoreError::InvalidDocument(what)
}

fn date(field: &str, s: &Option<String>) -> CoreResult<Option<NaiveDate>> {
    s.as_deref()
        .map(|v| {
            NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .map_err(|_| invalid(format!("{field}: not a YYYY-MM-DD date: {v}")))
        })
        .transpose()
}

fn gender(g: Option<PersonaGender>) -> Option<String> {
    g.map(|g| gender_of(g).as_esia().to_string())
}

fn document_row(
    d: &DocumentSpec,
    esia_id: i64,
    person_id: &str,
    kid_id: Option<String>,
    at: NaiveDateTime,
) -> CoreResult<DocumentRow> {
    Ok(DocumentRow {
        series: d.series.clone(),
        number: d.number.clone(),
        issue_date: date("issue_date", &d.issue_date)?,
        issue_id: d.issue_id.clone(),
        issued_by: d.issued_by.clone(),
        expiry_date: date("expiry_date", &d.expiry_date)?,
        act_no: d.act_no.clone(),
        act_date: date("act_date", &d.act_date)?,
        first_name: d.first_name.clone(),
        last_name: d.last_name.clone(),
        vrf_stu: if d.verified == Some(true) {
            esia_domain::VrfStatus::Verified
        } else {
            esia_domain::VrfStatus::NotVerified
        },
        ..blank_document(d.doc_type.as_str(), esia_id, person_id, kid_id, at)
    })
}

/// One login-like value in the spelling every look-up uses; a value that is none is refused.
fn login_value(
    field: &str,
    v: &mut Option<String>,
    parse: impl Fn(&str) -> Result<String, esia_domain::ValidationError>,
) -> CoreResult<()> {
    if let Some(raw) = v.as_deref() {
        // The message names the field and the rule, never the value (personal data).
        let value = parse(raw).map_err(|e| invalid(format!("{field}: {}", e.message)))?;
        *v = Some(value);
    }
    Ok(())
}

/// The spec with its phones, e-mails and SNILS in their validated spelling (`+7…`,
/// lower-case, digits), as the personas use case stores them: a hand-written snapshot saying
/// `User@Mail.RU` or `112-233-445 95` must be found by the same look-ups on every backend.
fn with_normalised_logins(spec: &PersonaSpec) -> CoreResult<PersonaSpec> {
    use esia_domain::{Email, Phone, Snils};
    let phone = |s: &str| Phone::parse_any(s).map(|p| p.e164().to_string());
    let email = |s: &str| Email::parse(s).map(|e| e.as_str().to_string());
    let mut spec = spec.clone();
    login_value("phone", &mut spec.phone, phone)?;
    login_value("pending_phone", &mut spec.pending_phone, phone)?;
    login_value("home_phone", &mut spec.home_phone, phone)?;
    login_value("work_phone", &mut spec.work_phone, phone)?;
    login_value("email", &mut spec.email, email)?;
    login_value("work_email", &mut spec.work_email, email)?;
    login_value("snils", &mut spec.snils, |s| {
        Snils::parse(s).map(|x| x.digits().to_string())
    })?;
    Ok(spec)
}

/// Inserts one persona as written (its logins in their validated spelling). `hash` is the
/// password's hash.
pub(crate) fn insert_persona(
    conn: &mut DbConnection,
    spec: &PersonaSpec,
    hash: Option<String>,
    now: NaiveDateTime,
    mode: IdMode,
) -> CoreResult<()> {
    let spec = &with_normalised_logins(spec)?;
    let oid = spec
        .oid
        .ok_or_else(|| invalid("oid: required when a persona is inserted as written".into()))?;
    let mut ids = Ids(match mode {
        IdMode::Stable => Some(100_000_000 + (oid - 1_000_000_000) * 1000),
        IdMode::Fresh => None,
    });
    // Rows of one kind share `now` plus a small step, so "oldest first" lists keep file order.
    let mut tick = 0i64;
    let mut at = || {
        tick += 1;
        now + Duration::milliseconds(tick)
    };
    let person_id = new_id();
    let names = (
        spec.surname.clone().unwrap_or_default(),
        spec.name.clone().unwrap_or_default(),
        spec.patronymic.clone(),
    );
    let person = PersonRow {
        password_hash: hash,
        verification_note: match verification_of(spec) {
            PersonaVerification::Failed => {
                Some(declared_failure_note(spec.verification_note.as_deref()))
            }
            _ => spec.verification_note.clone(),
        },
        gender: gender(spec.gender),
        birth_date: date("birth_date", &spec.birth_date)?,
        birth_place: spec.birth_place.clone(),
        citizenship: spec.citizenship.clone(),
        snils: spec.snils.clone(),
        inn: spec.inn.clone(),
        ..person_row(spec, person_id.clone(), oid, names, now)
    };
    persons::insert_person(conn, &person)?;
    let mut contacts = Vec::new();
    if let Some(phone) = &spec.phone {
        contacts.push((
            ContactKind::Mobile,
            phone.clone(),
            spec.pending_phone.clone(),
        ));
    }
    if let Some(email) = &spec.email {
        contacts.push((ContactKind::Email, email.clone(), None));
    }
    if let Some(home) = &spec.home_phone {
        contacts.push((ContactKind::Phone, home.clone(), None));
    }
    for (kind, value, pending) in contacts {
        let row = contact_row(ids.next(), &person_id, kind, value, pending, at());
        persons::insert_contact(conn, &row)?;
    }
    let mut passport = None;
    if let Some(p) = &spec.passport {
        let t = at();
        let mut d = DocumentRow {
            series: p.series.clone(),
            number: p.number.clone(),
            issue_date: date("passport.issue_date", &p.issue_date)?,
            issue_id: p.issue_id.clone(),
            issued_by: p.issued_by.clone(),
            ..blank_document("RF_PASSPORT", ids.next(), &person_id, None, t)
        };
        set_passport_checks(
            &mut d,
            verification_of(spec),
            level_of(spec) != esia_domain::AccountLevel::Simplified,
        );
        pd::insert_document(conn, &d)?;
        passport = Some(d);
    }
    esia_core::upgrade::declared::record_declared_state(conn, &person, passport.as_ref(), now)?;
    for doc in &spec.documents {
        let row = document_row(doc, ids.next(), &person_id, None, at())?;
        pd::insert_document(conn, &row)?;
    }
    for (i, a) in spec.addresses.iter().enumerate() {
        let t = at();
        pd::insert_address(
            conn,
            &AddressRow {
                id: new_id(),
                esia_id: ids.next(),
                person_id: person_id.clone(),
                addr_type: a
                    .addr_type
                    .map(|t| t.as_str())
                    .unwrap_or(if i == 0 { "PRG" } else { "PLV" })
                    .into(),
                address_str: a.address_str.clone().unwrap_or_default(),
                fias_code: a.fias_code.clone(),
                country_id: a.country_id.clone().unwrap_or_else(|| "RUS".into()),
                zip_code: a.zip_code.clone(),
                region: a.region.clone(),
                district: a.district.clone(),
                area: None,
                city: a.city.clone(),
                settlement: a.settlement.clone(),
                street: a.street.clone(),
                house: a.house.clone(),
                building: a.building.clone(),
                frame: a.frame.clone(),
                flat: a.flat.clone(),
                addition_area: None,
                addition_area_street: None,
                created_at: t,
                updated_at: t,
            },
        )?;
    }
    for k in &spec.kids {
        let kid_id = new_id();
        let t = at();
        pd::insert_kid(
            conn,
            &KidRow {
                id: kid_id.clone(),
                esia_id: ids.next(),
                person_id: person_id.clone(),
                surname: k.surname.clone().unwrap_or_default(),
                name: k.name.clone().unwrap_or_default(),
                patronymic: k.patronymic.clone(),
                birth_date: date("kids.birth_date", &k.birth_date)?,
                gender: gender(k.gender),
                snils: k.snils.clone(),
                inn: k.inn.clone(),
                created_at: t,
                updated_at: t,
            },
        )?;
        for doc in &k.documents {
            let row = document_row(doc, ids.next(), &person_id, Some(kid_id.clone()), at())?;
            pd::insert_document(conn, &row)?;
        }
    }
    for v in &spec.vehicles {
        let t = at();
        pd::insert_vehicle(
            conn,
            &VehicleRow {
                id: new_id(),
                esia_id: ids.next(),
                person_id: person_id.clone(),
                name: v.name.clone(),
                number_plate: v.number_plate.clone().unwrap_or_default(),
                reg_cert_series: v.reg_cert_series.clone(),
                reg_cert_number: v.reg_cert_number.clone(),
                created_at: t,
                updated_at: t,
            },
        )?;
    }
    for m in &spec.organizations {
        let org_oid = m.oid.ok_or_else(|| {
            invalid("organizations.oid: required when inserted as written".into())
        })?;
        let org_id = match pd::find_organization_by_oid(conn, org_oid)? {
            Some(org) => org.id,
            None => {
                let row = OrganizationRow {
                    id: new_id(),
                    oid: org_oid,
                    full_name: m.full_name.clone().unwrap_or_default(),
                    short_name: m.short_name.clone().unwrap_or_default(),
                    ogrn: m.ogrn.clone().unwrap_or_default(),
                    inn: m.inn.clone().unwrap_or_default(),
                    kpp: m.kpp.clone(),
                    org_type: "LEGAL".into(),
                    created_at: now,
                    updated_at: now,
                };
                pd::insert_organization(conn, &row)?;
                row.id
            }
        };
        pd::insert_org_role(
            conn,
            &OrgRoleRow {
                id: new_id(),
                org_id,
                person_id: person_id.clone(),
                chief: m.chief,
                admin: m.admin,
                active: !m.inactive,
                created_at: now,
            },
        )?;
    }
    // Work contacts come last (after the organisation rows), as the catalogue they were
    // written from allocated them, so the other rows keep their ids.
    for (kind, value) in [
        (ContactKind::CorporateEmail, &spec.work_email),
        (ContactKind::CorporatePhone, &spec.work_phone),
    ] {
        let Some(value) = value else { continue };
        let row = contact_row(ids.next(), &person_id, kind, value.clone(), None, at());
        persons::insert_contact(conn, &row)?;
    }
    Ok(())
}
