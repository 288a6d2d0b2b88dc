//! Wire rendering of person data exactly as ESIA shapes it (esia-protocol §7): elements with
//! their `stateFacts`, collections `{stateFacts:["hasSize"],size,eTag,elements}`, dates
//! `ДД.ММ.ГГГГ`, phones `+7(926)2464800`, SNILS `XXX-XXX-XXX YY`, 40-hex uppercase `eTag`s.
//! Pure functions over rows: no database, no scope decisions (the caller filters first).

use chrono::{NaiveDate, NaiveDateTime};
use esia_domain::ContactKind;
use esia_store::person_data::{
    AddressRow, DocumentRow, KidRow, OrgRoleRow, OrganizationRow, VehicleRow,
};
use esia_store::persons::ContactRow;
use serde_json::{json, Map, Value};

use super::release::Release;

/// A stable 40-character uppercase hex tag: the first 20 bytes of SHA-256 over the parts.
pub fn etag(parts: &[&str]) -> String {
    let mut data = Vec::new();
    for p in parts {
        data.extend_from_slice(p.as_bytes());
        data.push(0x1f);
    }
    let digest = esia_crypto::hash::sha256(&data);
    hex::encode_upper(&digest[..20])
}

/// The tag of one row: its id and the moment it last changed.
pub fn row_etag(id: &str, updated_at: NaiveDateTime) -> String {
    etag(&[id, &updated_at.and_utc().timestamp_micros().to_string()])
}

/// Adds the element's `eTag`: over its id, its last change and its rendered content, so an
/// edit changes the tag even when two edits share one instant of the (controllable) clock.
fn tagged(mut m: Map<String, Value>, id: &str, updated_at: NaiveDateTime) -> Value {
    let content = Value::Object(m.clone()).to_string();
    let micros = updated_at.and_utc().timestamp_micros().to_string();
    m.insert("eTag".into(), json!(etag(&[id, &micros, &content])));
    Value::Object(m)
}

/// The person's tag: id, last change and `persons.etag_version`, which the database bumps on
/// every change of the person or of anything that belongs to it (contacts, documents, …).
pub fn person_etag(id: &str, updated_at: NaiveDateTime, version: i64) -> String {
    let micros = updated_at.and_utc().timestamp_micros().to_string();
    etag(&[id, &micros, &version.to_string()])
}

pub fn ru_date(d: NaiveDate) -> String {
    esia_domain::format_ru_date(d)
}

/// `+7(XXX)XXXXXXX`; a value that does not parse is sent as stored.
pub fn esia_phone(v: &str) -> String {
    esia_domain::Phone::parse_any(v)
        .map(|p| p.esia())
        .unwrap_or_else(|_| v.to_string())
}

/// `XXX-XXX-XXX YY` from 11 stored digits (anything else as stored).
pub fn esia_snils(v: &str) -> String {
    if v.len() == 11 && v.bytes().all(|b| b.is_ascii_digit()) {
        format!("{}-{}-{} {}", &v[0..3], &v[3..6], &v[6..9], &v[9..11])
    } else {
        v.to_string()
    }
}

fn put(m: &mut Map<String, Value>, k: &str, v: Option<impl Into<Value>>) {
    if let Some(v) = v {
        m.insert(k.to_string(), v.into());
    }
}

fn contact_value(kind: ContactKind, v: &str) -> String {
    match kind {
        ContactKind::Mobile | ContactKind::Phone | ContactKind::CorporatePhone => esia_phone(v),
        _ => v.to_string(),
    }
}

/// A contact. `cfm_code_expired` is for a contact with a pending change: whether the code sent
/// to the new value has expired (or none is live), emitted as `isCfmCodeExpired` (§7.3).
pub fn contact(c: &ContactRow, cfm_code_expired: Option<bool>) -> Value {
    let mut m = Map::new();
    m.insert("stateFacts".into(), json!(["Identifiable"]));
    m.insert("id".into(), json!(c.esia_id));
    m.insert("type".into(), json!(c.kind));
    let vrf = if c.verified {
        "VERIFIED"
    } else {
        "NOT_VERIFIED"
    };
    m.insert("vrfStu".into(), json!(vrf));
    m.insert("value".into(), json!(contact_value(c.kind, &c.value)));
    if let Some(pending) = &c.verifying_value {
        m.insert(
            "verifyingValue".into(),
            json!(contact_value(c.kind, pending)),
        );
        m.insert("vrfValStu".into(), json!("VERIFYING"));
        m.insert(
            "isCfmCodeExpired".into(),
            json!(cfm_code_expired.unwrap_or(true)),
        );
    }
    tagged(m, &c.id, c.updated_at)
}

pub fn document(d: &DocumentRow) -> Value {
    let mut m = Map::new();
    m.insert("stateFacts".into(), json!(["EntityRoot"]));
    m.insert("id".into(), json!(d.esia_id));
    m.insert("type".into(), json!(d.doc_type));
    m.insert("vrfStu".into(), json!(d.vrf_stu));
    put(&mut m, "series", d.series.clone());
    put(&mut m, "number", d.number.clone());
    put(&mut m, "issueDate", d.issue_date.map(ru_date));
    put(&mut m, "issueId", d.issue_id.clone());
    put(&mut m, "issuedBy", d.issued_by.clone());
    put(&mut m, "expiryDate", d.expiry_date.map(ru_date));
    put(&mut m, "actNo", d.act_no.clone());
    put(&mut m, "actDate", d.act_date.map(ru_date));
    put(&mut m, "firstName", d.first_name.clone());
    put(&mut m, "lastName", d.last_name.clone());
    put(&mut m, "vrfValStu", d.vrf_val_stu.clone());
    put(&mut m, "fmsValid", d.fms_valid);
    put(&mut m, "fmsState", d.fms_state.clone());
    tagged(m, &d.id, d.updated_at)
}

pub fn address(a: &AddressRow) -> Value {
    let mut m = Map::new();
    m.insert("stateFacts".into(), json!(["Identifiable"]));
    m.insert("id".into(), json!(a.esia_id));
    m.insert("type".into(), json!(a.addr_type));
    m.insert("addressStr".into(), json!(a.address_str));
    put(&mut m, "fiasCode", a.fias_code.clone());
    m.insert("countryId".into(), json!(a.country_id));
    for (k, v) in [
        ("zipCode", &a.zip_code),
        ("region", &a.region),
        ("district", &a.district),
        ("area", &a.area),
        ("city", &a.city),
        ("settlement", &a.settlement),
        ("street", &a.street),
        ("house", &a.house),
        ("building", &a.building),
        ("frame", &a.frame),
        ("flat", &a.flat),
        ("additionArea", &a.addition_area),
        ("additionAreaStreet", &a.addition_area_street),
    ] {
        put(&mut m, k, v.clone());
    }
    tagged(m, &a.id, a.updated_at)
}

pub fn vehicle(v: &VehicleRow) -> Value {
    let mut m = Map::new();
    m.insert("stateFacts".into(), json!(["Identifiable"]));
    m.insert("id".into(), json!(v.esia_id));
    put(&mut m, "name", v.name.clone());
    m.insert("numberPlate".into(), json!(v.number_plate));
    let mut cert = Map::new();
    put(&mut cert, "series", v.reg_cert_series.clone());
    put(&mut cert, "number", v.reg_cert_number.clone());
    if !cert.is_empty() {
        m.insert("regCertificate".into(), Value::Object(cert));
    }
    tagged(m, &v.id, v.updated_at)
}

/// A kid with the fields the kid scopes release; `documents` is added by the caller.
pub fn kid(k: &KidRow, r: &Release) -> Value {
    let mut m = Map::new();
    m.insert("stateFacts".into(), json!(["Identifiable"]));
    m.insert("id".into(), json!(k.esia_id));
    if r.kid_fields.contains("firstName") {
        m.insert("firstName".into(), json!(k.name));
        m.insert("lastName".into(), json!(k.surname));
        put(&mut m, "middleName", k.patronymic.clone());
    }
    if r.kid_fields.contains("birthDate") {
        put(&mut m, "birthDate", k.birth_date.map(ru_date));
    }
    if r.kid_fields.contains("gender") {
        put(&mut m, "gender", k.gender.clone());
    }
    if r.kid_fields.contains("snils") {
        put(&mut m, "snils", k.snils.as_deref().map(esia_snils));
    }
    if r.kid_fields.contains("inn") {
        put(&mut m, "inn", k.inn.clone());
    }
    tagged(m, &k.id, k.updated_at)
}

/// A `/roles` element (inline object, §7.6).
pub fn role(role: &OrgRoleRow, org: &OrganizationRow, person_oid: i64) -> Value {
    json!({
        "oid": org.oid,
        "prnOid": person_oid,
        "fullName": org.full_name,
        "shortName": org.short_name,
        "ogrn": org.ogrn,
        "chief": role.chief,
        "admin": role.admin,
    })
}

/// `/rs/orgs/{org}` with the parts the organisation scopes release (`parts` = catalogue part
/// names such as `shortName`, `ogrn`).
pub fn organization(org: &OrganizationRow, parts: &[&str]) -> Value {
    let mut m = Map::new();
    m.insert("stateFacts".into(), json!(["EntityRoot"]));
    m.insert("oid".into(), json!(org.oid));
    for p in parts {
        match *p {
            "shortName" => put(&mut m, "shortName", Some(org.short_name.clone())),
            "fullName" => put(&mut m, "fullName", Some(org.full_name.clone())),
            "type" => put(&mut m, "type", Some(org.org_type.clone())),
            "ogrn" => put(&mut m, "ogrn", Some(org.ogrn.clone())),
            "inn" => put(&mut m, "inn", Some(org.inn.clone())),
            "kpp" => put(&mut m, "kpp", org.kpp.clone()),
            _ => {}
        }
    }
    tagged(m, &org.id, org.updated_at)
}

/// One element of a collection: its URL, its object and its tag.
pub struct Item {
    pub url: String,
    pub object: Value,
}

/// `{stateFacts:["hasSize"],size,eTag,elements}`; links unless `embed`. An empty collection
/// has no `elements` (§7.1 allows `{}` or no `elements`; clients such as FR handle both).
pub fn collection(items: Vec<Item>, embed: bool) -> Value {
    let tags: Vec<String> = items
        .iter()
        .map(|i| {
            i.object
                .get("eTag")
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| i.url.clone())
        })
        .collect();
    let tag_refs: Vec<&str> = tags.iter().map(String::as_str).collect();
    let mut m = Map::new();
    m.insert("stateFacts".into(), json!(["hasSize"]));
    m.insert("size".into(), json!(items.len()));
    m.insert("eTag".into(), json!(etag(&tag_refs)));
    if !items.is_empty() {
        let elements: Vec<Value> = items
            .into_iter()
            .map(|i| {
                if embed {
                    i.object
                } else {
                    Value::String(i.url)
                }
            })
            .collect();
        m.insert("elements".into(), Value::Array(elements));
    }
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etag_is_40_uppercase_hex_and_stable() {
        let t = etag(&["a", "b"]);
        assert_eq!(t.len(), 40);
        assert!(t
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase()));
        assert_eq!(t, etag(&["a", "b"]));
        assert_ne!(t, etag(&["ab"]));
    }

    #[test]
    fn wire_formats() {
        assert_eq!(esia_phone("+79262464800"), "+7(926)2464800");
        assert_eq!(esia_snils("11223344595"), "112-233-445 95");
        assert_eq!(
            ru_date(NaiveDate::from_ymd_opt(2000, 5, 26).unwrap()),
            "26.05.2000"
        );
    }

    #[test]
    fn empty_collection_has_no_elements() {
        let c = collection(vec![], true);
        assert_eq!(c["size"], 0);
        assert!(c.get("elements").is_none());
    }
}
