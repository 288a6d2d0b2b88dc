//! The person-scope catalogue (esia-protocol §6): for each scope its Russian wording for the
//! consent page, the REST resources and fields it releases, and whether it is an organisation
//! scope; plus parsing of `scope` strings and formatting of granted scopes (§5.2). Owns no policy
//! about which client may ask for what (that is per client, in esia-core).

mod catalogue;
mod parse;

pub use catalogue::CATALOGUE;
pub use parse::{
    format_granted_scope, format_granted_scopes, parse_scope_list, ScopeRef, LEGACY_PREFIX,
};

/// Which contacts (`/ctts`) a scope releases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContactFilter {
    /// `EML` entries.
    Email,
    /// `MBT` entries.
    Mobile,
    /// All types (`MBT`, `PHN`, `EML`, `CEM`, …).
    All,
}

impl ContactFilter {
    /// Whether a contact of type `t` is released.
    pub fn allows(self, t: crate::ContactKind) -> bool {
        match self {
            ContactFilter::Email => t == crate::ContactKind::Email,
            ContactFilter::Mobile => t == crate::ContactKind::Mobile,
            ContactFilter::All => true,
        }
    }
}

/// Something a scope releases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resource {
    /// The id_token (authentication).
    IdToken,
    /// Fields of `/rs/prns/{oid}`.
    PersonCore(&'static [&'static str]),
    /// `/rs/prns/{oid}/ctts`.
    Contacts(ContactFilter),
    /// `/rs/prns/{oid}/addrs`.
    Addresses,
    /// `/rs/prns/{oid}/docs` of these types.
    Documents(&'static [&'static str]),
    /// `/rs/prns/{oid}/kids` with these fields (`documents` for kids' documents).
    Kids(&'static [&'static str]),
    /// `/rs/prns/{oid}/vhls`.
    Vehicles,
    /// `/rs/prns/{oid}/roles`.
    Roles,
    /// `/rs/prns/{oid}/orgs`.
    Orgs,
    /// `/rs/orgs/{org}` data with an organisation-scoped token (the named part).
    OrgData(&'static str),
}

/// One catalogue entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScopeInfo {
    /// The scope name as sent (`fullname`, `usr_inf`, …).
    pub name: &'static str,
    /// Wording on the consent page («ФИО», «Дата рождения», …).
    pub consent_ru: &'static str,
    /// What it releases.
    pub releases: &'static [Resource],
    /// Organisation scope (`?org_oid=` / `scope_org`).
    pub org_scope: bool,
    /// Historical scope kept for old clients (e.g. `usr_inf`).
    pub legacy: bool,
}

impl ScopeInfo {
    /// Person fields released by this scope.
    pub fn person_fields(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.releases.iter().flat_map(|r| match r {
            Resource::PersonCore(f) => f.iter().copied(),
            _ => [].iter().copied(),
        })
    }

    /// Document types released by this scope.
    pub fn document_types(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.releases.iter().flat_map(|r| match r {
            Resource::Documents(f) => f.iter().copied(),
            _ => [].iter().copied(),
        })
    }
}

/// Looks a scope up by its base name (no URL prefix, no `?oid=`).
pub fn scope_info(name: &str) -> Option<&'static ScopeInfo> {
    CATALOGUE.iter().find(|s| s.name == name)
}

/// True for `openid`.
pub fn is_openid(name: &str) -> bool {
    name == "openid"
}

/// The consent-page lines for a list of base names, in the given order, without duplicates;
/// unknown names and `openid` are skipped.
pub fn consent_lines_ru<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for n in names {
        if is_openid(n) {
            continue;
        }
        if let Some(info) = scope_info(n) {
            if !out.contains(&info.consent_ru) {
                out.push(info.consent_ru);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
