//! The write-behind `/rs` journal (issue 12) in process: a request's row is seen by a journal
//! read right after its answer (the read flushes this process's buffer), a burst of concurrent
//! requests wider than one batch yields exactly one row each, and a clear takes the rows still
//! buffered with it instead of letting them land after it. The read and clear tests set a 10 s
//! flush delay, so only the flush of the read or clear itself can have written the rows.

use esia_testkit::TestApp;
use serde_json::Value;

const OID: &str = "1000000001";

/// `n` concurrent `/rs` requests with a refused token (refusals are journaled too).
async fn burst(app: &TestApp, n: usize) {
    let url = app.url(&format!("/rs/prns/{OID}"));
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let (client, url) = (app.client.clone(), url.clone());
            tokio::spawn(async move {
                let r = client
                    .get(url)
                    .header("Authorization", "Bearer not-a-token")
                    .send()
                    .await
                    .expect("GET /rs");
                r.status().as_u16()
            })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap(), 401);
    }
}

async fn rs_rows(app: &TestApp) -> Vec<Value> {
    let resp = app
        .get("/emulator/api/journal?endpoint=rs&limit=1000")
        .await;
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.expect("journal json");
    body["entries"].as_array().cloned().unwrap_or_default()
}

/// An app whose flusher waits 10 s: rows stay buffered unless a read or clear flushes them.
async fn slow_flusher() -> TestApp {
    esia_testkit::spawn_app_with(|c| c.protocol.journal_flush_ms = 10_000).await
}

#[tokio::test]
async fn a_journal_read_right_after_a_request_sees_its_row() {
    let app = slow_flusher().await;
    burst(&app, 1).await;
    let rows = rs_rows(&app).await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["endpoint"], format!("/rs/prns/{OID}"));
    assert_eq!(rows[0]["http_status"], 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_concurrent_requests_yields_exactly_one_row_each() {
    let app = esia_testkit::spawn_app().await;
    // Wider than one batch (256 rows), so several batches and the read's flush all take part.
    burst(&app, 700).await;
    assert_eq!(rs_rows(&app).await.len(), 700);
    // Nothing is written twice later either.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(rs_rows(&app).await.len(), 700);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clear_takes_the_buffered_rows_with_it() {
    let app = slow_flusher().await;
    burst(&app, 50).await;
    let resp = app
        .client
        .delete(app.url("/emulator/api/journal"))
        .send()
        .await;
    assert_eq!(resp.expect("DELETE journal").status(), 200);
    // A row the clear left in the buffer would be written by this read's flush.
    assert!(rs_rows(&app).await.is_empty());
}
