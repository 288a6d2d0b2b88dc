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

pub fn configure(cfg: &mut web::ServiceConfig) {
    personas::configure(cfg);
    jobs::configure(cfg);
    outbox::configure(cfg);
    journal::configure(cfg);
    faults::configure(cfg);
    clock::configure(cfg);
    reset::configure(cfg);
}
