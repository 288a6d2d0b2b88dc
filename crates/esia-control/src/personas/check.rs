//! Field checks for persona specs: each given value is parsed with the domain's validators and
//! every problem is collected under the spec's field name (`passport.series`, `kids.snils`, …),
//! so a client sees all its mistakes in one 422 answer.

use chrono::NaiveDate;
use esia_domain::{parse_ru_date, Email, Inn, Ogrn, PersonName, Phone, Snils, ValidationError};

use esia_core::error::FieldError;

/// Longest free-text value accepted (addresses, issuers, places).
const TEXT_MAX: usize = 500;

/// Collects field errors while values are parsed.
#[derive(Default)]
pub(crate) struct Checks {
    pub errors: Vec<FieldError>,
}

impl Checks {
    pub fn fail(&mut self, field: &'static str, code: &'static str, message: impl Into<String>) {
        self.errors
            .push(FieldError::new(field, ValidationError::new(code, message)));
    }

    fn run<T>(
        &mut self,
        field: &'static str,
        v: Option<&str>,
        f: impl FnOnce(&str) -> Result<T, ValidationError>,
    ) -> Option<T> {
        match f(v?) {
            Ok(x) => Some(x),
            Err(e) => {
                self.errors.push(FieldError::new(field, e));
                None
            }
        }
    }

    pub fn name(&mut self, field: &'static str, v: Option<&str>) -> Option<String> {
        self.run(field, v, |s| {
            PersonName::parse(s).map(|n| n.as_str().to_string())
        })
    }

    pub fn mobile(&mut self, field: &'static str, v: Option<&str>) -> Option<String> {
        self.run(field, v, |s| Phone::parse(s).map(|p| p.e164().to_string()))
    }

    pub fn any_phone(&mut self, field: &'static str, v: Option<&str>) -> Option<String> {
        self.run(field, v, |s| {
            Phone::parse_any(s).map(|p| p.e164().to_string())
        })
    }

    pub fn email(&mut self, field: &'static str, v: Option<&str>) -> Option<String> {
        self.run(field, v, |s| {
            Email::parse(s).map(|e| e.as_str().to_string())
        })
    }

    pub fn snils(&mut self, field: &'static str, v: Option<&str>) -> Option<String> {
        self.run(field, v, |s| {
            Snils::parse(s).map(|x| x.digits().to_string())
        })
    }

    pub fn inn_person(&mut self, field: &'static str, v: Option<&str>) -> Option<String> {
        self.run(field, v, |s| {
            Inn::parse_person(s).map(|x| x.as_str().to_string())
        })
    }

    pub fn inn_org(&mut self, field: &'static str, v: Option<&str>) -> Option<String> {
        self.run(field, v, |s| {
            Inn::parse_org(s).map(|x| x.as_str().to_string())
        })
    }

    pub fn ogrn(&mut self, field: &'static str, v: Option<&str>) -> Option<String> {
        self.run(field, v, |s| Ogrn::parse(s).map(|x| x.as_str().to_string()))
    }

    pub fn date(&mut self, field: &'static str, v: Option<&str>) -> Option<NaiveDate> {
        self.run(field, v, parse_ru_date)
    }

    /// Exactly `n` digits.
    pub fn digits(&mut self, field: &'static str, v: Option<&str>, n: usize) -> Option<String> {
        self.run(field, v, |s| {
            let t = s.trim();
            if t.len() == n && t.chars().all(|c| c.is_ascii_digit()) {
                Ok(t.to_string())
            } else {
                Err(ValidationError::new(
                    "digits_invalid",
                    format!("Ровно {n} цифр"),
                ))
            }
        })
    }

    /// Non-empty free text without control characters, at most `TEXT_MAX` characters.
    pub fn text(&mut self, field: &'static str, v: Option<&str>) -> Option<String> {
        self.run(field, v, |s| {
            let t = s.trim();
            if t.is_empty() {
                Err(ValidationError::required())
            } else if t.chars().count() > TEXT_MAX || t.chars().any(char::is_control) {
                Err(ValidationError::new(
                    "text_invalid",
                    format!("Не более {TEXT_MAX} символов, без служебных символов"),
                ))
            } else {
                Ok(t.to_string())
            }
        })
    }

    /// ISO 3166 alpha-3, upper case.
    pub fn country(&mut self, field: &'static str, v: Option<&str>) -> Option<String> {
        self.run(field, v, |s| {
            let t = s.trim();
            if t.len() == 3 && t.chars().all(|c| c.is_ascii_alphabetic()) {
                Ok(t.to_ascii_uppercase())
            } else {
                Err(ValidationError::new(
                    "country_invalid",
                    "Код страны ISO 3166 из трёх латинских букв (RUS)",
                ))
            }
        })
    }
}
