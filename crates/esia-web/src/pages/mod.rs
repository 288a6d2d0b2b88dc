//! Госуслуги-like HTML pages: registration, login, recovery, the cabinet. Server-rendered askama
//! templates that work without JavaScript; every element has a `data-testid`. Pages map core
//! outcomes to what the user sees; they hold no rules of their own.

mod admin;
mod assets;
mod bank;
mod bank_register;
mod clients;
mod confirm;
mod emulator_home;
mod login;
mod login_signature;
mod operator;
mod orgs;
mod personal_data;
mod profile;
mod recovery;
mod registration;

use actix_web::web;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The ESIA pages and the simulated banks (open: users reach the banks from the profile).
pub fn configure(cfg: &mut web::ServiceConfig) {
    assets::configure(cfg);
    registration::configure(cfg);
    login::configure(cfg);
    login_signature::configure(cfg);
    recovery::configure(cfg);
    profile::configure(cfg);
    personal_data::configure(cfg);
    confirm::configure(cfg);
    orgs::configure(cfg);
    bank::configure(cfg);
    bank_register::configure(cfg);
}

/// The admin pages; paths are relative to the `/emulator` scope that `crate::configure` wraps
/// with the admin guard.
pub fn configure_admin(cfg: &mut web::ServiceConfig) {
    emulator_home::configure(cfg);
    admin::configure(cfg);
    clients::configure(cfg);
    operator::configure(cfg);
}
