//! The vocabulary of verification and confirmation: which government check runs (`CheckKind`),
//! why it failed (`FailureReason`), a small set of pending checks (`CheckSet`), and how an
//! identity is confirmed (`ConfirmationMethod`). Names and Russian titles only; no rules here.

use std::fmt;

/// A government check of profile data.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    /// SNILS by ПФР/СФР.
    Snils,
    /// Passport by МВД.
    Passport,
    /// INN by ФНС.
    Inn,
}

impl CheckKind {
    /// All kinds, in display order.
    pub const ALL: [CheckKind; 3] = [CheckKind::Snils, CheckKind::Passport, CheckKind::Inn];

    /// `snils`, `passport`, `inn` (job kinds, storage).
    pub fn as_str(self) -> &'static str {
        match self {
            CheckKind::Snils => "snils",
            CheckKind::Passport => "passport",
            CheckKind::Inn => "inn",
        }
    }

    /// Parses [`CheckKind::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// «Проверка СНИЛС в Социальном фонде России» …
    pub fn title_ru(self) -> &'static str {
        match self {
            CheckKind::Snils => "Проверка СНИЛС в Социальном фонде России",
            CheckKind::Passport => "Проверка паспорта в МВД России",
            CheckKind::Inn => "Проверка ИНН в ФНС России",
        }
    }

    fn bit(self) -> u8 {
        match self {
            CheckKind::Snils => 1,
            CheckKind::Passport => 2,
            CheckKind::Inn => 4,
        }
    }
}

impl fmt::Display for CheckKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a check failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureReason {
    /// The document or person is not found (ПФР: SNILS unknown; МВД `PERSON_NOT_FOUND` /
    /// `PASSPORT_NOT_FOUND`).
    NotFound,
    /// The document exists but name, gender or birth date differ.
    DataMismatch,
    /// МВД: the passport is invalid (`PASSPORT_INVALID`: lost, expired, replaced).
    PassportInvalid,
    /// The agency refused without a specific reason.
    Rejected,
}

impl FailureReason {
    /// All reasons.
    pub const ALL: [FailureReason; 4] = [
        FailureReason::NotFound,
        FailureReason::DataMismatch,
        FailureReason::PassportInvalid,
        FailureReason::Rejected,
    ];

    /// `not_found`, `data_mismatch`, `passport_invalid`, `rejected`.
    pub fn as_str(self) -> &'static str {
        match self {
            FailureReason::NotFound => "not_found",
            FailureReason::DataMismatch => "data_mismatch",
            FailureReason::PassportInvalid => "passport_invalid",
            FailureReason::Rejected => "rejected",
        }
    }

    /// Parses [`FailureReason::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// «не найден», «данные не совпадают», «паспорт недействителен», «отказ ведомства».
    pub fn text_ru(self) -> &'static str {
        match self {
            FailureReason::NotFound => "не найден",
            FailureReason::DataMismatch => "данные не совпадают",
            FailureReason::PassportInvalid => "паспорт недействителен",
            FailureReason::Rejected => "отказ ведомства",
        }
    }
}

/// A set of checks (a bit set, `Copy`), iterated in [`CheckKind::ALL`] order.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub struct CheckSet(u8);

impl CheckSet {
    /// No checks.
    pub const EMPTY: CheckSet = CheckSet(0);

    /// A set of the given kinds.
    pub fn of(kinds: &[CheckKind]) -> Self {
        kinds.iter().fold(Self::EMPTY, |s, k| s.with(*k))
    }

    /// This set plus `k`.
    #[must_use]
    pub fn with(self, k: CheckKind) -> Self {
        CheckSet(self.0 | k.bit())
    }

    /// This set minus `k`.
    #[must_use]
    pub fn without(self, k: CheckKind) -> Self {
        CheckSet(self.0 & !k.bit())
    }

    /// The union.
    #[must_use]
    pub fn union(self, other: CheckSet) -> Self {
        CheckSet(self.0 | other.0)
    }

    /// Membership.
    pub fn contains(self, k: CheckKind) -> bool {
        self.0 & k.bit() != 0
    }

    /// True when empty.
    pub fn is_empty(self) -> bool {
        self.0 & 7 == 0
    }

    /// The kinds, in order.
    pub fn kinds(self) -> Vec<CheckKind> {
        CheckKind::ALL
            .into_iter()
            .filter(|k| self.contains(*k))
            .collect()
    }
}

/// A bank that can confirm identities (account-lifecycle §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BankId {
    /// Сбербанк.
    Sberbank,
    /// Тинькофф (Т-Банк).
    Tinkoff,
    /// Почта Банк.
    PochtaBank,
    /// ВТБ.
    Vtb,
    /// Any other bank connected to ESIA.
    Other,
}

impl BankId {
    /// The bank's name in Russian.
    pub fn title_ru(self) -> &'static str {
        match self {
            BankId::Sberbank => "Сбербанк",
            BankId::Tinkoff => "Тинькофф",
            BankId::PochtaBank => "Почта Банк",
            BankId::Vtb => "ВТБ",
            BankId::Other => "Другой банк",
        }
    }
}

/// How an identity was confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConfirmationMethod {
    /// In person at a service centre (МФЦ).
    ServiceCentre,
    /// A code sent by Russian Post.
    PostCode,
    /// An online bank.
    Bank(BankId),
    /// A qualified electronic signature (КЭП) or УЭК.
    ESignature,
}

impl ConfirmationMethod {
    /// The way as listed on «Подтвердить учётную запись».
    pub fn title_ru(self) -> &'static str {
        match self {
            ConfirmationMethod::ServiceCentre => "В центре обслуживания",
            ConfirmationMethod::PostCode => "Код по почте России",
            ConfirmationMethod::Bank(_) => "Через онлайн-банк",
            ConfirmationMethod::ESignature => "Электронной подписью",
        }
    }

    /// `service_centre`, `post_code`, `bank`, `e_signature`.
    pub fn as_str(self) -> &'static str {
        match self {
            ConfirmationMethod::ServiceCentre => "service_centre",
            ConfirmationMethod::PostCode => "post_code",
            ConfirmationMethod::Bank(_) => "bank",
            ConfirmationMethod::ESignature => "e_signature",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_codes() {
        assert_eq!(
            CheckKind::Snils.title_ru(),
            "Проверка СНИЛС в Социальном фонде России"
        );
        assert_eq!(
            CheckKind::Passport.title_ru(),
            "Проверка паспорта в МВД России"
        );
        assert_eq!(CheckKind::Inn.title_ru(), "Проверка ИНН в ФНС России");
        for k in CheckKind::ALL {
            assert_eq!(CheckKind::parse(k.as_str()), Some(k));
        }
        for r in FailureReason::ALL {
            assert_eq!(FailureReason::parse(r.as_str()), Some(r));
        }
        assert_eq!(FailureReason::NotFound.text_ru(), "не найден");
        assert_eq!(FailureReason::DataMismatch.text_ru(), "данные не совпадают");
        assert_eq!(
            FailureReason::PassportInvalid.text_ru(),
            "паспорт недействителен"
        );
        assert_eq!(
            ConfirmationMethod::Bank(BankId::Vtb).title_ru(),
            "Через онлайн-банк"
        );
    }

    #[test]
    fn check_set() {
        let s = CheckSet::of(&[CheckKind::Inn, CheckKind::Snils]);
        assert_eq!(s.kinds(), vec![CheckKind::Snils, CheckKind::Inn]);
        assert!(s.contains(CheckKind::Inn));
        assert!(!s.contains(CheckKind::Passport));
        assert!(s
            .without(CheckKind::Inn)
            .without(CheckKind::Snils)
            .is_empty());
        assert_eq!(
            s.union(CheckSet::of(&[CheckKind::Passport])).kinds().len(),
            3
        );
        assert!(CheckSet::EMPTY.is_empty());
    }
}
