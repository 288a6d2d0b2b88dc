//! The write-behind `/rs` journal of the real binary (issue 12): rows of requests answered
//! before a clean stop (SIGTERM) are in the database after the process has ended. The flush
//! delay is set to 10 s, so the rows are still buffered at the signal and only the flush on
//! stop can save them.

use std::time::Duration;

use esia_store::clients::{list_journal, JournalFilter};
use esia_testkit::cluster::{client, free_port, wait_ready, Cluster};

const OID: &str = "1000000001";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rows_answered_before_sigterm_are_in_the_database_after_it() {
    let cluster = Cluster::new(env!("CARGO_BIN_EXE_esia-emulator"));
    let slow = [("ESIA__PROTOCOL__JOURNAL_FLUSH_MS", "10000")];
    let mut serve = cluster.serve_with("serve", free_port(), &slow);
    wait_ready(&mut [&mut serve], Duration::from_secs(60))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let http = client();
    let url = serve.url(&format!("/rs/prns/{OID}"));
    let n = 200;
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let (http, url) = (http.clone(), url.clone());
            tokio::spawn(async move { http.get(url).send().await.map(|r| r.status().as_u16()) })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap().expect("GET /rs"), 401, "no bearer token");
    }
    // At once: fewer rows than a batch, so they all still wait for the 10 s delay.
    let status = serve.terminate(Duration::from_secs(30));
    assert!(status.is_some(), "no clean stop:\n{}", serve.log_tail());

    let mut conn = cluster.conn();
    let filter = JournalFilter {
        endpoint: Some("/rs/*".into()),
        ..JournalFilter::default()
    };
    let rows = list_journal(&mut conn, &filter, 1_000).expect("journal rows");
    assert_eq!(rows.len(), n, "{}", serve.log_tail());
}
