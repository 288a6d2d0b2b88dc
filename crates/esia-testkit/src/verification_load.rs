//! A queue of verification jobs for the benchmarks (`benches/verification_jobs.rs`,
//! `esia-bench`): a `Core` opened on a given database with zero agency delay, and `n` generated
//! simplified persons who submit their personal data (two check jobs each, queued at once). It
//! fills the queue only; running and timing the jobs is the caller's.

use std::path::Path;
use std::sync::Arc;

use esia_core::domain::clock::ControlledClock;
use esia_core::domain::generate::TestDataGenerator;
use esia_core::upgrade::personal_data_form::PersonalDataForm;
use esia_core::{Config, Core};
use esia_store::persons::{ContactRow, PersonRow};

/// A migrated `Core` on `url` without the demo seed, agencies answering at once.
pub fn core_on(url: &str, data_dir: &Path, keys: &Path, pool: u32) -> Core {
    let mut config = Config::default();
    config.database.url = url.to_string();
    config.database.pool_size = pool;
    config.server.data_dir = data_dir.to_path_buf();
    config.keys.dir = keys.to_path_buf();
    config.demo.seed = false;
    config.verification.delay_secs = 0;
    let core = Core::open(config, Arc::new(ControlledClock::system())).expect("core");
    core.migrate().expect("migrate");
    core
}

/// Creates `n` simplified persons (oids from `first_oid`) and submits their personal data, so
/// about 2n check jobs are queued; returns how many jobs are queued now.
pub fn queue_checks(core: &Core, n: usize, first_oid: i64) -> i64 {
    let today = core.now_naive().date();
    let mut g = TestDataGenerator::new(first_oid as u64);
    let mut conn = core.conn().expect("conn");
    for i in 0..n {
        let gender = g.gender();
        let (surname, name, patronymic) = g.person_name(gender);
        let birth = g.birth_date(today);
        let Some(passport) = g.passport(birth, today) else {
            continue;
        };
        let snils = g.snils();
        let id = uuid::Uuid::new_v4().to_string();
        let now = core.now_naive();
        let oid = first_oid + i as i64;
        esia_store::persons::insert_person(
            &mut conn,
            &PersonRow::new_simplified(
                id.clone(),
                oid,
                surname.as_str().into(),
                name.as_str().into(),
                Some(patronymic.as_str().into()),
                now,
            ),
        )
        .expect("person");
        esia_store::persons::insert_contact(
            &mut conn,
            &ContactRow {
                id: uuid::Uuid::new_v4().to_string(),
                esia_id: oid - first_oid + 50_000_000,
                person_id: id.clone(),
                kind: esia_core::domain::ContactKind::Mobile,
                value: format!("+7901{:07}", oid % 10_000_000),
                verified: true,
                verifying_value: None,
                created_at: now,
                updated_at: now,
            },
        )
        .expect("contact");
        let form = PersonalDataForm {
            surname: surname.as_str().into(),
            name: name.as_str().into(),
            patronymic: patronymic.as_str().into(),
            gender: gender.as_esia().into(),
            birth_date: esia_core::domain::values::format_ru_date(birth),
            birth_place: "г. Москва".into(),
            citizenship: "RUS".into(),
            snils: snils.formatted(),
            inn: String::new(),
            doc_series: passport.series.clone(),
            doc_number: passport.number.clone(),
            doc_issue_date: passport.issue_date_ru(),
            doc_issued_by: passport.issued_by.clone(),
            doc_dept_code: passport.dept_code_formatted(),
        };
        // A generated collision (same SNILS twice) is refused; skipping it is fine here.
        let _ = esia_core::upgrade::personal_data::submit_personal_data(core, &id, &form);
    }
    esia_store::jobs::count_by_status(&mut conn, "queued").unwrap_or(0)
}
