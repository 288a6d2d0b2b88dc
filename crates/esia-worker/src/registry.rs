//! The registry: job kind → the job that runs it. The runner looks every claimed row up here;
//! a kind with no job is [`JobError::UnknownKind`], a payload its type cannot read is
//! [`JobError::BadPayload`] (both retried, then dead-lettered, like any failure). Decoding
//! happens before anything touches the database, so it is testable without one. This module
//! must not know what a job does: that is `job`'s and esia-core's.

use std::collections::BTreeMap;

use esia_core::jobs::CheckJobPayload;
use esia_core::upgrade::CheckClaim;
use esia_core::Core;
use esia_store::jobs::JobRow;

use crate::error::JobError;
use crate::job::{BackgroundJob, CheckJob, DeliverEmailJob, PostLetterJob, SleepJob};

/// A decoded job, ready to run.
pub type Prepared = Box<dyn FnOnce(&Core) -> Result<(), JobError>>;

type Decode = Box<dyn Fn(&str) -> Result<Prepared, JobError> + Send + Sync>;

/// Reads the check row id out of a check job's payload (the batched check path).
type CheckIdOf = fn(&str) -> Result<String, serde_json::Error>;

struct Entry {
    decode: Decode,
    /// Check jobs only: the check row a payload names, for the batched check path.
    check_id: Option<CheckIdOf>,
}

/// The jobs a runner knows, by kind.
#[derive(Default)]
pub struct Registry {
    jobs: BTreeMap<&'static str, Entry>,
}

impl Registry {
    /// No jobs: every kind is unknown.
    pub fn empty() -> Self {
        Self::default()
    }

    /// Every job the IdP enqueues (`esia_core::jobs::IDP_KINDS`).
    pub fn idp() -> Self {
        let mut r = Self::empty();
        r.register(DeliverEmailJob);
        r.register(PostLetterJob);
        r.register_check::<esia_core::jobs::CheckSnils>();
        r.register_check::<esia_core::jobs::CheckPassport>();
        r.register_check::<esia_core::jobs::CheckInn>();
        r
    }

    /// What a worker on this configuration runs: [`Registry::idp`], plus the test-only sleep
    /// job when `verification.test_jobs` is on.
    pub fn for_core(core: &Core) -> Self {
        Self::with_test_jobs(core.config.verification.test_jobs)
    }

    /// [`Registry::idp`], plus the test-only jobs when `test_jobs`.
    pub fn with_test_jobs(test_jobs: bool) -> Self {
        let mut r = Self::idp();
        if test_jobs {
            r.register(SleepJob);
        }
        r
    }

    /// Registers `job` under its `NAME`, replacing a job of the same name.
    pub fn register<J: BackgroundJob>(&mut self, job: J) -> &mut Self {
        self.insert(job, None)
    }

    /// Registers the check job of payload `P`; its rows may also run in a check batch.
    pub fn register_check<P: CheckJobPayload + 'static>(&mut self) -> &mut Self {
        fn check_id<P: CheckJobPayload>(payload: &str) -> Result<String, serde_json::Error> {
            serde_json::from_str::<P>(payload).map(|p| p.check_id().to_string())
        }
        self.insert(CheckJob::<P>::new(), Some(check_id::<P>))
    }

    fn insert<J: BackgroundJob>(&mut self, job: J, check_id: Option<CheckIdOf>) -> &mut Self {
        let job = std::sync::Arc::new(job);
        let decode: Decode = Box::new(move |payload: &str| -> Result<Prepared, JobError> {
            let p: J::Payload = serde_json::from_str(payload)?;
            let job = job.clone();
            Ok(Box::new(move |core: &Core| job.run(core, p)))
        });
        self.jobs.insert(J::NAME, Entry { decode, check_id });
        self
    }

    /// The registered kinds, sorted.
    pub fn kinds(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.jobs.keys().copied()
    }

    /// Looks `kind` up and decodes `payload`, without running anything.
    pub fn prepare(&self, kind: &str, payload: &str) -> Result<Prepared, JobError> {
        let entry = self
            .jobs
            .get(kind)
            .ok_or_else(|| JobError::UnknownKind(kind.to_string()))?;
        (entry.decode)(payload)
    }

    /// Decodes and runs one job.
    pub fn run(&self, core: &Core, kind: &str, payload: &str) -> Result<(), JobError> {
        self.prepare(kind, payload)?(core)
    }

    /// Whether rows of `kind` are check jobs (the runner batches those).
    pub fn is_check(&self, kind: &str) -> bool {
        self.jobs.get(kind).is_some_and(|e| e.check_id.is_some())
    }

    /// The batch view of a claimed check job; `None` when the row is not a check job.
    pub fn check_claim(&self, job: &JobRow) -> Option<Result<CheckClaim, JobError>> {
        let check_id = self.jobs.get(job.kind.as_str())?.check_id?;
        Some(
            check_id(&job.payload)
                .map(|check_id| CheckClaim {
                    job_id: job.id.clone(),
                    check_id,
                })
                .map_err(JobError::BadPayload),
        )
    }
}

/// Decodes and runs one job with the jobs this configuration runs ([`Registry::for_core`]);
/// what the runner does for each claimed row, for tests that run a row by hand.
pub fn run_job(core: &Core, kind: &str, payload: &str) -> Result<(), JobError> {
    Registry::for_core(core).run(core, kind, payload)
}

#[cfg(test)]
mod tests {
    use super::*;
    use esia_core::jobs::{check_job_row, job_row, JobPayload, PostLetter, SleepMs, IDP_KINDS};
    use esia_domain::level::CheckKind;

    fn now() -> chrono::NaiveDateTime {
        chrono::DateTime::from_timestamp(1_764_000_000, 0)
            .unwrap()
            .naive_utc()
    }

    /// One row of every kind, built by the same functions the use cases enqueue with.
    fn idp_rows() -> Vec<JobRow> {
        let (_, email) = esia_core::notify::email_rows(now(), "a@b.ru", "s", "b", None, None);
        let letter = job_row(
            &PostLetter {
                letter_id: "l1".into(),
            },
            now(),
            now(),
        );
        let checks = CheckKind::ALL.map(|k| check_job_row(k, "c1".into(), now(), now()));
        [email, letter].into_iter().chain(checks).collect()
    }

    #[test]
    fn every_kind_the_idp_enqueues_has_a_job() {
        let registry = Registry::idp();
        let registered: Vec<&str> = registry.kinds().collect();
        for kind in IDP_KINDS {
            assert!(registered.contains(&kind), "{kind} has no job");
        }
        let rows = idp_rows();
        let mut kinds: Vec<&str> = rows.iter().map(|r| r.kind.as_str()).collect();
        kinds.sort();
        let mut want = IDP_KINDS.to_vec();
        want.sort();
        assert_eq!(kinds, want, "IDP_KINDS lists what the IdP enqueues");
        for row in &rows {
            if let Err(e) = registry.prepare(&row.kind, &row.payload) {
                panic!("{} {}: {e}", row.kind, row.payload);
            }
        }
    }

    #[test]
    fn an_unknown_kind_is_refused() {
        let err = Registry::idp()
            .prepare("no_such_kind", "{}")
            .err()
            .expect("refused");
        assert!(
            matches!(&err, JobError::UnknownKind(k) if k == "no_such_kind"),
            "{err:?}"
        );
        // The text the runner stores in `last_error` (the admin page and tests read it).
        assert_eq!(err.to_string(), "unknown job kind `no_such_kind`");
        assert!(matches!(
            Registry::empty().prepare("deliver_email", r#"{"outbox_id":"o"}"#),
            Err(JobError::UnknownKind(_))
        ));
    }

    #[test]
    fn a_bad_payload_is_refused_for_every_kind() {
        let registry = Registry::with_test_jobs(true);
        for kind in registry.kinds() {
            for payload in ["not json", "{}", r#"{"outbox_id":7}"#] {
                let err = registry.prepare(kind, payload).err().expect("refused");
                assert!(
                    matches!(err, JobError::BadPayload(_)),
                    "{kind} {payload}: {err:?}"
                );
                assert!(err.to_string().starts_with("bad payload: "), "{err}");
            }
        }
    }

    #[test]
    fn the_sleep_job_runs_only_with_test_jobs() {
        let payload = r#"{"ms":1,"marker":"m"}"#;
        assert!(matches!(
            Registry::with_test_jobs(false).prepare(SleepMs::KIND, payload),
            Err(JobError::UnknownKind(_))
        ));
        assert!(Registry::with_test_jobs(true)
            .prepare(SleepMs::KIND, payload)
            .is_ok());
        assert!(!Registry::idp().kinds().any(|k| k == SleepMs::KIND));
    }

    #[test]
    fn only_check_jobs_take_the_batch_path() {
        let registry = Registry::with_test_jobs(true);
        for row in idp_rows() {
            let is_check = row.kind.starts_with("check_");
            assert_eq!(registry.is_check(&row.kind), is_check, "{}", row.kind);
            match registry.check_claim(&row) {
                Some(Ok(claim)) => {
                    assert!(is_check, "{}", row.kind);
                    assert_eq!(claim.job_id, row.id);
                    assert_eq!(claim.check_id, "c1");
                }
                None => assert!(!is_check, "{}", row.kind),
                Some(Err(e)) => panic!("{}: {e}", row.kind),
            }
        }
        assert!(!registry.is_check(SleepMs::KIND));
        assert!(!registry.is_check("no_such_kind"));
        let mut bad = check_job_row(CheckKind::Inn, "c".into(), now(), now());
        bad.payload = "{}".into();
        assert!(matches!(
            registry.check_claim(&bad),
            Some(Err(JobError::BadPayload(_)))
        ));
    }
}
