//! Complete simplified registrations per second over real HTTP (form → SMS code read from the
//! outbox API → code → password → logged-in profile), with concurrent clients against an
//! in-process server on SQLite or, with TEST_DATABASE_URL, PostgreSQL.
//!
//! Run: `cargo bench --bench registration` (both Argon2 profiles), or
//! `cargo bench --bench registration -- cheap 400 16` (profile, registrations, concurrency).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use esia_testkit::load_client::register_simplified;
use esia_testkit::spawn_app_with;

async fn one_registration(base: &str, n: u64) {
    register_simplified(base, &format!("+7955{:07}", n))
        .await
        .expect("registration");
}

async fn run(profile: &str, total: u64, concurrency: u64) {
    let profile_owned = profile.to_string();
    let app = spawn_app_with(move |c| {
        c.security.password_profile = profile_owned;
        c.database.pool_size = 8;
    })
    .await;
    let base = Arc::new(app.address.clone());
    let next = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (base, next) = (base.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= total {
                    break;
                }
                one_registration(&base, n).await;
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "registration/{profile}/{}: {total} complete registrations in {secs:.2} s = {:.0}/s (concurrency {concurrency})",
        app.db.backend().as_str(),
        total as f64 / secs
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    match args.as_slice() {
        [profile, total, concurrency, ..] => {
            run(
                profile,
                total.parse().unwrap(),
                concurrency.parse().unwrap(),
            )
            .await
        }
        _ => {
            run("cheap", 400, 16).await;
            run("default", 200, 16).await;
        }
    }
}
