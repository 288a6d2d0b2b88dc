//! Reading persons back as persona specs for snapshots: every stored value a spec can carry,
//! with the oid and the password hash (so logins keep working after an import). Generated
//! internal ids are not exported; an import allocates new ones.

use esia_store::person_data::{self as pd, DocumentRow};
use esia_store::persons::{self, PersonRow};
use esia_store::DbConnection;

use crate::app::Core;
use crate::error::CoreResult;
use crate::personas::spec::{
    AddressSpec, DocumentSpec, KidSpec, OrgMembershipSpec, PassportSpec, PersonaAddressType,
    PersonaDocType, PersonaGender, PersonaLevel, PersonaSpec, PersonaVerification, VehicleSpec,
};

fn date(d: Option<chrono::NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

fn gender(g: Option<&str>) -> Option<PersonaGender> {
    match g? {
        "M" => Some(PersonaGender::M),
        "F" => Some(PersonaGender::F),
        _ => None,
    }
}

fn document(d: DocumentRow) -> Option<DocumentSpec> {
    Some(DocumentSpec {
        doc_type: PersonaDocType::parse(&d.doc_type)?,
        series: d.series,
        number: d.number,
        issue_date: date(d.issue_date),
        issued_by: d.issued_by,
        issue_id: d.issue_id,
        expiry_date: date(d.expiry_date),
        act_no: d.act_no,
        act_date: date(d.act_date),
        first_name: d.first_name,
        last_name: d.last_name,
        verified: Some(d.vrf_stu == "VERIFIED"),
    })
}

/// One person as a spec.
pub(crate) fn persona_spec(conn: &mut DbConnection, p: PersonRow) -> CoreResult<PersonaSpec> {
    let mut spec = PersonaSpec {
        oid: Some(p.oid),
        level: match p.level.as_str() {
            "confirmed" => Some(PersonaLevel::Confirmed),
            "standard" => Some(PersonaLevel::Standard),
            _ => Some(PersonaLevel::Simplified),
        },
        blocked: p.blocked,
        deleted: p.status == "DELETED",
        verification: match p.verification.as_str() {
            "verifying" => Some(PersonaVerification::Verifying),
            "failed" => Some(PersonaVerification::Failed),
            _ => None,
        },
        verification_note: p.verification_note,
        password_hash: p.password_hash,
        surname: Some(p.surname),
        name: Some(p.name),
        patronymic: p.patronymic,
        gender: gender(p.gender.as_deref()),
        birth_date: date(p.birth_date),
        birth_place: p.birth_place,
        citizenship: p.citizenship,
        snils: p.snils,
        inn: p.inn,
        no_phone: true,
        no_email: true,
        ..PersonaSpec::default()
    };
    for c in persons::contacts_of(conn, &p.id)? {
        match c.kind.as_str() {
            "MBT" => {
                spec.phone = Some(c.value);
                spec.pending_phone = c.verifying_value;
                spec.no_phone = false;
            }
            "EML" => {
                spec.email = Some(c.value);
                spec.no_email = false;
            }
            "PHN" => spec.home_phone = Some(c.value),
            _ => {}
        }
    }
    for d in pd::documents_of(conn, &p.id)? {
        if d.doc_type == "RF_PASSPORT" {
            spec.passport = Some(PassportSpec {
                series: d.series,
                number: d.number,
                issue_date: date(d.issue_date),
                issued_by: d.issued_by,
                issue_id: d.issue_id,
            });
        } else if let Some(doc) = document(d) {
            spec.documents.push(doc);
        }
    }
    for a in pd::addresses_of(conn, &p.id)? {
        spec.addresses.push(AddressSpec {
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
        });
    }
    for k in pd::kids_of(conn, &p.id)? {
        let documents = pd::documents_of_kid(conn, &k.id)?
            .into_iter()
            .filter_map(document)
            .collect();
        spec.kids.push(KidSpec {
            surname: Some(k.surname),
            name: Some(k.name),
            patronymic: k.patronymic,
            gender: gender(k.gender.as_deref()),
            birth_date: date(k.birth_date),
            snils: k.snils,
            inn: k.inn,
            documents,
        });
    }
    for v in pd::vehicles_of(conn, &p.id)? {
        spec.vehicles.push(VehicleSpec {
            name: v.name,
            number_plate: Some(v.number_plate),
            reg_cert_series: v.reg_cert_series,
            reg_cert_number: v.reg_cert_number,
        });
    }
    for (role, org) in pd::roles_of(conn, &p.id)? {
        spec.organizations.push(OrgMembershipSpec {
            oid: Some(org.oid),
            ogrn: Some(org.ogrn),
            inn: Some(org.inn),
            kpp: org.kpp,
            full_name: Some(org.full_name),
            short_name: Some(org.short_name),
            chief: role.chief,
            admin: role.admin,
            inactive: !role.active,
        });
    }
    Ok(spec)
}

impl Core {
    /// Every person as a spec, oldest first.
    pub fn export_personas(&self) -> CoreResult<Vec<PersonaSpec>> {
        let mut conn = self.conn()?;
        let mut rows = persons::list_persons(&mut conn, i64::MAX)?;
        // Seeds insert many persons within one clock tick: the oid makes the order stable.
        rows.sort_by_key(|r| (r.created_at, r.oid));
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            out.push(persona_spec(&mut conn, row)?);
        }
        Ok(out)
    }
}
