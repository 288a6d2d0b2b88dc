//! The emulator's admin pages and their guard over real HTTP: the admin token, jobs, outbox,
//! journal, personas, reset and client systems pages.

mod admin_auth;
mod admin_auth_spellings;
mod admin_pages;
mod admin_personas;
mod admin_reset;
mod clients_page;
