//! Validated value types of the ESIA domain: names, contacts, identifiers (SNILS, INN, OGRN),
//! passwords, login identifiers, dates and the Russian passport. Every type is built only through a
//! `parse` constructor that never panics and reports a [`ValidationError`] with a stable snake_case
//! code and a Russian message for the page. Types holding personal data have a redacting `Debug`.
//! This module does no I/O and knows nothing about storage or HTTP.

mod date;
mod email;
mod inn;
mod login;
mod name;
mod passport;
mod password;
mod phone;
mod snils;

#[cfg(test)]
mod no_panic_tests;

pub use date::{format_ru_date, parse_ru_date, BirthDate, Gender};
pub use email::Email;
pub use inn::{
    inn_check_digits, inn_check_digits_valid, ogrn_check_digit, ogrnip_check_digit, Inn, InnKind,
    Ogrn, Ogrnip,
};
pub use login::LoginId;
pub use name::PersonName;
pub use passport::{first_issue_date, DeptCode, PassportErrors, PassportRf};
pub use password::{check_password, generate_password, PasswordRule};
pub use phone::Phone;
pub use snils::{snils_checksum, Snils};

/// A value failed validation.
///
/// `code` is a stable snake_case identifier (tests, JSON APIs and `data-testid`s rely on it);
/// `message` is the Russian text shown under the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ValidationError {
    /// Stable snake_case id, e.g. `phone_invalid`.
    pub code: &'static str,
    /// Russian message for the page.
    pub message: String,
}

impl ValidationError {
    /// Builds an error from a code and a message.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    /// The field is empty: code `required`, «Заполните поле».
    pub fn required() -> Self {
        Self::new("required", "Заполните поле")
    }
}

/// Keeps only ASCII digits of `s`, or returns `None` when `s` holds any character outside
/// digits and the allowed separators.
pub(crate) fn digits_only(s: &str, allowed_separators: &[char]) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_digit() {
            out.push(c);
        } else if !(c.is_whitespace() || allowed_separators.contains(&c)) {
            return None;
        }
    }
    Some(out)
}
