//! The request log of the real binary (issue 12): one line per request at the default level with
//! the method, the route template, the status, the latency and the request id; an incoming plain
//! `X-Request-Id` is kept and returned, anything else is replaced by a fresh id; no secret, query
//! string or path identifier reaches the log.

use std::time::{Duration, Instant};

use esia_testkit::cluster::{client, wait_ready, Cluster};

const OID: &str = "1000000001";
const SECRET: &str = "Q0xJRU5UX1NFQ1JFVF9NVVNUX05PVF9CRV9MT0dHRUQ";

/// The first log line naming `id`, waiting briefly for the process to write it.
async fn line_with(log: impl Fn() -> String, id: &str) -> String {
    let until = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(l) = log()
            .lines()
            .find(|l| l.contains(id) && l.contains("route="))
        {
            return l.to_string();
        }
        assert!(
            Instant::now() < until,
            "no request line for {id}:\n{}",
            log()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_request_logs_one_line_with_its_route_template_and_request_id() {
    let cluster = Cluster::new(env!("CARGO_BIN_EXE_esia-emulator"));
    let mut serve = cluster.serve("serve");
    wait_ready(&mut [&mut serve], Duration::from_secs(60))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let http = client();

    let kept = "qa-run-42.step_7";
    let res = http
        .get(serve.url(&format!("/rs/prns/{OID}")))
        .header("X-Request-Id", kept)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401, "no bearer token");
    assert_eq!(res.headers()["x-request-id"], kept, "a plain id comes back");
    let line = line_with(|| serve.log_text(), kept).await;
    assert!(line.contains("INFO"), "logged at info: {line}");
    assert!(line.contains("method=GET"), "{line}");
    assert!(
        line.contains("route=/rs/prns/{oid}"),
        "the template: {line}"
    );
    assert!(line.contains("status=401"), "{line}");
    assert!(line.contains("latency_ms="), "{line}");
    assert!(!line.contains(OID), "the oid stays out of the line: {line}");

    let hostile = "x<script>  and a very long story that is not an id at all, 1;DROP TABLE";
    let res = http
        .get(serve.url(&format!(
            "/aas/oauth2/v2/ac?client_id=DEMO_IS&client_secret={SECRET}&response_type=code\
             &redirect_uri=https://elsewhere.example/cb"
        )))
        .header("X-Request-Id", hostile)
        .send()
        .await
        .unwrap();
    let fresh = res.headers()["x-request-id"].to_str().unwrap().to_string();
    assert_ne!(fresh, hostile);
    assert_eq!(fresh.len(), 32, "a fresh id: {fresh}");
    let line = line_with(|| serve.log_text(), &fresh).await;
    assert!(line.contains("route=/aas/oauth2/v2/ac"), "{line}");
    // A line the use case wrote on the blocking pool carries the same id.
    let log = serve.log_text();
    let refused = log.lines().find(|l| l.contains("redirect_uri refused"));
    let refused = refused.unwrap_or_else(|| panic!("no refusal line:\n{log}"));
    assert!(
        refused.contains(&fresh),
        "the use case's line has the id: {refused}"
    );

    let res = http.get(serve.url("/no/such/page")).send().await.unwrap();
    assert_eq!(res.status(), 404);
    let made = res.headers()["x-request-id"].to_str().unwrap().to_string();
    let line = line_with(|| serve.log_text(), &made).await;
    assert!(line.contains("status=404"), "{line}");

    let log = serve.log_text();
    assert!(!log.contains(SECRET), "a client_secret reached the log");
    assert!(
        !log.contains(hostile),
        "an unusable request id reached the log"
    );
    assert!(
        !log.contains("client_secret="),
        "a query string reached the log"
    );
    assert!(serve.exited().is_none(), "{}", serve.log_tail());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_enqueued_by_a_request_logs_under_its_request_id() {
    let cluster = Cluster::new(env!("CARGO_BIN_EXE_esia-emulator"));
    let mut serve = cluster.serve("serve");
    wait_ready(&mut [&mut serve], Duration::from_secs(60))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let http = client();
    let page = http
        .get(serve.url("/registration"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = esia_testkit::spawn::extract_csrf(&page).expect("csrf");
    let id = "qa-job-trace.1";
    let res = http
        .post(serve.url("/registration"))
        .header("X-Request-Id", id)
        .form(&[
            ("csrf", csrf.as_str()),
            ("surname", "Smith"),
            ("name", "John"),
            ("phone", ""),
            ("email", "job.trace@example.com"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "registration by e-mail started");
    // The e-mail goes out through a worker process of its own; its lines for the job carry the
    // id of the request that enqueued it (carried by the jobs table across processes).
    let worker = cluster.worker("worker");
    let until = Instant::now() + Duration::from_secs(20);
    let done = loop {
        let log = worker.log_text();
        if let Some(l) = log
            .lines()
            .find(|l| l.contains("job done") && l.contains("deliver_email"))
        {
            break l.to_string();
        }
        assert!(Instant::now() < until, "the mail job never ran:\n{log}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(
        done.contains(&format!("request_id={id}")),
        "the job's line names the request: {done}"
    );
    for log in [serve.log_text(), worker.log_text()] {
        assert!(
            !log.contains("job.trace@example.com"),
            "the e-mail address reached the log"
        );
    }
    assert!(serve.exited().is_none(), "{}", serve.log_tail());
}
