//! Reads a stored person back as a complete `PersonaSpec` (with its password hash): the data
//! part of a persona view, the base a patch or a re-apply is merged onto, and the form
//! snapshots export persons in.

use esia_domain::ContactKind;
use esia_domain::{AccountStatus, VerificationStatus, VrfStatus};
use esia_store::person_data::{
    self as pd, AddressRow, DocumentRow, KidRow, OrgRoleRow, OrganizationRow, VehicleRow,
};
use esia_store::persons::{self, ContactRow, PersonRow};
use esia_store::DbConnection;

use super::spec::{
    AddressSpec, DocumentSpec, KidSpec, OrgMembershipSpec, PassportSpec, PersonaAddressType,
    PersonaDocType, PersonaGender, PersonaSpec, PersonaVerification, VehicleSpec,
};
use esia_core::error::CoreResult;

fn iso(d: Option<chrono::NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

fn gender_of(s: Option<&str>) -> Option<PersonaGender> {
    match s? {
        "M" => Some(PersonaGender::M),
        "F" => Some(PersonaGender::F),
        _ => None,
    }
}

fn document(d: &DocumentRow) -> Option<DocumentSpec> {
    let doc_type = PersonaDocType::parse(&d.doc_type)?;
    Some(DocumentSpec {
        series: d.series.clone(),
        number: d.number.clone(),
        issue_date: iso(d.issue_date),
        issued_by: d.issued_by.clone(),
        issue_id: d.issue_id.clone(),
        expiry_date: iso(d.expiry_date),
        act_no: d.act_no.clone(),
        act_date: iso(d.act_date),
        first_name: d.first_name.clone(),
        last_name: d.last_name.clone(),
        verified: Some(d.vrf_stu == VrfStatus::Verified),
        ..DocumentSpec::of_type(doc_type)
    })
}

/// A person's stored rows, as the spec builder needs them.
pub(crate) struct Rows<'a> {
    pub person: &'a PersonRow,
    pub contacts: &'a [ContactRow],
    /// Own documents and kids' documents together (kid ones have `kid_id`).
    pub documents: &'a [DocumentRow],
    pub addresses: Vec<AddressRow>,
    pub kids: Vec<KidRow>,
    pub vehicles: Vec<VehicleRow>,
    pub roles: Vec<(OrgRoleRow, OrganizationRow)>,
}

/// The whole persona as a spec (every field filled as stored; `password_hash` included).
pub fn spec_of(conn: &mut DbConnection, p: &PersonRow) -> CoreResult<PersonaSpec> {
    let contacts = persons::contacts_of(conn, &p.id)?;
    let mut documents = pd::documents_of(conn, &p.id)?;
    documents.extend(esia_store::person_changes::kid_documents_of(conn, &p.id)?);
    Ok(spec_from_rows(Rows {
        person: p,
        contacts: &contacts,
        documents: &documents,
        addresses: pd::addresses_of(conn, &p.id)?,
        kids: pd::kids_of(conn, &p.id)?,
        vehicles: pd::vehicles_of(conn, &p.id)?,
        roles: esia_store::personas::all_roles_of(conn, &p.id)?,
    }))
}

pub(crate) fn spec_from_rows(r: Rows<'_>) -> PersonaSpec {
    let p = r.person;
    let find = |kind: ContactKind| r.contacts.iter().find(|c| c.kind == kind);
    let own = || r.documents.iter().filter(|d| d.kid_id.is_none());
    let passport = own()
        .find(|d| d.doc_type == "RF_PASSPORT")
        .map(|d| PassportSpec {
            series: d.series.clone(),
            number: d.number.clone(),
            issue_date: iso(d.issue_date),
            issued_by: d.issued_by.clone(),
            issue_id: d.issue_id.clone(),
        });
    let kids = r
        .kids
        .into_iter()
        .map(|k| KidSpec {
            documents: r
                .documents
                .iter()
                .filter(|d| d.kid_id.as_deref() == Some(k.id.as_str()))
                .filter_map(document)
                .collect(),
            surname: Some(k.surname),
            name: Some(k.name),
            patronymic: k.patronymic,
            gender: gender_of(k.gender.as_deref()),
            birth_date: iso(k.birth_date),
            snils: k.snils,
            inn: k.inn,
        })
        .collect();
    let addresses = r
        .addresses
        .into_iter()
        .map(|a| AddressSpec {
            addr_type: Some(if a.addr_type == "PLV" {
                PersonaAddressType::Residence
            } else {
                PersonaAddressType::Registration
            }),
            address_str: Some(a.address_str),
            fias_code: a.fias_code,
            country_id: Some(a.country_id),
            zip_code: a.zip_code,
            region: a.region,
            district: a.district,
            city: a.city,
            settlement: a.settlement,
            street: a.street,
            house: a.house,
            building: a.building,
            frame: a.frame,
            flat: a.flat,
        })
        .collect();
    let vehicles = r
        .vehicles
        .into_iter()
        .map(|v| VehicleSpec {
            name: v.name,
            number_plate: Some(v.number_plate),
            reg_cert_series: v.reg_cert_series,
            reg_cert_number: v.reg_cert_number,
        })
        .collect();
    let organizations = r
        .roles
        .into_iter()
        .map(|(r, o)| OrgMembershipSpec {
            oid: Some(o.oid),
            ogrn: Some(o.ogrn),
            inn: Some(o.inn),
            kpp: o.kpp,
            full_name: Some(o.full_name),
            short_name: Some(o.short_name),
            chief: r.chief,
            admin: r.admin,
            inactive: !r.active,
        })
        .collect();
    let verification = match p.verification {
        VerificationStatus::Verifying => PersonaVerification::Verifying,
        VerificationStatus::Failed => PersonaVerification::Failed,
        VerificationStatus::None => PersonaVerification::None,
    };
    PersonaSpec {
        oid: Some(p.oid),
        level: Some(p.level),
        blocked: p.blocked,
        deleted: p.status == AccountStatus::Deleted,
        verification: Some(verification),
        verification_note: p.verification_note.clone(),
        phone: find(ContactKind::Mobile).map(|c| c.value.clone()),
        no_phone: find(ContactKind::Mobile).is_none(),
        pending_phone: find(ContactKind::Mobile).and_then(|c| c.verifying_value.clone()),
        email: find(ContactKind::Email).map(|c| c.value.clone()),
        no_email: find(ContactKind::Email).is_none(),
        home_phone: find(ContactKind::Phone).map(|c| c.value.clone()),
        work_email: find(ContactKind::CorporateEmail).map(|c| c.value.clone()),
        work_phone: find(ContactKind::CorporatePhone).map(|c| c.value.clone()),
        password: None,
        password_hash: p.password_hash.clone(),
        surname: Some(p.surname.clone()),
        name: Some(p.name.clone()),
        patronymic: p.patronymic.clone(),
        gender: gender_of(p.gender.as_deref()),
        birth_date: iso(p.birth_date),
        birth_place: p.birth_place.clone(),
        citizenship: p.citizenship.clone(),
        snils: p.snils.clone(),
        inn: p.inn.clone(),
        with_inn: false,
        passport,
        documents: own().filter_map(document).collect(),
        addresses,
        kids,
        vehicles,
        organizations,
    }
}
