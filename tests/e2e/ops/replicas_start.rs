//! Replicas started at the same moment (issue 10, item 11), as docker-compose starts them: four
//! `serve --no-worker` processes on one empty database and one empty keys folder all come up,
//! run the migrations and the demo seed once between them, and publish the one key set that is
//! on disk. Runs on SQLite (one shared file) and, with TEST_DATABASE_URL, on PostgreSQL.

use esia_testkit::cluster;
use std::io::Write;
use std::time::Duration;

use esia_testkit::cluster::{served_cert, wait_ready, Cluster};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replicas_started_together_share_one_schema_one_seed_and_one_key_set() {
    let cluster = Cluster::new(env!("CARGO_BIN_EXE_esia-emulator"));
    assert!(!cluster.keys_dir.exists(), "the keys folder starts empty");
    let mut replicas: Vec<_> = (0..4)
        .map(|i| cluster.serve(&format!("replica-{i}")))
        .collect();
    let mut refs: Vec<&mut cluster::Proc> = replicas.iter_mut().collect();
    let took = wait_ready(&mut refs, Duration::from_secs(60))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let _ = writeln!(
        std::io::stderr(),
        "4 replicas started together, all ready after {took:?}"
    );

    let rsa = cluster.cert_on_disk(esia_core::keys::RSA_CERT);
    let gost = cluster.cert_on_disk(esia_core::keys::GOST_CERT);
    for r in &replicas {
        assert!(
            served_cert(r, "/public/esia-rsa.pem").await == rsa,
            "{} serves an RSA certificate that is not the one on disk",
            r.name
        );
        assert!(
            served_cert(r, "/public/esia-gost.pem").await == gost,
            "{} serves a GOST certificate that is not the one on disk",
            r.name
        );
    }
    let mut conn = cluster.conn();
    let persons = esia_store::persons::count_persons(&mut conn).unwrap();
    assert_eq!(
        persons as usize,
        esia_control::seed::demo_seed().unwrap().doc.personas.len(),
        "the demo seed ran once"
    );
    for r in &mut replicas {
        assert!(r.exited().is_none(), "{} died\n{}", r.name, r.log_tail());
    }
}
