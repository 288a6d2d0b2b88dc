//! Redirect-URI matching for `ac` (`redirect_uri`, §2.2) and Logout (`redirect_url`, §10):
//! decides on the URL a browser would follow (WHATWG parsing, the `url` crate), and only when
//! the raw text says exactly that URL. Owns the rules and their refusal reasons; it must not
//! know about clients, channels or error codes (callers turn a refusal into ESIA-007023 or a
//! page, never into a redirect). Pure functions, so fuzz targets can call them directly.
//!
//! The rules, for a candidate against one registered URI:
//! - the text is a plain absolute `http://` or `https://` URL: no control characters or
//!   whitespace (browsers silently drop TAB/CR/LF), no backslash (browsers read it as `/`), no
//!   user info (`localhost:@evil` is a login on `evil`), no fragment, at most [`MAX_LEN`] bytes;
//! - the host as written is the host as parsed, up to ASCII case: percent-encoded, IDNA,
//!   numeric shorthand (`127.1`, `0x7f.1`) and empty hosts are refused, as are trailing dots;
//!   a written port is plain decimal without leading zeros;
//! - same scheme and host as the registered URI, and the same effective port, with one
//!   exception: a loopback host (`localhost`, `127.0.0.1`, `[::1]`) registered without a port
//!   allows any port (the demo client registers `http://localhost` for callbacks on whatever
//!   port a developer's system listens). On any other host another port is another service,
//!   which on a shared machine need not be the relying party's, so it is refused;
//! - the parsed path (dot segments resolved) is the registered path or below it on a segment
//!   boundary: `/cb` allows `/cb`, `/cb/x` and `/cb?x`, not `/cbevil`; `/cb/` allows `/cb/x`.
//!
//! Host case: `http://LOCALHOST/cb` is allowed for `http://localhost/cb`. Host names are
//! case-insensitive, every browser lowercases them, and the Location the emulator sends is the
//! parsed (lowercase) URL, so the browser lands on the registered host either way.

use url::Url;

/// The longest redirect URI considered (real ones are far shorter; this bounds the work).
pub const MAX_LEN: usize = 4096;

/// Why a URI is not a plain redirect target (for logs; never shown as is to the browser).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    TooLong,
    /// A control character or whitespace anywhere (TAB, CR, LF, NUL, space, …).
    Control,
    Backslash,
    /// Not `http://` or `https://` followed by an authority.
    Scheme,
    UserInfo,
    Fragment,
    /// The `url` crate refuses it.
    Unparsable,
    /// The host as parsed differs from the host as written, is empty or ends with a dot.
    Host,
    /// The written port is not plain decimal, or names the scheme's port in another spelling.
    Port,
    /// Well formed, but no registered URI allows it.
    NotRegistered,
}

impl Refusal {
    pub fn as_str(self) -> &'static str {
        match self {
            Refusal::TooLong => "too_long",
            Refusal::Control => "control_character",
            Refusal::Backslash => "backslash",
            Refusal::Scheme => "scheme",
            Refusal::UserInfo => "userinfo",
            Refusal::Fragment => "fragment",
            Refusal::Unparsable => "unparsable",
            Refusal::Host => "host",
            Refusal::Port => "port",
            Refusal::NotRegistered => "not_registered",
        }
    }
}

/// A URI that passed the form rules: the parsed URL and whether the text named a port.
#[derive(Debug, Clone)]
pub struct Plain {
    pub url: Url,
    pub explicit_port: bool,
}

/// Parses `raw` as a plain redirect target (the form rules of the module header).
pub fn parse_plain(raw: &str) -> Result<Plain, Refusal> {
    if raw.len() > MAX_LEN {
        return Err(Refusal::TooLong);
    }
    if raw.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(Refusal::Control);
    }
    if raw.contains('\\') {
        return Err(Refusal::Backslash);
    }
    let rest = strip_scheme(raw).ok_or(Refusal::Scheme)?;
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    if authority.contains('@') {
        return Err(Refusal::UserInfo);
    }
    let url = Url::parse(raw).map_err(|_| Refusal::Unparsable)?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Refusal::Scheme);
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Refusal::UserInfo);
    }
    if url.fragment().is_some() {
        return Err(Refusal::Fragment);
    }
    let (host, port) = split_authority(authority).ok_or(Refusal::Host)?;
    let parsed_host = url.host_str().unwrap_or("");
    if host.is_empty() || host.ends_with('.') || host.to_ascii_lowercase() != parsed_host {
        return Err(Refusal::Host);
    }
    if let Some(p) = port {
        let plain = !p.is_empty()
            && p.len() <= 5
            && p.bytes().all(|b| b.is_ascii_digit())
            && !p.starts_with('0');
        if !plain || p.parse::<u16>().ok() != url.port_or_known_default() {
            return Err(Refusal::Port);
        }
    }
    Ok(Plain {
        url,
        explicit_port: port.is_some(),
    })
}

/// The text after `http://` or `https://` (scheme in any case); None for anything else,
/// including `http:/x`, `http:x` and `http:\\x`, which browsers also read as URLs.
fn strip_scheme(raw: &str) -> Option<&str> {
    ["http://", "https://"].iter().find_map(|s| {
        raw.get(..s.len())
            .filter(|head| head.eq_ignore_ascii_case(s))
            .map(|_| &raw[s.len()..])
    })
}

/// `host[:port]` or `[v6][:port]` → (host, port text); None when malformed.
fn split_authority(authority: &str) -> Option<(&str, Option<&str>)> {
    if authority.starts_with('[') {
        let end = authority.find(']')?;
        let (host, tail) = authority.split_at(end + 1);
        return match tail {
            "" => Some((host, None)),
            t => t.strip_prefix(':').map(|p| (host, Some(p))),
        };
    }
    Some(match authority.split_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (authority, None),
    })
}

/// Whether `candidate` (already plain) is allowed by `registered` (already plain).
fn matches(registered: &Plain, candidate: &Plain) -> bool {
    let (r, c) = (&registered.url, &candidate.url);
    if r.scheme() != c.scheme() || r.host_str() != c.host_str() {
        return false;
    }
    let any_port = !registered.explicit_port && is_loopback(r);
    if !any_port && r.port_or_known_default() != c.port_or_known_default() {
        return false;
    }
    let (rp, cp) = (r.path(), c.path());
    if rp.ends_with('/') {
        cp.starts_with(rp)
    } else {
        cp == rp
            || cp
                .strip_prefix(rp)
                .is_some_and(|rest| rest.starts_with('/'))
    }
}

/// Checks `uri` against the registered URIs; Ok is the URL to redirect to (its serialisation,
/// not the raw text, goes into `Location`). Registered URIs that are not plain match nothing.
pub fn check(registered: &[String], uri: &str) -> Result<Url, Refusal> {
    let candidate = parse_plain(uri)?;
    registered
        .iter()
        .filter_map(|r| parse_plain(r).ok())
        .any(|r| matches(&r, &candidate))
        .then_some(candidate.url)
        .ok_or(Refusal::NotRegistered)
}

/// Loopback hosts as written in a registration (the parsed, lowercase host).
fn is_loopback(url: &Url) -> bool {
    matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"))
}

/// `check` as a yes/no.
pub fn allowed(registered: &[String], uri: &str) -> bool {
    check(registered, uri).is_ok()
}

#[cfg(test)]
#[path = "redirect_tests.rs"]
mod tests;
