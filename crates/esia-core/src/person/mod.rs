//! Person data: the `/rs` read models (bearer validation, scope release, ESIA-shaped JSON),
//! the OIDC userinfo facade, and the cabinet's read and edit use cases (contacts with code
//! confirmation, documents, addresses, kids, vehicles, account deletion). Knows nothing about
//! HTTP: the web layer renders [`RestError`] and calls these functions.

pub mod bearer;
pub mod cache;
pub mod contacts;
pub mod data_reads;
pub mod edit;
pub mod edit_forms;
mod edit_kid;
pub mod embed;
mod form_reader;
pub(crate) mod freshness;
pub mod json;
pub mod release;
pub mod rest;
mod rest_body;
pub mod userinfo;
pub mod view;

pub use bearer::AccessGrant;
pub use cache::TokenLogin;
pub use embed::Embed;
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
    /// 500 (the cause is logged by the web layer, never sent); 503 when the database is away.
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
