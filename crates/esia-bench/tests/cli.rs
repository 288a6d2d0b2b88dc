//! The command line of the built `esia-bench` binary (this test also makes `cargo test
//! --workspace` build the binary that tests/e2e/ops/bench_command.rs runs): the one command and
//! its options are there, and a missing emulator binary is a clear failure, not a panic.

use std::process::Command;

const BENCH: &str = env!("CARGO_BIN_EXE_esia-bench");

#[test]
fn help_names_the_command_and_its_options() {
    let out = Command::new(BENCH)
        .args(["all", "--help"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for option in ["--quick", "--peers", "--database-url", "--json", "--bin"] {
        assert!(help.contains(option), "{option} missing in: {help}");
    }
}

#[test]
fn an_unknown_option_or_a_missing_binary_fails_clearly() {
    let out = Command::new(BENCH)
        .args(["all", "--fast"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "clap refuses an unknown option");
    let out = Command::new(BENCH)
        .args(["all", "--quick", "--bin", "/nonexistent/esia-emulator"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("start /nonexistent/esia-emulator"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}
