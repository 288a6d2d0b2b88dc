//! Parsing of the `scope` / `scope_org` parameter and formatting of the granted `scope` claim
//! (esia-protocol §5.2, §6): space- or `+`-separated tokens, the legacy URL form
//! `http://esia.gosuslugi.ru/<name>`, and `?oid=` / `?org_oid=` suffixes.

use std::fmt;

use super::{is_openid, scope_info, ScopeInfo};

/// The legacy URL prefix of scope names.
pub const LEGACY_PREFIX: &str = "http://esia.gosuslugi.ru/";
const LEGACY_PREFIX_TLS: &str = "https://esia.gosuslugi.ru/";

/// One token of a scope list.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ScopeRef {
    /// Base name: no URL prefix, no query (`usr_inf`, `fullname`).
    pub name: String,
    /// The token exactly as received.
    pub original: String,
    /// Written in the legacy URL form.
    pub legacy_url: bool,
    /// The `oid` query value, if any.
    pub oid: Option<String>,
    /// The `org_oid` query value, if any.
    pub org_oid: Option<String>,
}

impl ScopeRef {
    /// The catalogue entry, if the name is known.
    pub fn info(&self) -> Option<&'static ScopeInfo> {
        scope_info(&self.name)
    }

    /// True when the name is in the catalogue.
    pub fn is_known(&self) -> bool {
        self.info().is_some()
    }

    /// The name in the form it was sent (legacy URL form kept), without the query.
    pub fn name_as_sent(&self) -> String {
        if self.legacy_url {
            format!("{LEGACY_PREFIX}{}", self.name)
        } else {
            self.name.clone()
        }
    }

    /// This scope as it appears in the access token's `scope` claim for person `oid`: the
    /// sent form plus `?oid=<oid>` (`openid` bare; an organisation scope keeps its
    /// `?org_oid=`).
    pub fn granted(&self, oid: impl fmt::Display) -> String {
        match &self.org_oid {
            Some(org) => format!("{}?org_oid={org}", self.name_as_sent()),
            None => format_granted_scope(&self.name_as_sent(), oid),
        }
    }
}

fn parse_token(token: &str) -> ScopeRef {
    let (path, query) = match token.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (token, None),
    };
    let (name, legacy_url) = match path
        .strip_prefix(LEGACY_PREFIX)
        .or_else(|| path.strip_prefix(LEGACY_PREFIX_TLS))
    {
        Some(rest) => (rest, true),
        None => (path, false),
    };
    let mut oid = None;
    let mut org_oid = None;
    for pair in query.unwrap_or("").split('&') {
        match pair.split_once('=') {
            Some(("oid", v)) => oid = Some(v.to_owned()),
            Some(("org_oid", v)) => org_oid = Some(v.to_owned()),
            _ => {}
        }
    }
    ScopeRef {
        name: name.to_owned(),
        original: token.to_owned(),
        legacy_url,
        oid,
        org_oid,
    }
}

/// Splits a scope list on whitespace and `+` (an undecoded form body) and parses each token;
/// empty tokens are skipped, order and duplicates are kept.
pub fn parse_scope_list(s: &str) -> Vec<ScopeRef> {
    s.split(|c: char| c.is_whitespace() || c == '+')
        .filter(|t| !t.is_empty())
        .map(parse_token)
        .collect()
}

/// A granted scope for the `scope` claim: `name?oid=<oid>`, except `openid`, which stays bare.
/// `name` may be in the legacy URL form, which is kept.
pub fn format_granted_scope(name: &str, oid: impl fmt::Display) -> String {
    if is_openid(name) {
        name.to_owned()
    } else {
        format!("{name}?oid={oid}")
    }
}

/// The whole `scope` claim: each scope via [`ScopeRef::granted`], space-separated.
pub fn format_granted_scopes(scopes: &[ScopeRef], oid: impl fmt::Display) -> String {
    let oid = oid.to_string();
    scopes
        .iter()
        .map(|s| s.granted(&oid))
        .collect::<Vec<_>>()
        .join(" ")
}
