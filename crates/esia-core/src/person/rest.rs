//! The `/rs` resources (esia-protocol §7): the person with optional embedded collections, each
//! collection and its elements, a kid's documents and `/rs/orgs/{org}`. Every function checks the
//! grant against the path first, then reads only what the granted scopes release; the person
//! with its contacts is one query and each further embedded collection one more (no N+1). The
//! person read is one call, [`rs_person`](crate::person::rest::rs_person), from the `Authorization` header to the body:
//! it cannot be used without the revocation check, and its cached hot path answers without a
//! thread of its own (a share of one batched freshness round per request). Must not know HTTP.

use esia_store::person_data as pd;
use esia_store::DbConnection;
use serde_json::Value;

#[path = "rest_person.rs"]
mod rest_person;

pub use rest_person::{rs_person, CachedPerson, PersonRead};

use super::json as wire;
use super::rest_body::{items, load_person, main_id_doc, person_object, Urls};
use super::{AccessGrant, Collection, Embed, Release, RestError};
use crate::app::Core;

type RestResult<T> = Result<T, RestError>;

/// The release for person `oid` under `grant`; another person's token is refused.
fn release_for(grant: &AccessGrant, oid: i64) -> RestResult<Release> {
    if grant.subject_oid != Some(oid) {
        return Err(RestError::ScopeNotAllowed);
    }
    Ok(Release::from_scopes(grant.scopes_for(oid)))
}

fn allowed(r: &Release, c: Collection) -> bool {
    match c {
        Collection::Ctts => r.contacts_any(),
        Collection::Addrs => r.addresses,
        Collection::Docs => r.documents_any(),
        Collection::Kids => r.kids_any(),
        Collection::Vhls => r.vehicles,
        Collection::Roles => r.roles,
        Collection::Orgs => r.orgs,
    }
}

const PERSON_PARTS: [(&str, Collection); 6] = [
    ("contacts", Collection::Ctts),
    ("documents", Collection::Docs),
    ("addresses", Collection::Addrs),
    ("vehicles", Collection::Vhls),
    ("kids", Collection::Kids),
    ("organizations", Collection::Orgs),
];

/// Entries held by the `/rs` caches (verified tokens, person bodies): tests and diagnostics.
pub fn rest_cache_sizes(core: &Core) -> (usize, usize) {
    core.locals.get::<crate::person::cache::RestCache>().sizes()
}

/// The person object and whether it may be cached under the person's eTag version: not
/// when it embeds organisations (their rows change without the person's version) or a
/// pending contact change (`isCfmCodeExpired` moves with the clock).
fn person_value(
    core: &Core,
    conn: &mut DbConnection,
    grant: &AccessGrant,
    oid: i64,
    raw_query: &str,
) -> RestResult<(Value, bool)> {
    let r = release_for(grant, oid)?;
    let embed = Embed::from_query(raw_query);
    let want_contacts = embed.part("contacts").is_some() && r.contacts_any();
    let loaded = load_person(conn, oid, want_contacts)?;
    let p = &loaded.person;
    let cacheable = embed.part("organizations").is_none()
        && !loaded.contacts.iter().any(|c| c.verifying_value.is_some());
    let urls = Urls::new(core, oid);
    let want_docs = embed.part("documents").is_some() && r.documents_any();
    let all_docs = if want_docs || r.field("rIdDoc") {
        pd::documents_of(conn, &p.id)?
    } else {
        Vec::new()
    };
    let mut m = person_object(p, loaded.version, &r, main_id_doc(&all_docs));
    let mut contacts = Some(loaded.contacts);
    for (name, c) in PERSON_PARTS {
        let Some(objects) = embed.part(name) else {
            continue;
        };
        if !allowed(&r, c) {
            continue;
        }
        let list = if c == Collection::Docs {
            all_docs
                .iter()
                .filter(|d| r.doc_types.contains(d.doc_type.as_str()))
                .map(|d| urls.item("docs", d.esia_id, wire::document(d)))
                .collect()
        } else {
            let kid_docs = embed.has("kids.elements.documents.elements");
            let rows = contacts.take().filter(|_| c == Collection::Ctts);
            items(conn, &urls, &r, c, p, rows, kid_docs)?
                .into_iter()
                .map(|(_, i)| i)
                .collect()
        };
        m.insert(
            name.to_string(),
            wire::collection(list, objects || c == Collection::Roles),
        );
    }
    Ok((Value::Object(m), cacheable))
}

/// `GET /rs/prns/{oid}/{collection}` (`?embed=(elements)`).
pub fn rs_collection(
    core: &Core,
    grant: &AccessGrant,
    oid: i64,
    c: Collection,
    raw_query: &str,
) -> RestResult<Value> {
    let r = release_for(grant, oid)?;
    if !allowed(&r, c) {
        return Err(RestError::ScopeNotAllowed);
    }
    let embed = Embed::from_query(raw_query);
    let mut conn = core.conn()?;
    let loaded = load_person(&mut conn, oid, c == Collection::Ctts)?;
    let urls = Urls::new(core, oid);
    let contacts = (c == Collection::Ctts).then_some(loaded.contacts);
    let kid_docs = embed.has("elements.documents.elements");
    let list = items(&mut conn, &urls, &r, c, &loaded.person, contacts, kid_docs)?;
    // Roles are inline objects even without embed (§7.6).
    let objects = embed.elements() || c == Collection::Roles;
    Ok(wire::collection(
        list.into_iter().map(|(_, i)| i).collect(),
        objects,
    ))
}

/// `GET /rs/prns/{oid}/{collection}/{id}`.
pub fn rs_element(
    core: &Core,
    grant: &AccessGrant,
    oid: i64,
    c: Collection,
    id: &str,
    raw_query: &str,
) -> RestResult<Value> {
    let r = release_for(grant, oid)?;
    if !allowed(&r, c) {
        return Err(RestError::ScopeNotAllowed);
    }
    let id: i64 = id.parse().map_err(|_| RestError::NotFound)?;
    let mut conn = core.conn()?;
    let loaded = load_person(&mut conn, oid, c == Collection::Ctts)?;
    let p = &loaded.person;
    let urls = Urls::new(core, oid);
    // A contact or document that exists but whose type was not granted is refused rather
    // than hidden: ESIA answers scopeNotAllowed for a resource outside the grant.
    let contacts = (c == Collection::Ctts).then_some(loaded.contacts);
    if let Some(contacts) = &contacts {
        if let Some(x) = contacts.iter().find(|x| x.esia_id == id) {
            if !r.contact_type(x.kind) {
                return Err(RestError::ScopeNotAllowed);
            }
        }
    }
    if c == Collection::Docs {
        if let Some(d) = pd::documents_of(&mut conn, &p.id)?
            .iter()
            .find(|d| d.esia_id == id)
        {
            if !r.doc_types.contains(d.doc_type.as_str()) {
                return Err(RestError::ScopeNotAllowed);
            }
        }
    }
    let embed = Embed::from_query(raw_query);
    let kid_docs = embed.has("documents.elements");
    items(&mut conn, &urls, &r, c, p, contacts, kid_docs)?
        .into_iter()
        .find(|(eid, _)| *eid == id)
        .map(|(_, i)| i.object)
        .ok_or(RestError::NotFound)
}

/// `GET /rs/prns/{oid}/kids/{kid}/docs[/{doc}]`.
pub fn rs_kid_docs(
    core: &Core,
    grant: &AccessGrant,
    oid: i64,
    kid: &str,
    doc: Option<&str>,
    raw_query: &str,
) -> RestResult<Value> {
    let r = release_for(grant, oid)?;
    if r.kid_doc_types.is_empty() {
        return Err(RestError::ScopeNotAllowed);
    }
    let kid_obj = rs_element(
        core,
        grant,
        oid,
        Collection::Kids,
        kid,
        "embed=(documents.elements)",
    )?;
    let docs = kid_obj
        .get("documents")
        .cloned()
        .ok_or(RestError::NotFound)?;
    let elements = docs
        .get("elements")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    match doc {
        Some(d) => {
            let d: i64 = d.parse().map_err(|_| RestError::NotFound)?;
            elements
                .into_iter()
                .find(|e| e.get("id").and_then(Value::as_i64) == Some(d))
                .ok_or(RestError::NotFound)
        }
        None => {
            let urls = Urls::new(core, oid);
            let seg = format!("kids/{kid}/docs");
            let list = elements
                .into_iter()
                .map(|e| {
                    let id = e.get("id").and_then(Value::as_i64).unwrap_or_default();
                    urls.item(&seg, id, e)
                })
                .collect();
            Ok(wire::collection(
                list,
                Embed::from_query(raw_query).elements(),
            ))
        }
    }
}

/// `GET /rs/orgs/{org}` with an organisation-scoped token (`…?org_oid=<org>`); a token
/// that also names a person needs that person to belong to the organisation.
pub fn rs_org(core: &Core, grant: &AccessGrant, org_oid: i64) -> RestResult<Value> {
    let names = grant.org_scopes_for(org_oid);
    if names.is_empty() {
        return Err(RestError::ScopeNotAllowed);
    }
    let parts: Vec<&str> = names
        .iter()
        .filter_map(|n| esia_domain::scopes::scope_info(n))
        .flat_map(|i| i.releases.iter())
        .filter_map(|r| match r {
            esia_domain::scopes::Resource::OrgData(p) => Some(*p),
            _ => None,
        })
        .collect();
    let mut conn = core.conn()?;
    let org = pd::find_organization_by_oid(&mut conn, org_oid)?.ok_or(RestError::NotFound)?;
    if let Some(oid) = grant.subject_oid {
        let person = esia_store::persons::find_person_by_oid(&mut conn, oid)?
            .ok_or(RestError::ScopeNotAllowed)?;
        if !esia_store::person_changes::is_member_of_org(&mut conn, &person.id, org_oid)? {
            return Err(RestError::ScopeNotAllowed);
        }
    }
    Ok(wire::organization(&org, &parts))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_person_parts_are_the_embed_parts() {
        let names: Vec<&str> = super::PERSON_PARTS.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, super::super::embed::PARTS);
    }
}
