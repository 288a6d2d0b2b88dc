//! Row building for the persona catalogue (see `seed_catalogue.rs`): one persona's person,
//! contacts, passport and other documents, addresses, kids with birth certificates, vehicles and
//! the demo organisation with its roles, all from a per-persona seeded generator.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use esia_domain::generate::TestDataGenerator;
use esia_domain::Gender;
use esia_store::person_data::{
    self as pd, AddressRow, DocumentRow, KidRow, OrgRoleRow, OrganizationRow, VehicleRow,
};
use esia_store::persons::{self, ContactRow, PersonRow};
use esia_store::DbConnection;

use super::{login_email, oid, phone, CataloguePersona, ORG_OID};
use crate::error::CoreResult;

/// Sequential ESIA ids per persona, outside the range `new_esia_id` draws from.
struct Ids(i64);

impl Ids {
    fn next(&mut self) -> i64 {
        self.0 += 1;
        self.0
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 12, 1).unwrap_or_default()
}

fn doc(
    id: String,
    esia_id: i64,
    person_id: &str,
    doc_type: &str,
    now: NaiveDateTime,
) -> DocumentRow {
    DocumentRow {
        id,
        esia_id,
        person_id: person_id.into(),
        kid_id: None,
        doc_type: doc_type.into(),
        series: None,
        number: None,
        issue_date: None,
        issue_id: None,
        issued_by: None,
        expiry_date: None,
        act_no: None,
        act_date: None,
        first_name: None,
        last_name: None,
        vrf_stu: "NOT_VERIFIED".into(),
        vrf_val_stu: None,
        fms_valid: None,
        fms_state: None,
        created_at: now,
        updated_at: now,
    }
}

pub(super) fn seed_one(
    conn: &mut DbConnection,
    c: &CataloguePersona,
    hash: &str,
    now: NaiveDateTime,
    org_id: &mut Option<String>,
) -> CoreResult<()> {
    let mut g = TestDataGenerator::new(0xE51A_0000 + c.n as u64);
    let mut ids = Ids(100_000_000 + c.n * 1000);
    let today = today();
    let gender = g.gender();
    let (surname, name, patronymic) = g.person_name(gender);
    let person_id = g.uuid();
    let birth = g.birth_date(today);
    let verified = matches!(c.level, "standard" | "confirmed");
    let mut person = PersonRow {
        password_hash: Some(hash.to_string()),
        level: c.level.into(),
        status: c.status.into(),
        verification: c.verification.into(),
        ..PersonRow::new_simplified(
            person_id.clone(),
            oid(c.n),
            surname.as_str().into(),
            name.as_str().into(),
            Some(patronymic.as_str().into()),
            now,
        )
    };
    if c.filled {
        person.gender = Some(gender.as_esia().into());
        person.birth_date = Some(birth);
        person.birth_place = Some(g.birth_place());
        person.citizenship = Some("RUS".into());
        person.snils = Some(g.snils().digits().to_string());
    }
    if c.inn {
        person.inn = Some(g.inn_person().as_str().to_string());
    }
    if c.verification == "failed" {
        person.verification_note = Some("Паспорт недействителен".into());
    }
    persons::insert_person(conn, &person)?;
    let mut contacts = Vec::new();
    if c.phone {
        let pending = c.pending_phone.then(|| format!("+79000001{:03}", c.n));
        contacts.push(("MBT", phone(c.n), pending));
    }
    contacts.push(("EML", login_email(c.n), None));
    if c.home_phone {
        contacts.push(("PHN", format!("+7495000{:04}", c.n), None));
    }
    for (kind, value, pending) in contacts {
        persons::insert_contact(
            conn,
            &ContactRow {
                id: g.uuid(),
                esia_id: ids.next(),
                person_id: person_id.clone(),
                kind: kind.into(),
                value,
                verified: kind != "PHN",
                verifying_value: pending,
                created_at: now,
                updated_at: now,
            },
        )?;
    }
    if c.filled {
        if let Some(pass) = g.passport(birth, today) {
            let mut d = doc(g.uuid(), ids.next(), &person_id, "RF_PASSPORT", now);
            d.series = Some(pass.series.clone());
            d.number = Some(pass.number.clone());
            d.issue_date = Some(pass.issue_date);
            d.issue_id = Some(pass.issue_id.clone());
            d.issued_by = Some(pass.issued_by.clone());
            match c.verification {
                "verifying" => d.vrf_val_stu = Some("VERIFYING".into()),
                "failed" => {
                    d.vrf_val_stu = Some("VERIFICATION_FAILED".into());
                    d.fms_valid = Some(false);
                    d.fms_state = Some("PASSPORT_INVALID".into());
                }
                _ if verified => {
                    d.vrf_stu = "VERIFIED".into();
                    d.fms_valid = Some(true);
                }
                _ => {}
            }
            pd::insert_document(conn, &d)?;
        }
    }
    for t in c.docs {
        let mut d = doc(g.uuid(), ids.next(), &person_id, t, now);
        let issued = today - Duration::days(400 + (ids.0 % 700));
        match *t {
            "RF_DRIVING_LICENSE" => {
                d.series = Some(format!("{}{}", &g.inn_org().as_str()[..2], "00"));
                d.number = Some(g.inn_org().as_str()[..6].to_string());
                d.issue_date = Some(issued);
                d.expiry_date = issued.with_year(issued.year() + 10);
                d.issued_by = Some("ГИБДД".into());
            }
            "FRGN_PASS" => {
                d.series = Some("75".into());
                d.number = Some(g.inn_org().as_str()[..7].to_string());
                d.issue_date = Some(issued);
                d.expiry_date = issued.with_year(issued.year() + 10);
                d.issued_by = Some("МВД 77001".into());
                d.first_name = Some(name.as_str().into());
                d.last_name = Some(surname.as_str().into());
            }
            "MLTR_ID" => {
                d.series = Some("АВ".into());
                d.number = Some(g.inn_org().as_str()[..7].to_string());
                d.issue_date = Some(issued);
                d.issued_by = Some("Военный комиссариат".into());
            }
            _ => {
                d.number = Some(format!(
                    "{}{}",
                    g.inn_org().as_str(),
                    &g.inn_org().as_str()[..6]
                ));
                d.issue_date = Some(issued);
            }
        }
        pd::insert_document(conn, &d)?;
    }
    for (i, addr_type) in ["PRG", "PLV"].iter().take(c.addresses as usize).enumerate() {
        let a = g.address();
        pd::insert_address(
            conn,
            &AddressRow {
                id: g.uuid(),
                esia_id: ids.next(),
                person_id: person_id.clone(),
                addr_type: (*addr_type).into(),
                address_str: format!("{}, {}", a.region, a.address_str),
                fias_code: Some(a.fias_code),
                country_id: "RUS".into(),
                zip_code: Some(a.zip_code),
                region: Some(a.region),
                district: None,
                area: None,
                city: Some(a.city),
                settlement: None,
                street: Some(a.street),
                house: Some(a.house),
                building: None,
                frame: None,
                flat: Some(a.flat),
                addition_area: None,
                addition_area_street: None,
                created_at: now + Duration::seconds(i as i64),
                updated_at: now,
            },
        )?;
    }
    for k in 0..c.kids {
        let kg = if k % 2 == 0 {
            Gender::Male
        } else {
            Gender::Female
        };
        let (_, kname, _) = g.person_name(kg);
        let kid_surname = if kg == Gender::Female {
            esia_domain::generate::female_surname(&male_of(&surname, gender))
        } else {
            male_of(&surname, gender)
        };
        let kid_birth = today - Duration::days(400 + 1500 * k as i64 + (ids.0 % 300));
        let kid_id = g.uuid();
        pd::insert_kid(
            conn,
            &KidRow {
                id: kid_id.clone(),
                esia_id: ids.next(),
                person_id: person_id.clone(),
                surname: kid_surname,
                name: kname.as_str().into(),
                patronymic: None,
                birth_date: Some(kid_birth),
                gender: Some(kg.as_esia().into()),
                snils: Some(g.snils().digits().to_string()),
                inn: None,
                created_at: now + Duration::seconds(k as i64),
                updated_at: now,
            },
        )?;
        let mut d = doc(g.uuid(), ids.next(), &person_id, "RF_BRTH_CERT", now);
        d.kid_id = Some(kid_id);
        d.series = Some("IV-МЮ".into());
        d.number = Some(g.inn_org().as_str()[..6].to_string());
        d.issue_date = Some(kid_birth + Duration::days(10));
        d.act_no = Some(g.inn_org().as_str()[..9].to_string());
        d.act_date = d.issue_date;
        d.issued_by = Some("Отдел ЗАГС".into());
        d.vrf_stu = "VERIFIED".into();
        pd::insert_document(conn, &d)?;
    }
    for v in 0..c.vehicles {
        let veh = g.vehicle();
        pd::insert_vehicle(
            conn,
            &VehicleRow {
                id: g.uuid(),
                esia_id: ids.next(),
                person_id: person_id.clone(),
                name: Some(veh.name),
                number_plate: veh.number_plate,
                reg_cert_series: Some(veh.reg_cert_series),
                reg_cert_number: Some(veh.reg_cert_number),
                created_at: now + Duration::seconds(v as i64),
                updated_at: now,
            },
        )?;
    }
    if c.org_role > 0 {
        let org = match org_id.clone() {
            Some(id) => id,
            None => {
                let mut og = TestDataGenerator::new(0xE51A_0901);
                let inn = og.inn_org().as_str().to_string();
                let name = og.org_name();
                let row = OrganizationRow {
                    id: og.uuid(),
                    oid: ORG_OID,
                    full_name: full_org_name(&name),
                    short_name: name,
                    ogrn: og.ogrn().as_str().to_string(),
                    kpp: Some(format!("{}01001", &inn[..4])),
                    inn,
                    org_type: "LEGAL".into(),
                    created_at: now,
                    updated_at: now,
                };
                pd::insert_organization(conn, &row)?;
                *org_id = Some(row.id.clone());
                row.id
            }
        };
        pd::insert_org_role(
            conn,
            &OrgRoleRow {
                id: g.uuid(),
                org_id: org,
                person_id: person_id.clone(),
                chief: c.org_role == 1,
                admin: true,
                active: true,
                created_at: now,
            },
        )?;
        // Organisation-related contacts (esia-protocol §7.3: CEM work e-mail, CPH work phone),
        // only for the organisation's people; never VERIFIED (only MBT and EML can be).
        // Inserted last so the other rows keep their ids.
        for (kind, value) in [
            ("CEM", format!("esiatest{:03}@org.esia.test", c.n)),
            ("CPH", format!("+7495100{:04}", c.n)),
        ] {
            persons::insert_contact(
                conn,
                &ContactRow {
                    id: g.uuid(),
                    esia_id: ids.next(),
                    person_id: person_id.clone(),
                    kind: kind.into(),
                    value,
                    verified: false,
                    verifying_value: None,
                    created_at: now + Duration::seconds(1),
                    updated_at: now,
                },
            )?;
        }
    }
    Ok(())
}

/// The masculine form of the parent's surname (kids take the family name).
fn male_of(surname: &esia_domain::PersonName, gender: Gender) -> String {
    let s = surname.as_str();
    match gender {
        Gender::Male => s.to_string(),
        Gender::Female => s
            .strip_suffix('а')
            .map(str::to_string)
            .unwrap_or_else(|| s.to_string()),
    }
}

/// «ООО «Ромашка»» → «Общество с ограниченной ответственностью «Ромашка»».
fn full_org_name(short: &str) -> String {
    let (form, rest) = short.split_once(' ').unwrap_or(("", short));
    let full = match form {
        "ООО" => "Общество с ограниченной ответственностью",
        "АО" => "Акционерное общество",
        "ПАО" => "Публичное акционерное общество",
        "АНО" => "Автономная некоммерческая организация",
        _ => return short.to_string(),
    };
    format!("{full} {rest}")
}
