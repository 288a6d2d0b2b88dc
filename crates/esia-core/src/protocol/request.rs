//! The `ac` and `te` requests parsed once from their parameters into typed values: the target
//! that decides the `ac` answer's channel (`AcTarget`), the whole authorization request
//! (`AcRequest`), the token request with its grant (`TeRequest`, `Grant`), and the fields a
//! `client_secret` signs, exactly as sent (`SignedFields`). Each check of §2.2 and §4.2 runs
//! here in ESIA's order and says which ESIA code refuses what; the use cases after it read
//! fields, never a parameter by name. Pure: no database, no clock of its own, no logging of
//! values.

use base64::Engine as _;
use chrono::{DateTime, Utc};

use super::params::{AC_SINGLE, TE_SINGLE};
use super::{is_uuid, parse_timestamp, Endpoint, EsiaErrorCode as E, Params};

/// A refusal found while parsing: the ESIA code and a detail for logs and the journal.
pub type Refusal = (E, String);

fn refuse(code: E, detail: impl Into<String>) -> Refusal {
    (code, detail.into())
}

/// The `state` a request sent, echoed on its errors whatever else is wrong.
pub fn received_state(params: &Params) -> Option<&str> {
    params.get("state")
}

/// The fields a `client_secret` signs (§3, §12), as sent: the signature covers bytes, so
/// nothing here is trimmed or normalised. Absent fields are empty, as in the signed string.
#[derive(Debug, Clone, Default)]
pub(crate) struct SignedFields {
    pub client_id: String,
    pub scope: String,
    pub scope_org: String,
    pub timestamp: String,
    pub state: String,
    pub redirect_uri: String,
    pub grant_type: String,
    pub code: String,
    pub refresh_token: String,
    pub client_secret: String,
    pub client_certificate_hash: Option<String>,
}

impl SignedFields {
    pub(crate) fn of(params: &Params) -> SignedFields {
        let p = |name: &str| params.get(name).unwrap_or("").to_string();
        SignedFields {
            client_id: p("client_id"),
            scope: p("scope"),
            scope_org: p("scope_org"),
            timestamp: p("timestamp"),
            state: p("state"),
            redirect_uri: p("redirect_uri"),
            grant_type: p("grant_type"),
            code: p("code"),
            refresh_token: p("refresh_token"),
            client_secret: p("client_secret"),
            client_certificate_hash: params.non_empty("client_certificate_hash").map(Into::into),
        }
    }
}

/// Who asks and where the answer goes: what must be right before an `ac` error may travel
/// as a redirect (otherwise it is a page, §9).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcTarget {
    pub client_id: String,
    pub redirect_uri: String,
    pub state: Option<String>,
}

impl AcTarget {
    /// Parses `client_id` and `redirect_uri`; which client or URI a repeated one means is
    /// ambiguous, so a repetition refuses the request on the page channel too.
    pub fn parse(params: &Params) -> Result<AcTarget, Refusal> {
        if let Some(n) = params.repeated(&["client_id", "redirect_uri"]) {
            return Err(refuse(E::E007003, format!("{n} repeated")));
        }
        let client_id = params
            .non_empty("client_id")
            .ok_or_else(|| refuse(E::E007014, "client_id is missing"))?;
        let redirect_uri = params
            .non_empty("redirect_uri")
            .ok_or_else(|| refuse(E::E007014, "redirect_uri is missing"))?;
        Ok(AcTarget {
            client_id: client_id.into(),
            redirect_uri: redirect_uri.into(),
            state: received_state(params).map(Into::into),
        })
    }
}

/// `access_type` (§2.2): `online` unless `offline` asks for a refresh token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessType {
    Online,
    Offline,
}

impl AccessType {
    pub fn as_str(self) -> &'static str {
        match self {
            AccessType::Online => "online",
            AccessType::Offline => "offline",
        }
    }
}

/// A PKCE challenge (RFC 7636); `method` None = not sent (either is accepted on `te` [inf]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pkce {
    pub challenge: String,
    pub method: Option<&'static str>,
}

/// An authorization request, every parameter checked (the client's own checks included).
#[derive(Debug, Clone)]
pub struct AcRequest {
    pub endpoint: Endpoint,
    pub target: AcTarget,
    /// The UUID `state`.
    pub state: String,
    /// The scopes as parked (`openid fullname …`, names only).
    pub scopes: Vec<String>,
    pub scope_org: Option<String>,
    pub timestamp: DateTime<Utc>,
    pub access_type: AccessType,
    pub pkce: Option<Pkce>,
    /// `conf_acc`, `acc_kid` or `acc_not_kid`, decoded.
    pub person_filter: Option<String>,
    pub(crate) signed: SignedFields,
}

impl AcRequest {
    /// Checks everything after the target, in ESIA's order; `allowed` are the client's scopes,
    /// `now` and `window_secs` bound the timestamp. Every refusal here travels as a redirect.
    pub fn parse(
        endpoint: Endpoint,
        target: AcTarget,
        params: &Params,
        allowed: &[String],
        now: DateTime<Utc>,
        window_secs: u64,
    ) -> Result<AcRequest, Refusal> {
        if let Some(n) = params.repeated(AC_SINGLE) {
            return Err(refuse(E::E007003, format!("{n} repeated")));
        }
        let scope = params
            .non_empty("scope")
            .ok_or_else(|| refuse(E::E007013, "scope is missing"))?;
        let mut required = vec!["client_secret", "state", "timestamp", "response_type"];
        if endpoint == Endpoint::AcV2 {
            required.push("client_certificate_hash");
        }
        if let Some(n) = required.iter().find(|n| params.non_empty(n).is_none()) {
            return Err(refuse(E::E007014, format!("{n} is missing")));
        }
        if params.get("response_type") != Some("code") {
            return Err(refuse(E::E007012, "response_type must be code"));
        }
        let state = params.get("state").unwrap_or("");
        if !is_uuid(state) {
            return Err(refuse(E::E007003, "state is not a UUID"));
        }
        let timestamp = timestamp_in_window(params, now, window_secs)?;
        let refs = esia_domain::scopes::parse_scope_list(scope);
        for r in &refs {
            if r.name != "openid" && !r.is_known() {
                return Err(refuse(E::E007006, "unknown scope"));
            }
            if !allowed.contains(&r.name) {
                return Err(refuse(E::E007019, "scope not allowed for the client"));
            }
        }
        let scope_org = super::roles::check_scope_org(allowed, params.get("scope_org"))
            .map_err(|(code, detail)| refuse(code, detail))?;
        let access_type = match params.non_empty("access_type") {
            None | Some("online") => AccessType::Online,
            Some("offline") => AccessType::Offline,
            Some(_) => return Err(refuse(E::E007003, "access_type must be online or offline")),
        };
        let challenge = params.non_empty("code_challenge");
        let method = match (challenge, params.non_empty("code_challenge_method")) {
            (Some(_), Some(m)) if m.eq_ignore_ascii_case("S256") => Some("S256"),
            (Some(_), Some("plain")) => Some("plain"),
            (Some(_), Some(_)) => {
                return Err(refuse(E::E007003, "unsupported code_challenge_method"))
            }
            _ => None,
        };
        let person_filter = match params.non_empty("person_filter") {
            None => None,
            Some(v) => Some(
                decode_person_filter(v)
                    .ok_or_else(|| refuse(E::E007003, "person_filter unreadable"))?,
            ),
        };
        Ok(AcRequest {
            endpoint,
            target,
            state: state.into(),
            scopes: refs.iter().map(super::roles::stored_scope).collect(),
            scope_org,
            timestamp,
            access_type,
            pkce: challenge.map(|c| Pkce {
                challenge: c.into(),
                method,
            }),
            person_filter,
            signed: SignedFields::of(params),
        })
    }
}

fn decode_person_filter(v: &str) -> Option<String> {
    let t: String = v.chars().filter(|c| !c.is_whitespace()).collect();
    let body = t.trim_end_matches('=');
    let bytes = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(body)
        .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(body))
        .ok()?;
    let s = String::from_utf8(bytes).ok()?;
    matches!(s.as_str(), "conf_acc" | "acc_kid" | "acc_not_kid").then_some(s)
}

fn timestamp_in_window(
    params: &Params,
    now: DateTime<Utc>,
    window_secs: u64,
) -> Result<DateTime<Utc>, Refusal> {
    let ts = parse_timestamp(params.get("timestamp").unwrap_or(""))
        .ok_or_else(|| refuse(E::E007015, "timestamp does not parse"))?
        .with_timezone(&Utc);
    if (ts - now).num_seconds().abs() > window_secs as i64 {
        return Err(refuse(E::E007015, "timestamp outside the window"));
    }
    Ok(ts)
}

/// What a token request exchanges (§4.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grant {
    AuthorizationCode {
        code: String,
        /// As sent; compared with the `ac` request's on exchange.
        redirect_uri: Option<String>,
        code_verifier: Option<String>,
    },
    RefreshToken {
        token: String,
    },
    ClientCredentials {
        /// The scope claim as requested (e.g. `prm_chg?oid=…`).
        scope: String,
    },
}

/// A token request, every parameter checked except the client and its signature.
#[derive(Debug, Clone)]
pub struct TeRequest {
    pub endpoint: Endpoint,
    pub client_id: String,
    /// The UUID `state`, echoed on the answer.
    pub state: String,
    pub timestamp: DateTime<Utc>,
    pub grant: Grant,
    pub(crate) signed: SignedFields,
}

impl TeRequest {
    /// Checks the parameters in ESIA's order (repetitions, the required ones, the grant, the
    /// `state` and the timestamp).
    pub fn parse(
        endpoint: Endpoint,
        params: &Params,
        now: DateTime<Utc>,
        window_secs: u64,
    ) -> Result<TeRequest, Refusal> {
        if let Some(n) = params.repeated(TE_SINGLE) {
            return Err(refuse(E::E007003, format!("{n} repeated")));
        }
        let client_id = params
            .non_empty("client_id")
            .ok_or_else(|| refuse(E::E007014, "client_id is missing"))?;
        let grant_type = params
            .non_empty("grant_type")
            .ok_or_else(|| refuse(E::E007014, "grant_type is missing"))?;
        if !matches!(
            grant_type,
            "authorization_code" | "refresh_token" | "client_credentials"
        ) {
            return Err(refuse(E::E007009, "unsupported grant_type"));
        }
        for n in ["client_secret", "state", "timestamp"] {
            if params.non_empty(n).is_none() {
                return Err(refuse(E::E007014, format!("{n} is missing")));
            }
        }
        if endpoint == Endpoint::TeV3
            && grant_type != "refresh_token"
            && params.non_empty("client_certificate_hash").is_none()
        {
            return Err(refuse(E::E007014, "client_certificate_hash is missing"));
        }
        let owned = |name: &str| params.non_empty(name).map(str::to_string);
        let grant = match grant_type {
            "authorization_code" => Grant::AuthorizationCode {
                code: owned("code").ok_or_else(|| refuse(E::E007014, "code is missing"))?,
                redirect_uri: owned("redirect_uri"),
                code_verifier: owned("code_verifier"),
            },
            "refresh_token" => Grant::RefreshToken {
                token: owned("refresh_token")
                    .ok_or_else(|| refuse(E::E007014, "refresh_token is missing"))?,
            },
            _ => Grant::ClientCredentials {
                scope: owned("scope").ok_or_else(|| refuse(E::E007013, "scope is missing"))?,
            },
        };
        let state = params.get("state").unwrap_or("");
        if !is_uuid(state) {
            return Err(refuse(E::E007003, "state is not a UUID"));
        }
        let timestamp = timestamp_in_window(params, now, window_secs)?;
        Ok(TeRequest {
            endpoint,
            client_id: client_id.into(),
            state: state.into(),
            timestamp,
            grant,
            signed: SignedFields::of(params),
        })
    }
}

#[cfg(test)]
#[path = "request_tests.rs"]
mod tests;
