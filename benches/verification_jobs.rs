//! Verification jobs per second with zero delay: N persons submit personal data (2 check jobs
//! each, enqueued before timing), then W worker threads drain the queue through the real
//! runner the worker uses (`esia_worker::run_job_batch`, batches of `esia_worker::BATCH_SIZE`), which also
//! runs the notice e-mails the checks produce. `RUNNER=single` drains with the one-job-at-a-time
//! `esia_worker::run_next_job` instead, `RUNNER=both` measures both.
//! SQLite with one worker always; PostgreSQL with one and two workers when
//! `BENCH_DATABASE_URL` (or `TEST_DATABASE_URL`) points at a server.
//!
//! `cargo bench --bench verification_jobs` (PERSONS=2000 to change the size, BATCH=128 to claim
//! other than `esia_worker::BATCH_SIZE` jobs at once).

use std::io::Write;
use std::time::Instant;

use esia_core::Core;
use esia_testkit::verification_load::{core_on, queue_checks};
use esia_testkit::TestDb;

/// Drains the queue with `workers` threads, batched or one job at a time; returns (jobs run,
/// seconds).
fn drain(core: &Core, workers: usize, batched: bool) -> (u64, f64) {
    let batch: i64 = std::env::var("BATCH")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(esia_worker::BATCH_SIZE);
    let started = Instant::now();
    let handles: Vec<_> = (0..workers)
        .map(|w| {
            let core = core.clone();
            std::thread::spawn(move || {
                let mut ran = 0u64;
                let id = format!("bench-{w}");
                loop {
                    let n = if batched {
                        esia_worker::run_job_batch(&core, &id, batch).map_or(0, |runs| runs.len())
                    } else {
                        match esia_worker::run_next_job(&core, &id) {
                            Ok(esia_worker::JobRun::Idle) | Err(_) => 0,
                            Ok(_) => 1,
                        }
                    };
                    if n == 0 {
                        break;
                    }
                    ran += n as u64;
                }
                ran
            })
        })
        .collect();
    let ran = handles.into_iter().map(|h| h.join().unwrap_or(0)).sum();
    (ran, started.elapsed().as_secs_f64())
}

fn run(
    label: &str,
    url: Option<&str>,
    workers: usize,
    persons: usize,
    keys: &std::path::Path,
    batched: bool,
) {
    let db = TestDb::on(url.map(str::to_string));
    let core = core_on(&db.url, db.dir.path(), keys, (workers as u32 + 2).max(4));
    let checks = queue_checks(&core, persons, 2_000_000_000);
    let (ran, secs) = drain(&core, workers, batched);
    let mut conn = core.conn().expect("conn");
    let standard = esia_store::persons::list_persons(&mut conn, 100_000)
        .map(|v| {
            v.iter()
                .filter(|p| p.level == esia_core::domain::AccountLevel::Standard)
                .count()
        })
        .unwrap_or(0);
    let _ = writeln!(
        std::io::stdout(),
        "{label}, {}: {checks} check jobs + notices = {ran} jobs in {secs:.2}s → {:.0} check jobs/s, {:.0} jobs/s ({standard} accounts upgraded)",
        if batched { "batched" } else { "one job at a time" },
        checks as f64 / secs,
        ran as f64 / secs
    );
}

fn main() {
    let persons: usize = std::env::var("PERSONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    let keys = tempfile::tempdir().expect("keys dir");
    esia_core::keys::generate(keys.path()).expect("keys");
    let pg = std::env::var("BENCH_DATABASE_URL")
        .or_else(|_| std::env::var("TEST_DATABASE_URL"))
        .ok()
        .filter(|u| !u.is_empty());
    let modes: &[bool] = match std::env::var("RUNNER").as_deref() {
        Ok("single") => &[false],
        Ok("both") => &[false, true],
        _ => &[true],
    };
    for &batched in modes {
        run("sqlite, 1 worker", None, 1, persons, keys.path(), batched);
        if let Some(url) = &pg {
            run(
                "postgres, 1 worker",
                Some(url),
                1,
                persons,
                keys.path(),
                batched,
            );
            run(
                "postgres, 2 workers",
                Some(url),
                2,
                persons,
                keys.path(),
                batched,
            );
        }
    }
    if pg.is_none() {
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED postgres runs: set BENCH_DATABASE_URL=postgres://…"
        );
    }
}
