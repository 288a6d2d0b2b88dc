//! The service-centre operator's read model: find accounts by SNILS, phone or name and show
//! the documents to compare before «Подтвердить». Confirmation itself is in `confirm`.

use esia_domain::level::AccountLevel;
use esia_domain::values::{format_ru_date, Phone, Snils};
use esia_domain::ContactKind;

use crate::app::Core;
use crate::error::CoreResult;

/// One account in the operator's search results. `Debug` shows the ids and level only.
#[derive(Clone)]
pub struct OperatorPerson {
    pub person_id: String,
    pub oid: i64,
    pub full_name: String,
    pub level: AccountLevel,
    pub birth_date: String,
    pub snils: String,
    pub document: String,
    pub document_status: String,
}

impl std::fmt::Debug for OperatorPerson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OperatorPerson")
            .field("person_id", &self.person_id)
            .field("oid", &self.oid)
            .field("level", &self.level)
            .finish_non_exhaustive()
    }
}

/// Accounts matching a SNILS, a phone or a part of the name (at most 20).
pub fn operator_search(core: &Core, term: &str) -> CoreResult<Vec<OperatorPerson>> {
    let term = term.trim();
    if term.is_empty() {
        return Ok(Vec::new());
    }
    let mut conn = core.conn()?;
    let mut rows = Vec::new();
    if let Ok(s) = Snils::parse(term) {
        rows.extend(esia_store::persons::find_person_by_snils(
            &mut conn,
            s.digits(),
        )?);
    } else if let Ok(p) = Phone::parse_any(term) {
        rows.extend(esia_store::persons::find_person_by_contact(
            &mut conn,
            ContactKind::Mobile,
            p.e164(),
        )?);
    } else {
        rows = esia_store::verification::search_persons(&mut conn, term, 20)?;
    }
    let mut out = Vec::new();
    for p in rows {
        let doc = super::personal_data::identity_doc(&mut conn, &p.id)?;
        out.push(OperatorPerson {
            full_name: super::full_name(&p),
            level: p.level,
            birth_date: p.birth_date.map(format_ru_date).unwrap_or_default(),
            snils: p
                .snils
                .as_deref()
                .and_then(|s| Snils::parse(s).ok())
                .map(|s| s.formatted())
                .unwrap_or_default(),
            document: doc
                .as_ref()
                .map(|d| {
                    format!(
                        "{} {} {}",
                        d.doc_type,
                        d.series.clone().unwrap_or_default(),
                        d.number.clone().unwrap_or_default()
                    )
                })
                .unwrap_or_default(),
            document_status: doc.map(|d| d.vrf_stu.to_string()).unwrap_or_default(),
            person_id: p.id,
            oid: p.oid,
        });
    }
    Ok(out)
}

/// A simulated bank's login: the ESIA account of the bank client with this phone, as
/// `(person_id, full name)`. Any password is accepted (the bank is simulated).
pub fn bank_client(core: &Core, phone: &str) -> CoreResult<Option<(String, String)>> {
    let Ok(p) = Phone::parse_any(phone) else {
        return Ok(None);
    };
    let mut conn = core.conn()?;
    Ok(
        esia_store::persons::find_person_by_contact(&mut conn, ContactKind::Mobile, p.e164())?
            .map(|row| (row.id.clone(), super::full_name(&row))),
    )
}
