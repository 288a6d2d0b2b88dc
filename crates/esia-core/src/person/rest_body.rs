//! Building blocks of the `/rs` responses: element URLs under the public base URL, loading the
//! person (with contacts in the same query), the filtered items of each collection (one query
//! per collection, kids' documents in one query for all kids) and the person object itself.

use chrono::NaiveDateTime;
use esia_store::person_data as pd;
use esia_store::person_read;
use esia_store::persons::{ContactRow, PersonRow};
use esia_store::DbConnection;
use serde_json::{json, Map, Value};

use super::json::{self as wire, Item};
use super::{Collection, Release, RestError};
use crate::app::Core;

type RestResult<T> = Result<T, RestError>;

/// Builds element URLs under `/rs/prns/{oid}`; also carries the moment the response describes
/// (pending contact codes expire against it).
pub(super) struct Urls {
    pub(super) prefix: String,
    pub(super) now: NaiveDateTime,
}

impl Urls {
    pub(super) fn new(core: &Core, oid: i64) -> Urls {
        Urls {
            prefix: format!("{}/rs/prns/{oid}", core.config.public_base_url()),
            now: core.now_naive(),
        }
    }

    pub(super) fn item(&self, seg: &str, id: i64, object: Value) -> Item {
        Item {
            url: format!("{}/{seg}/{id}", self.prefix),
            object,
        }
    }
}

/// The person's rows a response needs, loaded once, with the person's eTag version.
pub(super) struct Loaded {
    pub(super) person: PersonRow,
    pub(super) version: i64,
    pub(super) contacts: Vec<ContactRow>,
}

pub(super) fn load_person(
    conn: &mut DbConnection,
    oid: i64,
    with_contacts: bool,
) -> RestResult<Loaded> {
    if with_contacts {
        let rows = person_read::person_with_contacts(conn, oid)?;
        let (person, version) = rows
            .first()
            .map(|(p, v, _)| (p.clone(), *v))
            .ok_or(RestError::NotFound)?;
        let contacts = rows.into_iter().filter_map(|(_, _, c)| c).collect();
        Ok(Loaded {
            person,
            version,
            contacts,
        })
    } else {
        let (person, version) =
            person_read::person_by_oid(conn, oid)?.ok_or(RestError::NotFound)?;
        Ok(Loaded {
            person,
            version,
            contacts: Vec::new(),
        })
    }
}

/// `isCfmCodeExpired` of each contact with a pending change: true unless its newest
/// contact-change code is still valid at `now` (one query, only when a change is pending).
fn pending_code_expiry(
    conn: &mut DbConnection,
    rows: &[ContactRow],
    now: NaiveDateTime,
) -> RestResult<Vec<(String, bool)>> {
    let pending: Vec<&str> = rows
        .iter()
        .filter(|c| c.verifying_value.is_some())
        .map(|c| c.id.as_str())
        .collect();
    if pending.is_empty() {
        return Ok(Vec::new());
    }
    let live = person_read::latest_code_expiry(conn, crate::person::contacts::PURPOSE, &pending)?;
    Ok(pending
        .into_iter()
        .map(|id| {
            let expired = live
                .iter()
                .find(|(s, _)| s == id)
                .is_none_or(|(_, exp)| *exp <= now);
            (id.to_string(), expired)
        })
        .collect())
}

/// The main identity document (`rIdDoc`): the passport, or a foreign citizen's document.
pub(super) fn main_id_doc(docs: &[pd::DocumentRow]) -> Option<i64> {
    docs.iter()
        .find(|d| d.doc_type == "RF_PASSPORT")
        .or_else(|| docs.iter().find(|d| d.doc_type == "FID_DOC"))
        .map(|d| d.esia_id)
}

/// Builds a collection's items (filtered by the release) for person `p`.
pub(super) fn items(
    conn: &mut DbConnection,
    urls: &Urls,
    r: &Release,
    c: Collection,
    p: &PersonRow,
    contacts: Option<Vec<ContactRow>>,
    embed_kid_docs: bool,
) -> RestResult<Vec<(i64, Item)>> {
    let seg = c.segment();
    let out: Vec<(i64, Item)> = match c {
        Collection::Ctts => {
            let rows = match contacts {
                Some(rows) => rows,
                None => esia_store::persons::contacts_of(conn, &p.id)?,
            };
            let expiry = pending_code_expiry(conn, &rows, urls.now)?;
            rows.iter()
                .filter(|x| r.contact_type(x.kind))
                .map(|x| {
                    let expired = expiry.iter().find(|(id, _)| *id == x.id).map(|(_, e)| *e);
                    (
                        x.esia_id,
                        urls.item(seg, x.esia_id, wire::contact(x, expired)),
                    )
                })
                .collect()
        }
        Collection::Addrs => pd::addresses_of(conn, &p.id)?
            .iter()
            .map(|x| (x.esia_id, urls.item(seg, x.esia_id, wire::address(x))))
            .collect(),
        Collection::Docs => pd::documents_of(conn, &p.id)?
            .iter()
            .filter(|x| r.doc_types.contains(x.doc_type.as_str()))
            .map(|x| (x.esia_id, urls.item(seg, x.esia_id, wire::document(x))))
            .collect(),
        Collection::Vhls => pd::vehicles_of(conn, &p.id)?
            .iter()
            .map(|x| (x.esia_id, urls.item(seg, x.esia_id, wire::vehicle(x))))
            .collect(),
        Collection::Kids => {
            let kids = pd::kids_of(conn, &p.id)?;
            let docs = if r.kid_doc_types.is_empty() {
                Vec::new()
            } else {
                esia_store::person_changes::kid_documents_of(conn, &p.id)?
            };
            kids.iter()
                .map(|k| {
                    let mut obj = wire::kid(k, r);
                    if !r.kid_doc_types.is_empty() {
                        let kid_urls = Urls {
                            prefix: format!("{}/kids/{}", urls.prefix, k.esia_id),
                            now: urls.now,
                        };
                        let kid_docs = docs
                            .iter()
                            .filter(|d| d.kid_id.as_deref() == Some(k.id.as_str()))
                            .filter(|d| r.kid_doc_types.contains(d.doc_type.as_str()))
                            .map(|d| kid_urls.item("docs", d.esia_id, wire::document(d)))
                            .collect();
                        obj["documents"] = wire::collection(kid_docs, embed_kid_docs);
                    }
                    (k.esia_id, urls.item(seg, k.esia_id, obj))
                })
                .collect()
        }
        Collection::Roles => pd::roles_of(conn, &p.id)?
            .iter()
            .map(|(role, org)| {
                let obj = wire::role(role, org, p.oid);
                (org.oid, urls.item(seg, org.oid, obj))
            })
            .collect(),
        Collection::Orgs => {
            let base = urls
                .prefix
                .split("/rs/prns/")
                .next()
                .unwrap_or("")
                .to_string();
            pd::roles_of(conn, &p.id)?
                .iter()
                .map(|(_, org)| {
                    let item = Item {
                        url: format!("{base}/rs/orgs/{}", org.oid),
                        object: wire::organization(org, &["shortName", "fullName", "ogrn"]),
                    };
                    (org.oid, item)
                })
                .collect()
        }
    };
    Ok(out)
}

pub(super) fn person_object(
    p: &PersonRow,
    version: i64,
    r: &Release,
    r_id_doc: Option<i64>,
) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("stateFacts".into(), json!(["EntityRoot"]));
    if r.field("firstName") {
        m.insert("firstName".into(), json!(p.name));
        m.insert("lastName".into(), json!(p.surname));
        if let Some(mid) = &p.patronymic {
            m.insert("middleName".into(), json!(mid));
        }
    }
    let opt = |m: &mut Map<String, Value>, k: &str, on: bool, v: Option<String>| {
        if let (true, Some(v)) = (on, v) {
            m.insert(k.to_string(), json!(v));
        }
    };
    opt(
        &mut m,
        "birthDate",
        r.field("birthDate"),
        p.birth_date.map(wire::ru_date),
    );
    opt(
        &mut m,
        "birthPlace",
        r.field("birthPlace"),
        p.birth_place.clone(),
    );
    opt(&mut m, "gender", r.field("gender"), p.gender.clone());
    opt(
        &mut m,
        "citizenship",
        r.citizenship(),
        p.citizenship.clone(),
    );
    opt(
        &mut m,
        "snils",
        r.field("snils"),
        p.snils.as_deref().map(wire::esia_snils),
    );
    opt(&mut m, "inn", r.field("inn"), p.inn.clone());
    m.insert("trusted".into(), json!(p.level.is_trusted()));
    m.insert(
        "updatedOn".into(),
        json!(p.updated_at.and_utc().timestamp()),
    );
    m.insert("rfgUOperatorCheck".into(), json!(false));
    m.insert("status".into(), json!(p.status.as_str()));
    m.insert(
        "verifying".into(),
        json!(p.verification == esia_domain::VerificationStatus::Verifying),
    );
    if let (true, Some(id)) = (r.field("rIdDoc"), r_id_doc) {
        m.insert("rIdDoc".into(), json!(id));
    }
    m.insert("containsUpCfmCode".into(), json!(false));
    m.insert("kidAccCreatedByParent".into(), json!(false));
    m.insert(
        "eTag".into(),
        json!(wire::person_etag(&p.id, p.updated_at, version)),
    );
    m
}
