//! Account upgrade (simplified → standard by the СФР/МВД/ФНС checks) and identity confirmation
//! (standard → confirmed by post code, service centre, bank or electronic signature),
//! account-lifecycle §5–§6. The domain level machine (`esia_domain::level::transition`) decides;
//! this module loads the account state, carries out the machine's effects (check jobs, level,
//! documents, notices) inside the caller's transaction, and holds the use cases the check and
//! letter jobs run (`checks::run_check`, `confirm::run_letter`); their payloads are typed in
//! `crate::jobs`, the runner that decodes and dispatches them is the worker crate's.
//! It never logs personal data: only internal ids, check kinds and outcomes.

pub mod agencies;
pub mod centre;
mod check_batch;
pub mod checks;
pub use check_batch::{run_check_batch, CheckClaim};
pub mod confirm;
pub mod declared;
pub mod notices;
pub mod operator;
pub mod orgs;
pub mod personal_data;
pub mod personal_data_form;
pub mod rules;
mod validate;

use chrono::NaiveDateTime;
use esia_domain::level::{
    transition, AccountEvent, AccountState, AccountStatus, CheckKind, CheckSet, Effect,
    FailureReason, Transition, Verification,
};
use esia_domain::{CheckStatus, VerificationStatus, VrfStatus};
use esia_store::persons::PersonRow;
use esia_store::DbConnection;

use crate::app::Core;
use crate::error::{CoreError, CoreResult};

/// `verification_note` form of a failure: `kind:reason`.
fn failure_note(check: CheckKind, reason: FailureReason) -> String {
    format!("{}:{}", check.as_str(), reason.as_str())
}

fn parse_failure_note(note: Option<&str>) -> Option<(CheckKind, FailureReason)> {
    let (k, r) = note?.split_once(':')?;
    Some((CheckKind::parse(k)?, FailureReason::parse(r)?))
}

/// The checks of the person still pending.
pub(crate) fn pending_checks(conn: &mut DbConnection, person_id: &str) -> CoreResult<CheckSet> {
    let rows = esia_store::verification::checks_of(conn, person_id, 50)?;
    Ok(rows
        .iter()
        .filter(|r| r.status == CheckStatus::Pending)
        .map(|r| r.kind)
        .fold(CheckSet::EMPTY, |s, k| s.with(k)))
}

/// The level machine's view of a stored person.
pub(crate) fn account_state(
    conn: &mut DbConnection,
    person: &PersonRow,
) -> CoreResult<AccountState> {
    let pending = if person.verification == VerificationStatus::Verifying {
        pending_checks(conn, &person.id)?
    } else {
        CheckSet::EMPTY
    };
    Ok(state_of(person, pending))
}

/// [`account_state`] with the person's pending checks already known (they count only while
/// the person is verifying). Pure, so the batched check runner derives the same state.
pub(crate) fn state_of(person: &PersonRow, pending: CheckSet) -> AccountState {
    let verification = match person.verification {
        VerificationStatus::Verifying => Verification::Verifying { pending },
        VerificationStatus::Failed => match parse_failure_note(person.verification_note.as_deref())
        {
            Some((check, reason)) => Verification::Failed { check, reason },
            None => Verification::None,
        },
        VerificationStatus::None => Verification::None,
    };
    AccountState {
        level: person.level,
        verification,
        blocked: person.blocked,
        deleted: person.status == AccountStatus::Deleted,
    }
}

/// How a machine verification state is stored: the `verification` column and its note.
pub(crate) fn stored_verification(v: Verification) -> (VerificationStatus, Option<String>) {
    match v {
        Verification::None => (VerificationStatus::None, None),
        Verification::Verifying { .. } => (VerificationStatus::Verifying, None),
        Verification::Failed { check, reason } => (
            VerificationStatus::Failed,
            Some(failure_note(check, reason)),
        ),
    }
}

/// Applies `event` to the stored person and carries out every effect, in the caller's
/// transaction. A refused transition becomes `CoreError::Conflict` with the machine's Russian
/// message. `request_id` groups the checks this event enqueues.
pub(crate) fn apply_event(
    core: &Core,
    conn: &mut DbConnection,
    person: &PersonRow,
    event: AccountEvent,
    request_id: &str,
    now: NaiveDateTime,
) -> CoreResult<Transition> {
    apply_event_with(core, conn, person, event, request_id, now, None)
}

/// [`apply_event`] for a check job that has just finished its check row (the row is the job's
/// exactly-once guard): that check still counts as pending for the machine.
pub(crate) fn apply_event_with(
    core: &Core,
    conn: &mut DbConnection,
    person: &PersonRow,
    event: AccountEvent,
    request_id: &str,
    now: NaiveDateTime,
    answered: Option<CheckKind>,
) -> CoreResult<Transition> {
    let mut state = account_state(conn, person)?;
    if let (Some(check), Verification::Verifying { pending }) = (answered, state.verification) {
        state.verification = Verification::Verifying {
            pending: pending.with(check),
        };
    }
    let t = transition(&state, &event).map_err(|e| CoreError::Conflict(e.to_string()))?;
    for effect in &t.effects {
        match *effect {
            Effect::EnqueueCheck(check) => {
                checks::enqueue_check(core, conn, person, check, request_id, now)?;
            }
            Effect::CancelCheck(check) => {
                esia_store::verification::cancel_pending(conn, &person.id, check, now)?;
            }
            Effect::MarkVerified(check) => {
                if check == CheckKind::Passport {
                    personal_data::set_identity_doc_status(
                        conn,
                        &person.id,
                        VrfStatus::Verified,
                        None,
                        now,
                    )?;
                }
            }
            Effect::Notify(kind) => notices::notify(conn, person, kind, now)?,
            // The level is stored below with the verification state; retries are the job
            // runner's (the check job returns an error); sessions are not ended by these events.
            Effect::SetLevel(_) | Effect::RetryLater(_) | Effect::TerminateSessions => {}
        }
    }
    if let Verification::Failed {
        check: CheckKind::Passport,
        ..
    } = t.next.verification
    {
        personal_data::set_identity_doc_status(
            conn,
            &person.id,
            VrfStatus::NotVerified,
            Some("VERIFICATION_FAILED"),
            now,
        )?;
    }
    let (verification, note) = stored_verification(t.next.verification);
    esia_store::person_data::update_level_state(
        conn,
        &person.id,
        t.next.level,
        verification,
        note.as_deref(),
        now,
    )?;
    tracing::info!(
        person.id = %person.id,
        level = t.next.level.as_str(),
        verification = verification.as_str(),
        effects = t.effects.len(),
        "account event applied"
    );
    Ok(t)
}

/// Locks the person's row for the rest of the transaction, then loads it (every read-modify-
/// write of the level state goes through this, so concurrent workers serialise per person).
pub(crate) fn person_locked(conn: &mut DbConnection, person_id: &str) -> CoreResult<PersonRow> {
    esia_store::verification::lock_person(conn, person_id)?;
    person(conn, person_id)
}

/// Loads a person or fails with NotFound.
pub(crate) fn person(conn: &mut DbConnection, person_id: &str) -> CoreResult<PersonRow> {
    esia_store::persons::find_person(conn, person_id)?.ok_or(CoreError::NotFound("person"))
}

/// «Фамилия Имя Отчество».
pub(crate) fn full_name(p: &PersonRow) -> String {
    [
        Some(p.surname.as_str()),
        Some(p.name.as_str()),
        p.patronymic.as_deref(),
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use esia_domain::AccountLevel;

    #[test]
    fn debug_of_personal_data_types_hides_the_values() {
        let form = personal_data_form::PersonalDataForm {
            surname: "Секретов".into(),
            name: "Тайн".into(),
            patronymic: "Скрытович".into(),
            gender: "M".into(),
            birth_date: "01.02.1983".into(),
            birth_place: "г. Тверь".into(),
            citizenship: "RUS".into(),
            snils: "112-233-445 95".into(),
            inn: "500100732259".into(),
            doc_series: "4502".into(),
            doc_number: "573482".into(),
            doc_issue_date: "15.02.2010".into(),
            doc_issued_by: "ОВД Пресненского района".into(),
            doc_dept_code: "770-001".into(),
        };
        let reg = centre::CentreRegistration {
            data: form.clone(),
            phone: "+79161234567".into(),
        };
        let found = operator::OperatorPerson {
            person_id: "p-1".into(),
            oid: 1000000042,
            full_name: "Секретов Тайн Скрытович".into(),
            level: AccountLevel::Standard,
            birth_date: "01.02.1983".into(),
            snils: "112-233-445 95".into(),
            document: "4502 573482".into(),
            document_status: "VERIFIED".into(),
        };
        for shown in [
            format!("{form:?}"),
            format!("{reg:?}"),
            format!("{found:?}"),
            format!("{form:#?}"),
        ] {
            for secret in [
                "Секретов",
                "Тайн",
                "Скрытович",
                "1983",
                "Тверь",
                "112",
                "5001",
                "4502",
                "573482",
                "Пресненского",
                "770",
                "7916",
            ] {
                assert!(!shown.contains(secret), "{secret} leaked in {shown}");
            }
        }
        // Still useful for debugging: which fields are filled, and internal ids.
        assert!(format!("{form:?}").contains("snils: \"**\""));
        assert!(
            format!("{:?}", personal_data_form::PersonalDataForm::default())
                .contains("snils: \"\"")
        );
        assert!(format!("{found:?}").contains("p-1"));
    }

    #[test]
    fn failure_notes_round_trip() {
        let note = failure_note(CheckKind::Passport, FailureReason::PassportInvalid);
        assert_eq!(note, "passport:passport_invalid");
        assert_eq!(
            parse_failure_note(Some(&note)),
            Some((CheckKind::Passport, FailureReason::PassportInvalid))
        );
        assert_eq!(parse_failure_note(Some("x:y")), None);
        assert_eq!(parse_failure_note(None), None);
    }
}
