//! `esia-bench all --quick --json FILE` against the debug emulator binary: the one benchmark
//! command starts the real binary, takes every figure of issue 12 with zero request errors and
//! writes them as JSON. The bench binary is built by `cargo test --workspace` (its crate has an
//! integration test) next to the emulator's; the figures' values are not judged here (a debug
//! build on a shared machine), only that each was taken.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

const FIGURES: &[&str] = &[
    "cold start to first health 200 (median)",
    "idle RSS after start",
    "GET /emulator/health",
    "GET /rs/prns/{oid} journal on",
    "v3 te GOST secret, RS256 tokens",
    "v3 te GOST secret, GOST tokens",
    "v1 te RSA CMS secret, RS256 tokens",
    "ac → login → consent → te flows (cheap Argon2)",
    "registrations (cheap Argon2)",
    "RSS after load",
    "GET /rs/prns/{oid} journal off",
    "registrations (default Argon2)",
    "verification jobs (worker process)",
];

#[test]
fn quick_run_takes_every_figure_without_errors() {
    let emulator = env!("CARGO_BIN_EXE_esia-emulator");
    let bench = Path::new(emulator).with_file_name("esia-bench");
    assert!(
        bench.is_file(),
        "{} is not built: run `cargo test --workspace` (it builds the esia-bench binary)",
        bench.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("bench.json");
    let mut cmd = Command::new(&bench);
    cmd.args(["all", "--quick", "--bin", emulator, "--json"])
        .arg(&json);
    if let Ok(url) = std::env::var("TEST_DATABASE_URL") {
        cmd.args(["--database-url", &url]);
    }
    let out = cmd.output().expect("run esia-bench");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "esia-bench failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("machine: nproc"), "{stdout}");
    assert!(stdout.contains("errors: 0"), "{stdout}");

    let report: Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let figures = report["figures"].as_array().unwrap();
    for name in FIGURES {
        let f = figures
            .iter()
            .find(|f| f["name"] == *name)
            .unwrap_or_else(|| panic!("figure {name} missing: {report}"));
        assert!(f["value"].as_f64().unwrap() > 0.0, "{name}: {f}");
        assert_eq!(f["errors"], 0, "{name}: {f}");
        assert!(stdout.contains(name), "{name} not in the table");
    }
    let rs = figures.iter().find(|f| f["name"] == FIGURES[3]).unwrap();
    assert_eq!(
        rs["reference"]["name"], "health",
        "/rs is compared with the ceiling"
    );
    assert!(rs["ratio"].as_f64().unwrap() > 0.0);
    assert!(report["machine"]["nproc"].as_u64().unwrap() >= 1);
    assert_eq!(report["quick"], true);
}
