//! Workers and the verification jobs: a duplicated check job notifies once (fake clock); a real
//! `esia-emulator worker` process SIGKILLed mid-job loses nothing and the job completes exactly
//! once after the 60 s lease (moved by the clock, not waited for); two worker processes drain
//! 10,000 jobs on PostgreSQL with no duplicate effects (needs TEST_DATABASE_URL).

use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

use chrono::Duration;
use esia_core::domain::clock::ControlledClock;
use esia_core::upgrade::personal_data_form::PersonalDataForm;
use esia_core::{Config, Core};
use esia_store::jobs::{self, JobRow};
use esia_testkit::{spawn_app_with, TestDb};

fn sleep_job(marker: &str, ms: u64, now: chrono::NaiveDateTime) -> JobRow {
    JobRow {
        id: uuid::Uuid::new_v4().to_string(),
        kind: "sleep_ms".into(),
        payload: serde_json::json!({ "ms": ms, "marker": marker }).to_string(),
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

fn keys_dir() -> &'static std::path::Path {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("keys dir");
        esia_core::keys::generate(dir.path()).expect("keys");
        dir
    })
    .path()
}

fn core_on(db: &TestDb) -> Core {
    core_and_clock(db).0
}

/// The core and the clock it reads (the test moves it).
fn core_and_clock(db: &TestDb) -> (Core, Arc<ControlledClock>) {
    let mut config = Config::default();
    config.database.url = db.url.clone();
    config.server.data_dir = db.dir.path().to_path_buf();
    config.keys.dir = keys_dir().to_path_buf();
    config.demo.seed = false;
    config.verification.test_jobs = true;
    let clock = Arc::new(ControlledClock::system());
    let core = Core::open(config, clock.clone()).expect("core");
    core.migrate().expect("migrate");
    (core, clock)
}

fn spawn_worker(db: &TestDb) -> Child {
    Command::new(env!("CARGO_BIN_EXE_esia-emulator"))
        .arg("worker")
        .env("ESIA__DATABASE__URL", &db.url)
        .env("ESIA__SERVER__DATA_DIR", db.dir.path())
        .env("ESIA__KEYS__DIR", keys_dir())
        .env("ESIA__DEMO__SEED", "false")
        .env("ESIA__VERIFICATION__TEST_JOBS", "true")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the worker binary")
}

fn markers(core: &Core) -> usize {
    let mut conn = core.conn().unwrap();
    esia_store::outbox::list(&mut conn, Some("sleep-job"), None, 100_000)
        .unwrap()
        .len()
}

#[tokio::test]
async fn a_duplicated_check_job_notifies_once() {
    let app = spawn_app_with(|c| c.verification.delay_secs = 3600).await;
    let mut conn = app.core.conn().unwrap();
    let p = esia_store::persons::find_person_by_oid(&mut conn, 1000000001)
        .unwrap()
        .unwrap();
    let form = PersonalDataForm {
        surname: "Иванов".into(),
        name: "Иван".into(),
        patronymic: "Иванович".into(),
        gender: "M".into(),
        birth_date: "01.01.1980".into(),
        birth_place: "Москва".into(),
        citizenship: "RUS".into(),
        snils: "112-233-445 95".into(),
        inn: String::new(),
        doc_series: "4502".into(),
        doc_number: "573482".into(),
        doc_issue_date: "15.02.2010".into(),
        doc_issued_by: "ОВД".into(),
        doc_dept_code: "770-001".into(),
    };
    esia_core::upgrade::personal_data::submit_personal_data(&app.core, &p.id, &form).unwrap();
    let payloads: Vec<(String, String)> = jobs::list(&mut conn, Some("queued"), 10)
        .unwrap()
        .into_iter()
        .filter(|j| j.kind.starts_with("check_"))
        .map(|j| (j.kind, j.payload))
        .collect();
    assert_eq!(payloads.len(), 2);
    // The jobs are not due (an hour away); run each twice by hand, as a duplicate delivery would.
    for (kind, payload) in payloads.iter().chain(payloads.iter()) {
        esia_worker::run_job(&app.core, kind, payload).unwrap();
    }
    let sms = app.outbox("+79000000001", "sms").await;
    let upgraded = sms
        .iter()
        .filter(|m| m["text"].as_str().unwrap_or("").contains("повышена"))
        .count();
    assert_eq!(upgraded, 1);
    let p = esia_store::persons::find_person(&mut conn, &p.id)
        .unwrap()
        .unwrap();
    assert_eq!(
        (p.level.as_str(), p.verification.as_str()),
        ("standard", "none")
    );
    // When the queued jobs come due the worker finds them answered and does nothing.
    drop(conn);
    app.clock.advance(Duration::hours(2));
    let started = Instant::now();
    loop {
        let mut conn = app.core.conn().unwrap();
        if jobs::count_by_status(&mut conn, "queued").unwrap() == 0
            || started.elapsed().as_secs() > 10
        {
            break;
        }
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
    assert_eq!(app.outbox("+79000000001", "sms").await.len(), sms.len());
}

#[test]
fn a_killed_worker_process_loses_nothing_and_the_job_runs_once() {
    let db = TestDb::new();
    let (core, clock) = core_and_clock(&db);
    let marker = uuid::Uuid::new_v4().to_string();
    {
        let mut conn = core.conn().unwrap();
        jobs::enqueue(&mut conn, &sleep_job(&marker, 3_000, core.now_naive())).unwrap();
    }
    let mut child = spawn_worker(&db);
    let started = Instant::now();
    let claimed = loop {
        let mut conn = core.conn().unwrap();
        if jobs::count_by_status(&mut conn, "running").unwrap() == 1 {
            break true;
        }
        if started.elapsed() > StdDuration::from_secs(30) {
            break false;
        }
        std::thread::sleep(StdDuration::from_millis(20));
    };
    assert!(claimed, "the worker process never claimed the job");
    std::thread::sleep(StdDuration::from_millis(300));
    child.kill().expect("SIGKILL the worker");
    child.wait().expect("reap");
    assert_eq!(markers(&core), 0, "killed mid-job: no effect yet");

    // Within the lease nobody may take the job; past it, a second worker finishes it once.
    assert_eq!(
        esia_worker::run_next_job(&core, "w2").unwrap(),
        esia_worker::JobRun::Idle
    );
    clock.advance(Duration::seconds(61));
    let run = esia_worker::run_next_job(&core, "w2").unwrap();
    assert!(matches!(run, esia_worker::JobRun::Done { .. }), "{run:?}");
    assert_eq!(
        esia_worker::run_next_job(&core, "w2").unwrap(),
        esia_worker::JobRun::Idle
    );
    assert_eq!(markers(&core), 1);
    let mut conn = core.conn().unwrap();
    let all = jobs::list(&mut conn, None, 10).unwrap();
    assert_eq!((all[0].status.as_str(), all[0].attempts), ("done", 2));
}

struct Killed(Child);
impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn two_worker_processes_drain_ten_thousand_jobs_on_postgres_without_duplicates() {
    if std::env::var("TEST_DATABASE_URL")
        .unwrap_or_default()
        .is_empty()
    {
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED two_worker_processes_drain_ten_thousand_jobs_on_postgres_without_duplicates: \
             set TEST_DATABASE_URL=postgres://… to run it"
        );
        return;
    }
    const N: usize = 10_000;
    let db = TestDb::new();
    let core = core_on(&db);
    {
        let now = core.now_naive();
        let mut conn = core.conn().unwrap();
        for i in 0..N {
            jobs::enqueue(&mut conn, &sleep_job(&format!("m-{i}"), 0, now)).unwrap();
        }
    }
    let _a = Killed(spawn_worker(&db));
    let _b = Killed(spawn_worker(&db));
    let started = Instant::now();
    loop {
        let mut conn = core.conn().unwrap();
        if jobs::count_by_status(&mut conn, "done").unwrap() == N as i64 {
            break;
        }
        assert!(
            started.elapsed() < StdDuration::from_secs(600),
            "drain timed out"
        );
        std::thread::sleep(StdDuration::from_millis(200));
    }
    let took = started.elapsed();
    assert_eq!(markers(&core), N);
    let mut conn = core.conn().unwrap();
    let workers: std::collections::HashSet<String> = jobs::list(&mut conn, Some("done"), N as i64)
        .unwrap()
        .into_iter()
        .inspect(|j| assert_eq!(j.attempts, 1, "a job ran twice"))
        .filter_map(|j| j.locked_by)
        .collect();
    assert_eq!(workers.len(), 2, "both processes took jobs");
    let _ = writeln!(
        std::io::stderr(),
        "two workers drained {N} jobs in {took:?} ({:.0}/s)",
        N as f64 / took.as_secs_f64()
    );
}

#[test]
fn two_workers_answering_one_persons_checks_at_once_still_upgrade_it() {
    two_workers_upgrade_forty_persons(false);
}

/// The same with the worker's batched runner (claims of 16 here, so that the two workers' 80
/// jobs are split between several claims each; one transaction per batch): every
/// account upgraded, and exactly one «повышена до стандартной» SMS per person.
#[test]
fn two_batching_workers_upgrade_every_account_exactly_once() {
    two_workers_upgrade_forty_persons(true);
}

fn two_workers_upgrade_forty_persons(batched: bool) {
    let db = TestDb::new();
    let (core, clock) = core_and_clock(&db);
    let now = core.now_naive();
    let today = now.date();
    let mut g = esia_core::domain::generate::TestDataGenerator::new(11);
    let mut ids = Vec::new();
    for i in 0..40 {
        let gender = g.gender();
        let (surname, name, patronymic) = g.person_name(gender);
        let birth = g.birth_date(today);
        let Some(passport) = g.passport(birth, today) else {
            continue;
        };
        let id = uuid::Uuid::new_v4().to_string();
        let mut conn = core.conn().unwrap();
        esia_store::persons::insert_person(
            &mut conn,
            &esia_store::persons::PersonRow::new_simplified(
                id.clone(),
                1_900_000_000 + i,
                surname.as_str().into(),
                name.as_str().into(),
                Some(patronymic.as_str().into()),
                now,
            ),
        )
        .unwrap();
        // A confirmed phone, so every upgrade sends one SMS the test can count.
        esia_store::persons::insert_contact(
            &mut conn,
            &esia_store::persons::ContactRow {
                id: uuid::Uuid::new_v4().to_string(),
                esia_id: 60_000_000 + i,
                person_id: id.clone(),
                kind: esia_domain::ContactKind::Mobile,
                value: format!("+7902{i:07}"),
                verified: true,
                verifying_value: None,
                created_at: now,
                updated_at: now,
            },
        )
        .unwrap();
        let form = PersonalDataForm {
            surname: surname.as_str().into(),
            name: name.as_str().into(),
            patronymic: patronymic.as_str().into(),
            gender: gender.as_esia().into(),
            birth_date: esia_core::domain::values::format_ru_date(birth),
            birth_place: "Москва".into(),
            citizenship: "RUS".into(),
            snils: g.snils().formatted(),
            inn: String::new(),
            doc_series: passport.series.clone(),
            doc_number: passport.number.clone(),
            doc_issue_date: passport.issue_date_ru(),
            doc_issued_by: passport.issued_by.clone(),
            doc_dept_code: passport.dept_code_formatted(),
        };
        esia_core::upgrade::personal_data::submit_personal_data(&core, &id, &form).unwrap();
        ids.push(id);
    }
    clock.advance(Duration::seconds(10));
    let threads: Vec<_> = (0..2)
        .map(|w| {
            let core = core.clone();
            std::thread::spawn(move || loop {
                let id = format!("w{w}");
                let ran = if batched {
                    esia_worker::run_job_batch(&core, &id, 16).map_or(0, |runs| runs.len())
                } else {
                    match esia_worker::run_next_job(&core, &id) {
                        Ok(esia_worker::JobRun::Idle) | Err(_) => 0,
                        Ok(_) => 1,
                    }
                };
                if ran == 0 {
                    break;
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let mut conn = core.conn().unwrap();
    for id in &ids {
        let p = esia_store::persons::find_person(&mut conn, id)
            .unwrap()
            .unwrap();
        assert_eq!(
            (p.level.as_str(), p.verification.as_str()),
            ("standard", "none")
        );
        let upgraded = esia_store::outbox::list(&mut conn, None, None, 1000)
            .map(|rows| {
                rows.iter()
                    .filter(|m| m.person_id.as_deref() == Some(id.as_str()))
                    .filter(|m| m.body.contains("повышена до стандартной"))
                    .count()
            })
            .unwrap_or(0);
        assert_eq!(upgraded, 1, "one upgrade notice per person");
    }
}
