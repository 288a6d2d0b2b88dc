//! The batched check runner stores exactly what running the same jobs one at a time stores.
//! One claim holds both checks of several persons (in both orders), a QA rule forcing a failure
//! of the first and of the second check, a hanging check, an unavailable agency, a check already
//! answered by an earlier run, registry hits (matching and not) and a three-check person; the
//! end state (levels, check statuses, documents, outbox, registry, jobs) must equal the
//! one-job-at-a-time run's. A frozen clock and fixed `run_at` order make both runs
//! deterministic. Runs on SQLite, and on PostgreSQL with TEST_DATABASE_URL.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::{Duration, NaiveDateTime, TimeZone, Utc};
use esia_core::domain::clock::ControlledClock;
use esia_core::domain::generate::TestDataGenerator;
use esia_core::domain::level::CheckKind;
use esia_core::upgrade::agencies::magic;
use esia_core::upgrade::personal_data_form::PersonalDataForm;
use esia_core::upgrade::rules::{NewRule, Subject};
use esia_core::{Config, Core};
use esia_store::jobs;
use esia_store::persons::{ContactRow, PersonRow};
use esia_store::verification::RegistryPersonRow;
use esia_testkit::TestDb;

use super::upgrade_batch_state::snapshot;

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
    let mut config = Config::default();
    config.database.url = db.url.clone();
    config.server.data_dir = db.dir.path().to_path_buf();
    config.keys.dir = keys_dir().to_path_buf();
    config.demo.seed = false;
    config.verification.delay_secs = 0;
    let start = Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap();
    let core = Core::open(config, Arc::new(ControlledClock::fake(start))).expect("core");
    core.migrate().expect("migrate");
    core
}

/// What happens to each person; the order is the order its check jobs run in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Case {
    /// SNILS then passport, both unknown: pass, join the registry, upgrade. Has an e-mail.
    Plain,
    /// Passport then SNILS.
    Reversed,
    /// A rule fails the passport, which runs first: the SNILS check is cancelled, its job a no-op.
    FailFirst,
    /// Passport passes, then a rule fails the SNILS.
    FailSecond,
    /// SNILS passes, a rule makes the passport check hang.
    Hangs,
    /// The SNILS job was answered by an earlier run (a duplicate); the passport passes.
    AlreadyAnswered,
    /// A rule makes the SNILS agency unavailable: only that job retries; the passport passes.
    Unavailable,
    /// The registry knows the SNILS under another name: «данные не совпадают», passport cancelled.
    RegistryMismatch,
    /// The registry knows the passport with the same data: pass without a new registry entry.
    RegistryMatch,
    /// SNILS, INN, passport: INN passes while simplified, the passport upgrades.
    WithInn,
}

const CASES: [Case; 10] = [
    Case::Plain,
    Case::Reversed,
    Case::FailFirst,
    Case::FailSecond,
    Case::Hangs,
    Case::AlreadyAnswered,
    Case::Unavailable,
    Case::RegistryMismatch,
    Case::RegistryMatch,
    Case::WithInn,
];

fn order(case: Case) -> &'static [&'static str] {
    match case {
        Case::Reversed | Case::FailFirst | Case::FailSecond => &["passport", "snils"],
        Case::WithInn => &["snils", "inn", "passport"],
        _ => &["snils", "passport"],
    }
}

fn rule(core: &Core, field: &str, pattern: &str, outcome: &str) {
    esia_core::upgrade::rules::add_verification_rule(
        core,
        NewRule {
            field: field.into(),
            pattern: pattern.into(),
            outcome: outcome.into(),
            delay_secs: None,
        },
    )
    .expect("rule");
}

fn registry(core: &Core, f: impl FnOnce(&mut RegistryPersonRow)) {
    let mut row = RegistryPersonRow {
        id: uuid::Uuid::new_v4().to_string(),
        surname: "Реестров".into(),
        name: "Пётр".into(),
        patronymic: None,
        gender: "M".into(),
        birth_date: chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap(),
        snils: None,
        passport: None,
        passport_valid: true,
        inn: None,
        created_at: core.now_naive(),
    };
    f(&mut row);
    let mut conn = core.conn().unwrap();
    esia_store::verification::insert_registry_person(&mut conn, &row).unwrap();
}

/// Creates the persons and their queued check jobs, in `run_at` order; returns the id of the
/// unavailable SNILS check's job.
fn prepare(core: &Core) -> String {
    let now = core.now_naive();
    let today = now.date();
    let mut g = TestDataGenerator::new(20_261_126);
    let mut planned: Vec<(String, &'static str)> = Vec::new();
    for (i, case) in CASES.into_iter().enumerate() {
        let gender = g.gender();
        let (surname, name, patronymic) = g.person_name(gender);
        let birth = g.birth_date(today);
        let passport = loop {
            if let Some(p) = g.passport(birth, today) {
                break p;
            }
        };
        let (snils, inn) = loop {
            let (s, n) = (g.snils(), g.inn_person());
            let subject = Subject {
                snils: Some(s.digits().to_string()),
                passport: Some(format!("{}{}", passport.series, passport.number)),
                inn: Some(n.as_str().to_string()),
                surname: surname.as_str().into(),
            };
            if [CheckKind::Snils, CheckKind::Passport, CheckKind::Inn]
                .iter()
                .all(|k| magic(*k, &subject).is_none())
            {
                break (s, n);
            }
        };
        let id = uuid::Uuid::new_v4().to_string();
        let mut conn = core.conn().unwrap();
        esia_store::persons::insert_person(
            &mut conn,
            &PersonRow::new_simplified(
                id.clone(),
                1_800_000_000 + i as i64,
                surname.as_str().into(),
                name.as_str().into(),
                Some(patronymic.as_str().into()),
                now,
            ),
        )
        .unwrap();
        let mut contacts = vec![(esia_domain::ContactKind::Mobile, format!("+7903{i:07}"))];
        if case == Case::Plain || case == Case::FailSecond {
            contacts.push((
                esia_domain::ContactKind::Email,
                format!("batch{i}@example.test"),
            ));
        }
        for (n, (kind, value)) in contacts.into_iter().enumerate() {
            esia_store::persons::insert_contact(
                &mut conn,
                &ContactRow {
                    id: uuid::Uuid::new_v4().to_string(),
                    esia_id: 70_000_000 + 10 * i as i64 + n as i64,
                    person_id: id.clone(),
                    kind,
                    value,
                    verified: true,
                    verifying_value: None,
                    created_at: now,
                    updated_at: now,
                },
            )
            .unwrap();
        }
        drop(conn);
        let form = PersonalDataForm {
            surname: surname.as_str().into(),
            name: name.as_str().into(),
            patronymic: patronymic.as_str().into(),
            gender: gender.as_esia().into(),
            birth_date: esia_core::domain::values::format_ru_date(birth),
            birth_place: "Москва".into(),
            citizenship: "RUS".into(),
            snils: snils.formatted(),
            inn: if case == Case::WithInn {
                inn.as_str().into()
            } else {
                String::new()
            },
            doc_series: passport.series.clone(),
            doc_number: passport.number.clone(),
            doc_issue_date: passport.issue_date_ru(),
            doc_issued_by: passport.issued_by.clone(),
            doc_dept_code: passport.dept_code_formatted(),
        };
        esia_core::upgrade::personal_data::submit_personal_data(core, &id, &form).expect("submit");
        let passport_value = format!("{}{}", passport.series, passport.number);
        // Rules come after the submission: at enqueue time a hang rule would park the job.
        match case {
            Case::FailFirst => rule(core, "passport", &passport_value, "passport_invalid"),
            Case::FailSecond => rule(core, "snils", snils.digits(), "not_found"),
            Case::Hangs => rule(core, "passport", &passport_value, "hang"),
            Case::Unavailable => rule(core, "snils", snils.digits(), "unavailable"),
            Case::RegistryMismatch => registry(core, |r| r.snils = Some(snils.digits().into())),
            Case::RegistryMatch => registry(core, |r| {
                r.surname = surname.as_str().into();
                r.name = name.as_str().into();
                r.patronymic = Some(patronymic.as_str().into());
                r.gender = gender.as_esia().into();
                r.birth_date = birth;
                r.passport = Some(passport_value.clone());
            }),
            _ => {}
        }
        for kind in order(case) {
            planned.push((id.clone(), kind));
        }
    }
    // Distinct `run_at`s in the planned order: the one-job runner claims by `run_at`, the batch
    // replays its claim in `run_at` order, so both answer the checks in the same order.
    let mut conn = core.conn().unwrap();
    let queued = jobs::list(&mut conn, Some("queued"), 1000).unwrap();
    assert_eq!(queued.len(), planned.len(), "one job per planned check");
    let mut unavailable = String::new();
    for job in queued {
        let check_id: String = serde_json::from_str::<serde_json::Value>(&job.payload).unwrap()
            ["check_id"]
            .as_str()
            .unwrap()
            .into();
        let check = esia_store::verification::find_check(&mut conn, &check_id)
            .unwrap()
            .unwrap();
        let pos = planned
            .iter()
            .position(|(p, k)| *p == check.person_id && *k == check.kind.as_str())
            .expect("a planned check");
        let case = CASES[pos_case(&planned, pos)];
        jobs::requeue(
            &mut conn,
            &job.id,
            now - Duration::seconds((planned.len() - pos) as i64),
        )
        .unwrap();
        if case == Case::AlreadyAnswered && check.kind.as_str() == "snils" {
            // An earlier (duplicate) run answered this check; its job is still queued.
            esia_worker::run_job(core, &job.kind, &job.payload).unwrap();
        }
        if case == Case::Unavailable && check.kind.as_str() == "snils" {
            unavailable = job.id.clone();
        }
    }
    unavailable
}

/// The case index of the person owning planned check `pos`.
fn pos_case(planned: &[(String, &str)], pos: usize) -> usize {
    let mut persons: Vec<&str> = Vec::new();
    for (p, _) in &planned[..=pos] {
        if !persons.contains(&p.as_str()) {
            persons.push(p);
        }
    }
    persons.len() - 1
}

fn one_at_a_time(core: &Core) {
    for _ in 0..1000 {
        if esia_worker::run_next_job(core, "w").unwrap() == esia_worker::JobRun::Idle {
            return;
        }
    }
    panic!("the queue never drained");
}

fn batched(core: &Core, unavailable: &str) {
    let now: NaiveDateTime = core.now_naive();
    let claimed = {
        let mut conn = core.conn().unwrap();
        jobs::claim_batch(&mut conn, "w", now, now + Duration::seconds(60), 100).unwrap()
    };
    assert_eq!(claimed.len(), 21, "every check job in one claim");
    // Called directly, not through the runner, which would fall back to one job at a time
    // silently: the batch path itself must take the whole claim.
    let left_out = esia_worker::run_check_batch(core, &esia_worker::Registry::idp(), "w", &claimed)
        .expect("batch");
    assert_eq!(left_out, HashSet::from([unavailable.to_string()]));
    // What the runner does with a job left out: run it alone (it fails) and retry it later.
    let job = claimed.iter().find(|j| j.id == unavailable).unwrap();
    let error = esia_worker::run_job(core, &job.kind, &job.payload)
        .expect_err("unavailable")
        .to_string();
    let mut conn = core.conn().unwrap();
    jobs::fail(
        &mut conn,
        &job.id,
        "w",
        &error,
        Some(now + Duration::seconds(2)),
        now,
    )
    .unwrap();
    drop(conn);
    // The notice e-mails the batch queued go through the worker's batch runner.
    while !esia_worker::run_job_batch(core, "w", esia_worker::BATCH_SIZE)
        .unwrap()
        .is_empty()
    {}
}

#[test]
fn a_batch_stores_exactly_what_one_job_at_a_time_stores() {
    let (db_a, db_b) = (TestDb::new(), TestDb::new());
    let (reference, subject) = (core_on(&db_a), core_on(&db_b));
    prepare(&reference);
    one_at_a_time(&reference);
    let unavailable = prepare(&subject);
    batched(&subject, &unavailable);
    let (want, got) = (snapshot(&reference), snapshot(&subject));
    let missing: Vec<_> = want.iter().filter(|l| !got.contains(l)).collect();
    let extra: Vec<_> = got.iter().filter(|l| !want.contains(l)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "one at a time only: {missing:#?}\nbatch only: {extra:#?}"
    );
    assert_eq!(want, got);

    // And the reference is the story the cases tell (so both runs cannot be wrong alike).
    let persons: Vec<&String> = want.iter().filter(|l| l.starts_with("person ")).collect();
    let expect = [
        "person 1800000000 standard none None",
        "person 1800000001 standard none None",
        "person 1800000002 simplified failed Some(\"passport:passport_invalid\")",
        "person 1800000003 simplified failed Some(\"snils:not_found\")",
        "person 1800000004 simplified verifying None",
        "person 1800000005 standard none None",
        "person 1800000006 simplified verifying None",
        "person 1800000007 simplified failed Some(\"snils:data_mismatch\")",
        "person 1800000008 standard none None",
        "person 1800000009 standard none None",
    ];
    assert_eq!(persons, expect);
    for line in [
        "check 1800000002 snils cancelled None finished=true",
        "check 1800000004 passport pending None finished=false",
        "check 1800000007 passport cancelled None finished=true",
        "doc 1800000002 RF_PASSPORT NOT_VERIFIED Some(\"VERIFICATION_FAILED\") None",
        "job check_snils queued attempts=1 Some(\"internal error: ведомство недоступно\") \
         run_at=2026-11-25 12:00:02",
    ] {
        assert!(want.iter().any(|l| l == line), "{line} not in {want:#?}");
    }
    let emails = want
        .iter()
        .filter(|l| l.starts_with("job deliver_email done"))
        .count();
    assert_eq!(
        emails, 2,
        "Plain's upgrade and FailSecond's failure e-mails"
    );
    // New registry entries: Plain, Reversed, AlreadyAnswered (2 each), FailSecond's and Hangs'
    // and Unavailable's passport or SNILS (1 each), RegistryMatch's SNILS, WithInn (3); plus
    // the two planted ones.
    let registry = want.iter().filter(|l| l.starts_with("registry ")).count();
    assert_eq!(registry, 2 + 2 * 3 + 3 + 1 + 3);
}
