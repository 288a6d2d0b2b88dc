//! Code exchanges per second at `/aas/oauth2/v3/te` (RS256 and GOST tokens) and complete
//! ac → login → consent → te flows per second, over real HTTP against an in-process server
//! (SQLite, or PostgreSQL with TEST_DATABASE_URL). The client side signs with a key parsed once.
//!
//! Run: `cargo bench --bench token_exchange` or `… -- 3000 32` (exchanges per algorithm, concurrency).
//! Side by side with a peer from `../shared/peers` (same load generator, same machine):
//! `cargo bench --bench token_exchange -- peer http://127.0.0.1:3001/token 2000 32` posts the
//! peer's authorization_code request (its `post_code.lua` body, HTTP Basic) and reports the rate.

use std::sync::Arc;
use std::time::Instant;

use esia_testkit::load_client::{ac_params_for, complete_flow, gost_signer, te_params_for, Signer};
use esia_testkit::protocol::*;
use esia_testkit::spawn::location;
use esia_testkit::{spawn_app_with, TestApp};

fn ac_params(
    client: &str,
    scope: &str,
    state: &str,
    ts: &str,
    sign: &Signer,
) -> Vec<(String, String)> {
    ac_params_for(client, scope, state, ts, &[], sign)
}

const SCOPE: &str = "openid fullname";

/// A logged-in browser that has granted consent once; further ac requests go straight back.
async fn browser_for(app: &TestApp, client: &str, sign: &Signer) -> reqwest::Client {
    let browser = app.new_client();
    let first = ac(
        app,
        &browser,
        "/aas/oauth2/v2/ac",
        &ac_params(client, SCOPE, &new_state(), &timestamp(0), sign),
    )
    .await;
    let cb = browse_to_callback(app, &browser, first, "+79000000001").await;
    assert!(cb.contains("code="), "{cb}");
    browser
}

async fn codes(
    app: &TestApp,
    browser: &reqwest::Client,
    client: &str,
    n: usize,
    sign: &Signer,
) -> Vec<String> {
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let resp = ac(
            app,
            browser,
            "/aas/oauth2/v2/ac",
            &ac_params(client, SCOPE, &new_state(), &timestamp(0), sign),
        )
        .await;
        let to = location(&resp);
        out.push(
            q(&query_of(&to), "code")
                .expect("code on redirect")
                .to_string(),
        );
    }
    out
}

async fn exchange_all(
    app: &TestApp,
    client: &str,
    codes: Vec<String>,
    concurrency: usize,
    sign: Signer,
) -> f64 {
    let n = codes.len();
    let queue = Arc::new(std::sync::Mutex::new(codes));
    let http = reqwest::Client::new();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (queue, http, sign, url, client) = (
            queue.clone(),
            http.clone(),
            sign.clone(),
            app.url("/aas/oauth2/v3/te"),
            client.to_string(),
        );
        tasks.push(tokio::spawn(async move {
            loop {
                let Some(code) = queue.lock().unwrap().pop() else {
                    break;
                };
                let p = te_params_for(&client, &code, SCOPE, &new_state(), &timestamp(0), &sign);
                let resp = http.post(&url).form(&p).send().await.unwrap();
                assert_eq!(
                    resp.status(),
                    200,
                    "{}",
                    resp.text().await.unwrap_or_default()
                );
                let _ = resp.bytes().await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    n as f64 / started.elapsed().as_secs_f64()
}

async fn full_flows(app: &TestApp, n: usize, concurrency: usize, sign: Signer) -> f64 {
    let started = Instant::now();
    let mut tasks = Vec::new();
    let per_task = n / concurrency;
    for _ in 0..concurrency {
        let sign = sign.clone();
        let address = app.address.clone();
        tasks.push(tokio::spawn(async move {
            for _ in 0..per_task {
                // A fresh browser each time: ac → login page → password → (consent remembered) → code → te.
                complete_flow(&address, "DEMO_IS", "+79000000001", "11111111", &sign)
                    .await
                    .unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    (per_task * concurrency) as f64 / started.elapsed().as_secs_f64()
}

/// Loads a peer token endpoint with the request of `../shared/peers/post_code.lua`.
async fn peer(url: &str, n: usize, concurrency: usize) {
    let http = reqwest::Client::new();
    let left = Arc::new(std::sync::atomic::AtomicUsize::new(n));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (http, left, url) = (http.clone(), left.clone(), url.to_string());
        tasks.push(tokio::spawn(async move {
            while left
                .fetch_update(std::sync::atomic::Ordering::Relaxed, std::sync::atomic::Ordering::Relaxed, |v| v.checked_sub(1))
                .is_ok()
            {
                let resp = http
                    .post(&url)
                    .header("Authorization", "Basic dGVzdC1jbGllbnQ6dGVzdC1zZWNyZXQ=")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .body("grant_type=authorization_code&code=abc&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb")
                    .send()
                    .await
                    .unwrap();
                assert!(resp.status().is_success(), "peer answered {}", resp.status());
                let _ = resp.bytes().await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let rate = n as f64 / started.elapsed().as_secs_f64();
    println!(
        "peer {url}: {n} authorization_code exchanges = {rate:.0}/s (concurrency {concurrency})"
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let raw: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if raw.first().map(String::as_str) == Some("peer") {
        let url = raw.get(1).expect("peer URL");
        let n = raw.get(2).and_then(|v| v.parse().ok()).unwrap_or(2000);
        let c = raw.get(3).and_then(|v| v.parse().ok()).unwrap_or(32);
        peer(url, n, c).await;
        return;
    }
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let (n, concurrency) = (
        args.first().copied().unwrap_or(2000),
        args.get(1).copied().unwrap_or(32),
    );
    let app = spawn_app_with(|c| {
        c.security.password_profile = "cheap".into();
        c.database.pool_size = 8;
    })
    .await;
    let backend = app.db.backend().as_str();
    let sign = gost_signer();
    let spec = serde_json::json!({"mnemonic": "DEMO_GOST", "name": "Demo GOST tokens", "redirect_uris": [REDIRECT],
        "token_alg": "GOST3410_2012_256", "certificates": [GOST_CERT]});
    let resp = app
        .client
        .post(app.url("/emulator/api/clients"))
        .json(&spec)
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success(), "{}", resp.text().await.unwrap());

    for (client, alg) in [("DEMO_IS", "RS256"), ("DEMO_GOST", "GOST3410_2012_256")] {
        let browser = browser_for(&app, client, &sign).await;
        let codes = codes(&app, &browser, client, n, &sign).await;
        let rate = exchange_all(&app, client, codes, concurrency, sign.clone()).await;
        println!("te/{backend}/{alg}: {n} code exchanges (access + id token) = {rate:.0}/s (concurrency {concurrency})");
    }
    let flows = (n / 4).max(concurrency);
    let rate = full_flows(&app, flows, concurrency.min(16), sign.clone()).await;
    println!("flow/{backend}: complete ac → login → consent (remembered) → te flows = {rate:.0}/s (Argon2 cheap profile)");
}
