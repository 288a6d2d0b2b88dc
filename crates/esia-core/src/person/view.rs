//! The cabinet's read model of a person's data: everything `/profile` shows, already worded in
//! Russian (titles, `ДД.ММ.ГГГГ` dates, pretty phones), loaded with one query per section.

use esia_domain::ContactKind;
use esia_store::person_data as pd;

use super::edit_forms::document_title_ru;
use super::json::{esia_snils, ru_date};
use crate::app::Core;
use crate::error::{CoreError, CoreResult};

/// One row of a section: its id (for edit links), title, details and flags.
#[derive(Debug, Clone, Default)]
pub struct Row {
    pub id: String,
    pub title: String,
    pub detail: String,
    pub status: String,
    pub editable: bool,
}

/// A contact with its pending change.
#[derive(Debug, Clone)]
pub struct ContactLine {
    pub kind: String,
    pub title: &'static str,
    pub value: String,
    pub verified: bool,
    pub pending: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct PersonalData {
    pub birth_date: String,
    pub gender: String,
    pub birth_place: String,
    pub citizenship: String,
    pub snils: String,
    pub inn: String,
    pub passport: String,
    pub status: String,
}

#[derive(Debug, Clone)]
pub struct PersonDataView {
    pub personal: PersonalData,
    pub contacts: Vec<ContactLine>,
    pub documents: Vec<Row>,
    pub addresses: Vec<Row>,
    pub kids: Vec<Row>,
    pub vehicles: Vec<Row>,
    pub organizations: Vec<Row>,
}

pub(crate) fn pretty_contact(kind: ContactKind, v: &str) -> String {
    match kind {
        ContactKind::Mobile | ContactKind::Phone | ContactKind::CorporatePhone => {
            esia_domain::Phone::parse_any(v)
                .map(|p| p.pretty())
                .unwrap_or_else(|_| v.to_string())
        }
        _ => v.to_string(),
    }
}

fn vrf_ru(vrf_stu: esia_domain::VrfStatus, vrf_val: Option<&str>) -> String {
    match (vrf_stu, vrf_val) {
        (_, Some("VERIFYING")) => "проверяется".into(),
        (_, Some("VERIFICATION_FAILED")) => "не прошёл проверку".into(),
        (esia_domain::VrfStatus::Verified, _) => "проверен".into(),
        _ => "не проверен".into(),
    }
}

fn doc_detail(d: &pd::DocumentRow) -> String {
    let mut parts = Vec::new();
    if let Some(s) = &d.series {
        parts.push(s.clone());
    }
    if let Some(n) = &d.number {
        parts.push(n.clone());
    }
    if let Some(i) = d.issue_date {
        parts.push(format!("выдан {}", ru_date(i)));
    }
    if let Some(e) = d.expiry_date {
        parts.push(format!("до {}", ru_date(e)));
    }
    parts.join(" ")
}

/// Everything the cabinet shows about the person.
pub fn person_data_view(core: &Core, person_id: &str) -> CoreResult<PersonDataView> {
    let mut conn = core.conn()?;
    let p = esia_store::persons::find_person(&mut conn, person_id)?
        .ok_or(CoreError::NotFound("person"))?;
    let docs = pd::documents_of(&mut conn, person_id)?;
    let passport = docs
        .iter()
        .find(|d| d.doc_type == "RF_PASSPORT" || d.doc_type == "FID_DOC")
        .map(|d| {
            format!(
                "{} ({})",
                doc_detail(d),
                vrf_ru(d.vrf_stu, d.vrf_val_stu.as_deref())
            )
        })
        .unwrap_or_default();
    let personal = PersonalData {
        birth_date: p.birth_date.map(ru_date).unwrap_or_default(),
        gender: match p.gender.as_deref() {
            Some("M") => "Мужской".into(),
            Some("F") => "Женский".into(),
            _ => String::new(),
        },
        birth_place: p.birth_place.clone().unwrap_or_default(),
        citizenship: match p.citizenship.as_deref() {
            Some("RUS") => "Россия".into(),
            Some(other) => other.into(),
            None => String::new(),
        },
        snils: p.snils.as_deref().map(esia_snils).unwrap_or_default(),
        inn: p.inn.clone().unwrap_or_default(),
        passport,
        status: p.status.to_string(),
    };
    let contacts = esia_store::persons::contacts_of(&mut conn, person_id)?
        .into_iter()
        .map(|c| ContactLine {
            title: match c.kind {
                ContactKind::Mobile => "Мобильный телефон",
                ContactKind::Email => "Электронная почта",
                ContactKind::Phone => "Домашний телефон",
                ContactKind::CorporateEmail => "Рабочая электронная почта",
                ContactKind::CorporatePhone => "Рабочий телефон",
            },
            value: pretty_contact(c.kind, &c.value),
            pending: c
                .verifying_value
                .as_deref()
                .map(|v| pretty_contact(c.kind, v)),
            verified: c.verified,
            kind: c.kind.to_string(),
        })
        .collect();
    let documents = docs
        .iter()
        .map(|d| Row {
            id: d.id.clone(),
            title: document_title_ru(&d.doc_type).into(),
            detail: doc_detail(d),
            status: vrf_ru(d.vrf_stu, d.vrf_val_stu.as_deref()),
            editable: super::edit_forms::DOCUMENT_TYPES
                .iter()
                .any(|(t, _)| *t == d.doc_type),
        })
        .collect();
    let addresses = pd::addresses_of(&mut conn, person_id)?
        .into_iter()
        .map(|a| Row {
            id: a.id,
            title: if a.addr_type == "PRG" {
                "Адрес регистрации"
            } else {
                "Адрес места проживания"
            }
            .into(),
            detail: a.address_str,
            editable: true,
            ..Row::default()
        })
        .collect();
    let kid_docs = esia_store::person_changes::kid_documents_of(&mut conn, person_id)?;
    let kids = pd::kids_of(&mut conn, person_id)?
        .into_iter()
        .map(|k| {
            let cert = kid_docs
                .iter()
                .find(|d| d.kid_id.as_deref() == Some(k.id.as_str()))
                .map(|d| format!("{}: {}", document_title_ru(&d.doc_type), doc_detail(d)))
                .unwrap_or_default();
            let name = [
                Some(k.surname.as_str()),
                Some(k.name.as_str()),
                k.patronymic.as_deref(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
            Row {
                id: k.id,
                title: name,
                detail: k
                    .birth_date
                    .map(|d| format!("дата рождения {}", ru_date(d)))
                    .unwrap_or_default(),
                status: cert,
                editable: true,
            }
        })
        .collect();
    let vehicles = pd::vehicles_of(&mut conn, person_id)?
        .into_iter()
        .map(|v| Row {
            id: v.id,
            title: v.name.unwrap_or_else(|| "Транспортное средство".into()),
            detail: v.number_plate,
            status: match (v.reg_cert_series, v.reg_cert_number) {
                (Some(s), Some(n)) => format!("СТС {s} {n}"),
                _ => String::new(),
            },
            editable: true,
        })
        .collect();
    let organizations = pd::roles_of(&mut conn, person_id)?
        .into_iter()
        .map(|(role, org)| Row {
            id: org.oid.to_string(),
            title: org.short_name,
            detail: format!("ОГРН {}, ИНН {}", org.ogrn, org.inn),
            status: if role.chief {
                "Руководитель".into()
            } else if role.admin {
                "Администратор".into()
            } else {
                "Сотрудник".into()
            },
            editable: false,
        })
        .collect();
    Ok(PersonDataView {
        personal,
        contacts,
        documents,
        addresses,
        kids,
        vehicles,
        organizations,
    })
}
