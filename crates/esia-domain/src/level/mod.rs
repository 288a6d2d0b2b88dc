//! Account levels and statuses (account-lifecycle §2, esia-protocol §8) and the upgrade /
//! confirmation state machine (account-lifecycle §5–§6). This module decides what happens; it does
//! not store, send or schedule anything: it returns [`Effect`]s for esia-core to carry out.

mod checks;
mod machine;
mod notice;
mod state;

use std::fmt;
use std::str::FromStr;

pub use checks::{BankId, CheckKind, CheckSet, ConfirmationMethod, FailureReason};
pub use machine::transition;
pub use notice::NoticeKind;
pub use state::{AccountEvent, AccountState, Effect, Transition, TransitionError, Verification};

/// The account level (ESIA «упрощённая / стандартная / подтверждённая»).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
// The OpenAPI document has always named this schema `PersonaLevel` (the admin API's old copy of
// this enum); the name stays so the published document does not change.
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema), schema(as = PersonaLevel))]
pub enum AccountLevel {
    /// «Упрощённая»: registered with a phone or e-mail.
    Simplified,
    /// «Стандартная»: SNILS and passport verified.
    Standard,
    /// «Подтверждённая»: identity confirmed.
    Confirmed,
}

/// An unknown level or status string.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown value: {0}")]
pub struct UnknownValue(pub String);

impl AccountLevel {
    /// All levels, lowest first.
    pub const ALL: [AccountLevel; 3] = [
        AccountLevel::Simplified,
        AccountLevel::Standard,
        AccountLevel::Confirmed,
    ];

    /// `simplified`, `standard`, `confirmed` (storage and JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            AccountLevel::Simplified => "simplified",
            AccountLevel::Standard => "standard",
            AccountLevel::Confirmed => "confirmed",
        }
    }

    /// «Упрощённая», «Стандартная», «Подтверждённая».
    pub fn title_ru(self) -> &'static str {
        match self {
            AccountLevel::Simplified => "Упрощённая",
            AccountLevel::Standard => "Стандартная",
            AccountLevel::Confirmed => "Подтверждённая",
        }
    }

    /// «Упрощённая учётная запись» … for the cabinet.
    pub fn card_title_ru(self) -> &'static str {
        match self {
            AccountLevel::Simplified => "Упрощённая учётная запись",
            AccountLevel::Standard => "Стандартная учётная запись",
            AccountLevel::Confirmed => "Подтверждённая учётная запись",
        }
    }

    /// The hint shown under the level (ui-guide «Cabinet»); `None` for confirmed accounts.
    pub fn next_step_hint_ru(self) -> Option<&'static str> {
        match self {
            AccountLevel::Simplified => Some("Заполните личные данные и дождитесь проверки"),
            AccountLevel::Standard => Some("Подтвердите личность"),
            AccountLevel::Confirmed => None,
        }
    }

    /// ESIA `trusted`: true only for confirmed accounts (§8).
    pub fn is_trusted(self) -> bool {
        self == AccountLevel::Confirmed
    }
}

impl FromStr for AccountLevel {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|l| l.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownValue(s.to_owned()))
    }
}

impl fmt::Display for AccountLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// ESIA `status` of a person (§7.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum AccountStatus {
    /// `REGISTERED`.
    Registered,
    /// `DELETED`.
    Deleted,
}

impl AccountStatus {
    /// `REGISTERED` or `DELETED`.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountStatus::Registered => "REGISTERED",
            AccountStatus::Deleted => "DELETED",
        }
    }
}

impl FromStr for AccountStatus {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_uppercase().as_str() {
            "REGISTERED" => Ok(AccountStatus::Registered),
            "DELETED" => Ok(AccountStatus::Deleted),
            _ => Err(UnknownValue(s.to_owned())),
        }
    }
}

impl fmt::Display for AccountStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod machine_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_strings() {
        let rows = [
            (
                AccountLevel::Simplified,
                "simplified",
                "Упрощённая",
                "Упрощённая учётная запись",
            ),
            (
                AccountLevel::Standard,
                "standard",
                "Стандартная",
                "Стандартная учётная запись",
            ),
            (
                AccountLevel::Confirmed,
                "confirmed",
                "Подтверждённая",
                "Подтверждённая учётная запись",
            ),
        ];
        for (l, s, t, c) in rows {
            assert_eq!(l.as_str(), s);
            assert_eq!(l.title_ru(), t);
            assert_eq!(l.card_title_ru(), c);
            assert_eq!(s.parse::<AccountLevel>(), Ok(l));
            assert_eq!(l.to_string(), s);
        }
        assert!("gold".parse::<AccountLevel>().is_err());
        assert_eq!(
            AccountLevel::Simplified.next_step_hint_ru(),
            Some("Заполните личные данные и дождитесь проверки")
        );
        assert_eq!(
            AccountLevel::Standard.next_step_hint_ru(),
            Some("Подтвердите личность")
        );
        assert_eq!(AccountLevel::Confirmed.next_step_hint_ru(), None);
        assert!(AccountLevel::Confirmed.is_trusted());
        assert!(!AccountLevel::Standard.is_trusted());
        assert!(AccountLevel::Simplified < AccountLevel::Confirmed);
    }

    #[test]
    fn status_strings() {
        assert_eq!(AccountStatus::Registered.as_str(), "REGISTERED");
        assert_eq!(AccountStatus::Deleted.as_str(), "DELETED");
        assert_eq!(
            "deleted".parse::<AccountStatus>(),
            Ok(AccountStatus::Deleted)
        );
        assert!("x".parse::<AccountStatus>().is_err());
    }
}
