//! `[server]`: where the emulator listens, the public base URL, and what follows from them for
//! the web layer — whether it listens beyond loopback, whether cookies are `Secure`, and which
//! `Host` names it answers (the DNS-rebinding rule). It only reads the values; the HTTP checks
//! themselves live in esia-web.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    /// Address and port to listen on.
    pub bind: String,
    /// External base URL used in links and REST element URLs; empty = `http://<bind>`.
    pub public_base_url: String,
    /// Directory for the SQLite database and the file mail transport.
    pub data_dir: PathBuf,
    /// Set the Secure flag on cookies (when served behind https). An https public base URL
    /// sets it anyway.
    pub secure_cookies: bool,
    /// Host names answered besides the public base URL's host, `localhost` and IP literals
    /// (reverse proxies, docker-compose service names); any other `Host` gets 421.
    pub allowed_hosts: Vec<String>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            bind: "127.0.0.1:8080".into(),
            public_base_url: String::new(),
            data_dir: PathBuf::from("./data"),
            secure_cookies: false,
            allowed_hosts: Vec::new(),
        }
    }
}

impl ServerConfig {
    /// True when `bind` is not a loopback address (an unparsable bind is reported by
    /// validation and counts as beyond loopback here, so nothing is loosened by mistake).
    pub fn beyond_loopback(&self) -> bool {
        self.bind
            .parse::<std::net::SocketAddr>()
            .map(|a| !a.ip().is_loopback())
            .unwrap_or(true)
    }

    /// Cookies carry `Secure` when configured or when the public base URL is https (a
    /// browser on https must never send the session over plain http).
    pub fn cookies_secure(&self) -> bool {
        self.secure_cookies
            || url::Url::parse(&self.public_base_url).is_ok_and(|u| u.scheme() == "https")
    }

    /// The host names (lower-case, no port) a request's `Host` may name: the public base URL's
    /// host and `allowed_hosts`. `localhost` and IP literals are accepted by the web layer on
    /// top of these.
    pub fn served_host_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .allowed_hosts
            .iter()
            .map(|h| normalise_host(h))
            .collect();
        if let Some(host) = url::Url::parse(&self.public_base_url)
            .ok()
            .and_then(|u| u.host_str().map(normalise_host))
        {
            names.push(host);
        }
        names
    }

    /// Problems of `allowed_hosts`: each entry is a bare host name (no scheme, port or path).
    pub fn problems(&self) -> Vec<String> {
        self.allowed_hosts
            .iter()
            .filter(|h| {
                h.is_empty()
                    || h.contains(['/', ':', '@', '*'])
                    || h.chars().any(|c| c.is_whitespace() || c.is_control())
                    || url::Host::parse(h).is_err()
            })
            .map(|h| {
                format!(
                    "server.allowed_hosts entry `{}` must be a bare host name \
                     (no scheme, port, path or wildcard)",
                    h.escape_debug()
                )
            })
            .collect()
    }
}

/// Lower-case, without one trailing dot (`Localhost.` names the same host as `localhost`).
pub fn normalise_host(host: &str) -> String {
    host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::ServerConfig;

    fn with(base: &str, allowed: &[&str]) -> ServerConfig {
        ServerConfig {
            public_base_url: base.into(),
            allowed_hosts: allowed.iter().map(|s| s.to_string()).collect(),
            ..ServerConfig::default()
        }
    }

    #[test]
    fn cookies_are_secure_behind_https() {
        assert!(!with("", &[]).cookies_secure());
        assert!(!with("http://esia.test:8080", &[]).cookies_secure());
        assert!(with("https://esia.test", &[]).cookies_secure());
        assert!(with("HTTPS://esia.test/", &[]).cookies_secure());
    }

    #[test]
    fn served_names_are_the_public_host_and_the_extra_ones() {
        let c = with(
            "https://Esia.Example:8443/base/",
            &["emulator-a", "Proxy.local."],
        );
        assert_eq!(
            c.served_host_names(),
            ["emulator-a", "proxy.local", "esia.example"]
        );
        assert!(c.problems().is_empty());
        for bad in ["http://x", "x:8080", "", "a b", "*.example", "x/y", "u@x"] {
            assert_eq!(with("", &[bad]).problems().len(), 1, "{bad}");
        }
    }

    #[test]
    fn loopback_binds_stay_local() {
        let mut c = ServerConfig::default();
        assert!(!c.beyond_loopback());
        c.bind = "[::1]:80".into();
        assert!(!c.beyond_loopback());
        c.bind = "0.0.0.0:8080".into();
        assert!(c.beyond_loopback());
        c.bind = "nonsense".into();
        assert!(c.beyond_loopback());
    }
}
