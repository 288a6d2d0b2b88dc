//! Applying a generated 1,000-persona seed file with `esia-emulator seed`, on SQLite (a temp
//! file) and, when `TEST_DATABASE_URL` is set, on a fresh PostgreSQL database: the first apply
//! (creates) and a second one (updates). Prints seconds and personas/s. `cargo bench --bench
//! seed_apply`; `SEED_BENCH_N` changes the count.

use std::process::Command;
use std::time::Instant;

fn seed_file(dir: &std::path::Path, n: usize) -> std::path::PathBuf {
    let mut yaml = String::from("personas:\n");
    for i in 0..n {
        yaml += &format!(
            "  - oid: {}\n    level: standard\n    phone: \"+7901{i:07}\"\n    email: bench{i}@example.com\n    password: \"Bench-pass-1\"\n    documents: [{{type: MDCL_PLCY}}]\n    addresses: [{{}}]\n",
            1_100_000_000 + i
        );
    }
    let file = dir.join("seed.yaml");
    std::fs::write(&file, yaml).expect("write seed");
    file
}

fn apply(url: &str, dir: &std::path::Path, file: &std::path::Path, n: usize, label: &str) {
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_esia-emulator"))
        .args(["--database-url", url, "--data-dir"])
        .arg(dir)
        .arg("seed")
        .arg(file)
        .env("ESIA__KEYS__DIR", dir.join("keys"))
        .env("ESIA_LOG", "warn")
        .output()
        .expect("run esia-emulator seed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let secs = started.elapsed().as_secs_f64();
    println!("{label}: {secs:.2} s, {:.0} personas/s", n as f64 / secs);
}

fn main() {
    let n: usize = std::env::var("SEED_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let dir = tempfile::tempdir().expect("temp dir");
    let file = seed_file(dir.path(), n);
    let sqlite = dir.path().join("bench.db").display().to_string();
    apply(&sqlite, dir.path(), &file, n, "sqlite create");
    apply(&sqlite, dir.path(), &file, n, "sqlite re-apply");
    if let Some(admin) = std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        let name = format!("esia_seed_bench_{}", std::process::id());
        let mut conn = esia_store::DbConnection::open(&admin).expect("connect");
        esia_store::db::execute_sql(&mut conn, &format!("CREATE DATABASE {name}")).expect("create");
        let mut url = url::Url::parse(&admin).expect("url");
        url.set_path(&format!("/{name}"));
        apply(url.as_str(), dir.path(), &file, n, "postgres create");
        apply(url.as_str(), dir.path(), &file, n, "postgres re-apply");
        let _ = esia_store::db::execute_sql(&mut conn, &format!("DROP DATABASE {name}"));
    }
}
