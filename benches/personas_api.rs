//! Personas created per second through `POST /emulator/api/personas` over real HTTP: a standard
//! persona with one generated address and a generated password (hashed with the chosen Argon2
//! profile), first by one client in sequence, then by several concurrent clients, against an
//! in-process server on SQLite or, with TEST_DATABASE_URL, PostgreSQL; then the same number
//! applied by the core in one transaction (`apply_personas`, the seed-file path).
//!
//! Run: `cargo bench --bench personas_api` (1,000 personas, sequential and 8 clients, Argon2
//! `cheap` and `default`), or `cargo bench --bench personas_api -- cheap 1000 8`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use esia_testkit::spawn_app_with;

async fn create(client: &reqwest::Client, base: &str, n: u64) {
    let body =
        format!(r#"{{"level":"standard","email":"bench{n}@example.com","addresses":[{{}}]}}"#);
    let resp = client
        .post(format!("{base}/emulator/api/personas"))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    assert_eq!(status, 201, "{}", resp.text().await.unwrap_or_default());
}

async fn round(base: &Arc<String>, first: u64, total: u64, concurrency: u64) -> f64 {
    let next = Arc::new(AtomicU64::new(first));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (base, next) = (base.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= first + total {
                    break;
                }
                create(&client, &base, n).await;
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    started.elapsed().as_secs_f64()
}

async fn run(profile: &str, total: u64, concurrency: u64) {
    let profile_owned = profile.to_string();
    let app = spawn_app_with(move |c| {
        c.security.password_profile = profile_owned;
        c.database.pool_size = 8;
    })
    .await;
    let base = Arc::new(app.address.clone());
    let backend = app.db.backend().as_str();
    for (i, clients) in [1, concurrency].into_iter().enumerate() {
        let secs = round(&base, i as u64 * total, total, clients).await;
        println!(
            "personas_api/{profile}/{backend}: {total} personas in {secs:.2} s = {:.0}/s ({clients} client{})",
            total as f64 / secs,
            if clients == 1 { "" } else { "s" }
        );
    }
    // The seed-file path: the same specs applied by the core in one transaction.
    let specs: Vec<esia_control::personas::PersonaSpec> = (0..total)
        .map(|n| {
            serde_json::from_str(&format!(
                r#"{{"level":"standard","email":"seed{n}@example.com","addresses":[{{}}]}}"#
            ))
            .unwrap()
        })
        .collect();
    let core = app.control.clone();
    let started = Instant::now();
    tokio::task::spawn_blocking(move || esia_control::personas::apply_personas(&core, &specs))
        .await
        .unwrap()
        .unwrap();
    let secs = started.elapsed().as_secs_f64();
    println!(
        "personas_api/{profile}/{backend}: {total} personas by apply_personas (one transaction) in {secs:.2} s = {:.0}/s",
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
            run("cheap", 1000, 8).await;
            run("default", 1000, 8).await;
        }
    }
}
