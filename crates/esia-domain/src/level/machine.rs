//! The level state machine: `transition(state, event)` is a pure function returning the next state
//! and the effects esia-core must carry out (enqueue checks, set the level, notify), or a
//! `TransitionError`. Rules (account-lifecycle §5–§6):
//!
//! - A simplified account submits personal data → `Verifying` with SNILS and passport checks
//!   (plus INN when given) enqueued. Submitting is allowed from no verification or after a
//!   failure (the «Исправить данные» path), refused while checks run or once standard.
//! - When neither SNILS nor passport is pending any more on a simplified account (both passed),
//!   it becomes standard; a pending INN check does not hold the upgrade back.
//! - Any failed check → `Failed{check, reason}`, the other pending checks are cancelled, the
//!   level does not change, the holder is notified.
//! - `CheckUnavailable` (agency down) keeps the state and asks for a retry.
//! - Results for a check that is not pending (late or duplicate job deliveries) are ignored:
//!   `Ok` with the same state and no effects, so an idempotent job never fails on them.
//! - Editing verified data on a standard or confirmed account re-runs the matching checks.
//!   **Choice:** a SNILS or passport edit on a *standard* account drops it to simplified while
//!   the check runs (standard means "SNILS and passport verified", and the new document is not;
//!   the wire must not show `vrfStu:VERIFIED` for it); passing the check restores standard. A
//!   *confirmed* account keeps its level (its identity was confirmed in person; ESIA keeps
//!   confirmation when a passport is replaced) and only shows the check. An INN edit never
//!   changes the level. Simplified accounts have nothing verified: they resubmit instead.
//! - Identity confirmation needs a standard account; confirmed-at-once registrations (bank,
//!   service centre) start from `AccountState::new(AccountLevel::Confirmed)` instead.
//! - A blocked account still receives check results (agencies answer anyway) and can be
//!   deleted or unblocked; user actions are refused. A deleted account accepts nothing.

use super::{
    AccountEvent, AccountLevel, AccountState, CheckKind, CheckSet, Effect, FailureReason,
    NoticeKind, Transition, TransitionError, Verification,
};

fn ok(next: AccountState, effects: Vec<Effect>) -> Result<Transition, TransitionError> {
    Ok(Transition { next, effects })
}

fn verification_for(pending: CheckSet) -> Verification {
    if pending.is_empty() {
        Verification::None
    } else {
        Verification::Verifying { pending }
    }
}

/// Applies `event` to `state`. Pure, total, never panics.
pub fn transition(
    state: &AccountState,
    event: &AccountEvent,
) -> Result<Transition, TransitionError> {
    use AccountEvent as E;
    let s = *state;
    if s.deleted {
        return Err(TransitionError::AccountDeleted);
    }
    match *event {
        E::AccountDeleted => {
            let mut effects: Vec<Effect> = s
                .pending()
                .kinds()
                .into_iter()
                .map(Effect::CancelCheck)
                .collect();
            effects.push(Effect::TerminateSessions);
            effects.push(Effect::Notify(NoticeKind::AccountDeleted));
            let next = AccountState {
                verification: Verification::None,
                deleted: true,
                ..s
            };
            ok(next, effects)
        }
        E::Blocked if s.blocked => Err(TransitionError::AlreadyBlocked),
        E::Blocked => ok(
            AccountState { blocked: true, ..s },
            vec![
                Effect::TerminateSessions,
                Effect::Notify(NoticeKind::AccountBlocked),
            ],
        ),
        E::Unblocked if !s.blocked => Err(TransitionError::NotBlocked),
        E::Unblocked => ok(
            AccountState {
                blocked: false,
                ..s
            },
            vec![Effect::Notify(NoticeKind::AccountUnblocked)],
        ),
        E::CheckPassed(check) => check_passed(s, check),
        E::CheckFailed(check, reason) => check_failed(s, check, reason),
        E::CheckUnavailable(check) => {
            if s.pending().contains(check) {
                ok(s, vec![Effect::RetryLater(check)])
            } else {
                ok(s, vec![])
            }
        }
        _ if s.blocked => Err(TransitionError::AccountBlocked),
        E::PersonalDataSubmitted { has_inn } => submit(s, has_inn),
        E::VerifiedDataEdited {
            snils_changed,
            passport_changed,
            inn_changed,
        } => edit(s, snils_changed, passport_changed, inn_changed),
        E::IdentityConfirmed(_) => match s.level {
            AccountLevel::Simplified => Err(TransitionError::ConfirmationRequiresStandard),
            AccountLevel::Confirmed => Err(TransitionError::AlreadyConfirmed),
            AccountLevel::Standard => ok(
                AccountState {
                    level: AccountLevel::Confirmed,
                    ..s
                },
                vec![
                    Effect::SetLevel(AccountLevel::Confirmed),
                    Effect::Notify(NoticeKind::IdentityConfirmed),
                ],
            ),
        },
    }
}

fn submit(s: AccountState, has_inn: bool) -> Result<Transition, TransitionError> {
    if s.level != AccountLevel::Simplified {
        return Err(TransitionError::AlreadyVerified);
    }
    if s.is_verifying() {
        return Err(TransitionError::ChecksInProgress);
    }
    let mut pending = CheckSet::of(&[CheckKind::Snils, CheckKind::Passport]);
    if has_inn {
        pending = pending.with(CheckKind::Inn);
    }
    let effects = pending
        .kinds()
        .into_iter()
        .map(Effect::EnqueueCheck)
        .collect();
    ok(
        AccountState {
            verification: Verification::Verifying { pending },
            ..s
        },
        effects,
    )
}

fn edit(
    s: AccountState,
    snils: bool,
    passport: bool,
    inn: bool,
) -> Result<Transition, TransitionError> {
    if s.level == AccountLevel::Simplified {
        return Err(TransitionError::NotVerifiedYet);
    }
    let mut changed = CheckSet::EMPTY;
    for (flag, k) in [
        (snils, CheckKind::Snils),
        (passport, CheckKind::Passport),
        (inn, CheckKind::Inn),
    ] {
        if flag {
            changed = changed.with(k);
        }
    }
    if changed.is_empty() {
        return ok(s, vec![]);
    }
    let mut effects = Vec::new();
    let mut level = s.level;
    let core_changed = snils || passport;
    if core_changed && s.level == AccountLevel::Standard {
        level = AccountLevel::Simplified;
        effects.push(Effect::SetLevel(level));
    }
    // Checks already pending for an unchanged document keep running; changed ones restart.
    let already = s.pending();
    for check in changed.kinds() {
        if already.contains(check) {
            effects.push(Effect::CancelCheck(check));
        }
        effects.push(Effect::EnqueueCheck(check));
    }
    let pending = already.union(changed);
    ok(
        AccountState {
            level,
            verification: Verification::Verifying { pending },
            ..s
        },
        effects,
    )
}

fn check_passed(s: AccountState, check: CheckKind) -> Result<Transition, TransitionError> {
    let pending = s.pending();
    if !pending.contains(check) {
        return ok(s, vec![]);
    }
    let rest = pending.without(check);
    let mut effects = vec![Effect::MarkVerified(check)];
    let mut level = s.level;
    let core_done = !rest.contains(CheckKind::Snils) && !rest.contains(CheckKind::Passport);
    let core_check = check != CheckKind::Inn;
    if s.level == AccountLevel::Simplified && core_check && core_done {
        level = AccountLevel::Standard;
        effects.push(Effect::SetLevel(level));
        effects.push(Effect::Notify(NoticeKind::UpgradedToStandard));
    } else if s.level != AccountLevel::Simplified {
        effects.push(Effect::Notify(NoticeKind::CheckPassed { check }));
    }
    ok(
        AccountState {
            level,
            verification: verification_for(rest),
            ..s
        },
        effects,
    )
}

fn check_failed(
    s: AccountState,
    check: CheckKind,
    reason: FailureReason,
) -> Result<Transition, TransitionError> {
    let pending = s.pending();
    if !pending.contains(check) {
        return ok(s, vec![]);
    }
    let mut effects: Vec<Effect> = pending
        .without(check)
        .kinds()
        .into_iter()
        .map(Effect::CancelCheck)
        .collect();
    effects.push(Effect::Notify(NoticeKind::CheckFailed { check, reason }));
    ok(
        AccountState {
            verification: Verification::Failed { check, reason },
            ..s
        },
        effects,
    )
}
