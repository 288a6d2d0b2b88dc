//! The emulator's admin pages under `/emulator/…` (not ESIA pages): personas, verification jobs, the
//! outbox, the protocol journal with its JWT and client_secret decoder, faults, the clock and the
//! state reset. Server-rendered over the
//! same core functions as the QA API; every form carries the CSRF token, and a refused input is
//! shown on the page (never a 500).

mod clock;
mod faults;
mod jobs;
mod journal;
mod outbox;
mod personas;
mod reset;

use actix_web::web;
use esia_core::CoreError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    personas::configure(cfg);
    jobs::configure(cfg);
    outbox::configure(cfg);
    journal::configure(cfg);
    faults::configure(cfg);
    clock::configure(cfg);
    reset::configure(cfg);
}

/// A core error as one line for the page's alert, or None when the page should give way to the
/// generic error page (internal failures).
fn page_message(e: &CoreError) -> Option<String> {
    match e {
        CoreError::Validation(fields) => Some(
            fields
                .iter()
                .map(|f| format!("{}: {}", f.field, f.error.message))
                .collect::<Vec<_>>()
                .join("; "),
        ),
        CoreError::NotFound(what) => Some(format!("Не найдено: {what}")),
        CoreError::Conflict(m) | CoreError::LoginTaken(m) => Some(m.clone()),
        _ => None,
    }
}
