//! The steps of the topology test against real processes: the protocol flow with each request
//! sent to a chosen replica, one browser registration spread over replicas, draining check
//! jobs while a worker is SIGKILLed, and load while every database backend is terminated.
//! Requests go to `Proc` URLs; signing and parameters come from `tests/support`.
#![allow(dead_code)]

use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use esia_testkit::spawn::{extract_csrf, location};

use crate::cluster::{client, Cluster, Proc};
use crate::support::*;

pub struct Tokens {
    pub access: String,
    pub refresh: String,
}

/// The path and query of an absolute URL (to send it to another replica).
fn path_of(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(u) => match u.query() {
            Some(q) => format!("{}?{q}", u.path()),
            None => u.path().to_string(),
        },
        Err(_) => url.to_string(),
    }
}

pub async fn rs_status(p: &Proc, access: &str) -> u16 {
    client()
        .get(p.url("/rs/prns/1000000001"))
        .bearer_auth(access)
        .send()
        .await
        .expect("/rs")
        .status()
        .as_u16()
}

async fn te_on(p: &Proc, params: &[(String, String)]) -> serde_json::Value {
    let resp = client()
        .post(p.url("/aas/oauth2/v3/te"))
        .form(params)
        .send()
        .await
        .expect("te");
    let status = resp.status().as_u16();
    let body: serde_json::Value = resp.json().await.expect("te json");
    assert_eq!(status, 200, "te on {}: {body}", p.name);
    body
}

/// `v2/ac` on A; login, consent and `v3/te` on B; `/rs` and refresh on A; Logout on B (the SSO
/// session is gone for A too). Returns the refreshed tokens.
pub async fn protocol_flow_across(a: &Proc, b: &Proc) -> Tokens {
    let browser = client();
    let scope = "openid fullname";
    let state = new_state();
    let params = v2_ac_params(scope, &state, &timestamp(0), &[], own_sign);
    let resp = browser
        .get(a.url("/aas/oauth2/v2/ac"))
        .query(&params)
        .send()
        .await
        .expect("ac on A");
    assert_eq!(resp.status(), 302, "ac on A");
    let to = location(&resp);
    assert!(to.contains("/login?"), "{to}");
    let html = browser
        .get(b.url(&path_of(&to)))
        .send()
        .await
        .expect("login page on B")
        .text()
        .await
        .unwrap();
    let csrf = extract_csrf(&html).expect("csrf on the login page");
    let return_to = q(&query_of(&to), "return_to").unwrap_or("").to_string();
    let mut resp = browser
        .post(b.url("/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("login", "EsiaTest001@yandex.ru"),
            ("password", "11111111"),
            ("return_to", &return_to),
        ])
        .send()
        .await
        .expect("login on B");
    let mut callback = None;
    for _ in 0..6 {
        let status = resp.status().as_u16();
        if status == 200 {
            let html = resp.text().await.unwrap();
            assert!(html.contains("id=\"grantAuthorization\""), "on B: {html}");
            let csrf = extract_csrf(&html).expect("csrf on the consent page");
            let request = between(&html, "name=\"request\" value=\"", "\"");
            resp = browser
                .post(b.url("/aas/oauth2/consent"))
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("request", &request),
                    ("decision", "grant"),
                ])
                .send()
                .await
                .expect("consent on B");
            continue;
        }
        assert!(matches!(status, 302 | 303), "B answered {status}");
        let to = location(&resp);
        if to.starts_with(REDIRECT) {
            callback = Some(to);
            break;
        }
        resp = browser
            .get(b.url(&path_of(&to)))
            .send()
            .await
            .expect("follow on B");
    }
    let callback = callback.expect("the flow reached the client's callback");
    let qp = query_of(&callback);
    assert_eq!(q(&qp, "state"), Some(state.as_str()));
    let code = q(&qp, "code").expect("code").to_string();
    let body = te_on(
        b,
        &v3_code_params(&code, scope, &new_state(), &timestamp(0), own_sign),
    )
    .await;
    let access = body["access_token"].as_str().unwrap().to_string();
    let refresh = body["refresh_token"].as_str().unwrap().to_string();
    assert_eq!(rs_status(a, &access).await, 200, "A reads with B's token");

    let (rstate, ts) = (new_state(), timestamp(0));
    let msg = format!("{CLIENT}{scope}{ts}{rstate}{REDIRECT}");
    let params: Vec<(String, String)> = [
        ("client_id", CLIENT),
        ("grant_type", "refresh_token"),
        ("client_certificate_hash", GOST_HASH),
        ("client_secret", &own_sign(&msg)),
        ("state", &rstate),
        ("redirect_uri", REDIRECT),
        ("scope", scope),
        ("timestamp", &ts),
        ("token_type", "Bearer"),
        ("refresh_token", &refresh),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let refreshed = te_on(a, &params).await;
    let tokens = Tokens {
        access: refreshed["access_token"].as_str().unwrap().to_string(),
        refresh: refreshed["refresh_token"].as_str().unwrap().to_string(),
    };
    assert_ne!(tokens.refresh, refresh);
    assert_eq!(rs_status(a, &tokens.access).await, 200);

    let resp = browser
        .get(b.url("/idp/ext/Logout"))
        .query(&[("client_id", CLIENT), ("redirect_url", REDIRECT)])
        .send()
        .await
        .expect("logout on B");
    assert_eq!(resp.status(), 302, "logout on B");
    assert!(location(&resp).starts_with(REDIRECT));
    // The session is gone on A too: a new `ac` there asks for the login again.
    let params = v2_ac_params(scope, &new_state(), &timestamp(0), &[], own_sign);
    let resp = browser
        .get(a.url("/aas/oauth2/v2/ac"))
        .query(&params)
        .send()
        .await
        .expect("ac on A after logout");
    assert!(location(&resp).contains("/login?"), "SSO after logout");
    tokens
}

/// Why a registration did not complete.
pub enum Step {
    /// The replica went away mid-registration (connection refused or reset).
    Transport,
    /// Any other answer than the flow's next step.
    Unexpected(String),
}

async fn send(req: reqwest::RequestBuilder, what: &str) -> Result<reqwest::Response, Step> {
    let resp = req.send().await.map_err(|_| Step::Transport)?;
    let status = resp.status().as_u16();
    if status >= 500 {
        return Err(Step::Unexpected(format!("{what}: {status}")));
    }
    Ok(resp)
}

fn expect_to(resp: &reqwest::Response, to: &str, what: &str) -> Result<(), Step> {
    if resp.status() == 303 && location(resp) == to {
        Ok(())
    } else {
        Err(Step::Unexpected(format!(
            "{what}: {} → {:?}",
            resp.status(),
            location(resp)
        )))
    }
}

/// One simplified registration by phone: the form on `hosts[0]`, the SMS code on `hosts[1]`,
/// the password on `hosts[2]`. `Ok` means the success answer (`/profile?registered=1`) came.
pub async fn register(hosts: &[String; 3], phone: &str) -> Result<(), Step> {
    let browser = client();
    let html = send(browser.get(format!("{}/registration", hosts[0])), "form page")
        .await?
        .text()
        .await
        .map_err(|_| Step::Transport)?;
    let csrf = extract_csrf(&html).ok_or_else(|| Step::Unexpected("no csrf".into()))?;
    let resp = send(
        browser.post(format!("{}/registration", hosts[0])).form(&[
            ("csrf", csrf.as_str()),
            ("surname", "Тестов"),
            ("name", "Тест"),
            ("patronymic", ""),
            ("phone", phone),
            ("email", ""),
        ]),
        "form",
    )
    .await?;
    expect_to(&resp, "/registration/code", "form")?;
    let outbox: serde_json::Value = send(
        browser
            .get(format!("{}/emulator/api/outbox", hosts[1]))
            .query(&[("to", phone), ("kind", "sms")]),
        "outbox",
    )
    .await?
    .json()
    .await
    .map_err(|_| Step::Transport)?;
    let code = outbox["messages"][0]["code"]
        .as_str()
        .ok_or_else(|| Step::Unexpected(format!("no SMS code: {outbox}")))?
        .to_string();
    let resp = send(
        browser
            .post(format!("{}/registration/code", hosts[1]))
            .form(&[("csrf", csrf.as_str()), ("code", &code)]),
        "code",
    )
    .await?;
    expect_to(&resp, "/registration/password", "code")?;
    let resp = send(
        browser
            .post(format!("{}/registration/password", hosts[2]))
            .form(&[
                ("csrf", csrf.as_str()),
                ("password", "Secret123"),
                ("repeat", "Secret123"),
            ]),
        "password",
    )
    .await?;
    expect_to(&resp, "/profile?registered=1", "password")
}

pub struct JobsOutcome {
    pub total: usize,
    pub done: usize,
    pub markers: usize,
    pub by_w1: usize,
    pub by_w2: usize,
    pub rerun: usize,
}

fn sleep_job(marker: &str, now: chrono::NaiveDateTime) -> esia_store::jobs::JobRow {
    esia_store::jobs::JobRow {
        id: uuid::Uuid::new_v4().to_string(),
        kind: "sleep_ms".into(),
        payload: serde_json::json!({ "ms": 10, "marker": marker }).to_string(),
        status: "queued".into(),
        attempts: 0,
        max_attempts: 5,
        run_at: now,
        locked_by: None,
        locked_until: None,
        last_error: None,
        created_at: now,
        finished_at: None,
    }
}

/// Queues 400 jobs, SIGKILLs W1 once it holds claimed jobs, moves the shared clock past the
/// 60 s lease (through A's clock API, which every process follows) so that W2 takes W1's jobs
/// over, and waits until all are done.
pub async fn drain_jobs_killing_one_worker(
    cluster: &Cluster,
    a: &Proc,
    w1: &mut Proc,
    w2: &Proc,
) -> JobsOutcome {
    const N: usize = 400;
    let (w1_id, w2_id) = (w1.worker_id(), w2.worker_id());
    let mut conn = cluster.conn();
    let now = chrono::Utc::now().naive_utc();
    for i in 0..N {
        esia_store::jobs::enqueue(&mut conn, &sleep_job(&format!("job-{i}"), now)).unwrap();
    }
    let started = Instant::now();
    loop {
        // W1 has finished some jobs and holds claimed ones: kill it now.
        let all = esia_store::jobs::list(&mut conn, None, N as i64).unwrap();
        let of_w1 = |status: &str| {
            all.iter()
                .any(|j| j.status == status && j.locked_by.as_deref() == Some(w1_id.as_str()))
        };
        if of_w1("running") && of_w1("done") {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "W1 never claimed a job");
        std::thread::sleep(Duration::from_millis(10));
    }
    w1.kill9();
    let http = client();
    let resp = http
        .post(a.url("/emulator/api/clock"))
        .json(&serde_json::json!({ "advance_secs": 61 }))
        .send()
        .await
        .expect("clock");
    assert_eq!(resp.status(), 200, "advance the shared clock");
    let started = Instant::now();
    loop {
        let done = esia_store::jobs::count_by_status(&mut conn, "done").unwrap() as usize;
        if done == N {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "only {done} of {N} jobs done"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let resp = http.delete(a.url("/emulator/api/clock")).send().await.expect("clock");
    assert_eq!(resp.status(), 200, "the shared clock back to real time");
    let jobs = esia_store::jobs::list(&mut conn, None, N as i64 * 2).unwrap();
    let markers: HashSet<String> =
        esia_store::outbox::list(&mut conn, Some("sleep-job"), None, N as i64 * 2)
            .unwrap()
            .into_iter()
            .map(|m| m.id)
            .collect();
    let by = |id: &str| jobs.iter().filter(|j| j.locked_by.as_deref() == Some(id)).count();
    JobsOutcome {
        total: N,
        done: jobs.iter().filter(|j| j.status == "done").count(),
        markers: (0..N).filter(|i| markers.contains(&format!("job-{i}"))).count(),
        by_w1: by(&w1_id),
        by_w2: by(&w2_id),
        rerun: jobs.iter().filter(|j| j.attempts > 1).count(),
    }
}

pub struct OutageOutcome {
    pub terminated: usize,
    pub unavailable: usize,
    pub answered: usize,
    pub recovery: Duration,
    /// 5xx other than 503, transport errors and timeouts: must stay empty.
    pub bad: Vec<String>,
}

/// Terminates every backend of the test database except the caller's own.
pub fn terminate_backends(cluster: &Cluster) -> usize {
    use diesel::{sql_query, sql_types::Integer, QueryableByName, RunQueryDsl};
    #[derive(QueryableByName)]
    struct Killed {
        #[diesel(sql_type = Integer)]
        n: i32,
    }
    let mut conn = cluster.conn();
    let rows: Vec<Killed> = sql_query(
        "SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .load(&mut conn)
    .expect("terminate backends");
    rows.first().map(|r| r.n as usize).unwrap_or(0)
}

/// QA API, `/rs` and `v2/ac` on A and B from several tasks while every backend is terminated;
/// then both replicas must be ready again within 10 s.
pub async fn outage_under_load(
    cluster: &Cluster,
    a: &Proc,
    b: &Proc,
    access: &str,
) -> OutageOutcome {
    let stop = Arc::new(AtomicBool::new(false));
    let seen = Arc::new(Mutex::new(BTreeMap::<String, usize>::new()));
    let mut tasks = Vec::new();
    for i in 0..6 {
        let base = if i % 2 == 0 { a.url("") } else { b.url("") };
        let (stop, seen, access) = (stop.clone(), seen.clone(), access.to_string());
        tasks.push(tokio::spawn(async move {
            let http = client();
            while !stop.load(Ordering::SeqCst) {
                let params = v2_ac_params("openid", &new_state(), &timestamp(0), &[], own_sign);
                let reqs = [
                    ("api", http.get(format!("{base}/emulator/api/personas"))),
                    ("rs", http.get(format!("{base}/rs/prns/1000000001")).bearer_auth(&access)),
                    ("ac", http.get(format!("{base}/aas/oauth2/v2/ac")).query(&params)),
                ];
                for (what, req) in reqs {
                    let key = match req.timeout(Duration::from_secs(8)).send().await {
                        Ok(r) => format!("{what} {}", r.status().as_u16()),
                        Err(e) if e.is_timeout() => format!("{what} timeout"),
                        Err(_) => format!("{what} transport error"),
                    };
                    *seen.lock().unwrap().entry(key).or_default() += 1;
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let terminated = terminate_backends(cluster);
    let at = Instant::now();
    let http = client();
    let mut recovery = Duration::MAX;
    while at.elapsed() < Duration::from_secs(10) {
        let mut ready = true;
        for p in [a, b] {
            let ok = http
                .get(p.url("/emulator/ready"))
                .timeout(Duration::from_secs(8))
                .send()
                .await
                .is_ok_and(|r| r.status() == 200);
            ready &= ok;
        }
        if ready {
            recovery = at.elapsed();
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(1000)).await;
    stop.store(true, Ordering::SeqCst);
    for t in tasks {
        t.await.expect("load task");
    }
    let seen = seen.lock().unwrap();
    let ok = |k: &str| k.ends_with(" 200") || k.ends_with(" 302") || k.ends_with(" 503");
    OutageOutcome {
        terminated,
        unavailable: seen.iter().filter(|(k, _)| k.ends_with(" 503")).map(|(_, n)| n).sum(),
        answered: seen.values().sum(),
        recovery,
        bad: seen
            .iter()
            .filter(|(k, _)| !ok(k))
            .map(|(k, n)| format!("{n}× {k}"))
            .collect(),
    }
}
