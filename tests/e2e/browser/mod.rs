//! Real headless Chromium against the running emulator (gated by `ESIA_TEST_BROWSER=1`, a loud
//! `SKIPPED` line otherwise): admin pages, cabinet, protocol login, registration, role choice
//! and the account upgrade path.

mod browser_admin;
mod browser_admin_extra;
mod browser_consents;
mod browser_profile;
mod browser_protocol;
mod browser_registration;
mod browser_role_choice;
mod browser_upgrade;
