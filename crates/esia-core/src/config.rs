//! Configuration: defaults in code, an optional TOML file, `ESIA__SECTION__KEY` environment
//! overrides (figment), unknown keys refused, and `validate()` that reports every problem at once.
//! It must not read anything but the file and the environment it is given.

use std::path::{Path, PathBuf};

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};

pub use crate::config_sections::{
    DatabaseConfig, DemoConfig, KeysConfig, LoginConfig, MailConfig, ProtocolConfig,
    RegistrationConfig, SecurityConfig,
};
pub use crate::server_config::ServerConfig;

/// The whole configuration, passed around in an `Arc`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub server: ServerConfig,
    pub database: DatabaseConfig,
    pub keys: KeysConfig,
    pub security: SecurityConfig,
    pub registration: RegistrationConfig,
    pub login: LoginConfig,
    pub mail: MailConfig,
    pub demo: DemoConfig,
    pub protocol: ProtocolConfig,
    pub verification: crate::verification_config::VerificationConfig,
    pub admin: crate::admin_config::AdminConfig,
}

/// Every problem found while loading or validating, reported together.
#[derive(Debug, thiserror::Error)]
#[error("configuration problems:\n  - {}", .0.join("\n  - "))]
pub struct ConfigErrors(pub Vec<String>);

impl Config {
    /// Loads defaults, then the TOML file (if given), then `ESIA__…` variables from `env`.
    pub fn load(file: Option<&Path>) -> Result<Config, ConfigErrors> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        if let Some(path) = file {
            if !path.exists() {
                return Err(ConfigErrors(vec![format!(
                    "config file {} does not exist",
                    path.display()
                )]));
            }
            figment = figment.merge(Toml::file(path));
        }
        figment = figment.merge(Env::prefixed("ESIA__").split("__"));
        extract_all(figment)
    }

    /// Checks values that parse but make no sense; returns all problems at once.
    pub fn validate(&self) -> Result<(), ConfigErrors> {
        let mut problems = self.admin.problems(&self.server.bind);
        problems.extend(self.server.problems());
        if self.server.bind.parse::<std::net::SocketAddr>().is_err() {
            problems.push(format!(
                "server.bind `{}` is not ADDR:PORT",
                self.server.bind
            ));
        }
        if !self.server.public_base_url.is_empty()
            && url::Url::parse(&self.server.public_base_url).is_err()
        {
            problems.push(format!(
                "server.public_base_url `{}` is not a URL",
                self.server.public_base_url
            ));
        }
        if let Err(e) = esia_store::Backend::from_url(&self.database_url()) {
            problems.push(format!("database.url: {e}"));
        }
        if self.database.pool_size == 0 {
            problems.push("database.pool_size must be at least 1".into());
        }
        if self.database.pool_timeout_secs == 0 {
            problems.push("database.pool_timeout_secs must be at least 1".into());
        }
        if !["default", "cheap", "custom"].contains(&self.security.password_profile.as_str()) {
            problems.push(format!(
                "security.password_profile `{}` must be default, cheap or custom",
                self.security.password_profile
            ));
        }
        if let Err(e) = esia_crypto::password::validate_params(&self.security.argon2()) {
            problems.push(format!("security.argon2_*: {e}"));
        }
        let reg = &self.registration;
        for (name, value) in [
            ("registration.code_ttl_secs", reg.code_ttl_secs),
            ("registration.email_link_ttl_secs", reg.email_link_ttl_secs),
            ("registration.pending_ttl_secs", reg.pending_ttl_secs),
            ("login.failure_window_secs", self.login.failure_window_secs),
            ("login.session_ttl_secs", self.login.session_ttl_secs),
        ] {
            if value == 0 {
                problems.push(format!("{name} must be greater than 0"));
            }
        }
        if reg.code_attempts == 0 {
            problems.push("registration.code_attempts must be at least 1".into());
        }
        if self.login.max_failures == 0 {
            problems.push("login.max_failures must be at least 1".into());
        }
        if !self.mail.smtp.is_empty() && !self.mail.smtp.starts_with("smtp://") {
            problems.push(format!(
                "mail.smtp `{}` must look like smtp://host:port",
                self.mail.smtp
            ));
        }
        let p = &self.protocol;
        for (name, value) in [
            ("protocol.code_ttl_secs", p.code_ttl_secs),
            ("protocol.access_token_ttl_secs", p.access_token_ttl_secs),
            ("protocol.id_token_ttl_secs", p.id_token_ttl_secs),
            ("protocol.refresh_token_ttl_secs", p.refresh_token_ttl_secs),
        ] {
            if value == 0 {
                problems.push(format!("{name} must be greater than 0"));
            }
        }
        if p.issuer.is_empty() {
            problems.push("protocol.issuer must not be empty".into());
        }
        if !(1..=10_000).contains(&p.journal_flush_ms) {
            problems.push("protocol.journal_flush_ms must be between 1 and 10000".into());
        }
        if ![401, 403].contains(&p.rest_scope_error_status) {
            problems.push("protocol.rest_scope_error_status must be 401 or 403".into());
        }
        problems.extend(self.verification.problems());
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ConfigErrors(problems))
        }
    }

    /// The effective database URL (SQLite under the data directory by default).
    pub fn database_url(&self) -> String {
        if self.database.url.is_empty() {
            self.server
                .data_dir
                .join("esia.db")
                .to_string_lossy()
                .into_owned()
        } else {
            self.database.url.clone()
        }
    }

    /// The effective external base URL, without a trailing slash.
    pub fn public_base_url(&self) -> String {
        let base = if self.server.public_base_url.is_empty() {
            format!("http://{}", self.server.bind)
        } else {
            self.server.public_base_url.clone()
        };
        base.trim_end_matches('/').to_string()
    }

    /// Whether the demo client `DEMO_IS` (public private keys) is seeded and served: always
    /// on loopback, beyond it only with `demo.allow_demo_client_on_network`.
    pub fn demo_client_served(&self) -> bool {
        !self.server.beyond_loopback() || self.demo.allow_demo_client_on_network
    }

    /// The effective directory of the file mail transport.
    pub fn mail_file_dir(&self) -> PathBuf {
        if self.mail.file_dir.as_os_str().is_empty() {
            self.server.data_dir.join("mail")
        } else {
            self.mail.file_dir.clone()
        }
    }
}

/// Extracts the configuration and reports every problem at once. serde stops at the first value
/// of the wrong type, so each such key is put back to its default and the extraction retried
/// (once per key); `validate()` then runs on the values that did parse, and its problems join
/// the type errors.
fn extract_all(mut figment: Figment) -> Result<Config, ConfigErrors> {
    let defaults = Figment::from(Serialized::defaults(Config::default()));
    let mut problems: Vec<String> = Vec::new();
    let mut reset = std::collections::HashSet::new();
    loop {
        let errors = match figment.extract::<Config>() {
            Ok(config) => {
                if let Err(ConfigErrors(more)) = config.validate() {
                    problems.extend(more);
                }
                return if problems.is_empty() {
                    Ok(config)
                } else {
                    Err(ConfigErrors(problems))
                };
            }
            Err(errors) => errors,
        };
        let mut retried = false;
        for one in errors {
            let message = one.to_string();
            if !problems.contains(&message) {
                problems.push(message);
            }
            let key = one.path.join(".");
            if key.is_empty() || !reset.insert(key.clone()) {
                continue;
            }
            if let Ok(value) = defaults.find_value(&key) {
                figment = figment.merge(Serialized::default(&key, value));
                retried = true;
            }
        }
        if !retried {
            return Err(ConfigErrors(problems));
        }
    }
}

/// The commented default configuration printed by `config defaults` and kept in
/// docs/config.example.toml (a test fails when they differ or when it stops matching the code).
pub const DEFAULTS_TOML: &str = include_str!("config_defaults.toml");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commented_defaults_parse_to_the_code_defaults() {
        let parsed: Config = toml::from_str(DEFAULTS_TOML).expect("defaults file parses");
        assert_eq!(parsed, Config::default());
    }

    #[test]
    fn defaults_validate() {
        Config::default().validate().unwrap();
    }

    #[test]
    fn validate_reports_every_problem_at_once() {
        let mut c = Config::default();
        c.server.bind = "nonsense".into();
        c.database.url = "mysql://x".into();
        c.database.pool_size = 0;
        c.security.password_profile = "fast".into();
        let errors = c.validate().unwrap_err().0;
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(errors.iter().any(|e| e.contains("mysql")));
    }

    #[test]
    fn a_value_of_the_wrong_type_is_reported_beside_an_invalid_one() {
        let figment = Figment::from(Serialized::defaults(Config::default())).merge(Toml::string(
            "[server]\nbind = \"garbage\"\n[protocol]\njournal_max_rows = \"many\"\n\
                 [database]\npool_size = \"big\"\n",
        ));
        let errors = extract_all(figment).unwrap_err().0;
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(
            errors.iter().any(|e| e.contains("journal_max_rows")),
            "{errors:?}"
        );
        assert!(errors.iter().any(|e| e.contains("pool_size")), "{errors:?}");
        assert!(
            errors.iter().any(|e| e.contains("server.bind")),
            "{errors:?}"
        );
    }

    #[test]
    fn an_unknown_key_is_reported_once_and_ends_the_retries() {
        let figment = Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::string("[server]\nbnd = \"x\"\n"));
        let errors = extract_all(figment).unwrap_err().0;
        assert_eq!(errors.len(), 1, "{errors:?}");
    }

    #[test]
    fn unknown_keys_are_refused() {
        let r: Result<Config, _> = toml::from_str("[server]\nbnd = \"x\"\n");
        assert!(r.is_err());
    }

    #[test]
    fn empty_url_means_sqlite_in_data_dir() {
        let c = Config::default();
        assert!(c.database_url().ends_with("esia.db"));
        assert_eq!(c.public_base_url(), "http://127.0.0.1:8080");
    }
}
