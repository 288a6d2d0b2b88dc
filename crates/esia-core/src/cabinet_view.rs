//! The personal cabinet's read model: what `/profile` shows about the logged-in person.

use esia_domain::level::AccountLevel;
use esia_domain::ContactKind;

use crate::app::Core;
use crate::error::{CoreError, CoreResult};

#[derive(Debug, Clone)]
pub struct ContactView {
    pub kind: String,
    pub title: &'static str,
    pub value: String,
    pub verified: bool,
}

#[derive(Debug, Clone)]
pub struct ProfileView {
    pub person_id: String,
    pub oid: i64,
    pub full_name: String,
    pub level: AccountLevel,
    pub contacts: Vec<ContactView>,
}

pub fn profile(core: &Core, person_id: &str) -> CoreResult<ProfileView> {
    let mut conn = core.conn()?;
    let person = esia_store::persons::find_person(&mut conn, person_id)?
        .ok_or(CoreError::NotFound("person"))?;
    let contacts = esia_store::persons::contacts_of(&mut conn, person_id)?
        .into_iter()
        .map(|c| {
            let (title, value) = match c.kind {
                ContactKind::Mobile => (
                    "Мобильный телефон",
                    esia_domain::Phone::parse(&c.value)
                        .map(|p| p.pretty())
                        .unwrap_or(c.value.clone()),
                ),
                ContactKind::Email => ("Электронная почта", c.value.clone()),
                ContactKind::Phone => ("Домашний телефон", c.value.clone()),
                _ => ("Контакт", c.value.clone()),
            };
            ContactView {
                kind: c.kind.to_string(),
                title,
                value,
                verified: c.verified,
            }
        })
        .collect();
    let full_name = [
        Some(person.surname.as_str()),
        Some(person.name.as_str()),
        person.patronymic.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    Ok(ProfileView {
        person_id: person.id,
        oid: person.oid,
        full_name,
        level: person.level,
        contacts,
    })
}
