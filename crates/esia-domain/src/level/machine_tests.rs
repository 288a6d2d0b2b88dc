//! Exhaustive table test of the level state machine: every representative state × every event,
//! each cell stating the exact next state and effects (or the error).

use super::*;
use AccountLevel::{Confirmed as C, Simplified as S, Standard as T};
use CheckKind::{Inn as KI, Passport as KP, Snils as KS};
use FailureReason::{DataMismatch, NotFound, PassportInvalid};
use TransitionError as TE;

type Outcome = Result<(AccountState, Vec<Effect>), TransitionError>;

fn st(level: AccountLevel, verification: Verification) -> AccountState {
    AccountState {
        level,
        verification,
        blocked: false,
        deleted: false,
    }
}
fn none() -> Verification {
    Verification::None
}
fn ver(kinds: &[CheckKind]) -> Verification {
    Verification::Verifying {
        pending: CheckSet::of(kinds),
    }
}
fn failed(check: CheckKind, reason: FailureReason) -> Verification {
    Verification::Failed { check, reason }
}
fn blocked(s: AccountState) -> AccountState {
    AccountState { blocked: true, ..s }
}
fn unblocked(s: AccountState) -> AccountState {
    AccountState {
        blocked: false,
        ..s
    }
}
fn deleted(s: AccountState) -> AccountState {
    AccountState {
        deleted: true,
        verification: Verification::None,
        ..s
    }
}
fn enq(check: CheckKind) -> Effect {
    Effect::EnqueueCheck(check)
}
fn cancel(check: CheckKind) -> Effect {
    Effect::CancelCheck(check)
}
fn retry(check: CheckKind) -> Effect {
    Effect::RetryLater(check)
}
fn set(level: AccountLevel) -> Effect {
    Effect::SetLevel(level)
}
fn mark(check: CheckKind) -> Effect {
    Effect::MarkVerified(check)
}
fn notify(notice: NoticeKind) -> Effect {
    Effect::Notify(notice)
}
const TERM: Effect = Effect::TerminateSessions;
const UPGRADED: Effect = Effect::Notify(NoticeKind::UpgradedToStandard);
const CONFIRMED: Effect = Effect::Notify(NoticeKind::IdentityConfirmed);
const DELETED: Effect = Effect::Notify(NoticeKind::AccountDeleted);
const BLOCKED: Effect = Effect::Notify(NoticeKind::AccountBlocked);
const UNBLOCKED: Effect = Effect::Notify(NoticeKind::AccountUnblocked);
fn passed(check: CheckKind) -> Effect {
    notify(NoticeKind::CheckPassed { check })
}
fn failed_n(check: CheckKind, reason: FailureReason) -> Effect {
    notify(NoticeKind::CheckFailed { check, reason })
}
fn to(s: AccountState, e: &[Effect]) -> Outcome {
    Ok((s, e.to_vec()))
}
fn err(e: TransitionError) -> Outcome {
    Err(e)
}

#[rustfmt::skip]
fn events() -> Vec<AccountEvent> {
    use AccountEvent as E;
    let edit = |s, p, i| E::VerifiedDataEdited { snils_changed: s, passport_changed: p, inn_changed: i };
    vec![
        E::PersonalDataSubmitted { has_inn: false },                                // 0
        E::PersonalDataSubmitted { has_inn: true },                                 // 1
        E::CheckPassed(KS),                                               // 2
        E::CheckPassed(KP),                                               // 3
        E::CheckPassed(KI),                                               // 4
        E::CheckFailed(KP, PassportInvalid),                      // 5
        E::CheckFailed(KI, NotFound),                             // 6
        E::CheckUnavailable(KP),                                          // 7
        edit(true, false, false),                                                   // 8
        edit(false, true, false),                                                   // 9
        edit(false, false, true),                                                   // 10
        edit(false, false, false),                                                  // 11
        E::IdentityConfirmed(ConfirmationMethod::ServiceCentre),         // 12
        E::IdentityConfirmed(ConfirmationMethod::Bank(BankId::Sberbank)), // 13
        E::AccountDeleted,                                                          // 14
        E::Blocked,                                                                 // 15
        E::Unblocked,                                                               // 16
    ]
}

/// (name, state, expected outcome for each event of [`events`], in order).
#[rustfmt::skip]
fn table() -> Vec<(&'static str, AccountState, Vec<Outcome>)> {
    let mut rows = Vec::new();

    let s = st(S, none());
    rows.push(("simplified", s, vec![
        to(st(S, ver(&[KS, KP])), &[enq(KS), enq(KP)]),
        to(st(S, ver(&[KS, KP, KI])), &[enq(KS), enq(KP), enq(KI)]),
        to(s, &[]), to(s, &[]), to(s, &[]), to(s, &[]), to(s, &[]), to(s, &[]),
        err(TE::NotVerifiedYet), err(TE::NotVerifiedYet), err(TE::NotVerifiedYet), err(TE::NotVerifiedYet),
        err(TE::ConfirmationRequiresStandard), err(TE::ConfirmationRequiresStandard),
        to(deleted(s), &[TERM, DELETED]),
        to(blocked(s), &[TERM, BLOCKED]),
        err(TE::NotBlocked),
    ]));

    let s = st(S, ver(&[KS, KP, KI]));
    rows.push(("simplified verifying all", s, vec![
        err(TE::ChecksInProgress), err(TE::ChecksInProgress),
        to(st(S, ver(&[KP, KI])), &[mark(KS)]),
        to(st(S, ver(&[KS, KI])), &[mark(KP)]),
        to(st(S, ver(&[KS, KP])), &[mark(KI)]),
        to(st(S, failed(KP, PassportInvalid)), &[cancel(KS), cancel(KI), failed_n(KP, PassportInvalid)]),
        to(st(S, failed(KI, NotFound)), &[cancel(KS), cancel(KP), failed_n(KI, NotFound)]),
        to(s, &[retry(KP)]),
        err(TE::NotVerifiedYet), err(TE::NotVerifiedYet), err(TE::NotVerifiedYet), err(TE::NotVerifiedYet),
        err(TE::ConfirmationRequiresStandard), err(TE::ConfirmationRequiresStandard),
        to(deleted(s), &[cancel(KS), cancel(KP), cancel(KI), TERM, DELETED]),
        to(blocked(s), &[TERM, BLOCKED]),
        err(TE::NotBlocked),
    ]));

    let s = st(S, ver(&[KP]));
    rows.push(("simplified verifying passport", s, vec![
        err(TE::ChecksInProgress), err(TE::ChecksInProgress),
        to(s, &[]),
        to(st(T, none()), &[mark(KP), set(T), UPGRADED]),
        to(s, &[]),
        to(st(S, failed(KP, PassportInvalid)), &[failed_n(KP, PassportInvalid)]),
        to(s, &[]),
        to(s, &[retry(KP)]),
        err(TE::NotVerifiedYet), err(TE::NotVerifiedYet), err(TE::NotVerifiedYet), err(TE::NotVerifiedYet),
        err(TE::ConfirmationRequiresStandard), err(TE::ConfirmationRequiresStandard),
        to(deleted(s), &[cancel(KP), TERM, DELETED]),
        to(blocked(s), &[TERM, BLOCKED]),
        err(TE::NotBlocked),
    ]));

    let s = st(S, failed(KS, NotFound));
    rows.push(("simplified failed", s, vec![
        to(st(S, ver(&[KS, KP])), &[enq(KS), enq(KP)]),
        to(st(S, ver(&[KS, KP, KI])), &[enq(KS), enq(KP), enq(KI)]),
        to(s, &[]), to(s, &[]), to(s, &[]), to(s, &[]), to(s, &[]), to(s, &[]),
        err(TE::NotVerifiedYet), err(TE::NotVerifiedYet), err(TE::NotVerifiedYet), err(TE::NotVerifiedYet),
        err(TE::ConfirmationRequiresStandard), err(TE::ConfirmationRequiresStandard),
        to(deleted(s), &[TERM, DELETED]),
        to(blocked(s), &[TERM, BLOCKED]),
        err(TE::NotBlocked),
    ]));

    let s = st(T, none());
    rows.push(("standard", s, vec![
        err(TE::AlreadyVerified), err(TE::AlreadyVerified),
        to(s, &[]), to(s, &[]), to(s, &[]), to(s, &[]), to(s, &[]), to(s, &[]),
        to(st(S, ver(&[KS])), &[set(S), enq(KS)]),
        to(st(S, ver(&[KP])), &[set(S), enq(KP)]),
        to(st(T, ver(&[KI])), &[enq(KI)]),
        to(s, &[]),
        to(st(C, none()), &[set(C), CONFIRMED]),
        to(st(C, none()), &[set(C), CONFIRMED]),
        to(deleted(s), &[TERM, DELETED]),
        to(blocked(s), &[TERM, BLOCKED]),
        err(TE::NotBlocked),
    ]));

    let s = st(T, ver(&[KI]));
    rows.push(("standard verifying inn", s, vec![
        err(TE::AlreadyVerified), err(TE::AlreadyVerified),
        to(s, &[]), to(s, &[]),
        to(st(T, none()), &[mark(KI), passed(KI)]),
        to(s, &[]),
        to(st(T, failed(KI, NotFound)), &[failed_n(KI, NotFound)]),
        to(s, &[]),
        to(st(S, ver(&[KS, KI])), &[set(S), enq(KS)]),
        to(st(S, ver(&[KP, KI])), &[set(S), enq(KP)]),
        to(st(T, ver(&[KI])), &[cancel(KI), enq(KI)]),
        to(s, &[]),
        to(st(C, ver(&[KI])), &[set(C), CONFIRMED]),
        to(st(C, ver(&[KI])), &[set(C), CONFIRMED]),
        to(deleted(s), &[cancel(KI), TERM, DELETED]),
        to(blocked(s), &[TERM, BLOCKED]),
        err(TE::NotBlocked),
    ]));

    let s = st(T, failed(KI, DataMismatch));
    rows.push(("standard failed inn", s, vec![
        err(TE::AlreadyVerified), err(TE::AlreadyVerified),
        to(s, &[]), to(s, &[]), to(s, &[]), to(s, &[]), to(s, &[]), to(s, &[]),
        to(st(S, ver(&[KS])), &[set(S), enq(KS)]),
        to(st(S, ver(&[KP])), &[set(S), enq(KP)]),
        to(st(T, ver(&[KI])), &[enq(KI)]),
        to(s, &[]),
        to(st(C, failed(KI, DataMismatch)), &[set(C), CONFIRMED]),
        to(st(C, failed(KI, DataMismatch)), &[set(C), CONFIRMED]),
        to(deleted(s), &[TERM, DELETED]),
        to(blocked(s), &[TERM, BLOCKED]),
        err(TE::NotBlocked),
    ]));

    let s = st(C, none());
    rows.push(("confirmed", s, vec![
        err(TE::AlreadyVerified), err(TE::AlreadyVerified),
        to(s, &[]), to(s, &[]), to(s, &[]), to(s, &[]), to(s, &[]), to(s, &[]),
        to(st(C, ver(&[KS])), &[enq(KS)]),
        to(st(C, ver(&[KP])), &[enq(KP)]),
        to(st(C, ver(&[KI])), &[enq(KI)]),
        to(s, &[]),
        err(TE::AlreadyConfirmed), err(TE::AlreadyConfirmed),
        to(deleted(s), &[TERM, DELETED]),
        to(blocked(s), &[TERM, BLOCKED]),
        err(TE::NotBlocked),
    ]));

    let s = st(C, ver(&[KP]));
    rows.push(("confirmed verifying passport", s, vec![
        err(TE::AlreadyVerified), err(TE::AlreadyVerified),
        to(s, &[]),
        to(st(C, none()), &[mark(KP), passed(KP)]),
        to(s, &[]),
        to(st(C, failed(KP, PassportInvalid)), &[failed_n(KP, PassportInvalid)]),
        to(s, &[]),
        to(s, &[retry(KP)]),
        to(st(C, ver(&[KS, KP])), &[enq(KS)]),
        to(st(C, ver(&[KP])), &[cancel(KP), enq(KP)]),
        to(st(C, ver(&[KP, KI])), &[enq(KI)]),
        to(s, &[]),
        err(TE::AlreadyConfirmed), err(TE::AlreadyConfirmed),
        to(deleted(s), &[cancel(KP), TERM, DELETED]),
        to(blocked(s), &[TERM, BLOCKED]),
        err(TE::NotBlocked),
    ]));

    let s = blocked(st(T, none()));
    rows.push(("blocked standard", s, vec![
        err(TE::AccountBlocked), err(TE::AccountBlocked),
        to(s, &[]), to(s, &[]), to(s, &[]), to(s, &[]), to(s, &[]), to(s, &[]),
        err(TE::AccountBlocked), err(TE::AccountBlocked), err(TE::AccountBlocked), err(TE::AccountBlocked),
        err(TE::AccountBlocked), err(TE::AccountBlocked),
        to(deleted(s), &[TERM, DELETED]),
        err(TE::AlreadyBlocked),
        to(unblocked(s), &[UNBLOCKED]),
    ]));

    let s = blocked(st(S, ver(&[KS, KP])));
    rows.push(("blocked simplified verifying", s, vec![
        err(TE::AccountBlocked), err(TE::AccountBlocked),
        to(blocked(st(S, ver(&[KP]))), &[mark(KS)]),
        to(blocked(st(S, ver(&[KS]))), &[mark(KP)]),
        to(s, &[]),
        to(blocked(st(S, failed(KP, PassportInvalid))), &[cancel(KS), failed_n(KP, PassportInvalid)]),
        to(s, &[]),
        to(s, &[retry(KP)]),
        err(TE::AccountBlocked), err(TE::AccountBlocked), err(TE::AccountBlocked), err(TE::AccountBlocked),
        err(TE::AccountBlocked), err(TE::AccountBlocked),
        to(deleted(s), &[cancel(KS), cancel(KP), TERM, DELETED]),
        err(TE::AlreadyBlocked),
        to(unblocked(s), &[UNBLOCKED]),
    ]));

    for (name, s) in [
        ("deleted standard", deleted(st(T, none()))),
        ("deleted blocked simplified", deleted(blocked(st(S, none())))),
    ] {
        rows.push((name, s, events().iter().map(|_| err(TE::AccountDeleted)).collect()));
    }
    rows
}

#[test]
fn every_state_times_every_event() {
    let events = events();
    let mut cells = 0;
    for (name, state, expected) in table() {
        assert_eq!(
            expected.len(),
            events.len(),
            "row {name} must cover every event"
        );
        for (i, (event, want)) in events.iter().zip(expected).enumerate() {
            let got = transition(&state, event).map(|t| (t.next, t.effects));
            assert_eq!(got, want, "state {name:?}, event #{i} {event:?}");
            cells += 1;
        }
    }
    assert_eq!(cells, 13 * 17);
}

#[test]
fn full_upgrade_and_confirmation_path() {
    let mut s = AccountState::new(S);
    let steps = [
        AccountEvent::PersonalDataSubmitted { has_inn: true },
        AccountEvent::CheckUnavailable(KS),
        AccountEvent::CheckPassed(KS),
        AccountEvent::CheckPassed(KP),
        AccountEvent::CheckPassed(KI),
        AccountEvent::IdentityConfirmed(ConfirmationMethod::PostCode),
    ];
    let mut levels = Vec::new();
    for e in steps {
        s = transition(&s, &e).expect("allowed").next;
        levels.push(s.level);
    }
    assert_eq!(levels, [S, S, S, T, T, C]);
    assert_eq!(s.verification, Verification::None);
    assert!(s.level.is_trusted());
    assert_eq!(s.status(), AccountStatus::Registered);
}

#[test]
fn failure_then_fix_then_upgrade() {
    let mut s = AccountState::new(S);
    for e in [
        AccountEvent::PersonalDataSubmitted { has_inn: false },
        AccountEvent::CheckFailed(KS, DataMismatch),
        AccountEvent::PersonalDataSubmitted { has_inn: false },
        AccountEvent::CheckPassed(KP),
        AccountEvent::CheckPassed(KS),
    ] {
        s = transition(&s, &e).expect("allowed").next;
    }
    assert_eq!(s, st(T, none()));
}

#[test]
fn invariants_over_all_pairs() {
    for (name, state, _) in table() {
        for event in events() {
            if let Ok(t) = transition(&state, &event) {
                // Never jump from simplified straight to confirmed.
                assert!(!(state.level == S && t.next.level == C), "{name} {event:?}");
                // Deleted is terminal and only reached by deletion.
                assert_eq!(
                    t.next.deleted,
                    event == AccountEvent::AccountDeleted,
                    "{name}"
                );
                // A SetLevel effect always matches the new level.
                for e in &t.effects {
                    if let Effect::SetLevel(level) = e {
                        assert_eq!(*level, t.next.level);
                    }
                }
                assert_eq!(
                    t.next.is_verifying(),
                    matches!(t.next.verification, Verification::Verifying { .. })
                );
            }
        }
    }
    let errs = [
        TE::AccountDeleted,
        TE::AccountBlocked,
        TE::AlreadyBlocked,
        TE::NotBlocked,
        TE::ChecksInProgress,
        TE::AlreadyVerified,
        TE::NotVerifiedYet,
        TE::ConfirmationRequiresStandard,
        TE::AlreadyConfirmed,
    ];
    for e in errs {
        assert!(!e.code().is_empty());
        assert!(!e.to_string().is_empty());
    }
    assert_eq!(deleted(st(T, none())).status(), AccountStatus::Deleted);
}
