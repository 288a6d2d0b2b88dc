//! esia-testkit (dev-only): a database per test (`TestDb`: a temp SQLite file, or a fresh
//! PostgreSQL database when `TEST_DATABASE_URL` is set), `spawn_app` on port 0 with a
//! cookie-keeping client, a second replica over the same database (`spawn_second_app`), a real
//! headless browser and a real SMTP sink.

pub mod browser;
pub mod db;
pub mod replica;
pub mod smtp_sink;
pub mod spawn;

pub use db::TestDb;
pub use replica::{spawn_second_app, Replica};
pub use spawn::{spawn_app, spawn_app_with, TestApp};
