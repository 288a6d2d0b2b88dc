//! The job queue on both backends: enqueue, claim with a lease, retry with backoff, dead-letter,
//! and an expired lease returning the job to another worker.

use chrono::Duration;
use esia_store::jobs::{self, JobRow};
use esia_testkit::spawn_app_with;

fn job(id: &str, kind: &str, now: chrono::NaiveDateTime, max_attempts: i32) -> JobRow {
    JobRow {
        id: id.into(),
        kind: kind.into(),
        payload: "{}".into(),
        status: "queued".into(),
        attempts: 0,
        max_attempts,
        run_at: now,
        locked_by: None,
        locked_until: None,
        last_error: None,
        created_at: now,
        finished_at: None,
        request_id: None,
    }
}

#[tokio::test]
async fn claims_are_exclusive_and_expired_leases_return_the_job() {
    let app = spawn_app_with(|c| c.demo.seed = false).await;
    app.clock.freeze_at(chrono::Utc::now());
    let now = app.core.now_naive();
    let mut conn = app.core.conn().unwrap();
    jobs::enqueue(&mut conn, &job("j1", "noop", now, 3)).unwrap();
    let lease = now + Duration::seconds(60);
    let claimed = jobs::claim_next(&mut conn, "w1", now, lease)
        .unwrap()
        .expect("due job");
    assert_eq!(
        (
            claimed.id.as_str(),
            claimed.attempts,
            claimed.status.as_str()
        ),
        ("j1", 1, "running")
    );
    assert!(
        jobs::claim_next(&mut conn, "w2", now, lease)
            .unwrap()
            .is_none(),
        "held by w1"
    );
    // w1 dies; after the lease w2 takes the job over and w1's late completion is ignored.
    let later = now + Duration::seconds(61);
    let taken = jobs::claim_next(&mut conn, "w2", later, later + Duration::seconds(60))
        .unwrap()
        .expect("lease expired");
    assert_eq!(
        (taken.locked_by.as_deref(), taken.attempts),
        (Some("w2"), 2)
    );
    assert!(!jobs::complete(&mut conn, "j1", "w1", later).unwrap());
    assert!(jobs::complete(&mut conn, "j1", "w2", later).unwrap());
    assert_eq!(jobs::find(&mut conn, "j1").unwrap().unwrap().status, "done");
}

#[tokio::test]
async fn future_jobs_wait_for_their_time() {
    let app = spawn_app_with(|c| c.demo.seed = false).await;
    let now = chrono::Utc::now().naive_utc();
    let mut conn = app.core.conn().unwrap();
    let mut later = job("j2", "noop", now, 3);
    later.run_at = now + Duration::hours(48);
    jobs::enqueue(&mut conn, &later).unwrap();
    assert!(
        jobs::claim_next(&mut conn, "w", now, now + Duration::seconds(60))
            .unwrap()
            .is_none()
    );
    let due = now + Duration::hours(48) + Duration::seconds(1);
    assert!(
        jobs::claim_next(&mut conn, "w", due, due + Duration::seconds(60))
            .unwrap()
            .is_some()
    );
}

#[tokio::test]
async fn failing_jobs_retry_with_backoff_then_go_dead() {
    // An unknown job kind always fails: the runner retries it, then dead-letters it.
    let app = spawn_app_with(|c| c.demo.seed = false).await;
    app.clock.freeze_at(chrono::Utc::now());
    let now = app.core.now_naive();
    {
        let mut conn = app.core.conn().unwrap();
        jobs::enqueue(&mut conn, &job("j3", "no_such_kind", now, 2)).unwrap();
    }
    // The in-process worker of spawn_app competes for jobs; drive the runner ourselves until done.
    let mut outcome = None;
    for _ in 0..100 {
        let mut conn = app.core.conn().unwrap();
        let row = jobs::find(&mut conn, "j3").unwrap().unwrap();
        if row.status == "dead" {
            outcome = Some(row);
            break;
        }
        drop(conn);
        app.clock.advance(Duration::seconds(10));
        let _ = esia_worker::run_next_job(&app.core, "test-runner");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let row = outcome.expect("job dead-lettered after max_attempts");
    assert_eq!(row.attempts, 2);
    assert!(row.last_error.unwrap().contains("unknown job kind"));
}

#[tokio::test]
async fn jobs_of_a_claim_not_started_within_its_budget_go_back_to_the_queue() {
    let app = spawn_app_with(|c| {
        c.demo.seed = false;
        c.verification.test_jobs = true;
    })
    .await;
    // Only this test's runners may claim (the in-process worker would race them).
    app.stop_worker().await;
    let now = app.core.now_naive();
    let mut conn = app.core.conn().unwrap();
    for i in 0..3 {
        let mut j = job(
            &format!("s{i}"),
            <esia_core::jobs::SleepMs as esia_core::jobs::JobPayload>::KIND,
            now,
            3,
        );
        j.payload = serde_json::json!({"ms": 80, "marker": format!("m{i}")}).to_string();
        jobs::enqueue(&mut conn, &j).unwrap();
    }
    drop(conn);
    let core = app.core.clone();
    // A 30 ms budget: the first job (80 ms) starts, then the budget is spent.
    let runs = tokio::task::spawn_blocking(move || {
        esia_worker::run_job_batch_within(&core, "w1", 10, std::time::Duration::from_millis(30))
    })
    .await
    .unwrap()
    .unwrap();
    assert_eq!(runs.len(), 1, "{runs:?}");
    let mut conn = app.core.conn().unwrap();
    let states: Vec<(String, String, i32, Option<String>)> = (0..3)
        .map(|i| {
            let j = jobs::find(&mut conn, &format!("s{i}")).unwrap().unwrap();
            (j.id, j.status, j.attempts, j.locked_by)
        })
        .collect();
    let done = states.iter().filter(|s| s.1 == "done").count();
    let requeued: Vec<_> = states.iter().filter(|s| s.1 == "queued").collect();
    assert_eq!(done, 1, "{states:?}");
    assert_eq!(requeued.len(), 2, "{states:?}");
    assert!(
        requeued.iter().all(|s| s.2 == 0 && s.3.is_none()),
        "released unstarted, attempt uncounted: {states:?}"
    );
    drop(conn);
    // Another worker takes the released jobs at once (no lease to wait out).
    let core = app.core.clone();
    let runs = tokio::task::spawn_blocking(move || esia_worker::run_job_batch(&core, "w2", 10))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(runs.len(), 2, "{runs:?}");
}
