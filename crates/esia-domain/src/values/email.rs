//! `Email`: an e-mail address after a practical syntax check (not full RFC 5322), lower-cased as
//! ESIA compares logins case-insensitively. Owns syntax and masking only; uniqueness is a store
//! concern.

use std::fmt;

use super::ValidationError;

/// Maximum length of an address, per RFC 5321.
pub const EMAIL_MAX_CHARS: usize = 254;

/// A validated, lower-cased e-mail address.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email(pub(crate) String);

fn invalid() -> ValidationError {
    ValidationError::new(
        "email_invalid",
        "Введите адрес электронной почты в формате name@example.ru",
    )
}

fn label_ok(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && !label.starts_with('-')
        && !label.ends_with('-')
        && label.chars().all(|c| c.is_alphanumeric() || c == '-')
}

impl Email {
    /// Parses `local@domain.tld`: trimmed, one `@`, no whitespace or control characters, a
    /// non-empty local part without leading/trailing/double dots, a domain of dot-separated
    /// labels (letters, digits, hyphens; at least two labels; the last one alphabetic, ≥ 2
    /// characters), total length ≤ 254. The result is lower-cased.
    ///
    /// Errors: `required`, `email_invalid`, `email_too_long`.
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(ValidationError::required());
        }
        if s.chars().count() > EMAIL_MAX_CHARS {
            return Err(ValidationError::new(
                "email_too_long",
                format!("Адрес не может быть длиннее {EMAIL_MAX_CHARS} символов"),
            ));
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid());
        }
        let (local, domain) = s.split_once('@').ok_or_else(invalid)?;
        if domain.contains('@') || local.is_empty() || local.len() > 64 {
            return Err(invalid());
        }
        if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
            return Err(invalid());
        }
        if local.chars().any(|c| {
            matches!(
                c,
                '(' | ')' | '<' | '>' | ',' | ';' | ':' | '\\' | '"' | '[' | ']'
            )
        }) {
            return Err(invalid());
        }
        let labels: Vec<&str> = domain.split('.').collect();
        if labels.len() < 2 || !labels.iter().all(|l| label_ok(l)) {
            return Err(invalid());
        }
        let tld = labels.last().copied().unwrap_or("");
        if tld.chars().count() < 2 || !tld.chars().all(char::is_alphabetic) {
            return Err(invalid());
        }
        Ok(Self(s.to_lowercase()))
    }

    /// The lower-cased address.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Masked form for pages: first character of the local part, then `***`, then the domain:
    /// `i***@example.ru`.
    pub fn masked(&self) -> String {
        match self.0.split_once('@') {
            Some((local, domain)) => {
                let first: String = local.chars().take(1).collect();
                format!("{first}***@{domain}")
            }
            None => "***".to_owned(),
        }
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let domain = self.0.split_once('@').map(|(_, d)| d).unwrap_or("");
        write!(f, "Email(***@{domain})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_emails() {
        let rows = [
            ("user@example.ru", "user@example.ru"),
            ("  User@Example.RU ", "user@example.ru"),
            ("EsiaTest001@yandex.ru", "esiatest001@yandex.ru"),
            ("first.last+tag@mail.co.uk", "first.last+tag@mail.co.uk"),
            ("a@b.cd", "a@b.cd"),
            (
                "ivan_petrov-1@sub.domain-x.org",
                "ivan_petrov-1@sub.domain-x.org",
            ),
            ("иван@почта.рф", "иван@почта.рф"),
            ("o'neil@example.com", "o'neil@example.com"),
        ];
        for (input, want) in rows {
            let e = Email::parse(input).unwrap_or_else(|err| panic!("{input:?}: {err:?}"));
            assert_eq!(e.as_str(), want);
            assert_eq!(e.to_string(), want);
        }
    }

    #[test]
    fn invalid_emails() {
        let rows = [
            ("", "required"),
            ("   ", "required"),
            ("plain", "email_invalid"),
            ("no-at.example.ru", "email_invalid"),
            ("a@@b.ru", "email_invalid"),
            ("a@b@c.ru", "email_invalid"),
            ("@example.ru", "email_invalid"),
            ("user@", "email_invalid"),
            ("user@localhost", "email_invalid"),
            ("user@example", "email_invalid"),
            ("user@.ru", "email_invalid"),
            ("user@example..ru", "email_invalid"),
            ("user@example.r", "email_invalid"),
            ("user@example.123", "email_invalid"),
            ("user@-example.ru", "email_invalid"),
            ("user name@example.ru", "email_invalid"),
            (".user@example.ru", "email_invalid"),
            ("user.@example.ru", "email_invalid"),
            ("us..er@example.ru", "email_invalid"),
            ("user@exa_mple.ru", "email_invalid"),
            ("<user>@example.ru", "email_invalid"),
            ("user@example.ru\u{0}", "email_invalid"),
        ];
        for (input, code) in rows {
            let e = Email::parse(input).expect_err(input);
            assert_eq!(e.code, code, "{input:?}");
        }
        let long = format!("{}@{}.ru", "a".repeat(60), "b".repeat(200));
        assert_eq!(Email::parse(&long).unwrap_err().code, "email_too_long");
    }

    #[test]
    fn masked_and_debug() {
        let e = Email::parse("ivan@example.ru").unwrap();
        assert_eq!(e.masked(), "i***@example.ru");
        let d = format!("{e:?}");
        assert!(!d.contains("ivan"), "{d}");
    }
}
