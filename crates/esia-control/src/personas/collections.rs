//! A persona's collections from its spec: other documents, addresses, kids (with their birth
//! certificates) and vehicles. Given values are checked, absent ones generated.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use esia_domain::generate::{female_surname, TestDataGenerator};
use esia_domain::Gender;
use esia_store::person_data::{AddressRow, DocumentRow, KidRow, VehicleRow};
use rand::Rng;

use super::build::{doc_row, Ids};
use super::check::Checks;
use super::rows::gender_of;
use super::spec::{AddressSpec, DocumentSpec, KidSpec, PersonaAddressType, PersonaSpec};
use esia_core::app::new_id;

/// Most items of one collection a spec may hold (keeps the derived ESIA ids in range).
pub(crate) const MAX_ITEMS: usize = 50;

pub(crate) struct Parts {
    pub documents: Vec<DocumentRow>,
    pub addresses: Vec<AddressRow>,
    pub kids: Vec<KidRow>,
    pub vehicles: Vec<VehicleRow>,
}

/// Context shared by the builders.
pub(crate) struct Ctx<'a> {
    pub c: &'a mut Checks,
    pub g: &'a mut TestDataGenerator,
    pub ids: &'a mut Ids,
    pub person_id: &'a str,
    pub today: NaiveDate,
    pub now: NaiveDateTime,
    pub verified: bool,
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn build_parts(
    spec: &PersonaSpec,
    x: &mut Ctx<'_>,
    surname: &str,
    parent_gender: Gender,
) -> Parts {
    let too_many = [
        ("documents", spec.documents.len()),
        ("addresses", spec.addresses.len()),
        ("kids", spec.kids.len()),
        ("vehicles", spec.vehicles.len()),
        ("organizations", spec.organizations.len()),
    ];
    for (field, n) in too_many {
        if n > MAX_ITEMS {
            x.c.fail(field, "too_many", format!("Не более {MAX_ITEMS} элементов"));
        }
    }
    let mut documents: Vec<DocumentRow> = spec
        .documents
        .iter()
        .take(MAX_ITEMS)
        .map(|d| document(d, x, None, "documents"))
        .collect();
    let addresses = spec
        .addresses
        .iter()
        .take(MAX_ITEMS)
        .enumerate()
        .map(|(i, a)| address(a, i, x))
        .collect();
    let mut kids = Vec::new();
    for (i, k) in spec.kids.iter().take(MAX_ITEMS).enumerate() {
        let (row, docs) = kid(k, i, x, surname, parent_gender);
        kids.push(row);
        documents.extend(docs);
    }
    let vehicles = spec
        .vehicles
        .iter()
        .take(MAX_ITEMS)
        .enumerate()
        .map(|(i, v)| {
            let gen = x.g.vehicle();
            VehicleRow {
                id: new_id(),
                esia_id: x.ids.next(),
                person_id: x.person_id.into(),
                name: x
                    .c
                    .text("vehicles.name", v.name.as_deref())
                    .or(Some(gen.name)),
                number_plate: x
                    .c
                    .text("vehicles.number_plate", v.number_plate.as_deref())
                    .unwrap_or(gen.number_plate),
                reg_cert_series: x
                    .c
                    .text("vehicles.reg_cert_series", v.reg_cert_series.as_deref())
                    .or(Some(gen.reg_cert_series)),
                reg_cert_number: x
                    .c
                    .text("vehicles.reg_cert_number", v.reg_cert_number.as_deref())
                    .or(Some(gen.reg_cert_number)),
                created_at: x.now + Duration::seconds(i as i64),
                updated_at: x.now,
            }
        })
        .collect();
    Parts {
        documents,
        addresses,
        kids,
        vehicles,
    }
}

fn digits(g: &mut TestDataGenerator, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + g.rng().gen_range(0..10u8)))
        .collect()
}

/// `field` names the collection for error messages (`documents` or `kids.documents`).
fn document(
    d: &DocumentSpec,
    x: &mut Ctx<'_>,
    kid: Option<(&str, NaiveDate)>,
    field: &'static str,
) -> DocumentRow {
    let (series_f, number_f, issue_f, expiry_f, act_f) = if field == "documents" {
        (
            "documents.series",
            "documents.number",
            "documents.issue_date",
            "documents.expiry_date",
            "documents.act_date",
        )
    } else {
        (
            "kids.documents.series",
            "kids.documents.number",
            "kids.documents.issue_date",
            "kids.documents.expiry_date",
            "kids.documents.act_date",
        )
    };
    let t = d.doc_type.as_str();
    let mut row = doc_row(x.ids, x.person_id, t, x.now);
    row.kid_id = kid.map(|(id, _)| id.to_string());
    let base = kid.map(|(_, birth)| birth + Duration::days(10));
    let generated_issue =
        base.unwrap_or_else(|| x.today - Duration::days(x.g.rng().gen_range(400..4000)));
    let (series, number, issuer) = match t {
        "RF_DRIVING_LICENSE" => (Some(digits(x.g, 4)), digits(x.g, 6), "ГИБДД"),
        "FRGN_PASS" => (Some("75".to_string()), digits(x.g, 7), "МВД 77001"),
        "MLTR_ID" => (
            Some("АВ".to_string()),
            digits(x.g, 7),
            "Военный комиссариат",
        ),
        "RF_BRTH_CERT" | "OLD_BRTH_CERT" => {
            (Some("IV-МЮ".to_string()), digits(x.g, 6), "Отдел ЗАГС")
        }
        "MDCL_PLCY" => (None, digits(x.g, 16), "ТФОМС"),
        _ => (Some(digits(x.g, 2)), digits(x.g, 7), "МВД"),
    };
    row.series = x.c.text(series_f, d.series.as_deref()).or(series);
    row.number = Some(x.c.text(number_f, d.number.as_deref()).unwrap_or(number));
    row.issue_date = Some(
        x.c.date(issue_f, d.issue_date.as_deref())
            .unwrap_or(generated_issue),
    );
    row.issued_by =
        x.c.text("documents.issued_by", d.issued_by.as_deref())
            .or(Some(issuer.to_string()));
    row.issue_id = x.c.text("documents.issue_id", d.issue_id.as_deref());
    row.expiry_date = x.c.date(expiry_f, d.expiry_date.as_deref()).or_else(|| {
        matches!(t, "RF_DRIVING_LICENSE" | "FRGN_PASS")
            .then(|| row.issue_date.and_then(|i| i.with_year(i.year() + 10)))
            .flatten()
    });
    let is_birth_cert = matches!(t, "RF_BRTH_CERT" | "FID_BRTH_CERT" | "OLD_BRTH_CERT");
    row.act_no =
        x.c.text("documents.act_no", d.act_no.as_deref())
            .or_else(|| is_birth_cert.then(|| digits(x.g, 9)));
    row.act_date = x.c.date(act_f, d.act_date.as_deref()).or(if is_birth_cert {
        row.issue_date
    } else {
        None
    });
    row.first_name = x.c.text("documents.first_name", d.first_name.as_deref());
    row.last_name = x.c.text("documents.last_name", d.last_name.as_deref());
    // Kids' birth certificates come from the registry office: verified like the catalogue's.
    if d.verified.unwrap_or(x.verified || is_birth_cert) {
        row.vrf_stu = esia_domain::VrfStatus::Verified;
    }
    row
}

fn address(a: &AddressSpec, i: usize, x: &mut Ctx<'_>) -> AddressRow {
    let gen = x.g.address();
    let c = &mut *x.c;
    let given_parts = a.region.is_some()
        || a.city.is_some()
        || a.street.is_some()
        || a.house.is_some()
        || a.flat.is_some();
    let region = c.text("addresses.region", a.region.as_deref());
    let city = c.text("addresses.city", a.city.as_deref());
    let street = c.text("addresses.street", a.street.as_deref());
    let house = c.text("addresses.house", a.house.as_deref());
    let flat = c.text("addresses.flat", a.flat.as_deref());
    let region = region.unwrap_or(gen.region.clone());
    let city = city.unwrap_or(gen.city.clone());
    let street = street.unwrap_or(gen.street.clone());
    let house = house.unwrap_or(gen.house.clone());
    let flat = flat.unwrap_or(gen.flat.clone());
    let address_str = c
        .text("addresses.address_str", a.address_str.as_deref())
        .unwrap_or_else(|| {
            if given_parts {
                format!("{region}, г {city}, ул {street}, д. {house}, кв. {flat}")
            } else {
                format!("{}, {}", gen.region, gen.address_str)
            }
        });
    let default_type = if i == 0 {
        PersonaAddressType::Registration
    } else {
        PersonaAddressType::Residence
    };
    AddressRow {
        id: new_id(),
        esia_id: x.ids.next(),
        person_id: x.person_id.into(),
        addr_type: a.addr_type.unwrap_or(default_type).as_str().into(),
        address_str,
        fias_code: c
            .text("addresses.fias_code", a.fias_code.as_deref())
            .or(Some(gen.fias_code)),
        country_id: c
            .country("addresses.country_id", a.country_id.as_deref())
            .unwrap_or_else(|| "RUS".into()),
        zip_code: c
            .digits("addresses.zip_code", a.zip_code.as_deref(), 6)
            .or(Some(gen.zip_code)),
        region: Some(region),
        district: c.text("addresses.district", a.district.as_deref()),
        area: None,
        city: Some(city),
        settlement: c.text("addresses.settlement", a.settlement.as_deref()),
        street: Some(street),
        house: Some(house),
        building: c.text("addresses.building", a.building.as_deref()),
        frame: c.text("addresses.frame", a.frame.as_deref()),
        flat: Some(flat),
        addition_area: None,
        addition_area_street: None,
        created_at: x.now + Duration::seconds(i as i64),
        updated_at: x.now,
    }
}

/// The masculine form of a family name (kids take the family name).
fn family_name(surname: &str, gender: Gender) -> String {
    match gender {
        Gender::Male => surname.to_string(),
        Gender::Female => surname
            .strip_suffix('а')
            .map(str::to_string)
            .unwrap_or_else(|| surname.to_string()),
    }
}

fn kid(
    k: &KidSpec,
    i: usize,
    x: &mut Ctx<'_>,
    parent_surname: &str,
    parent_gender: Gender,
) -> (KidRow, Vec<DocumentRow>) {
    let gender = k.gender.map(gender_of).unwrap_or_else(|| x.g.gender());
    let (_, gen_name, _) = x.g.person_name(gender);
    let family = family_name(parent_surname, parent_gender);
    let gen_surname = match gender {
        Gender::Male => family,
        Gender::Female => female_surname(&family),
    };
    let generated_birth = x.today - Duration::days(x.g.rng().gen_range(200..6200));
    let birth = x.c.date("kids.birth_date", k.birth_date.as_deref());
    if let Some(b) = birth {
        if b > x.today || x.today.years_since(b).unwrap_or(0) >= 18 {
            x.c.fail(
                "kids.birth_date",
                "kid_age_invalid",
                "Ребёнку должно быть меньше 18 лет",
            );
        }
    }
    let birth = birth.unwrap_or(generated_birth);
    let gen_snils = x.g.snils();
    let id = new_id();
    let row = KidRow {
        id: id.clone(),
        esia_id: x.ids.next(),
        person_id: x.person_id.into(),
        surname: x
            .c
            .name("kids.surname", k.surname.as_deref())
            .unwrap_or(gen_surname),
        name: x
            .c
            .name("kids.name", k.name.as_deref())
            .unwrap_or_else(|| gen_name.as_str().into()),
        patronymic: x.c.name("kids.patronymic", k.patronymic.as_deref()),
        birth_date: Some(birth),
        gender: Some(gender.as_esia().into()),
        snils: x
            .c
            .snils("kids.snils", k.snils.as_deref())
            .or(Some(gen_snils.digits().to_string())),
        inn: x.c.inn_person("kids.inn", k.inn.as_deref()),
        created_at: x.now + Duration::seconds(i as i64),
        updated_at: x.now,
    };
    let default_cert = [DocumentSpec::birth_certificate()];
    let specs: &[DocumentSpec] = if k.documents.is_empty() {
        &default_cert
    } else {
        &k.documents
    };
    let docs = specs
        .iter()
        .take(MAX_ITEMS)
        .map(|d| document(d, x, Some((&id, birth)), "kids.documents"))
        .collect();
    (row, docs)
}
