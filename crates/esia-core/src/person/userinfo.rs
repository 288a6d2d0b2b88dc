//! The OIDC-standard userinfo facade (an emulator extension, NOT part of ESIA): the same person
//! data as `/rs/prns/{oid}` mapped to standard OIDC claims and released by the same scopes
//! (`fullname` → names, `birthdate`, `gender`, `email`/`contacts` → e-mail, `mobile`/`contacts`
//! → phone). Served at [`USERINFO_PATH`].

use esia_domain::ContactKind;
use serde_json::{json, Map, Value};

use super::{AccessGrant, Release, RestError};
use crate::app::Core;

pub use crate::protocol::endpoints::USERINFO_PATH;

/// Userinfo claims of the token's subject.
pub fn oidc_userinfo(core: &Core, grant: &AccessGrant) -> Result<Value, RestError> {
    let oid = grant.subject_oid.ok_or(RestError::InvalidToken)?;
    let r = Release::from_scopes(grant.scopes_for(oid));
    let mut conn = core.conn()?;
    let rows = esia_store::person_changes::person_with_contacts_by_oid(&mut conn, oid)?;
    let person = rows
        .first()
        .map(|(p, _)| p.clone())
        .ok_or(RestError::NotFound)?;
    let contacts: Vec<_> = rows.into_iter().filter_map(|(_, c)| c).collect();
    let mut m = Map::new();
    m.insert("sub".into(), json!(oid.to_string()));
    if r.field("firstName") {
        let full = [
            Some(person.surname.as_str()),
            Some(person.name.as_str()),
            person.patronymic.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
        m.insert("name".into(), json!(full));
        m.insert("given_name".into(), json!(person.name));
        m.insert("family_name".into(), json!(person.surname));
        if let Some(mid) = &person.patronymic {
            m.insert("middle_name".into(), json!(mid));
        }
    }
    if let (true, Some(d)) = (r.field("birthDate"), person.birth_date) {
        m.insert("birthdate".into(), json!(d.format("%Y-%m-%d").to_string()));
    }
    if r.field("gender") {
        match person.gender.as_deref() {
            Some("M") => m.insert("gender".into(), json!("male")),
            Some("F") => m.insert("gender".into(), json!("female")),
            _ => None,
        };
    }
    if let Some(c) = contacts
        .iter()
        .find(|c| c.kind == ContactKind::Email)
        .filter(|_| r.contact_type(esia_domain::ContactKind::Email))
    {
        m.insert("email".into(), json!(c.value));
        m.insert("email_verified".into(), json!(c.verified));
    }
    if let Some(c) = contacts
        .iter()
        .find(|c| c.kind == ContactKind::Mobile)
        .filter(|_| r.contact_type(esia_domain::ContactKind::Mobile))
    {
        let phone = esia_domain::Phone::parse_any(&c.value)
            .map(|p| p.e164().to_string())
            .unwrap_or_else(|_| c.value.clone());
        m.insert("phone_number".into(), json!(phone));
        m.insert("phone_number_verified".into(), json!(c.verified));
    }
    Ok(Value::Object(m))
}
