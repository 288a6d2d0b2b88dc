//! The check jobs (`check_snils`, `check_passport`, `check_inn`): enqueued with the request in
//! one transaction, due after the configured delay (`run_at`, never a sleep), answered by the
//! simulated agencies. Idempotent: the check row is finished in the same transaction as the
//! level change and the notices, and a run that finds it finished does nothing, so a retried or
//! duplicated job never notifies twice. «Ведомство недоступно» returns an error so the runner
//! retries with backoff; «зависла» parks the job a century ahead. The payloads are typed in
//! `crate::jobs`; the worker crate decodes them and calls [`run_check`].

use chrono::{Duration, NaiveDateTime};
use esia_domain::level::{AccountEvent, CheckKind};
use esia_domain::CheckStatus;
use esia_store::person_data::DocumentRow;
use esia_store::persons::PersonRow;
use esia_store::verification::{CheckRow, RuleRow};
use esia_store::{write_transaction, DbConnection};
use rand::Rng;

use super::agencies::{self, Claimed};
use super::rules::{self, Outcome, Subject};
use crate::app::{new_id, Core};
use crate::error::{CoreError, CoreResult};
use crate::jobs::SleepMs;

pub use crate::jobs::CHECK_MAX_ATTEMPTS;
/// How far ahead a hanging check is parked.
const HANG_DAYS: i64 = 36_500;

/// What the agencies see of a person (from the stored row and identity document).
pub(crate) fn claimed(conn: &mut DbConnection, person: &PersonRow) -> CoreResult<Claimed> {
    let doc = super::personal_data::identity_doc(conn, &person.id)?;
    Ok(claimed_from(person, doc.as_ref()))
}

/// [`claimed`] from rows already loaded.
pub(crate) fn claimed_from(person: &PersonRow, doc: Option<&DocumentRow>) -> Claimed {
    Claimed {
        subject: Subject {
            snils: person.snils.clone(),
            passport: doc.map(|d| {
                format!(
                    "{}{}",
                    d.series.as_deref().unwrap_or_default(),
                    d.number.as_deref().unwrap_or_default()
                )
            }),
            inn: person.inn.clone(),
            surname: person.surname.clone(),
        },
        name: person.name.clone(),
        patronymic: person.patronymic.clone(),
        gender: person.gender.clone(),
        birth_date: person.birth_date,
    }
}

/// The forced or magic outcome of a check, if any, and the delay it asks for.
fn planned(
    core: &Core,
    conn: &mut DbConnection,
    check: CheckKind,
    subject: &Subject,
) -> CoreResult<(Option<Outcome>, Option<i64>)> {
    if let Some(f) = rules::forced(conn, &core.config.verification.rules, check, subject)? {
        return Ok((Some(f.outcome), f.delay_secs));
    }
    Ok((agencies::magic(check, subject), None))
}

/// The profile's answer delay.
fn default_delay(core: &Core) -> i64 {
    let v = &core.config.verification;
    if v.profile == "realistic" && v.realistic_max_secs > v.realistic_min_secs {
        rand::thread_rng().gen_range(v.realistic_min_secs..=v.realistic_max_secs) as i64
    } else if v.profile == "realistic" {
        v.realistic_min_secs as i64
    } else {
        v.delay_secs as i64
    }
}

/// Creates the check row and its job, in the caller's transaction.
pub(crate) fn enqueue_check(
    core: &Core,
    conn: &mut DbConnection,
    person: &PersonRow,
    check: CheckKind,
    request_id: &str,
    now: NaiveDateTime,
) -> CoreResult<()> {
    let claimed = claimed(conn, person)?;
    let (outcome, delay) = planned(core, conn, check, &claimed.subject)?;
    let run_at = if outcome == Some(Outcome::Hang) {
        now + Duration::days(HANG_DAYS)
    } else {
        now + Duration::seconds(delay.unwrap_or_else(|| default_delay(core)).max(0))
    };
    let check_id = new_id();
    let job = crate::jobs::check_job_row(check, check_id.clone(), run_at, now);
    esia_store::verification::insert_check(
        conn,
        &CheckRow {
            id: check_id.clone(),
            request_id: request_id.into(),
            person_id: person.id.clone(),
            kind: check,
            status: CheckStatus::Pending,
            reason: None,
            job_id: Some(job.id.clone()),
            created_at: now,
            finished_at: None,
        },
    )?;
    esia_store::jobs::enqueue(conn, &job)?;
    Ok(())
}

/// What one check job run did (for tests and logs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckRun {
    /// The check was already finished or cancelled: nothing to do.
    AlreadyDone,
    /// The answer was recorded.
    Answered(Outcome),
    /// The check hangs: left pending.
    Hanging,
}

/// Runs one check job: answers check row `check_id` (any of the three kinds; the row knows
/// which).
pub fn run_check(core: &Core, check_id: &str) -> CoreResult<CheckRun> {
    let check_id = check_id.to_string();
    let mut conn = core.conn()?;
    let now = core.now_naive();
    write_transaction(&mut conn, |conn| -> CoreResult<CheckRun> {
        // Serialise with the person's other check answers (PostgreSQL row lock).
        esia_store::verification::lock_persons_of_checks(conn, std::slice::from_ref(&check_id))?;
        let stored_rules = esia_store::verification::list_rules(conn)?;
        answer_check(core, conn, &check_id, &stored_rules, now)
    })
}

/// The outcome QA forced for this check (a stored or configured rule, else a built-in magic
/// value), if any; otherwise the simulated agency answers from its registry.
pub(super) fn forced_outcome(
    core: &Core,
    stored_rules: &[RuleRow],
    check: CheckKind,
    subject: &rules::Subject,
) -> Option<Outcome> {
    rules::forced_among(
        stored_rules,
        &core.config.verification.rules,
        check,
        subject,
    )
    .map(|f| f.outcome)
    .or_else(|| agencies::magic(check, subject))
}

/// Answers one check inside the caller's transaction; the caller holds the person's lock.
fn answer_check(
    core: &Core,
    conn: &mut DbConnection,
    check_id: &str,
    stored_rules: &[RuleRow],
    now: NaiveDateTime,
) -> CoreResult<CheckRun> {
    let Some(check_row) = esia_store::verification::find_check(conn, check_id)? else {
        return Ok(CheckRun::AlreadyDone);
    };
    if check_row.status != CheckStatus::Pending {
        return Ok(CheckRun::AlreadyDone);
    }
    let check = check_row.kind;
    let person = super::person(conn, &check_row.person_id)?;
    let claimed = claimed(conn, &person)?;
    let forced = forced_outcome(core, stored_rules, check, &claimed.subject);
    // `known`: whether the registry holds the document (None: not looked up).
    let (outcome, known) = match forced {
        Some(o) => (o, None),
        None => {
            let (o, known) = agencies::answer_known(conn, check, &claimed)?;
            (o, Some(known))
        }
    };
    let event = match outcome {
        Outcome::Hang => return Ok(CheckRun::Hanging),
        Outcome::Unavailable => {
            tracing::info!(check.id = %check_row.id, check.kind = check.as_str(), "agency unavailable");
            return Err(CoreError::Internal("ведомство недоступно".into()));
        }
        Outcome::Pass => AccountEvent::CheckPassed(check),
        Outcome::Fail(reason) => AccountEvent::CheckFailed(check, reason),
    };
    let (status, reason) = outcome.stored_status();
    if !esia_store::verification::finish_check(conn, &check_row.id, status, reason, now)? {
        return Ok(CheckRun::AlreadyDone);
    }
    if outcome == Outcome::Pass {
        match known {
            Some(true) => {}
            Some(false) => agencies::remember_new(conn, check, &claimed, now)?,
            None => agencies::remember(conn, check, &claimed, now)?,
        }
    }
    super::apply_event_with(
        core,
        conn,
        &person,
        event,
        &check_row.request_id,
        now,
        Some(check),
    )?;
    tracing::info!(check.id = %check_row.id, check.kind = check.as_str(), status = status.as_str(), "check answered");
    Ok(CheckRun::Answered(outcome))
}

/// Test-only job: sleeps, then records one `sms` outbox row to `marker` unless a row for that
/// marker exists already (the same exactly-once pattern as the check jobs).
pub fn run_sleep(core: &Core, p: &SleepMs) -> CoreResult<()> {
    std::thread::sleep(std::time::Duration::from_millis(p.ms.min(60_000)));
    let mut conn = core.conn()?;
    let now = core.now_naive();
    write_transaction(&mut conn, |conn| -> CoreResult<()> {
        if esia_store::outbox::find(conn, &p.marker)?.is_some() {
            return Ok(());
        }
        esia_store::outbox::insert(
            conn,
            &esia_store::outbox::OutboxRow {
                id: p.marker.clone(),
                kind: "sms".into(),
                recipient: "sleep-job".into(),
                subject: None,
                body: "done".into(),
                code: None,
                link: None,
                person_id: None,
                created_at: now,
                delivered_at: Some(now),
                delivery_error: None,
            },
        )?;
        Ok(())
    })
}
