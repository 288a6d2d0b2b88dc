//! Person data: the `/rs` read models (bearer validation, scope release, ESIA-shaped JSON),
//! the OIDC userinfo facade, and the cabinet's read and edit use cases (contacts with code
//! confirmation, documents, addresses, kids, vehicles, account deletion). Knows nothing about
//! HTTP: the web layer renders [`RestError`] and calls these functions.

pub mod bearer;
pub mod cache;
pub mod contacts;
pub mod edit;
pub mod edit_forms;
mod edit_kid;
pub(crate) mod freshness;
pub mod json;
pub mod release;
pub mod rest;
mod rest_parts;
pub mod userinfo;
pub mod view;

use std::collections::HashSet;

pub use bearer::AccessGrant;
pub use cache::TokenLogin;
pub use release::Release;
pub use rest::CachedPerson;

use crate::error::CoreError;

/// A `/rs` failure, rendered by the web layer as ESIA's `{code, message}` (§7.7).
#[derive(Debug, thiserror::Error)]
pub enum RestError {
    /// 401 ESIA-005011: no, malformed, foreign-signed or otherwise invalid token.
    #[error("invalid token")]
    InvalidToken,
    /// 401 ESIA-005013: `exp` has passed.
    #[error("expired token")]
    ExpiredToken,
    /// ESIA-005029 with `protocol.rest_scope_error_status` (403 by default): the resource's
    /// scope was not granted, or the token belongs to another person or organisation.
    #[error("scope not allowed")]
    ScopeNotAllowed,
    /// 404: no such person, element or organisation.
    #[error("not found")]
    NotFound,
    /// 500 (the cause is logged by the web layer, never sent).
    #[error(transparent)]
    Internal(#[from] CoreError),
}

impl From<esia_store::StoreError> for RestError {
    fn from(e: esia_store::StoreError) -> Self {
        match CoreError::from(e) {
            // A NUL in a key (see `CoreError::from`): no such element.
            CoreError::NotFound(_) => RestError::NotFound,
            other => RestError::Internal(other),
        }
    }
}

/// The `embed` parameter: `(a.elements,b.elements-1)` → `{"a.elements","b.elements"}`. The
/// unexplained `-N` suffix (YA) is dropped; parentheses are optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Embed(pub HashSet<String>);

impl Embed {
    /// Reads `embed` from a raw (still percent-encoded) query string.
    pub fn from_query(raw_query: &str) -> Embed {
        let mut set = HashSet::new();
        for (k, v) in url::form_urlencoded::parse(raw_query.as_bytes()) {
            if k != "embed" {
                continue;
            }
            let inner = v.trim().trim_start_matches('(').trim_end_matches(')');
            for item in inner.split(',') {
                let item = item.trim();
                let item = match item.rsplit_once('-') {
                    Some((head, tail))
                        if !tail.is_empty() && tail.bytes().all(|b| b.is_ascii_digit()) =>
                    {
                        head
                    }
                    _ => item,
                };
                if !item.is_empty() {
                    set.insert(item.to_string());
                }
            }
        }
        Embed(set)
    }

    pub fn has(&self, item: &str) -> bool {
        self.0.contains(item)
    }

    /// Collection elements as objects: `elements` or a deeper `elements.…` path.
    pub fn elements(&self) -> bool {
        self.0
            .iter()
            .any(|e| e == "elements" || e.starts_with("elements."))
    }

    /// For a person-level part (`contacts`): `None` = not asked for, `Some(true)` = objects
    /// (`contacts.elements`), `Some(false)` = links (`contacts`).
    pub fn part(&self, name: &str) -> Option<bool> {
        if self.has(&format!("{name}.elements"))
            || self
                .0
                .iter()
                .any(|e| e.starts_with(&format!("{name}.elements.")))
        {
            Some(true)
        } else if self.has(name) {
            Some(false)
        } else {
            None
        }
    }
}

/// Which `/rs/prns/{oid}/…` collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Collection {
    Ctts,
    Addrs,
    Docs,
    Kids,
    Vhls,
    Roles,
    Orgs,
}

impl Collection {
    pub fn segment(self) -> &'static str {
        match self {
            Collection::Ctts => "ctts",
            Collection::Addrs => "addrs",
            Collection::Docs => "docs",
            Collection::Kids => "kids",
            Collection::Vhls => "vhls",
            Collection::Roles => "roles",
            Collection::Orgs => "orgs",
        }
    }

    pub fn from_segment(s: &str) -> Option<Collection> {
        Some(match s {
            "ctts" => Collection::Ctts,
            "addrs" => Collection::Addrs,
            "docs" => Collection::Docs,
            "kids" => Collection::Kids,
            "vhls" => Collection::Vhls,
            "roles" => Collection::Roles,
            "orgs" => Collection::Orgs,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embed_tolerates_suffixes_and_encoding() {
        let e = Embed::from_query("embed=%28contacts.elements-1%2Cdocuments.elements-1%29");
        assert!(e.has("contacts.elements") && e.has("documents.elements"));
        assert_eq!(e.part("contacts"), Some(true));
        assert_eq!(e.part("kids"), None);
        let e = Embed::from_query("embed=(elements)");
        assert!(e.has("elements"));
        let e = Embed::from_query("embed=kids.elements.documents.elements");
        assert_eq!(e.part("kids"), Some(true));
    }
}
