//! `PersonName`: one part of a person's name (surname, given name or patronymic) as ESIA accepts
//! it on the registration and profile forms (account-lifecycle §3). Owns the character rules only;
//! it does not decide which parts are mandatory.

use std::fmt;

use super::ValidationError;

/// Maximum length of a name part, in characters.
pub const NAME_MAX_CHARS: usize = 60;

/// A validated name part: Cyrillic **or** Latin letters, digits, hyphen, space, apostrophe, dot.
///
/// Inner whitespace is collapsed to single spaces and the ends are trimmed; the typographic
/// apostrophe `’` is normalised to `'`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PersonName(pub(crate) String);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    Cyrillic,
    Latin,
}

fn script_of(c: char) -> Option<Script> {
    match c {
        'А'..='я' | 'Ё' | 'ё' => Some(Script::Cyrillic),
        'A'..='Z' | 'a'..='z' => Some(Script::Latin),
        _ => None,
    }
}

impl PersonName {
    /// Parses and normalises a name part.
    ///
    /// Errors: `required`, `name_invalid_chars`, `name_mixed_scripts`, `name_no_letters`,
    /// `name_too_long`.
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let collapsed = input
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .replace('\u{2019}', "'");
        if collapsed.is_empty() {
            return Err(ValidationError::required());
        }
        let mut script: Option<Script> = None;
        let mut has_letter = false;
        for c in collapsed.chars() {
            if let Some(s) = script_of(c) {
                has_letter = true;
                match script {
                    None => script = Some(s),
                    Some(prev) if prev != s => {
                        return Err(ValidationError::new(
                            "name_mixed_scripts",
                            "Используйте только кириллицу или только латиницу",
                        ))
                    }
                    Some(_) => {}
                }
            } else if !(c.is_ascii_digit() || matches!(c, '-' | ' ' | '\'' | '.')) {
                return Err(ValidationError::new(
                    "name_invalid_chars",
                    "Допустимы только буквы, цифры, дефис, пробел, апостроф и точка",
                ));
            }
        }
        if !has_letter {
            return Err(ValidationError::new(
                "name_no_letters",
                "Поле должно содержать хотя бы одну букву",
            ));
        }
        if collapsed.chars().count() > NAME_MAX_CHARS {
            return Err(ValidationError::new(
                "name_too_long",
                format!("Не более {NAME_MAX_CHARS} символов"),
            ));
        }
        Ok(Self(collapsed))
    }

    /// The normalised value.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PersonName(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_names() {
        let rows = [
            ("Иванов", "Иванов"),
            ("  Иванов  ", "Иванов"),
            ("Салтыков-Щедрин", "Салтыков-Щедрин"),
            ("Ёлкина", "Ёлкина"),
            ("ёж", "ёж"),
            ("Сергейъ", "Сергейъ"),
            ("O'Neil", "O'Neil"),
            ("O\u{2019}Neil", "O'Neil"),
            ("Anna  Maria", "Anna Maria"),
            ("Анна \t Мария", "Анна Мария"),
            ("Smith Jr.", "Smith Jr."),
            ("Петр 1", "Петр 1"),
            ("X", "X"),
            ("д'Артаньян", "д'Артаньян"),
        ];
        for (input, want) in rows {
            let n = PersonName::parse(input).unwrap_or_else(|e| panic!("{input:?}: {e:?}"));
            assert_eq!(n.as_str(), want, "{input:?}");
            assert_eq!(n.to_string(), want);
        }
        let long = "Я".repeat(60);
        assert!(PersonName::parse(&long).is_ok());
    }

    #[test]
    fn invalid_names() {
        let rows = [
            ("", "required"),
            ("   ", "required"),
            ("\t\n", "required"),
            ("Ivanов", "name_mixed_scripts"),
            ("Иван Ivan", "name_mixed_scripts"),
            ("Иванов!", "name_invalid_chars"),
            ("Ivan_ov", "name_invalid_chars"),
            ("Иван@", "name_invalid_chars"),
            ("Ільїн", "name_invalid_chars"),
            ("Müller", "name_invalid_chars"),
            ("123", "name_no_letters"),
            ("-", "name_no_letters"),
            ("'.", "name_no_letters"),
        ];
        for (input, code) in rows {
            let e = PersonName::parse(input).expect_err(input);
            assert_eq!(e.code, code, "{input:?}");
            assert!(!e.message.is_empty());
        }
        let long = "Я".repeat(61);
        assert_eq!(PersonName::parse(&long).unwrap_err().code, "name_too_long");
        assert_eq!(
            PersonName::parse("Ivanов").unwrap_err().message,
            "Используйте только кириллицу или только латиницу"
        );
    }

    #[test]
    fn debug_redacts() {
        let n = PersonName::parse("Иванов").unwrap();
        assert!(!format!("{n:?}").contains("Иванов"));
    }
}
