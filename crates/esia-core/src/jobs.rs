//! The jobs the IdP enqueues, as typed payloads: one serde struct per job kind, each naming its
//! stable kind string, and [`enqueue`], the one way a use case puts a job in the queue (inside
//! its own transaction). The kind strings and the payloads' JSON field names are what rows
//! already in a database hold, so they must never change.
//!
//! This module must not run jobs or dispatch on a kind: the runner and the kind → job registry
//! live in the `esia-worker` crate, which calls the use cases (`checks::run_check`,
//! `confirm::run_letter`, `notify::deliver_email`, …) with the decoded payload.

use chrono::NaiveDateTime;
use esia_domain::level::CheckKind;
use esia_store::jobs::JobRow;
use esia_store::DbConnection;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::app::new_id;
use crate::error::CoreResult;

/// A job payload: what the `payload` column of a `jobs` row holds for one job kind.
pub trait JobPayload: Serialize + DeserializeOwned {
    /// The `kind` column: stable, rows already stored carry it.
    const KIND: &'static str;
    /// How many attempts the runner makes before it dead-letters the job.
    const MAX_ATTEMPTS: i32 = 5;
}

/// A payload of one of the three agency checks: each kind is its own type (its own `KIND`),
/// all three carry the id of the check row the job answers.
pub trait CheckJobPayload: JobPayload {
    /// The check this kind answers.
    const CHECK: CheckKind;
    /// The payload of the job answering check row `check_id`.
    fn for_check(check_id: String) -> Self;
    /// The check row this job answers.
    fn check_id(&self) -> &str;
}

/// `deliver_email`: sends one stored e-mail (`notify::deliver_email`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliverEmail {
    pub outbox_id: String,
}

impl JobPayload for DeliverEmail {
    const KIND: &'static str = "deliver_email";
}

/// `post_letter`: delivers a post letter with a confirmation code (`confirm::run_letter`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostLetter {
    pub letter_id: String,
}

impl JobPayload for PostLetter {
    const KIND: &'static str = "post_letter";
}

/// How many times an unavailable agency is retried before a check job is dead-lettered.
pub const CHECK_MAX_ATTEMPTS: i32 = 12;

macro_rules! check_payload {
    ($(#[$doc:meta])* $name:ident, $kind:literal, $check:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        pub struct $name {
            pub check_id: String,
        }

        impl JobPayload for $name {
            const KIND: &'static str = $kind;
            const MAX_ATTEMPTS: i32 = CHECK_MAX_ATTEMPTS;
        }

        impl CheckJobPayload for $name {
            const CHECK: CheckKind = $check;
            fn for_check(check_id: String) -> Self {
                $name { check_id }
            }
            fn check_id(&self) -> &str {
                &self.check_id
            }
        }
    };
}

check_payload!(
    /// `check_snils`: the СФР answers a SNILS check (`checks::run_check`).
    CheckSnils,
    "check_snils",
    CheckKind::Snils
);
check_payload!(
    /// `check_passport`: the МВД answers a passport check (`checks::run_check`).
    CheckPassport,
    "check_passport",
    CheckKind::Passport
);
check_payload!(
    /// `check_inn`: the ФНС answers an INN check (`checks::run_check`).
    CheckInn,
    "check_inn",
    CheckKind::Inn
);

/// Test-only `sleep_ms`: sleeps `ms`, then records one outbox row `marker` (worker crash
/// tests); the worker runs it only with `verification.test_jobs = true`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SleepMs {
    pub ms: u64,
    pub marker: String,
}

impl JobPayload for SleepMs {
    const KIND: &'static str = "sleep_ms";
}

/// Every kind the IdP enqueues (the test-only `sleep_ms` aside): the worker's registry must
/// hold a job for each, and its tests check that it does.
pub const IDP_KINDS: [&str; 5] = [
    DeliverEmail::KIND,
    PostLetter::KIND,
    CheckSnils::KIND,
    CheckPassport::KIND,
    CheckInn::KIND,
];

/// The queued row of a job with `payload`, due at `run_at`, under a fresh id; for writers that
/// store many rows at once (the batched check runner) or must know the job id first.
pub fn job_row<P: JobPayload>(payload: &P, run_at: NaiveDateTime, now: NaiveDateTime) -> JobRow {
    JobRow {
        id: new_id(),
        kind: P::KIND.into(),
        // A derived Serialize of plain string and number fields cannot fail.
        payload: serde_json::to_string(payload).expect("job payloads serialize"),
        status: "queued".into(),
        attempts: 0,
        max_attempts: P::MAX_ATTEMPTS,
        run_at,
        locked_by: None,
        locked_until: None,
        last_error: None,
        created_at: now,
        finished_at: None,
        request_id: crate::request_context::current(),
    }
}

/// Enqueues a job in the caller's transaction; returns its id.
pub fn enqueue<P: JobPayload>(
    conn: &mut DbConnection,
    payload: &P,
    run_at: NaiveDateTime,
    now: NaiveDateTime,
) -> CoreResult<String> {
    let row = job_row(payload, run_at, now);
    esia_store::jobs::enqueue(conn, &row)?;
    Ok(row.id)
}

/// The queued row of the job answering check row `check_id` of kind `check`.
pub fn check_job_row(
    check: CheckKind,
    check_id: String,
    run_at: NaiveDateTime,
    now: NaiveDateTime,
) -> JobRow {
    fn row<P: CheckJobPayload>(id: String, run_at: NaiveDateTime, now: NaiveDateTime) -> JobRow {
        job_row(&P::for_check(id), run_at, now)
    }
    match check {
        CheckKind::Snils => row::<CheckSnils>(check_id, run_at, now),
        CheckKind::Passport => row::<CheckPassport>(check_id, run_at, now),
        CheckKind::Inn => row::<CheckInn>(check_id, run_at, now),
    }
}

/// How many jobs there are of each `(kind, status)`: the metrics' job gauges and queue depth.
pub fn counts(core: &crate::app::Core) -> CoreResult<Vec<esia_store::jobs::JobCount>> {
    let mut conn = core.conn()?;
    Ok(esia_store::jobs::count_by_kind_and_status(&mut conn)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_764_000_000, 0)
            .unwrap()
            .naive_utc()
    }

    /// Rows already in databases (and the tests and benches that build them) hold exactly
    /// these kinds and this JSON.
    #[test]
    fn kinds_and_payloads_are_byte_compatible_with_stored_rows() {
        let email = job_row(
            &DeliverEmail {
                outbox_id: "o1".into(),
            },
            now(),
            now(),
        );
        assert_eq!(
            (
                email.kind.as_str(),
                email.payload.as_str(),
                email.max_attempts
            ),
            ("deliver_email", r#"{"outbox_id":"o1"}"#, 5)
        );
        let letter = job_row(
            &PostLetter {
                letter_id: "l1".into(),
            },
            now(),
            now(),
        );
        assert_eq!(
            (
                letter.kind.as_str(),
                letter.payload.as_str(),
                letter.max_attempts
            ),
            ("post_letter", r#"{"letter_id":"l1"}"#, 5)
        );
        for (check, kind) in [
            (CheckKind::Snils, "check_snils"),
            (CheckKind::Passport, "check_passport"),
            (CheckKind::Inn, "check_inn"),
        ] {
            let j = check_job_row(check, "c1".into(), now(), now());
            assert_eq!(
                (j.kind.as_str(), j.payload.as_str(), j.max_attempts),
                (kind, r#"{"check_id":"c1"}"#, CHECK_MAX_ATTEMPTS)
            );
            assert_eq!((j.status.as_str(), j.attempts), ("queued", 0));
        }
        assert_eq!(SleepMs::KIND, "sleep_ms");
        let sleep: SleepMs = serde_json::from_str(r#"{"ms":5,"marker":"m"}"#).unwrap();
        assert_eq!(
            sleep,
            SleepMs {
                ms: 5,
                marker: "m".into()
            }
        );
    }

    #[test]
    fn each_check_kind_has_its_own_payload_type() {
        assert_eq!(CheckSnils::CHECK, CheckKind::Snils);
        assert_eq!(CheckPassport::CHECK, CheckKind::Passport);
        assert_eq!(CheckInn::CHECK, CheckKind::Inn);
    }
}
