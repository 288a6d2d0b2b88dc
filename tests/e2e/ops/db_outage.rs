//! A database that goes away and comes back (issue 10, item 9): connections that died or were
//! returned mid-transaction are never handed out again, every channel answers 503 (never 500,
//! never a hang) while PostgreSQL's backends are terminated under load, and the server heals by
//! itself within seconds (`db_unavailable.rs`: a checkout that times out). The PostgreSQL-only
//! tests print SKIPPED on SQLite.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use esia_store::{build_pool, write_transaction, Backend, DbConnection, PoolOptions, StoreError};
use esia_testkit::protocol::*;
use esia_testkit::{spawn_app, TestDb};

fn skip_unless_postgres(db: &TestDb, test: &str) -> bool {
    if db.backend() != Backend::Postgres {
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED {test}: PostgreSQL only (set TEST_DATABASE_URL)"
        );
        return true;
    }
    false
}

/// Terminates every backend of `db_url`'s database except the caller's own, as an
/// administrator or a failover would.
fn terminate_backends(db_url: &str) -> usize {
    use diesel::{sql_query, sql_types::Integer, QueryableByName, RunQueryDsl};
    #[derive(QueryableByName)]
    struct Killed {
        #[diesel(sql_type = Integer)]
        n: i32,
    }
    let DbConnection::Postgres(mut conn) = DbConnection::open(db_url).expect("admin connection")
    else {
        unreachable!("PostgreSQL only");
    };
    let rows: Vec<Killed> = sql_query(
        "SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .load(&mut conn)
    .expect("terminate backends");
    rows.first().map(|r| r.n as usize).unwrap_or(0)
}

fn pool_of_one(db: &TestDb) -> esia_store::DbPool {
    build_pool(
        &db.url,
        &PoolOptions {
            max_size: 1,
            connect_timeout: Duration::from_secs(5),
        },
    )
    .expect("pool")
}

fn count_rows(url: &str, table: &str) -> i64 {
    use diesel::{sql_query, sql_types::BigInt, QueryableByName, RunQueryDsl};
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let mut conn = DbConnection::open(url).expect("fresh connection");
    let rows: Vec<N> = sql_query(format!("SELECT count(*) AS n FROM {table}"))
        .load(&mut conn)
        .expect("count");
    rows[0].n
}

/// A connection whose user panicked inside a write transaction (dropped while unwinding, or
/// handed back afterwards with the transaction still open) must not serve the next checkout:
/// the next write commits on its own and the panicked write never lands.
#[test]
fn a_connection_returned_mid_transaction_is_not_reused() {
    let db = TestDb::new();
    let pool = pool_of_one(&db);
    {
        let mut conn = pool.get().unwrap();
        esia_store::db::execute_sql(&mut conn, "CREATE TABLE probe (id INTEGER NOT NULL)").unwrap();
    }
    // 1. The connection is dropped during the unwinding (moved into the panicking closure).
    let moved = pool.get().unwrap();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
        let mut conn = moved;
        let _: Result<(), StoreError> = write_transaction(&mut conn, |c| {
            esia_store::db::execute_sql(c, "INSERT INTO probe VALUES (1)")?;
            panic!("intentional test panic: a use case bug inside the transaction");
        });
    }));
    assert!(outcome.is_err());
    // 2. The connection outlives the panic and goes back with its transaction still open.
    let mut kept = pool.get().unwrap();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _: Result<(), StoreError> = write_transaction(&mut kept, |c| {
            esia_store::db::execute_sql(c, "INSERT INTO probe VALUES (2)")?;
            panic!("intentional test panic: a use case bug inside the transaction");
        });
    }));
    assert!(outcome.is_err());
    assert!(
        esia_store::db::is_broken(&mut kept),
        "a connection with an open transaction counts as broken"
    );
    drop(kept);

    let mut next = pool.get().expect("the pool replaces the broken connection");
    write_transaction(&mut next, |c| -> Result<(), StoreError> {
        esia_store::db::execute_sql(c, "INSERT INTO probe VALUES (3)")
    })
    .expect("a write on the next checkout commits");
    drop(next);
    assert_eq!(
        count_rows(&db.url, "probe"),
        1,
        "only the third write is committed (the panicked ones rolled back, the third not nested in them)"
    );
}

/// A pooled connection whose backend was terminated: its query fails as `Unavailable` (a 503,
/// not a 500), and the next checkout is a fresh, working session.
#[test]
fn a_terminated_connection_is_unavailable_then_replaced() {
    let db = TestDb::new();
    if skip_unless_postgres(&db, "a_terminated_connection_is_unavailable_then_replaced") {
        return;
    }
    let pool = pool_of_one(&db);
    let pid = |conn: &mut DbConnection| -> Result<i32, StoreError> {
        use diesel::{sql_query, sql_types::Integer, QueryableByName, RunQueryDsl};
        #[derive(QueryableByName)]
        struct Pid {
            #[diesel(sql_type = Integer)]
            pid: i32,
        }
        let rows: Vec<Pid> = sql_query("SELECT pg_backend_pid() AS pid").load(conn)?;
        Ok(rows[0].pid)
    };
    let first = pid(&mut pool.get().unwrap()).unwrap();
    assert!(terminate_backends(&db.url) >= 1);
    std::thread::sleep(Duration::from_millis(200));
    let err = pid(&mut pool.get().unwrap()).expect_err("the dead session fails");
    assert!(
        err.is_unavailable(),
        "lost connection must be Unavailable: {err:?}"
    );
    let second = pid(&mut pool.get().unwrap()).expect("the pool reconnected");
    assert_ne!(first, second, "a new backend serves the next checkout");
}

/// What one kind of request answered during the run.
#[derive(Default, Debug)]
struct Tally {
    by_status: BTreeMap<String, BTreeMap<u16, usize>>,
}

impl Tally {
    fn add(&mut self, what: &str, status: u16) {
        *self
            .by_status
            .entry(what.to_string())
            .or_default()
            .entry(status)
            .or_default() += 1;
    }
    fn bad(&self) -> Vec<String> {
        let mut bad = Vec::new();
        for (what, statuses) in &self.by_status {
            for (status, n) in statuses {
                if *status >= 500 && *status != 503 {
                    bad.push(format!("{what}: {n}× {status}"));
                }
            }
        }
        bad
    }
    fn count(&self, status: u16) -> usize {
        self.by_status
            .values()
            .map(|m| m.get(&status).copied().unwrap_or(0))
            .sum()
    }
}

/// The load: the QA API, an admin page, the protocol (`v2/ac`) and `/rs`, in a loop.
async fn one_round(
    app: &esia_testkit::TestApp,
    client: &reqwest::Client,
    access: &str,
    tally: &Mutex<Tally>,
) {
    let timeout = Duration::from_secs(8);
    let params = v2_ac_params(
        "openid fullname",
        &new_state(),
        &timestamp(0),
        &[],
        own_sign,
    );
    let requests: [(&str, reqwest::RequestBuilder); 5] = [
        (
            "api personas",
            client.get(app.url("/emulator/api/personas")),
        ),
        (
            "api outbox",
            client.get(app.url("/emulator/api/outbox?to=%2B79990000001")),
        ),
        ("admin page", client.get(app.url("/emulator/personas"))),
        (
            "v2/ac",
            client.get(app.url("/aas/oauth2/v2/ac")).query(&params),
        ),
        (
            "/rs",
            client
                .get(app.url("/rs/prns/1000000001"))
                .bearer_auth(access),
        ),
    ];
    for (what, req) in requests {
        let status = match req.timeout(timeout).send().await {
            Ok(resp) => {
                let status = resp.status().as_u16();
                if status == 503 {
                    assert!(
                        resp.headers().contains_key("retry-after"),
                        "{what}: a 503 carries Retry-After"
                    );
                }
                status
            }
            // A hang is as bad as a 500: count it as one.
            Err(e) if e.is_timeout() => 599,
            Err(_) => 598,
        };
        tally.lock().unwrap().add(what, status);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn terminating_every_backend_under_load_heals_within_seconds_without_a_500() {
    let app = spawn_app().await;
    if skip_unless_postgres(
        &app.db,
        "terminating_every_backend_under_load_heals_within_seconds_without_a_500",
    ) {
        return;
    }
    let app = Arc::new(app);
    // A token for the /rs part of the load, through the real flow.
    let browser = app.new_client();
    let scope = "openid fullname";
    let params = v2_ac_params(scope, &new_state(), &timestamp(0), &[], own_sign);
    let first = ac(&app, &browser, "/aas/oauth2/v2/ac", &params).await;
    let callback = browse_to_callback(&app, &browser, first, "EsiaTest001@yandex.ru").await;
    let code = q(&query_of(&callback), "code").expect("code").to_string();
    let (status, body) = te(
        &app,
        "/aas/oauth2/v3/te",
        &v3_code_params(&code, scope, &new_state(), &timestamp(0), own_sign),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let access: Arc<str> = body["access_token"].as_str().unwrap().into();

    let tally = Arc::new(Mutex::new(Tally::default()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut load = Vec::new();
    for _ in 0..6 {
        let (app, tally, stop, access) = (app.clone(), tally.clone(), stop.clone(), access.clone());
        load.push(tokio::spawn(async move {
            let client = app.new_client();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                one_round(&app, &client, &access, &tally).await;
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let url = app.db.url.clone();
    let killed = tokio::task::spawn_blocking(move || terminate_backends(&url))
        .await
        .unwrap();
    let terminated_at = Instant::now();
    // Ready again: the pool reconnects by itself.
    let mut recovered = None;
    while terminated_at.elapsed() < Duration::from_secs(10) {
        let resp = app
            .client
            .get(app.url("/emulator/ready"))
            .timeout(Duration::from_secs(8))
            .send()
            .await;
        if resp.is_ok_and(|r| r.status() == 200) {
            recovered = Some(terminated_at.elapsed());
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Keep the load on a little after recovery, then a second outage while it runs.
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let url = app.db.url.clone();
    tokio::task::spawn_blocking(move || terminate_backends(&url))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for t in load {
        t.await.unwrap();
    }
    let tally = std::mem::take(&mut *tally.lock().unwrap());
    let _ = writeln!(
        std::io::stderr(),
        "outage under load: {killed} backends terminated, ready again after {recovered:?}, \
         {} answers 503, by request: {:?}",
        tally.count(503),
        tally.by_status
    );
    let recovered = recovered.expect("/emulator/ready back to 200 within 10 s");
    assert!(recovered < Duration::from_secs(10));
    assert!(
        tally.bad().is_empty(),
        "5xx other than 503: {:?}",
        tally.bad()
    );
    assert!(killed >= 1, "the app's connections were terminated");

    // After the outage every channel works again.
    let client = app.new_client();
    let after = Mutex::new(Tally::default());
    one_round(&app, &client, &access, &after).await;
    let after = after.into_inner().unwrap();
    for (what, statuses) in &after.by_status {
        let ok = statuses
            .keys()
            .all(|s| *s == 200 || (*what == "v2/ac" && *s == 302));
        assert!(ok, "{what} after recovery: {statuses:?}");
    }
}
