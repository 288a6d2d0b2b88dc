//! Configuration: defaults in code, an optional TOML file, `ESIA__SECTION__KEY` environment
//! overrides (figment), unknown keys refused, and `validate()` that reports every problem at once.
//! It must not read anything but the file and the environment it is given.

use std::path::{Path, PathBuf};

use esia_crypto::password::Argon2Params;
use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};

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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseConfig {
    /// Empty = SQLite at `<data_dir>/esia.db`; or a path, `sqlite://PATH`, `postgres://…`.
    pub url: String,
    pub pool_size: u32,
    /// Seconds a request waits for a database connection before it is answered 503.
    pub pool_timeout_secs: u64,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        DatabaseConfig {
            url: String::new(),
            pool_size: 8,
            pool_timeout_secs: 5,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct KeysConfig {
    /// Where the emulator's own signing keys live; generated when absent.
    pub dir: PathBuf,
}

impl Default for KeysConfig {
    fn default() -> Self {
        KeysConfig {
            dir: PathBuf::from("./keys"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SecurityConfig {
    /// `default` (m=19456,t=2,p=1), `cheap` (tests and load scenarios) or `custom` (below).
    pub password_profile: String,
    pub argon2_m_cost: u32,
    pub argon2_t_cost: u32,
    pub argon2_p_cost: u32,
}

impl Default for SecurityConfig {
    fn default() -> Self {
        SecurityConfig {
            password_profile: "default".into(),
            argon2_m_cost: Argon2Params::DEFAULT.m_cost,
            argon2_t_cost: Argon2Params::DEFAULT.t_cost,
            argon2_p_cost: Argon2Params::DEFAULT.p_cost,
        }
    }
}

impl SecurityConfig {
    pub fn argon2(&self) -> Argon2Params {
        match self.password_profile.as_str() {
            "cheap" => Argon2Params::CHEAP,
            "custom" => Argon2Params {
                m_cost: self.argon2_m_cost,
                t_cost: self.argon2_t_cost,
                p_cost: self.argon2_p_cost,
            },
            _ => Argon2Params::DEFAULT,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RegistrationConfig {
    pub code_ttl_secs: u64,
    pub code_attempts: u32,
    pub resend_cooldown_secs: u64,
    /// How long code confirmation stays blocked after the attempts are used up.
    pub code_block_secs: u64,
    pub email_link_ttl_secs: u64,
    /// How long an unfinished registration is kept.
    pub pending_ttl_secs: u64,
}

impl Default for RegistrationConfig {
    fn default() -> Self {
        RegistrationConfig {
            code_ttl_secs: 300,
            code_attempts: 3,
            resend_cooldown_secs: 60,
            code_block_secs: 600,
            email_link_ttl_secs: 86_400,
            pending_ttl_secs: 86_400,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LoginConfig {
    pub max_failures: u32,
    pub failure_window_secs: u64,
    pub lockout_secs: u64,
    /// Lifetime of a remembered browser session.
    pub session_ttl_secs: u64,
}

impl Default for LoginConfig {
    fn default() -> Self {
        LoginConfig {
            max_failures: 5,
            failure_window_secs: 900,
            lockout_secs: 300,
            session_ttl_secs: 28_800,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MailConfig {
    /// `From:` of every e-mail.
    pub from: String,
    /// `smtp://host:port` to deliver through SMTP (e.g. mailpit); empty = file transport.
    pub smtp: String,
    /// Where the file transport writes `.eml` files; empty = `<data_dir>/mail`.
    pub file_dir: PathBuf,
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            from: "ESIA emulator <no-reply@esia-emulator.test>".into(),
            smtp: String::new(),
            file_dir: PathBuf::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DemoConfig {
    /// Seed the demo personas into an empty database on start.
    pub seed: bool,
    /// A seed file (YAML/TOML) applied on every start after the demo seed and re-applied by
    /// `POST /emulator/api/reset`; empty = none. `serve --seed FILE` sets it.
    pub seed_file: String,
    /// Seed and serve the demo client `DEMO_IS` even when `server.bind` is beyond loopback.
    /// Its private keys are public (in the repository), so anyone on the network could sign
    /// as it; off by default.
    pub allow_demo_client_on_network: bool,
}

impl Default for DemoConfig {
    fn default() -> Self {
        DemoConfig {
            seed: true,
            seed_file: String::new(),
            allow_demo_client_on_network: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ProtocolConfig {
    /// `iss` of every token; the production style is `http://esia.gosuslugi.ru/`.
    pub issuer: String,
    /// Allowed skew of a request `timestamp` in either direction (ESIA-007015 outside it).
    pub timestamp_window_secs: u64,
    /// Lifetime of an authorization code (single-use in any case).
    pub code_ttl_secs: u64,
    pub access_token_ttl_secs: u64,
    pub id_token_ttl_secs: u64,
    pub refresh_token_ttl_secs: u64,
    /// HTTP status for ESIA-005029 (scope not allowed) on /rs: 403 by default, 401 possible.
    pub rest_scope_error_status: u16,
    /// Emulator extension, not ESIA: zero-click login (`emulator_persona` on `ac`, queued next
    /// logins) for every client. Off by default; a client can also be enabled on its own.
    pub zero_click: bool,
    /// Journal every `/rs` and userinfo request (one insert each); off for load tests.
    pub journal_rs: bool,
    /// Keep at most this many journal entries: the oldest go as new ones arrive (checked
    /// every `JOURNAL_TRIM_EVERY` entries); 0 keeps every entry.
    pub journal_max_rows: u64,
}

impl Default for ProtocolConfig {
    fn default() -> Self {
        ProtocolConfig {
            issuer: "http://esia-portal1.test.gosuslugi.ru/".into(),
            timestamp_window_secs: 300,
            code_ttl_secs: 300,
            access_token_ttl_secs: 3600,
            id_token_ttl_secs: 10_800,
            refresh_token_ttl_secs: 2_592_000,
            rest_scope_error_status: 403,
            zero_click: false,
            journal_rs: true,
            journal_max_rows: 100_000,
        }
    }
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
        let config: Config = figment
            .extract()
            .map_err(|e| ConfigErrors(e.into_iter().map(|one| one.to_string()).collect()))?;
        config.validate()?;
        Ok(config)
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
