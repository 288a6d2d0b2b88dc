//! The one integration-test binary of the workspace (`cargo test --test e2e`): every end-to-end
//! test of the emulator over real HTTP, the real binary, SMTP, PostgreSQL and Chromium, one
//! module per former test file, grouped by the part of the emulator it drives. One binary links
//! the application once instead of once per file. Helpers live in `esia-testkit`, never here:
//! these modules hold tests only. All tests share one process and must not depend on order or
//! on process-wide state; a test that must judge the whole process runs itself alone through
//! `esia_testkit::alone` (see `ops::hostile_input`). Gated tests print a loud `SKIPPED` line.

mod accounts;
mod admin;
mod api;
mod browser;
mod levels;
mod ops;
mod protocol;
mod rs;
