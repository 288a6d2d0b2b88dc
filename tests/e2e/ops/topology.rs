//! The shared-service topology with the real binary (issue 10, "Proof that stays in CI"): on an
//! empty PostgreSQL database and an empty keys folder, replicas A and B (`serve --no-worker`)
//! and workers W1 and W2 start at the same moment, as docker-compose.yml starts them. Then: a
//! protocol flow across replicas; registrations spread over both replicas while B is SIGKILLed
//! (no acknowledged registration lost) and B restarts with the same keys; check jobs drained by
//! both workers while W1 is SIGKILLed mid-claim (every job done once); every emulator backend
//! terminated under load (back within 10 s, no 500). Prints its counts. PostgreSQL only.

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use esia_testkit::cluster::{served_cert, wait_ready, Cluster};
use esia_testkit::topology::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_replicas_and_two_workers_survive_kills_and_a_database_outage() {
    let cluster = Cluster::new(env!("CARGO_BIN_EXE_esia-emulator"));
    if cluster.db.backend() != esia_store::Backend::Postgres {
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED two_replicas_and_two_workers_survive_kills_and_a_database_outage: \
             PostgreSQL only (set TEST_DATABASE_URL)"
        );
        return;
    }
    let t0 = Instant::now();
    let mut a = cluster.serve("A");
    let mut b = cluster.serve("B");
    let mut w1 = cluster.worker("W1");
    let mut w2 = cluster.worker("W2");
    wait_ready(
        &mut [&mut a, &mut b, &mut w1, &mut w2],
        Duration::from_secs(60),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let rsa = cluster.cert_on_disk(esia_core::keys::RSA_CERT);
    for r in [&a, &b] {
        assert!(
            served_cert(r, "/public/esia-rsa.pem").await == rsa,
            "{} cert",
            r.name
        );
    }

    // 1. The protocol across replicas.
    let tokens = protocol_flow_across(&a, &b).await;
    for w in [&mut w1, &mut w2] {
        assert!(w.exited().is_none(), "{} died\n{}", w.name, w.log_tail());
    }

    // 2. Registrations on both replicas; B is SIGKILLed under the load, then restarts.
    let b_port = b.port.unwrap();
    let load = RegistrationLoad::start(a.url(""), b.url(""));
    tokio::time::sleep(Duration::from_millis(2500)).await;
    b.kill9();
    load.b_alive.store(false, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let reg = load.stop().await;
    let found = reg
        .acknowledged
        .iter()
        .filter(|phone| registered(&cluster, phone))
        .count();
    let mut b = cluster.serve_on("B-restarted", b_port);
    wait_ready(&mut [&mut b], Duration::from_secs(30))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        served_cert(&b, "/public/esia-rsa.pem").await == rsa,
        "B keeps the keys"
    );
    let status = rs_status(&b, &tokens.access).await;
    assert_eq!(status, 200, "the restarted B accepts a token issued before");

    // 3. Check jobs over both workers; W1 is SIGKILLed holding claimed jobs.
    let jobs = drain_jobs_killing_one_worker(&cluster, &a, &mut w1, &w2).await;

    // 4. Every emulator backend terminated under load.
    let outage = outage_under_load(&cluster, &a, &b, &tokens.access).await;

    let _ = writeln!(
        std::io::stderr(),
        "topology: registrations acknowledged {} / found {found} ({} refused by the kill, \
         {} attempts); jobs done {} of {} (W1 {}, W2 {}, re-run after the kill {}); \
         outage: {} backends terminated, {} answers 503 of {} in all, recovery {:?}; \
         total {:?}",
        reg.acknowledged.len(),
        reg.transport_errors,
        reg.attempts,
        jobs.done,
        jobs.total,
        jobs.by_w1,
        jobs.by_w2,
        jobs.rerun,
        outage.terminated,
        outage.unavailable,
        outage.answered,
        outage.recovery,
        t0.elapsed(),
    );
    assert!(reg.bad.is_empty(), "registration answers: {:?}", reg.bad);
    assert!(reg.acknowledged.len() >= 10, "too little registration load");
    assert_eq!(
        found,
        reg.acknowledged.len(),
        "acknowledged registrations lost"
    );
    assert_eq!(jobs.done, jobs.total, "every job done");
    assert_eq!(jobs.markers, jobs.total, "every job's effect exactly once");
    assert!(jobs.by_w1 > 0 && jobs.by_w2 > 0, "both workers took jobs");
    assert!(jobs.rerun > 0, "W1 was killed holding claimed jobs");
    assert!(outage.bad.is_empty(), "during the outage: {:?}", outage.bad);
    assert!(outage.recovery < Duration::from_secs(10));
    for p in [&mut a, &mut b, &mut w2] {
        assert!(p.exited().is_none(), "{} died\n{}", p.name, p.log_tail());
    }
}

/// Registrations in a loop by several browsers, each one's steps spread over A and B (only A
/// once B is marked dead). A registration counts as acknowledged when its last step answered
/// the success redirect.
struct RegistrationLoad {
    b_alive: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
    outcome: Arc<Mutex<RegistrationOutcome>>,
}

#[derive(Default, Debug)]
struct RegistrationOutcome {
    acknowledged: Vec<String>,
    transport_errors: usize,
    attempts: usize,
    /// Unexpected answers (any 5xx, a wrong redirect): must stay empty.
    bad: Vec<String>,
}

impl RegistrationLoad {
    fn start(a: String, b: String) -> RegistrationLoad {
        let b_alive = Arc::new(AtomicBool::new(true));
        let stop = Arc::new(AtomicBool::new(false));
        let outcome = Arc::new(Mutex::new(RegistrationOutcome::default()));
        let counter = Arc::new(AtomicU64::new(0));
        let tasks = (0..6)
            .map(|_| {
                let (a, b) = (a.clone(), b.clone());
                let (b_alive, stop, outcome, counter) = (
                    b_alive.clone(),
                    stop.clone(),
                    outcome.clone(),
                    counter.clone(),
                );
                tokio::spawn(async move {
                    while !stop.load(Ordering::SeqCst) {
                        let n = counter.fetch_add(1, Ordering::SeqCst);
                        let phone = format!("+7913{:07}", 1_000_000 + n);
                        let hosts = if b_alive.load(Ordering::SeqCst) {
                            if n % 2 == 0 {
                                [a.clone(), b.clone(), a.clone()]
                            } else {
                                [b.clone(), a.clone(), b.clone()]
                            }
                        } else {
                            [a.clone(), a.clone(), a.clone()]
                        };
                        let result = register(&hosts, &phone).await;
                        let mut o = outcome.lock().unwrap();
                        o.attempts += 1;
                        match result {
                            Ok(()) => o.acknowledged.push(phone),
                            Err(Step::Transport) => o.transport_errors += 1,
                            Err(Step::Unexpected(what)) => o.bad.push(what),
                        }
                    }
                })
            })
            .collect();
        RegistrationLoad {
            b_alive,
            stop,
            tasks,
            outcome,
        }
    }

    async fn stop(self) -> RegistrationOutcome {
        self.stop.store(true, Ordering::SeqCst);
        for t in self.tasks {
            t.await.expect("registration task");
        }
        std::mem::take(&mut *self.outcome.lock().unwrap())
    }
}

fn registered(cluster: &Cluster, phone: &str) -> bool {
    let mut conn = cluster.conn();
    esia_store::persons::find_person_by_contact(&mut conn, esia_domain::ContactKind::Mobile, phone)
        .expect("look-up")
        .is_some()
}
