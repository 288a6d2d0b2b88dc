//! The one table of the protocol's paths: every path a relying party calls (`ac`, `te`, the
//! `ac` flow's continuation, logout, `/rs`, userinfo, the published keys, discovery), the
//! family it belongs to and the channel its errors travel on. The web's routes, the fault
//! middleware's surfaces, the journal's error metrics, discovery and the answer for an
//! unrouted protocol path all read it, so a path is written once. Plain data: it decides
//! nothing about a request and knows no HTTP framework.

use serde::Serialize;

/// `GET /aas/oauth2/continue?request=…`: the `ac` flow after login.
pub const CONTINUE_PATH: &str = "/aas/oauth2/continue";
/// `POST /aas/oauth2/consent`: the consent page's decision.
pub const CONSENT_PATH: &str = "/aas/oauth2/consent";
/// `POST /aas/oauth2/role`: the role choice (person or organisation).
pub const ROLE_PATH: &str = "/aas/oauth2/role";
/// `GET /idp/ext/Logout`.
pub const LOGOUT_PATH: &str = "/idp/ext/Logout";
/// The JWKS of the RS256 key.
pub const JWKS_PATH: &str = "/.well-known/jwks.json";
/// OpenID discovery.
pub const DISCOVERY_PATH: &str = "/.well-known/openid-configuration";
/// The published certificates (`esia.zip`, `esia-rsa.pem`, `esia-gost.pem`) live under it.
pub const PUBLIC_PREFIX: &str = "/public/";
/// Person and organisation data.
pub const RS_PREFIX: &str = "/rs/";
/// The OIDC userinfo facade (an emulator extension, `person::userinfo`).
pub const USERINFO_PATH: &str = "/emulator/oidc/userinfo";

/// Which protocol endpoint a request arrived at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Endpoint {
    /// `/aas/oauth2/ac` (CMS secret).
    AcV1,
    /// `/aas/oauth2/v2/ac` (raw GOST secret + certificate hash).
    AcV2,
    /// `/aas/oauth2/te` (CMS secret).
    TeV1,
    /// `/aas/oauth2/v3/te` (raw GOST secret).
    TeV3,
}

impl Endpoint {
    /// The path, also the journal's `endpoint` value.
    pub const fn path(self) -> &'static str {
        match self {
            Endpoint::AcV1 => "/aas/oauth2/ac",
            Endpoint::AcV2 => "/aas/oauth2/v2/ac",
            Endpoint::TeV1 => "/aas/oauth2/te",
            Endpoint::TeV3 => "/aas/oauth2/v3/te",
        }
    }

    /// Parses a path or a short name (`v2/ac`, `ac`, `v3/te`, `te`).
    pub fn parse(s: &str) -> Option<Endpoint> {
        let s = s.trim().trim_start_matches("/aas/oauth2/");
        match s {
            "ac" => Some(Endpoint::AcV1),
            "v2/ac" => Some(Endpoint::AcV2),
            "te" => Some(Endpoint::TeV1),
            "v3/te" => Some(Endpoint::TeV3),
            _ => None,
        }
    }

    /// `ac` or `te`.
    pub const fn family(self) -> Family {
        match self {
            Endpoint::AcV1 | Endpoint::AcV2 => Family::Ac,
            Endpoint::TeV1 | Endpoint::TeV3 => Family::Te,
        }
    }

    pub(crate) fn generation(self) -> esia_crypto::secret::Generation {
        match self {
            Endpoint::AcV1 | Endpoint::TeV1 => esia_crypto::secret::Generation::V1Cms,
            Endpoint::AcV2 | Endpoint::TeV3 => esia_crypto::secret::Generation::V2Raw,
        }
    }

    pub(crate) fn is_v1(self) -> bool {
        matches!(self, Endpoint::AcV1 | Endpoint::TeV1)
    }
}

/// What a protocol path is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// The authorization request, v1 and v2.
    Ac,
    /// The `ac` flow's own pages after login: continuation, consent, role choice.
    AcFlow,
    /// The token endpoint, v1 and v3.
    Te,
    Logout,
    Rs,
    Userinfo,
    Public,
    Jwks,
    Discovery,
}

/// How errors of a family reach the relying party.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// A redirect to the client's `redirect_uri` (or a page when it cannot be trusted).
    Redirect,
    /// The token endpoint's JSON body.
    TokenJson,
    /// `/rs` and userinfo: `{code, message}` JSON.
    Rest,
    /// A page in the browser.
    Page,
}

impl Family {
    /// The channel of this family's errors.
    pub const fn channel(self) -> Channel {
        match self {
            Family::Ac => Channel::Redirect,
            Family::Te => Channel::TokenJson,
            Family::Rs | Family::Userinfo => Channel::Rest,
            Family::AcFlow | Family::Logout | Family::Public | Family::Jwks | Family::Discovery => {
                Channel::Page
            }
        }
    }
}

/// How a table line matches a decoded request path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathMatch {
    Exact(&'static str),
    /// The prefix (ending in `/`) and anything below it.
    Under(&'static str),
}

impl PathMatch {
    pub fn matches(self, path: &str) -> bool {
        match self {
            PathMatch::Exact(p) => path == p,
            PathMatch::Under(prefix) => path.len() > prefix.len() && path.starts_with(prefix),
        }
    }
}

/// One line of the table: a path, its family and the methods the router serves on it
/// (for `Under` lines, the methods of every path below).
#[derive(Debug, Clone, Copy)]
pub struct ProtocolPath {
    pub path: PathMatch,
    pub family: Family,
    pub methods: &'static [&'static str],
}

const GET: &[&str] = &["GET"];
const POST: &[&str] = &["POST"];
const GET_POST: &[&str] = &["GET", "POST"];

/// Every protocol path (see the module comment).
pub const TABLE: &[ProtocolPath] = &[
    line(
        PathMatch::Exact(Endpoint::AcV1.path()),
        Family::Ac,
        GET_POST,
    ),
    line(
        PathMatch::Exact(Endpoint::AcV2.path()),
        Family::Ac,
        GET_POST,
    ),
    line(PathMatch::Exact(CONTINUE_PATH), Family::AcFlow, GET),
    line(PathMatch::Exact(CONSENT_PATH), Family::AcFlow, POST),
    line(PathMatch::Exact(ROLE_PATH), Family::AcFlow, POST),
    line(PathMatch::Exact(Endpoint::TeV1.path()), Family::Te, POST),
    line(PathMatch::Exact(Endpoint::TeV3.path()), Family::Te, POST),
    line(PathMatch::Exact(LOGOUT_PATH), Family::Logout, GET),
    line(PathMatch::Exact(USERINFO_PATH), Family::Userinfo, GET),
    line(PathMatch::Under(RS_PREFIX), Family::Rs, GET),
    line(PathMatch::Under(PUBLIC_PREFIX), Family::Public, GET),
    line(PathMatch::Exact(JWKS_PATH), Family::Jwks, GET),
    line(PathMatch::Exact(DISCOVERY_PATH), Family::Discovery, GET),
];

const fn line(path: PathMatch, family: Family, methods: &'static [&'static str]) -> ProtocolPath {
    ProtocolPath {
        path,
        family,
        methods,
    }
}

/// The table line of a decoded request path (as the router sees it), if it is a protocol path.
pub fn lookup(path: &str) -> Option<&'static ProtocolPath> {
    TABLE.iter().find(|l| l.path.matches(path))
}

/// The family of a decoded request path; None for pages, the QA API and probes.
pub fn family_of(path: &str) -> Option<Family> {
    lookup(path).map(|l| l.family)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_endpoint_is_in_the_table_under_its_family() {
        for e in [
            Endpoint::AcV1,
            Endpoint::AcV2,
            Endpoint::TeV1,
            Endpoint::TeV3,
        ] {
            assert_eq!(family_of(e.path()), Some(e.family()), "{e:?}");
            assert_eq!(Endpoint::parse(e.path()), Some(e));
        }
    }

    #[test]
    fn prefixes_match_only_below_them() {
        assert_eq!(family_of("/rs/prns/1000000001"), Some(Family::Rs));
        assert_eq!(family_of("/rs/"), None);
        assert_eq!(family_of("/rs"), None);
        assert_eq!(family_of("/public/esia.zip"), Some(Family::Public));
        assert_eq!(family_of("/aas/oauth2/te/"), None);
        assert_eq!(family_of("/emulator/health"), None);
        assert_eq!(family_of(USERINFO_PATH), Some(Family::Userinfo));
    }

    #[test]
    fn channels_follow_the_family() {
        assert_eq!(
            family_of("/aas/oauth2/v3/te").map(Family::channel),
            Some(Channel::TokenJson)
        );
        assert_eq!(
            family_of("/aas/oauth2/ac").map(Family::channel),
            Some(Channel::Redirect)
        );
        assert_eq!(
            family_of(USERINFO_PATH).map(Family::channel),
            Some(Channel::Rest)
        );
        assert_eq!(
            family_of(CONSENT_PATH).map(Family::channel),
            Some(Channel::Page)
        );
    }
}
