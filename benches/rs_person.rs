//! `/rs/prns/{oid}?embed=(contacts.elements,documents.elements)` reads per second over real HTTP
//! with a valid RS256 bearer token and many concurrent keep-alive clients, against an in-process
//! server on SQLite or, with TEST_DATABASE_URL, PostgreSQL. This is the request behind every
//! login of a client system, so it must stay cheap (goal: ≥ 20 000/s in release).
//!
//! Run: `cargo bench --bench rs_person` (20 000 requests, 64 concurrent), or
//! `cargo bench --bench rs_person -- 50000 128` (requests, concurrency).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use esia_crypto::jwt::JwtAlg;
use esia_testkit::spawn_app_with;
use serde_json::json;

async fn run(total: u64, concurrency: u64) {
    // The read path alone (load tests may switch the journal off), then the default, which
    // journals every request.
    run_path(total, concurrency, None, false).await;
    run_path(total, concurrency, None, true).await;
    // The harness's ceiling on this machine: the same load on a route that does nothing.
    run_path(total, concurrency, Some("/emulator/health"), false).await;
}

async fn run_path(total: u64, concurrency: u64, baseline: Option<&str>, journal: bool) {
    let app = spawn_app_with(|c| {
        c.database.pool_size = 16;
        c.protocol.journal_rs = journal;
    })
    .await;
    let oid = 1_000_000_006i64;
    let now = app.core.now().timestamp();
    let scope = [
        "openid",
        "fullname",
        "birthdate",
        "gender",
        "snils",
        "id_doc",
        "contacts",
    ]
    .iter()
    .map(|s| {
        if *s == "openid" {
            s.to_string()
        } else {
            format!("{s}?oid={oid}")
        }
    })
    .collect::<Vec<_>>()
    .join(" ");
    let claims = json!({"nbf": now, "scope": scope, "iss": app.core.config.protocol.issuer,
        "urn:esia:sid": "bench", "urn:esia:sbj_id": oid, "exp": now + 3600, "iat": now,
        "client_id": "BENCH"});
    let token = app
        .core
        .keys
        .sign_jwt(JwtAlg::RS256, 1, "access", &claims)
        .unwrap();
    let path = baseline
        .map(str::to_string)
        .unwrap_or_else(|| format!("/rs/prns/{oid}?embed=(contacts.elements,documents.elements)"));
    let url = Arc::new(app.url(&path));
    let auth = Arc::new(format!("Bearer {token}"));
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency as usize)
        .build()
        .unwrap();
    // Warm-up: connections, prepared statements, page cache.
    for _ in 0..200 {
        let r = client
            .get(url.as_str())
            .header("Authorization", auth.as_str())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        r.bytes().await.unwrap();
    }
    let next = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (url, auth, next, client) = (url.clone(), auth.clone(), next.clone(), client.clone());
        tasks.push(tokio::spawn(async move {
            while next.fetch_add(1, Ordering::Relaxed) < total {
                let r = client
                    .get(url.as_str())
                    .header("Authorization", auth.as_str())
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 200);
                r.bytes().await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "rs_person/{}: {total} GET {} in {secs:.2} s = {:.0}/s (concurrency {concurrency}, journal_rs {journal})",
        app.db.backend().as_str(),
        baseline.unwrap_or("/rs/prns/{oid}?embed=(contacts.elements,documents.elements)"),
        total as f64 / secs
    );
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    match args.as_slice() {
        [total, concurrency, ..] => run(total.parse().unwrap(), concurrency.parse().unwrap()).await,
        _ => run(20_000, 64).await,
    }
}
