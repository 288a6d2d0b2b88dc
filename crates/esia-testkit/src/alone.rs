//! Running one test of the integration binary alone, in a child process of the same binary.
//! All integration tests share one process (`tests/e2e`), so anything process-wide — a panic
//! hook that counts every panic, a global tracing subscriber — would also see the other tests
//! running beside it (`db_outage` panics on purpose inside `catch_unwind`). A test that must
//! judge the whole process calls [`in_own_process`] first: the parent re-runs exactly that test
//! in a child (`--exact`, one thread) and passes or fails with it; the child runs the body.
//! This module only starts and judges the child; it must not change what the test checks.

use std::io::Write;
use std::process::Command;

/// Set in the child to the name of the test it must run.
pub const ENV: &str = "ESIA_E2E_ALONE";

/// `true` in the child (run the test body); in the parent, runs the test `name` of module
/// `module` (pass `module_path!()`) in a child process, forwards its output, panics unless
/// exactly that one test passed there, and returns `false` (the caller returns).
pub fn in_own_process(module: &str, name: &str) -> bool {
    // libtest names a test by its path without the crate: `ops::hostile_input::every_…`.
    let module = module.split_once("::").map_or("", |(_, rest)| rest);
    let full = if module.is_empty() {
        name.to_string()
    } else {
        format!("{module}::{name}")
    };
    if std::env::var(ENV).as_deref() == Ok(full.as_str()) {
        return true;
    }
    let exe = std::env::current_exe().expect("the test binary's path");
    let out = Command::new(exe)
        .args([full.as_str(), "--exact", "--nocapture", "--test-threads=1"])
        .env(ENV, &full)
        .output()
        .expect("start the test binary again for one test");
    let stdout = String::from_utf8_lossy(&out.stdout);
    // The child's stdout goes to this test's captured output (shown when it fails, as the
    // test's own lines were when it ran in its own binary); stderr (the loud SKIPPED lines,
    // server logs) to the real stderr.
    print!("{stdout}");
    let _ = std::io::stderr().write_all(&out.stderr);
    assert!(
        out.status.success(),
        "{full} failed in its own process ({})",
        out.status
    );
    assert!(
        stdout.contains("test result: ok. 1 passed"),
        "{full} did not run in its own process (is the name right?)"
    );
    false
}
