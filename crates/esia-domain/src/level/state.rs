//! The states, events, effects and errors of the level machine (see `machine` for the rules).
//! Plain data with serde so esia-core can store states and log effects.

use super::{
    AccountLevel, AccountStatus, CheckKind, CheckSet, ConfirmationMethod, FailureReason, NoticeKind,
};

/// Where the profile data checks stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum Verification {
    /// No check running and none failed.
    None,
    /// Checks in progress (ESIA `verifying:true`).
    Verifying {
        /// The checks not answered yet.
        pending: CheckSet,
    },
    /// The last round failed.
    Failed {
        /// The check that failed.
        check: CheckKind,
        /// Why.
        reason: FailureReason,
    },
}

/// The part of an account the level machine reasons about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct AccountState {
    /// Current level.
    pub level: AccountLevel,
    /// Check status.
    pub verification: Verification,
    /// Blocked by an operator.
    pub blocked: bool,
    /// Deleted (terminal).
    pub deleted: bool,
}

impl AccountState {
    /// A fresh account at `level`, nothing pending, not blocked.
    pub fn new(level: AccountLevel) -> Self {
        Self {
            level,
            verification: Verification::None,
            blocked: false,
            deleted: false,
        }
    }

    /// ESIA `status`.
    pub fn status(&self) -> AccountStatus {
        if self.deleted {
            AccountStatus::Deleted
        } else {
            AccountStatus::Registered
        }
    }

    /// ESIA `verifying`.
    pub fn is_verifying(&self) -> bool {
        matches!(self.verification, Verification::Verifying { .. })
    }

    pub(crate) fn pending(&self) -> CheckSet {
        match self.verification {
            Verification::Verifying { pending } => pending,
            _ => CheckSet::EMPTY,
        }
    }
}

/// Something that happened to an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountEvent {
    /// «Продолжить» on the personal-data form.
    PersonalDataSubmitted {
        /// An INN was given as well.
        has_inn: bool,
    },
    /// An agency confirmed the data.
    CheckPassed(CheckKind),
    /// An agency rejected the data.
    CheckFailed(CheckKind, FailureReason),
    /// The agency could not be reached (transient); the check should be retried.
    CheckUnavailable(CheckKind),
    /// Verified data changed in the profile.
    VerifiedDataEdited {
        /// SNILS changed.
        snils_changed: bool,
        /// Passport changed.
        passport_changed: bool,
        /// INN added or changed.
        inn_changed: bool,
    },
    /// Identity confirmed by one of the ways.
    IdentityConfirmed(ConfirmationMethod),
    /// The account was deleted.
    AccountDeleted,
    /// An operator blocked the account.
    Blocked,
    /// An operator unblocked the account.
    Unblocked,
}

/// Work that esia-core carries out after a transition, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// Enqueue a check job (the document shows «проверка»).
    EnqueueCheck(CheckKind),
    /// Cancel a queued check job that no longer matters.
    CancelCheck(CheckKind),
    /// Run the check again later (with backoff): the agency was unavailable.
    RetryLater(CheckKind),
    /// Store the new level.
    SetLevel(AccountLevel),
    /// Mark the document behind this check `vrfStu:VERIFIED` (on an upgrade to standard this
    /// comes for the last of SNILS/passport; the other was marked when it passed).
    MarkVerified(CheckKind),
    /// End every session of the account.
    TerminateSessions,
    /// Send an SMS and/or e-mail.
    Notify(NoticeKind),
}

/// The result of a successful transition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    /// The new state.
    pub next: AccountState,
    /// Effects to carry out, in order.
    pub effects: Vec<Effect>,
}

/// An event that is not allowed in the current state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum TransitionError {
    /// The account is deleted.
    #[error("Учётная запись удалена")]
    AccountDeleted,
    /// The account is blocked.
    #[error("Учётная запись заблокирована")]
    AccountBlocked,
    /// Blocked twice.
    #[error("Учётная запись уже заблокирована")]
    AlreadyBlocked,
    /// Unblocked while not blocked.
    #[error("Учётная запись не заблокирована")]
    NotBlocked,
    /// Personal data submitted while checks run.
    #[error("Личные данные проверяются")]
    ChecksInProgress,
    /// Personal data submitted on a standard or confirmed account (use an edit instead).
    #[error("Личные данные уже проверены")]
    AlreadyVerified,
    /// Verified data edited on a simplified account (nothing is verified; submit instead).
    #[error("Личные данные ещё не проверены")]
    NotVerifiedYet,
    /// Confirmation requested before the account is standard.
    #[error("Подтвердить личность можно только для стандартной учётной записи")]
    ConfirmationRequiresStandard,
    /// Confirmation of a confirmed account.
    #[error("Учётная запись уже подтверждена")]
    AlreadyConfirmed,
}

impl TransitionError {
    /// Stable snake_case id.
    pub fn code(self) -> &'static str {
        match self {
            TransitionError::AccountDeleted => "account_deleted",
            TransitionError::AccountBlocked => "account_blocked",
            TransitionError::AlreadyBlocked => "already_blocked",
            TransitionError::NotBlocked => "not_blocked",
            TransitionError::ChecksInProgress => "checks_in_progress",
            TransitionError::AlreadyVerified => "already_verified",
            TransitionError::NotVerifiedYet => "not_verified_yet",
            TransitionError::ConfirmationRequiresStandard => "confirmation_requires_standard",
            TransitionError::AlreadyConfirmed => "already_confirmed",
        }
    }
}
