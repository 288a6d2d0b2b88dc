//! `PassportRf`: the Russian internal passport (`RF_PASSPORT`) as the profile form collects it and
//! ESIA emits it (esia-protocol §13): series of 4 digits, number of 6, department code kept as 6
//! bare digits (`issueId`), issue date, issuing authority. Owns field syntax and date sanity; the
//! МВД check itself is the worker's business.

use std::fmt;

use chrono::{Datelike, NaiveDate};

use super::{digits_only, format_ru_date, parse_ru_date, ValidationError};

/// Maximum length of «Кем выдан».
pub const ISSUED_BY_MAX_CHARS: usize = 200;

/// Passports of the current model are issued from 01.10.1997 (decree No. 828).
pub fn first_issue_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(1997, 10, 1).unwrap_or(NaiveDate::MIN)
}

/// A department code (код подразделения): 6 digits, written `NNN-NNN`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct DeptCode(String);

impl DeptCode {
    /// Accepts exactly `NNN-NNN`, `NNN NNN` or 6 bare digits (trimmed). Errors: `required`, `dept_code_invalid`.
    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        if s.trim().is_empty() {
            return Err(ValidationError::required());
        }
        let t = s.trim();
        let b = t.as_bytes();
        let shape_ok = match b.len() {
            6 => b.iter().all(u8::is_ascii_digit),
            7 => b.iter().enumerate().all(|(i, c)| {
                if i == 3 {
                    *c == b'-' || *c == b' '
                } else {
                    c.is_ascii_digit()
                }
            }),
            _ => false,
        };
        let d = digits_only(t, &['-'])
            .filter(|d| shape_ok && d.len() == 6)
            .ok_or_else(|| {
                ValidationError::new(
                    "dept_code_invalid",
                    "Введите код подразделения в формате XXX-XXX",
                )
            })?;
        Ok(Self(d))
    }

    /// Six bare digits (ESIA `issueId`).
    pub fn digits(&self) -> &str {
        &self.0
    }

    /// `NNN-NNN`.
    pub fn formatted(&self) -> String {
        format!(
            "{}-{}",
            self.0.get(0..3).unwrap_or(""),
            self.0.get(3..6).unwrap_or("")
        )
    }
}

impl fmt::Display for DeptCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.formatted())
    }
}

impl fmt::Debug for DeptCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DeptCode({})", self.formatted())
    }
}

/// A validated Russian internal passport. Fields are public for mapping to rows and JSON; build
/// it through [`PassportRf::parse`] so the invariants hold.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PassportRf {
    /// 4 digits, no space (`"4502"`).
    pub series: String,
    /// 6 digits.
    pub number: String,
    /// Date of issue.
    pub issue_date: NaiveDate,
    /// «Кем выдан», trimmed, inner whitespace collapsed.
    pub issued_by: String,
    /// Department code, 6 digits without the hyphen (ESIA `issueId`).
    pub issue_id: String,
}

/// Field-level errors: `(field, error)` with field one of `series`, `number`, `issue_date`,
/// `issued_by`, `dept_code`.
pub type PassportErrors = Vec<(&'static str, ValidationError)>;

fn fixed_digits(
    s: &str,
    n: usize,
    code: &'static str,
    msg: &str,
) -> Result<String, ValidationError> {
    if s.trim().is_empty() {
        return Err(ValidationError::required());
    }
    digits_only(s, &[])
        .filter(|d| d.len() == n)
        .ok_or_else(|| ValidationError::new(code, msg))
}

impl PassportRf {
    /// Validates every field and reports all problems at once.
    ///
    /// Rules: series 4 digits (spaces allowed: `45 02`), number 6 digits, department code
    /// `NNN-NNN` or 6 digits, issue date `ДД.ММ.ГГГГ` not in the future, not before 01.10.1997
    /// and, when the birth date is known, on or after the 14th birthday; «Кем выдан» non-empty,
    /// at most 200 characters.
    #[allow(clippy::too_many_arguments)]
    pub fn parse(
        series: &str,
        number: &str,
        issue_date: &str,
        issued_by: &str,
        dept_code: &str,
        birth_date: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Result<Self, PassportErrors> {
        let mut errors: PassportErrors = Vec::new();
        let series = fixed_digits(
            series,
            4,
            "passport_series_invalid",
            "Серия паспорта — 4 цифры",
        )
        .map_err(|e| errors.push(("series", e)))
        .ok();
        let number = fixed_digits(
            number,
            6,
            "passport_number_invalid",
            "Номер паспорта — 6 цифр",
        )
        .map_err(|e| errors.push(("number", e)))
        .ok();
        let date = parse_ru_date(issue_date)
            .and_then(|d| check_issue_date(d, birth_date, today))
            .map_err(|e| errors.push(("issue_date", e)))
            .ok();
        let issued_by_clean = issued_by.split_whitespace().collect::<Vec<_>>().join(" ");
        if issued_by_clean.is_empty() {
            errors.push(("issued_by", ValidationError::required()));
        } else if issued_by_clean.chars().count() > ISSUED_BY_MAX_CHARS
            || issued_by_clean.chars().any(char::is_control)
        {
            errors.push((
                "issued_by",
                ValidationError::new(
                    "passport_issued_by_invalid",
                    format!("Не более {ISSUED_BY_MAX_CHARS} символов, без служебных символов"),
                ),
            ));
        }
        let dept = DeptCode::parse(dept_code)
            .map_err(|e| errors.push(("dept_code", e)))
            .ok();
        match (series, number, date, dept) {
            (Some(series), Some(number), Some(issue_date), Some(dept)) if errors.is_empty() => {
                Ok(Self {
                    series,
                    number,
                    issue_date,
                    issued_by: issued_by_clean,
                    issue_id: dept.0,
                })
            }
            _ => Err(errors),
        }
    }

    /// `45 02 573482`.
    pub fn series_number_pretty(&self) -> String {
        format!(
            "{} {} {}",
            self.series.get(0..2).unwrap_or(""),
            self.series.get(2..4).unwrap_or(""),
            self.number
        )
    }

    /// Department code as `NNN-NNN`.
    pub fn dept_code_formatted(&self) -> String {
        DeptCode(self.issue_id.clone()).formatted()
    }

    /// Issue date as `ДД.ММ.ГГГГ`.
    pub fn issue_date_ru(&self) -> String {
        format_ru_date(self.issue_date)
    }
}

fn check_issue_date(
    d: NaiveDate,
    birth: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<NaiveDate, ValidationError> {
    if d > today {
        return Err(ValidationError::new(
            "passport_issue_date_in_future",
            "Дата выдачи не может быть в будущем",
        ));
    }
    if d < first_issue_date() {
        return Err(ValidationError::new(
            "passport_issue_date_too_old",
            "Паспорта этого образца выдаются с 01.10.1997",
        ));
    }
    if let Some(b) = birth {
        let fourteen = b
            .with_year(b.year() + 14)
            .or_else(|| NaiveDate::from_ymd_opt(b.year() + 14, 3, 1));
        if fourteen.is_some_and(|f| d < f) {
            return Err(ValidationError::new(
                "passport_issued_before_14",
                "Паспорт выдаётся не ранее 14 лет",
            ));
        }
    }
    Ok(d)
}

impl fmt::Debug for PassportRf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PassportRf(** ** ******)")
    }
}

#[cfg(test)]
#[path = "passport_tests.rs"]
mod tests;
