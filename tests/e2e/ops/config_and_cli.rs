//! The binary's command line: config defaults kept in docs/, config check reporting every
//! problem, unknown database schemes refused, and `serve` answering on a fresh data directory.

use std::process::Command;
use std::time::{Duration, Instant};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_esia-emulator"));
    c.env_remove("ESIA_CONFIG");
    for (k, _) in std::env::vars() {
        if k.starts_with("ESIA__") {
            c.env_remove(k);
        }
    }
    c
}

#[test]
fn documented_defaults_match_the_printed_defaults() {
    let out = bin().args(["config", "defaults"]).output().unwrap();
    assert!(out.status.success());
    let printed = String::from_utf8(out.stdout).unwrap();
    let documented = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/config.example.toml"
    ))
    .unwrap();
    assert_eq!(printed, documented, "docs/config.example.toml is stale: run `esia-emulator config defaults > docs/config.example.toml`");
}

#[test]
fn config_check_reports_every_problem_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.toml");
    std::fs::write(
        &file,
        "[server]\nbind = \"nowhere\"\n[login]\nmax_failures = 0\n",
    )
    .unwrap();
    let out = bin()
        .args(["config", "check", "--config"])
        .arg(&file)
        .env("ESIA__DATABASE__URL", "mysql://localhost/x")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("server.bind"), "{err}");
    assert!(err.contains("login.max_failures"), "{err}");
    assert!(err.contains("mysql"), "{err}");

    std::fs::write(&file, "[server]\nbnid = \"x\"\n").unwrap();
    let out = bin()
        .args(["config", "check", "--config"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8(out.stderr).unwrap().contains("bnid"));
}

#[test]
fn config_check_reports_a_wrong_type_beside_an_invalid_value() {
    let out = bin()
        .args(["config", "check"])
        .env("ESIA__SERVER__BIND", "garbage")
        .env("ESIA__PROTOCOL__JOURNAL_MAX_ROWS", "lots")
        .output()
        .unwrap();
    assert!(!out.status.success());
    // figment names environment keys as they were written (upper case).
    let err = String::from_utf8(out.stderr).unwrap().to_lowercase();
    assert!(err.contains("server.bind"), "{err}");
    assert!(err.contains("journal_max_rows"), "{err}");
}

#[test]
fn an_unknown_database_scheme_is_refused_without_creating_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin()
        .current_dir(dir.path())
        .args(["migrate", "--database-url", "mysql://localhost/esia"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("unsupported database URL scheme"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn serve_starts_on_a_fresh_directory_and_answers_health() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = bin()
        .current_dir(dir.path())
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .env("ESIA__SECURITY__PASSWORD_PROFILE", "cheap")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let mut healthy = false;
    while started.elapsed() < Duration::from_secs(30) {
        if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            use std::io::{Read, Write};
            // A served Host: any other name gets 421 (request_guard::host_guard).
            let request = format!(
                "GET /emulator/health HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
            );
            s.write_all(request.as_bytes()).unwrap();
            let mut resp = String::new();
            let _ = s.read_to_string(&mut resp);
            if resp.starts_with("HTTP/1.1 200") {
                healthy = true;
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    assert!(healthy, "serve did not answer /emulator/health");
    let banner = String::from_utf8_lossy(&out.stdout);
    assert!(banner.contains("NEVER USE IT IN PRODUCTION"), "{banner}");
    assert!(banner.contains("esiatest001@yandex.ru"));
    assert!(dir.path().join("data/esia.db").exists());
    for f in [
        "esia-rsa.key",
        "esia-rsa.pem",
        "esia-gost.key",
        "esia-gost.pem",
    ] {
        assert!(dir.path().join("keys").join(f).exists(), "{f} generated");
    }
}
