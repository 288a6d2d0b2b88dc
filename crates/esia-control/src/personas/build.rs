//! Turns a (merged) persona spec into rows: checks every given value, generates what is absent
//! with `TestDataGenerator` consistently with the level (standard and confirmed personas get
//! verified personal data, SNILS and passport; simplified ones only names and logins unless
//! their checks are running or failed), and builds the person, passport and contact rows. The
//! collections (documents, addresses, kids, vehicles) are built in `build_parts`.

use chrono::{NaiveDate, NaiveDateTime};
use esia_core::upgrade::declared::declared_failure_note;
use esia_domain::generate::TestDataGenerator;
use esia_domain::ContactKind;
use esia_domain::{Gender, PassportRf};
use esia_store::person_data::DocumentRow;
use esia_store::persons::{ContactRow, PersonRow};

use super::check::Checks;
use super::rows::{
    blank_document, contact_row, gender_of, level_of, person_row, set_passport_checks,
    verification_of,
};
use super::spec::{PersonaSpec, PersonaVerification};

/// ESIA ids of a persona's contacts, documents, addresses, kids and vehicles: derived from the
/// oid (`10^13 + oid·1000 + k`), so they never collide with each other, with the random range
/// registration draws from, nor with the demo catalogue's, and re-applying a spec keeps them.
pub(crate) struct Ids {
    base: i64,
    k: i64,
}

impl Ids {
    pub fn new(oid: i64) -> Ids {
        Ids {
            base: 10_000_000_000_000 + oid * 1000,
            k: 0,
        }
    }

    pub fn next(&mut self) -> i64 {
        self.k += 1;
        self.base + self.k
    }
}

/// Largest oid a spec may give (10 digits, as ESIA's).
pub(crate) const OID_MAX: i64 = 9_999_999_999;

/// The checked and completed identity part of a persona (before collections).
pub(crate) struct Core {
    pub person: PersonRow,
    pub contacts: Vec<ContactRow>,
    pub passport: Option<DocumentRow>,
    pub gender: Gender,
    /// Standard or confirmed: documents default to verified.
    pub verified: bool,
}

/// An empty document row of the person with the next id.
pub(crate) fn doc_row(
    ids: &mut Ids,
    person_id: &str,
    doc_type: &str,
    now: NaiveDateTime,
) -> DocumentRow {
    blank_document(doc_type, ids.next(), person_id, None, now)
}

/// Everything but the logins (which need the database to stay unique) and collections.
#[allow(clippy::too_many_arguments)]
pub(crate) fn build_core(
    spec: &PersonaSpec,
    c: &mut Checks,
    g: &mut TestDataGenerator,
    ids: &mut Ids,
    person_id: String,
    oid: i64,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Core {
    let level = level_of(spec);
    let verification = verification_of(spec);
    // Standard and confirmed accounts have verified personal data.
    let verified = level != esia_domain::AccountLevel::Simplified;
    // Running or failed checks mean the profile was filled in, as for standard accounts.
    let filled = verified || verification != PersonaVerification::None;
    let gender = spec.gender.map(gender_of).unwrap_or_else(|| g.gender());
    let (gs, gn, gp) = g.person_name(gender);
    let surname = c
        .name("surname", spec.surname.as_deref())
        .unwrap_or_else(|| gs.as_str().into());
    let name = c
        .name("name", spec.name.as_deref())
        .unwrap_or_else(|| gn.as_str().into());
    let patronymic = match spec.patronymic.as_deref() {
        Some(p) => c.name("patronymic", Some(p)),
        None => Some(gp.as_str().to_string()),
    };
    let generated_birth = g.birth_date(today);
    let birth = c.date("birth_date", spec.birth_date.as_deref());
    if let Some(b) = birth {
        if b > today {
            c.fail("birth_date", "date_invalid", "Дата рождения в будущем");
        } else if verified && today.years_since(b).unwrap_or(0) < 14 {
            c.fail(
                "birth_date",
                "too_young",
                "Стандартная и подтверждённая учётные записи — с 14 лет (нужен паспорт)",
            );
        }
    }
    let generated_place = g.birth_place();
    let generated_snils = g.snils();
    let generated_inn = g.inn_person();
    let mut person = PersonRow {
        verification_note: c.text("verification_note", spec.verification_note.as_deref()),
        ..person_row(
            spec,
            person_id.clone(),
            oid,
            (surname, name, patronymic),
            now,
        )
    };
    let given_birth = spec.birth_date.is_some();
    if filled || spec.gender.is_some() {
        person.gender = Some(gender.as_esia().into());
    }
    if filled || given_birth {
        person.birth_date = Some(birth.unwrap_or(generated_birth));
    }
    person.birth_place = c
        .text("birth_place", spec.birth_place.as_deref())
        .or_else(|| filled.then_some(generated_place));
    person.citizenship = c
        .country("citizenship", spec.citizenship.as_deref())
        .or_else(|| filled.then(|| "RUS".to_string()));
    person.snils = c
        .snils("snils", spec.snils.as_deref())
        .or_else(|| filled.then(|| generated_snils.digits().to_string()));
    person.inn = c
        .inn_person("inn", spec.inn.as_deref())
        .or_else(|| spec.with_inn.then(|| generated_inn.as_str().to_string()));
    if verification == PersonaVerification::Failed {
        person.verification_note = Some(declared_failure_note(person.verification_note.as_deref()));
    }
    let passport = if filled || spec.passport.is_some() {
        let birth_for_passport = person.birth_date.unwrap_or(generated_birth);
        build_passport(
            spec,
            c,
            g,
            ids,
            &person_id,
            birth_for_passport,
            (today, now),
            (verified, verification),
        )
    } else {
        None
    };
    Core {
        person,
        contacts: Vec::new(),
        passport,
        gender,
        verified,
    }
}

#[allow(clippy::too_many_arguments)]
fn build_passport(
    spec: &PersonaSpec,
    c: &mut Checks,
    g: &mut TestDataGenerator,
    ids: &mut Ids,
    person_id: &str,
    birth: NaiveDate,
    (today, now): (NaiveDate, NaiveDateTime),
    (verified, verification): (bool, PersonaVerification),
) -> Option<DocumentRow> {
    let given = spec.passport.clone().unwrap_or_default();
    let gen = match g.passport(birth, today) {
        Some(p) => p,
        // Under 14 there is nothing to generate from; only given values can stand (and the
        // issue-date rule will refuse them).
        None if spec.passport.is_some() => PassportRf {
            series: String::new(),
            number: String::new(),
            issue_date: today,
            issued_by: String::new(),
            issue_id: String::new(),
        },
        None => return None,
    };
    let issue = given
        .issue_date
        .clone()
        .unwrap_or_else(|| esia_domain::format_ru_date(gen.issue_date));
    let parsed = PassportRf::parse(
        given.series.as_deref().unwrap_or(&gen.series),
        given.number.as_deref().unwrap_or(&gen.number),
        &issue,
        given.issued_by.as_deref().unwrap_or(&gen.issued_by),
        given.issue_id.as_deref().unwrap_or(&gen.issue_id),
        Some(birth),
        today,
    );
    let p = match parsed {
        Ok(p) => p,
        Err(errors) => {
            for (field, e) in errors {
                let field = match field {
                    "series" => "passport.series",
                    "number" => "passport.number",
                    "issue_date" => "passport.issue_date",
                    "issued_by" => "passport.issued_by",
                    _ => "passport.issue_id",
                };
                c.errors.push(esia_core::error::FieldError::new(field, e));
            }
            return None;
        }
    };
    let mut d = doc_row(ids, person_id, "RF_PASSPORT", now);
    d.series = Some(p.series);
    d.number = Some(p.number);
    d.issue_date = Some(p.issue_date);
    d.issue_id = Some(p.issue_id);
    d.issued_by = Some(p.issued_by);
    set_passport_checks(&mut d, verification, verified);
    Some(d)
}

/// A contact row of the persona with the next id.
pub(crate) fn contact(
    ids: &mut Ids,
    person_id: &str,
    kind: ContactKind,
    value: String,
    pending: Option<String>,
    now: NaiveDateTime,
) -> ContactRow {
    contact_row(ids.next(), person_id, kind, value, pending, now)
}
