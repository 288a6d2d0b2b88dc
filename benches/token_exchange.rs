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

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use esia_testkit::protocol::*;
use esia_testkit::spawn::location;
use esia_testkit::{spawn_app_with, TestApp};

fn signer() -> impl Fn(&str) -> String + Clone + Send + Sync + 'static {
    let esia_crypto::keys::PrivateKey::Gost(key) =
        esia_crypto::keys::load_private_key_pem(GOST_KEY).unwrap()
    else {
        panic!("demo key is GOST");
    };
    let key = Arc::new(key);
    move |m: &str| URL_SAFE_NO_PAD.encode(key.sign_message(m.as_bytes()))
}

fn params_for(client: &str, base: Vec<(String, String)>) -> Vec<(String, String)> {
    base.into_iter()
        .map(|(k, v)| {
            if k == "client_id" {
                (k, client.to_string())
            } else {
                (k, v)
            }
        })
        .collect()
}

/// Signs v2/ac for `client` (the demo client's certificate is registered for both clients).
fn ac_params(
    client: &str,
    scope: &str,
    state: &str,
    ts: &str,
    sign: &impl Fn(&str) -> String,
) -> Vec<(String, String)> {
    let msg = format!("{client}{scope}{ts}{state}{REDIRECT}");
    let sig = sign(&msg);
    params_for(client, v2_ac_params(scope, state, ts, &[], |_| sig.clone()))
}

fn te_params(
    client: &str,
    code: &str,
    scope: &str,
    state: &str,
    ts: &str,
    sign: &impl Fn(&str) -> String,
) -> Vec<(String, String)> {
    let msg = format!("{client}{scope}{ts}{state}{REDIRECT}{code}");
    let sig = sign(&msg);
    params_for(
        client,
        v3_code_params(code, scope, state, ts, |_| sig.clone()),
    )
}

const SCOPE: &str = "openid fullname";

/// A logged-in browser that has granted consent once; further ac requests go straight back.
async fn browser_for(
    app: &TestApp,
    client: &str,
    sign: &impl Fn(&str) -> String,
) -> reqwest::Client {
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
    sign: &(impl Fn(&str) -> String + Clone + Send + Sync + 'static),
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
    sign: impl Fn(&str) -> String + Clone + Send + Sync + 'static,
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
                let p = te_params(&client, &code, SCOPE, &new_state(), &timestamp(0), &sign);
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

async fn full_flows(
    app: &TestApp,
    n: usize,
    concurrency: usize,
    sign: impl Fn(&str) -> String + Clone + Send + Sync + 'static,
) -> f64 {
    let started = Instant::now();
    let mut tasks = Vec::new();
    let per_task = n / concurrency;
    for _ in 0..concurrency {
        let sign = sign.clone();
        let (address, client_http) = (app.address.clone(), app.new_client());
        tasks.push(tokio::spawn(async move {
            for _ in 0..per_task {
                // A fresh browser each time: ac → login page → password → (consent remembered) → code → te.
                let browser = reqwest::Client::builder()
                    .cookie_store(true)
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .unwrap();
                let p = ac_params("DEMO_IS", SCOPE, &new_state(), &timestamp(0), &sign);
                let resp = browser
                    .get(format!("{address}/aas/oauth2/v2/ac"))
                    .query(&p)
                    .send()
                    .await
                    .unwrap();
                let login_url = location(&resp);
                let html = browser
                    .get(&login_url)
                    .send()
                    .await
                    .unwrap()
                    .text()
                    .await
                    .unwrap();
                let csrf = esia_testkit::spawn::extract_csrf(&html).unwrap();
                let return_to = q(&query_of(&login_url), "return_to")
                    .unwrap_or("")
                    .to_string();
                let resp = browser
                    .post(format!("{address}/login"))
                    .form(&[
                        ("csrf", csrf.as_str()),
                        ("login", "+79000000001"),
                        ("password", "11111111"),
                        ("return_to", &return_to),
                    ])
                    .send()
                    .await
                    .unwrap();
                let mut to = location(&resp);
                while !to.starts_with(REDIRECT) {
                    let abs = if to.starts_with('/') {
                        format!("{address}{to}")
                    } else {
                        to.clone()
                    };
                    to = location(&browser.get(&abs).send().await.unwrap());
                }
                let code = q(&query_of(&to), "code").unwrap().to_string();
                let p = te_params("DEMO_IS", &code, SCOPE, &new_state(), &timestamp(0), &sign);
                let resp = client_http
                    .post(format!("{address}/aas/oauth2/v3/te"))
                    .form(&p)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(resp.status(), 200);
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
    let sign = signer();
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
