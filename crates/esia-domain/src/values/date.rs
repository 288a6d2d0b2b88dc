//! Gender and dates as ESIA writes them: `M`/`F` and `ДД.ММ.ГГГГ` (esia-protocol §13), plus the
//! `BirthDate` sanity rules (not in the future, not before 1900). Dates are `chrono::NaiveDate`;
//! "today" is always passed in by the caller (from the injected clock), never read here.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

use super::ValidationError;

/// A person's gender as ESIA sends it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Gender {
    /// `M`.
    Male,
    /// `F`.
    Female,
}

impl Gender {
    /// `M` or `F`.
    pub fn as_esia(self) -> &'static str {
        match self {
            Gender::Male => "M",
            Gender::Female => "F",
        }
    }

    /// «Мужской» / «Женский».
    pub fn title_ru(self) -> &'static str {
        match self {
            Gender::Male => "Мужской",
            Gender::Female => "Женский",
        }
    }

    /// Parses `M`/`F` (any case, trimmed); also `MALE`/`FEMALE` and Russian `М`/`Ж`.
    /// Error: `gender_invalid`.
    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        match s.trim().to_uppercase().as_str() {
            "M" | "MALE" | "М" => Ok(Gender::Male),
            "F" | "FEMALE" | "Ж" => Ok(Gender::Female),
            "" => Err(ValidationError::required()),
            _ => Err(ValidationError::new("gender_invalid", "Выберите пол")),
        }
    }
}

impl FromStr for Gender {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for Gender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_esia())
    }
}

fn date_invalid() -> ValidationError {
    ValidationError::new("date_invalid", "Введите дату в формате ДД.ММ.ГГГГ")
}

/// Parses `ДД.ММ.ГГГГ` (strictly two-digit day and month, four-digit year), or the ISO form
/// `ГГГГ-ММ-ДД` that an HTML `<input type="date">` submits. Errors: `required`, `date_invalid`.
pub fn parse_ru_date(s: &str) -> Result<NaiveDate, ValidationError> {
    let s = s.trim();
    if s.is_empty() {
        return Err(ValidationError::required());
    }
    let (d, m, y) = if let [d, m, y] = s.split('.').collect::<Vec<_>>()[..] {
        (d, m, y)
    } else if let [y, m, d] = s.split('-').collect::<Vec<_>>()[..] {
        (d, m, y)
    } else {
        return Err(date_invalid());
    };
    let all_digits = |p: &str, n: usize| p.len() == n && p.chars().all(|c| c.is_ascii_digit());
    if !(all_digits(d, 2) && all_digits(m, 2) && all_digits(y, 4)) {
        return Err(date_invalid());
    }
    let (Ok(d), Ok(m), Ok(y)) = (d.parse(), m.parse(), y.parse()) else {
        return Err(date_invalid());
    };
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(date_invalid)
}

/// Formats as `ДД.ММ.ГГГГ`.
pub fn format_ru_date(d: NaiveDate) -> String {
    format!("{:02}.{:02}.{:04}", d.day(), d.month(), d.year())
}

/// A birth date that is a real date, not in the future and not before 01.01.1900.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BirthDate(NaiveDate);

impl BirthDate {
    /// Parses a date with [`parse_ru_date`] and checks it against `today`.
    /// Errors: `required`, `date_invalid`, `birth_date_in_future`, `birth_date_too_old`.
    pub fn parse(s: &str, today: NaiveDate) -> Result<Self, ValidationError> {
        Self::new(parse_ru_date(s)?, today)
    }

    /// Checks an already parsed date.
    pub fn new(date: NaiveDate, today: NaiveDate) -> Result<Self, ValidationError> {
        if date > today {
            return Err(ValidationError::new(
                "birth_date_in_future",
                "Дата рождения не может быть в будущем",
            ));
        }
        if date.year() < 1900 {
            return Err(ValidationError::new(
                "birth_date_too_old",
                "Дата рождения не может быть раньше 01.01.1900",
            ));
        }
        Ok(Self(date))
    }

    /// The date.
    pub fn date(&self) -> NaiveDate {
        self.0
    }

    /// Full years of age on `today` (0 if `today` is before the birth date).
    pub fn age_on(&self, today: NaiveDate) -> u32 {
        today.years_since(self.0).unwrap_or(0)
    }
}

impl fmt::Display for BirthDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_ru_date(self.0))
    }
}

impl fmt::Debug for BirthDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BirthDate(**.**.****)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn gender() {
        let rows = [
            ("M", Some(Gender::Male)),
            ("m", Some(Gender::Male)),
            (" F ", Some(Gender::Female)),
            ("FEMALE", Some(Gender::Female)),
            ("Ж", Some(Gender::Female)),
            ("м", Some(Gender::Male)),
            ("X", None),
            ("", None),
        ];
        for (s, want) in rows {
            assert_eq!(Gender::parse(s).ok(), want, "{s:?}");
        }
        assert_eq!(Gender::Male.as_esia(), "M");
        assert_eq!(Gender::Female.as_esia(), "F");
        assert_eq!("F".parse::<Gender>().unwrap(), Gender::Female);
        assert_eq!(Gender::Female.title_ru(), "Женский");
    }

    #[test]
    fn ru_dates() {
        let ok = [
            ("26.05.2000", ymd(2000, 5, 26)),
            (" 01.01.1900 ", ymd(1900, 1, 1)),
            ("29.02.2024", ymd(2024, 2, 29)),
            ("2000-05-26", ymd(2000, 5, 26)),
            ("31.12.1999", ymd(1999, 12, 31)),
        ];
        for (s, d) in ok {
            assert_eq!(parse_ru_date(s), Ok(d), "{s:?}");
        }
        let bad = [
            ("", "required"),
            ("26.5.2000", "date_invalid"),
            ("26.05.00", "date_invalid"),
            ("32.01.2000", "date_invalid"),
            ("29.02.2023", "date_invalid"),
            ("00.01.2000", "date_invalid"),
            ("01.13.2000", "date_invalid"),
            ("26/05/2000", "date_invalid"),
            ("26.05.2000.1", "date_invalid"),
            ("+1.05.2000", "date_invalid"),
            ("2000-5-26", "date_invalid"),
            ("дата", "date_invalid"),
        ];
        for (s, code) in bad {
            assert_eq!(parse_ru_date(s).unwrap_err().code, code, "{s:?}");
        }
        assert_eq!(format_ru_date(ymd(2000, 5, 6)), "06.05.2000");
        assert_eq!(format_ru_date(ymd(987, 1, 2)), "02.01.0987");
    }

    #[test]
    fn birth_dates() {
        let today = ymd(2025, 6, 1);
        assert!(BirthDate::parse("26.05.2000", today).is_ok());
        assert!(BirthDate::parse("01.06.2025", today).is_ok());
        assert!(BirthDate::parse("01.01.1900", today).is_ok());
        let rows = [
            ("02.06.2025", "birth_date_in_future"),
            ("01.01.2100", "birth_date_in_future"),
            ("31.12.1899", "birth_date_too_old"),
            ("x", "date_invalid"),
        ];
        for (s, code) in rows {
            assert_eq!(BirthDate::parse(s, today).unwrap_err().code, code, "{s:?}");
        }
        let b = BirthDate::parse("26.05.2000", today).unwrap();
        assert_eq!(b.age_on(today), 25);
        assert_eq!(b.to_string(), "26.05.2000");
        assert!(!format!("{b:?}").contains("2000"));
    }
}
