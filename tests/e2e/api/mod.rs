//! The QA API (`/emulator/api/…`) over real HTTP: probes, clock, faults, journal, personas (one
//! and in bulk), state, seed files, zero-click, the metrics, the persona catalogue and the pinned OpenAPI
//! document (its snapshot is in `snapshots/`).

mod api_basics;
mod api_clock;
mod api_faults;
mod api_faults_tokens;
mod api_journal;
mod api_personas;
mod api_personas_changes;
mod api_state;
mod journal_write_behind;
mod metrics;
mod openapi;
mod persona_catalogue;
mod personas_bulk;
mod seed_files;
mod zero_click;
