//! `NoticeKind`: which SMS / e-mail notice a state change asks for, with its short Russian text
//! (ui-guide «Notices»). Delivery belongs to the outbox in esia-core.

use super::{CheckKind, FailureReason};

/// A notice to the account holder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum NoticeKind {
    /// The SNILS and passport checks passed: the account is now standard.
    UpgradedToStandard,
    /// A single check passed on an account whose level did not change (INN, or a re-check
    /// of an edited document on a confirmed account).
    CheckPassed {
        /// The check.
        check: CheckKind,
    },
    /// A check failed.
    CheckFailed {
        /// The check.
        check: CheckKind,
        /// Why.
        reason: FailureReason,
    },
    /// The identity is confirmed.
    IdentityConfirmed,
    /// The account was deleted.
    AccountDeleted,
    /// The account was blocked by an operator.
    AccountBlocked,
    /// The account was unblocked.
    AccountUnblocked,
}

impl NoticeKind {
    /// Short text for SMS and e-mail.
    pub fn text_ru(self) -> String {
        match self {
            NoticeKind::UpgradedToStandard => {
                "Ваша учётная запись на Госуслугах повышена до стандартной".to_owned()
            }
            NoticeKind::CheckPassed { check } => {
                format!("{}: проверка прошла успешно", check.title_ru())
            }
            NoticeKind::CheckFailed { check, reason } => format!(
                "Данные не прошли проверку: {} — {}",
                check.title_ru(),
                reason.text_ru()
            ),
            NoticeKind::IdentityConfirmed => {
                "Ваша учётная запись на Госуслугах подтверждена".to_owned()
            }
            NoticeKind::AccountDeleted => "Ваша учётная запись на Госуслугах удалена".to_owned(),
            NoticeKind::AccountBlocked => {
                "Ваша учётная запись на Госуслугах заблокирована".to_owned()
            }
            NoticeKind::AccountUnblocked => {
                "Ваша учётная запись на Госуслугах разблокирована".to_owned()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts() {
        assert_eq!(
            NoticeKind::UpgradedToStandard.text_ru(),
            "Ваша учётная запись на Госуслугах повышена до стандартной"
        );
        assert_eq!(
            NoticeKind::CheckFailed {
                check: CheckKind::Snils,
                reason: FailureReason::NotFound
            }
            .text_ru(),
            "Данные не прошли проверку: Проверка СНИЛС в Социальном фонде России — не найден"
        );
        assert!(NoticeKind::CheckPassed {
            check: CheckKind::Inn
        }
        .text_ru()
        .contains("ФНС"));
    }
}
