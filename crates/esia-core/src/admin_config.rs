//! `[admin]`: the token that guards the QA control plane (`/emulator/api/…` and the `/emulator`
//! admin pages), and the rule that the emulator listens beyond loopback only with one. The token
//! is compared by digest and never printed (`Debug` shows only whether it is set).

use serde::{Deserialize, Serialize};

/// Shortest token accepted: a guessable token on a network port would defeat the guard.
pub const MIN_TOKEN_CHARS: usize = 16;

#[derive(Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct AdminConfig {
    /// Bearer token of the QA API and admin pages; empty = open, allowed only on loopback.
    pub token: String,
}

impl std::fmt::Debug for AdminConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminConfig")
            .field(
                "token",
                &if self.token.is_empty() {
                    "<empty>"
                } else {
                    "<set>"
                },
            )
            .finish()
    }
}

impl AdminConfig {
    pub fn is_open(&self) -> bool {
        self.token.is_empty()
    }

    /// The value of the admin cookie: a digest of the token, so the cookie jar never holds
    /// the token itself.
    pub fn cookie_value(&self) -> String {
        hex::encode(esia_crypto::hash::sha256(
            format!("esia-emulator-admin-cookie:{}", self.token).as_bytes(),
        ))
    }

    /// True when `presented` is the token. Digests are compared, so the time taken does not
    /// depend on how much of the token a caller guessed right.
    pub fn token_matches(&self, presented: &str) -> bool {
        !self.token.is_empty()
            && esia_crypto::hash::sha256(presented.as_bytes())
                == esia_crypto::hash::sha256(self.token.as_bytes())
    }

    /// True when `presented` is the admin cookie of this token.
    pub fn cookie_matches(&self, presented: &str) -> bool {
        !self.token.is_empty()
            && esia_crypto::hash::sha256(presented.as_bytes())
                == esia_crypto::hash::sha256(self.cookie_value().as_bytes())
    }

    /// Problems of this section given where the server listens.
    pub fn problems(&self, bind: &str) -> Vec<String> {
        let mut problems = Vec::new();
        let loopback = bind
            .parse::<std::net::SocketAddr>()
            .map(|a| a.ip().is_loopback())
            .unwrap_or(true);
        if self.token.is_empty() && !loopback {
            problems.push(format!(
                "server.bind `{bind}` is not a loopback address: set admin.token \
                 (ESIA__ADMIN__TOKEN, at least {MIN_TOKEN_CHARS} characters), or the QA API that \
                 creates persons and injects faults would be open to the network"
            ));
        }
        if !self.token.is_empty() && self.token.chars().count() < MIN_TOKEN_CHARS {
            problems.push(format!(
                "admin.token must be at least {MIN_TOKEN_CHARS} characters"
            ));
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::AdminConfig;

    fn with(token: &str) -> AdminConfig {
        AdminConfig {
            token: token.into(),
        }
    }

    #[test]
    fn listening_beyond_loopback_needs_a_token() {
        assert!(with("").problems("127.0.0.1:8080").is_empty());
        assert!(with("").problems("[::1]:8080").is_empty());
        assert_eq!(with("").problems("0.0.0.0:8080").len(), 1);
        assert_eq!(with("").problems("192.168.1.5:8080").len(), 1);
        assert!(with("0123456789abcdef").problems("0.0.0.0:8080").is_empty());
        assert_eq!(with("short").problems("127.0.0.1:8080").len(), 1);
    }

    #[test]
    fn tokens_and_cookies_match_only_their_own_value() {
        let admin = with("0123456789abcdef");
        assert!(admin.token_matches("0123456789abcdef"));
        assert!(!admin.token_matches("0123456789abcdeF"));
        assert!(admin.cookie_matches(&admin.cookie_value()));
        assert!(!admin.cookie_matches("0123456789abcdef"));
        assert!(!with("").token_matches(""));
        assert!(!with("").cookie_matches(&with("").cookie_value()));
        assert!(!format!("{admin:?}").contains("0123"));
    }
}
