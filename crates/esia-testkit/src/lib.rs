//! esia-testkit (dev-only): everything the integration tests (`tests/e2e`) and the benches share,
//! so the test tree holds tests only. The ground: a database per test (`TestDb`: a temp SQLite
//! file, or a fresh PostgreSQL database when `TEST_DATABASE_URL` is set), `spawn_app` on port 0
//! with a cookie-keeping client, a second replica over the same database (`spawn_second_app`),
//! real processes of the binary (`cluster`), a real headless browser and a real SMTP sink. On
//! top, what the tests say to the emulator: the protocol client (`protocol`, `openssl`), `/rs`
//! tokens (`persons`), fault rules (`faults`), the upgrade path (`upgrade`), raw HTTP
//! (`raw_http`), the login form against any replica (`login_form`), the hostile-input walker
//! (`hostile`), the topology steps (`topology`) the benchmarks' error-counting client
//! (`load_client`) and their queue of verification jobs (`verification_load`). Helpers build, send and read (asserting at
//! most that a step could be taken); the tests judge. `alone` runs a test that must judge the
//! whole process in a process of its own.

pub mod alone;
pub mod browser;
pub mod cluster;
pub mod db;
pub mod faults;
pub mod hostile;
pub mod load_client;
pub mod login_form;
pub mod openssl;
pub mod persons;
pub mod protocol;
pub mod raw_http;
pub mod received_mail;
pub mod replica;
pub mod smtp_sink;
pub mod spawn;
pub mod topology;
pub mod upgrade;
pub mod verification_load;

pub use db::TestDb;
pub use replica::{spawn_second_app, Replica};
pub use spawn::{spawn_app, spawn_app_with, TestApp};
