//! The sections of the configuration below `[server]`: database, keys, security, registration,
//! login, mail, demo and protocol, each with its defaults. `config.rs` loads and validates the
//! whole; this file holds only the shapes and their defaults, never loading or checks.

use esia_crypto::password::Argon2Params;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

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
    /// Journal every `/rs` and userinfo request (written behind the answer, in batches,
    /// `protocol::journal_behind`); off for load tests of the read path alone.
    pub journal_rs: bool,
    /// How long a buffered `/rs` journal row waits for company before its batch is written
    /// (1–10,000 ms). Short, because a journal read on another replica cannot flush this one.
    pub journal_flush_ms: u64,
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
            journal_flush_ms: 20,
            journal_max_rows: 100_000,
        }
    }
}
