//! The upgrade state of a persona QA declares (the demo seed, seed files, snapshot imports, the
//! personas API), recorded as the checks would have left it, so every page and use case that
//! reads the checks' traces treats it like an account checked in the cabinet: a standard or
//! confirmed persona's SNILS, passport and INN join the agencies' registry (the bank and the
//! service centre look there), and a failed round leaves its check rows and its `kind:reason`
//! note («Персональные данные» shows the failed check and «Исправить данные»). It runs inside
//! the caller's transaction and enqueues nothing: no check is run again.

use chrono::NaiveDateTime;
use esia_domain::level::{AccountLevel, CheckKind, FailureReason};
use esia_domain::{CheckStatus, VerificationStatus};
use esia_store::person_data::DocumentRow;
use esia_store::persons::PersonRow;
use esia_store::verification::CheckRow;
use esia_store::DbConnection;

use super::agencies::{document_value, registry_row};
use crate::app::new_id;
use crate::error::CoreResult;

/// The stored note of a declared failed round: the given note when it names a check and a
/// reason as the checks store them (`passport:passport_invalid`, `snils:not_found` …);
/// otherwise (free text or nothing) the МВД found the passport invalid, the failure a seeded
/// `verification: failed` has always stood for.
pub fn declared_failure_note(given: Option<&str>) -> String {
    let (check, reason) = declared_failure(given);
    super::failure_note(check, reason)
}

fn declared_failure(note: Option<&str>) -> (CheckKind, FailureReason) {
    super::parse_failure_note(note).unwrap_or((CheckKind::Passport, FailureReason::PassportInvalid))
}

/// Records the declared state of `person` (already written, with its RF passport `passport`).
pub fn record_declared_state(
    conn: &mut DbConnection,
    person: &PersonRow,
    passport: Option<&DocumentRow>,
    now: NaiveDateTime,
) -> CoreResult<()> {
    if person.level != AccountLevel::Simplified {
        record_checked_documents(conn, person, passport, now)?;
    }
    if person.verification == VerificationStatus::Failed {
        record_failed_round(conn, person, now)?;
    }
    Ok(())
}

/// The registry entries a passed round adds. The persona's data are what QA declared true, so
/// an entry already holding one of its documents takes its names.
fn record_checked_documents(
    conn: &mut DbConnection,
    person: &PersonRow,
    passport: Option<&DocumentRow>,
    now: NaiveDateTime,
) -> CoreResult<()> {
    let claimed = super::checks::claimed_from(person, passport);
    for check in CheckKind::ALL {
        if document_value(check, &claimed).is_none_or(str::is_empty) {
            continue;
        }
        if let Some(row) = registry_row(check, &claimed, now) {
            esia_store::personas::upsert_registry_document(conn, &row)?;
        }
    }
    Ok(())
}

/// The check rows of the round that failed: the failed check with its reason, the round's
/// other checks (SNILS and passport, and INN when the person has one) passed. Nothing when the
/// person's newest check row already records this failure (a persona written again).
fn record_failed_round(
    conn: &mut DbConnection,
    person: &PersonRow,
    now: NaiveDateTime,
) -> CoreResult<()> {
    let (failed, reason) = declared_failure(person.verification_note.as_deref());
    let newest = esia_store::verification::checks_of(conn, &person.id, 1)?;
    if newest.first().is_some_and(|r| {
        r.kind == failed
            && r.status == CheckStatus::Failed
            && r.reason.as_deref() == Some(reason.as_str())
    }) {
        return Ok(());
    }
    let request_id = new_id();
    let mut round = vec![CheckKind::Snils, CheckKind::Passport];
    if person.inn.is_some() || failed == CheckKind::Inn {
        round.push(CheckKind::Inn);
    }
    // The failed check is written last, a moment later: the newest row is the failure.
    for (i, check) in round
        .into_iter()
        .filter(|c| *c != failed)
        .chain([failed])
        .enumerate()
    {
        let (status, why) = if check == failed {
            (CheckStatus::Failed, Some(reason.as_str().to_string()))
        } else {
            (CheckStatus::Passed, None)
        };
        let at = now + chrono::Duration::milliseconds(i as i64);
        esia_store::verification::insert_check(
            conn,
            &CheckRow {
                id: new_id(),
                request_id: request_id.clone(),
                person_id: person.id.clone(),
                kind: check,
                status,
                reason: why,
                job_id: None,
                created_at: at,
                finished_at: Some(at),
            },
        )?;
    }
    Ok(())
}
