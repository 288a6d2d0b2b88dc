//! The fault steps of the topology test: draining check jobs while a worker process is
//! SIGKILLed holding claimed jobs, and load on both replicas while every PostgreSQL backend of
//! the test database is terminated. Counts come back to the test, which asserts and prints them.

use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::cluster::{client, Cluster, Proc};
use crate::protocol::*;

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
        request_id: None,
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
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "W1 never claimed a job"
        );
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
    let resp = http
        .delete(a.url("/emulator/api/clock"))
        .send()
        .await
        .expect("clock");
    assert_eq!(resp.status(), 200, "the shared clock back to real time");
    let jobs = esia_store::jobs::list(&mut conn, None, N as i64 * 2).unwrap();
    let markers: HashSet<String> =
        esia_store::outbox::list(&mut conn, Some("sleep-job"), None, N as i64 * 2)
            .unwrap()
            .into_iter()
            .map(|m| m.id)
            .collect();
    let by = |id: &str| {
        jobs.iter()
            .filter(|j| j.locked_by.as_deref() == Some(id))
            .count()
    };
    JobsOutcome {
        total: N,
        done: jobs.iter().filter(|j| j.status == "done").count(),
        markers: (0..N)
            .filter(|i| markers.contains(&format!("job-{i}")))
            .count(),
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
                    (
                        "rs",
                        http.get(format!("{base}/rs/prns/1000000001"))
                            .bearer_auth(&access),
                    ),
                    (
                        "ac",
                        http.get(format!("{base}/aas/oauth2/v2/ac")).query(&params),
                    ),
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
        unavailable: seen
            .iter()
            .filter(|(k, _)| k.ends_with(" 503"))
            .map(|(_, n)| n)
            .sum(),
        answered: seen.values().sum(),
        recovery,
        bad: seen
            .iter()
            .filter(|(k, _)| !ok(k))
            .map(|(k, n)| format!("{n}× {k}"))
            .collect(),
    }
}
