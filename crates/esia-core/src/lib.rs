//! esia-core: the IdP, what real ESIA does. Use cases (registration, login and sessions, password
//! recovery, the cabinet, levels and checks, confirmation, the protocol, person data, outbox,
//! typed job payloads) over the pure domain, the store and the crypto crate. This is the only
//! layer that opens transactions; it knows nothing about HTTP and nothing about the emulator's
//! control plane (`esia-control`), which meets it only through the `Clock` trait and the
//! `protocol::shortcut` door.

pub mod admin_config;
pub mod app;
pub mod cabinet_view;
mod coalesce;
pub mod codes;
pub mod config;
mod config_sections;
pub mod error;
pub mod jobs;
pub mod keys;
mod locals;
pub mod login;
pub mod login_signature;
mod mail;
pub mod notify;
pub mod outbox;
pub mod password;
pub mod person;
pub mod protocol;
pub mod recovery;
pub mod registration;
pub mod request_context;
pub mod server_config;
pub mod session;
pub mod upgrade;
pub mod verification_config;

pub use app::Core;
pub use config::Config;
pub use error::{CoreError, CoreResult, FieldError};
pub use esia_domain as domain;
