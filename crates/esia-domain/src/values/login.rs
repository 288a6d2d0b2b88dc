//! `LoginId`: what a user typed in «Телефон / Email / СНИЛС» on the login page, classified into a
//! phone, an e-mail or a SNILS (account-lifecycle §4). Owns the classification rule only; finding
//! the account is the store's job.

use std::fmt;

use super::{Email, Phone, Snils, ValidationError};

/// A login identifier.
#[derive(Clone, PartialEq, Eq, Hash)]
pub enum LoginId {
    /// A mobile phone.
    Phone(Phone),
    /// An e-mail address.
    Email(Email),
    /// A SNILS.
    Snils(Snils),
}

fn invalid() -> ValidationError {
    ValidationError::new(
        "login_invalid",
        "Введите мобильный телефон, электронную почту или СНИЛС",
    )
}

/// `XXX-XXX-XXX YY` (or `XXX-XXX-XXX-YY`): SNILS written with its separators.
fn looks_like_formatted_snils(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 14
        && b.iter().enumerate().all(|(i, c)| match i {
            3 | 7 => *c == b'-',
            11 => *c == b' ' || *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

impl LoginId {
    /// Classifies the input (trimmed), first match wins:
    ///
    /// 1. contains `@` → e-mail (must parse as [`Email`]);
    /// 2. SNILS written with its separators, `XXX-XXX-XXX YY` → SNILS;
    /// 3. digits with phone punctuation (`+ ( ) -` and spaces) that parse as a **mobile**
    ///    [`Phone`] → phone (so `89261234567` is a phone even though it has 11 digits);
    /// 4. 11 bare digits that parse as [`Snils`] → SNILS;
    /// 5. otherwise `login_invalid` (also for a malformed e-mail or SNILS).
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(ValidationError::required());
        }
        if s.contains('@') {
            return Email::parse(s).map(LoginId::Email).map_err(|_| invalid());
        }
        if looks_like_formatted_snils(s) {
            return Snils::parse(s).map(LoginId::Snils).map_err(|_| invalid());
        }
        let phone_chars = s
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | '(' | ')' | '-' | ' '));
        if phone_chars {
            if let Ok(p) = Phone::parse(s) {
                return Ok(LoginId::Phone(p));
            }
        }
        if s.len() == 11 && s.chars().all(|c| c.is_ascii_digit()) {
            if let Ok(sn) = Snils::parse(s) {
                return Ok(LoginId::Snils(sn));
            }
        }
        Err(invalid())
    }

    /// `phone`, `email` or `snils`.
    pub fn kind(&self) -> &'static str {
        match self {
            LoginId::Phone(_) => "phone",
            LoginId::Email(_) => "email",
            LoginId::Snils(_) => "snils",
        }
    }
}

impl fmt::Display for LoginId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoginId::Phone(p) => p.fmt(f),
            LoginId::Email(e) => e.fmt(f),
            LoginId::Snils(s) => s.fmt(f),
        }
    }
}

impl fmt::Debug for LoginId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoginId::Phone(p) => f.debug_tuple("Phone").field(p).finish(),
            LoginId::Email(e) => f.debug_tuple("Email").field(e).finish(),
            LoginId::Snils(s) => f.debug_tuple("Snils").field(s).finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification_table() {
        let rows = [
            ("EsiaTest001@yandex.ru", "email", "esiatest001@yandex.ru"),
            (" User@Mail.RU ", "email", "user@mail.ru"),
            ("+79261234567", "phone", "+79261234567"),
            ("+7 (926) 123-45-67", "phone", "+79261234567"),
            ("89261234567", "phone", "+79261234567"),
            ("79261234567", "phone", "+79261234567"),
            ("9261234567", "phone", "+79261234567"),
            ("112-233-445 95", "snils", "112-233-445 95"),
            ("112-233-445-95", "snils", "112-233-445 95"),
            ("000-000-600 15", "snils", "000-000-600 15"),
            ("11223344595", "snils", "112-233-445 95"),
            ("00000060015", "snils", "000-000-600 15"),
        ];
        for (input, kind, shown) in rows {
            let l = LoginId::parse(input).unwrap_or_else(|e| panic!("{input:?}: {e:?}"));
            assert_eq!(l.kind(), kind, "{input:?}");
            assert_eq!(l.to_string(), shown, "{input:?}");
        }
    }

    #[test]
    fn rejected() {
        let rows = [
            ("", "required"),
            ("user@", "login_invalid"),
            ("112-233-445 96", "login_invalid"),
            ("84951234567", "login_invalid"),
            ("12345", "login_invalid"),
            ("11223344596", "login_invalid"),
            ("ivanov", "login_invalid"),
            ("+7 926 123 45 6x", "login_invalid"),
        ];
        for (input, code) in rows {
            assert_eq!(LoginId::parse(input).unwrap_err().code, code, "{input:?}");
        }
    }

    #[test]
    fn debug_redacts() {
        let l = LoginId::parse("+79261234567").unwrap();
        assert_eq!(format!("{l:?}"), "Phone(Phone(+7********67))");
        let l = LoginId::parse("112-233-445 95").unwrap();
        assert_eq!(format!("{l:?}"), "Snils(Snils(***))");
    }
}
