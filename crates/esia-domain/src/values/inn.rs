//! Tax and registration numbers: `Inn` (ИНН, 10 digits for organisations, 12 for persons), `Ogrn`
//! (ОГРН, 13 digits) and `Ogrnip` (ОГРНИП, 15 digits), each with its check-digit rule
//! (esia-protocol §13). Owns syntax and checksums only; it does not ask ФНС anything.

use std::fmt;

use super::{digits_only, ValidationError};

const W10: [u32; 9] = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const W11: [u32; 10] = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const W12: [u32; 11] = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

fn weighted(digits: &[u32], weights: &[u32]) -> u32 {
    let s: u32 = digits.iter().zip(weights).map(|(d, w)| d * w).sum();
    (s % 11) % 10
}

fn to_digits(s: &str) -> Vec<u32> {
    s.chars().filter_map(|c| c.to_digit(10)).collect()
}

/// The check digit(s) an INN body needs: for 9 digits one digit, for 10 digits two digits.
/// Returns `None` for other lengths. Used by the generator.
pub fn inn_check_digits(body: &str) -> Option<String> {
    let mut d = to_digits(body);
    match d.len() {
        9 => Some(weighted(&d, &W10).to_string()),
        10 => {
            let c11 = weighted(&d, &W11);
            d.push(c11);
            let c12 = weighted(&d, &W12);
            Some(format!("{c11}{c12}"))
        }
        _ => None,
    }
}

/// True when `inn` is 10 or 12 ASCII digits with correct check digits.
pub fn inn_check_digits_valid(inn: &str) -> bool {
    if !inn.chars().all(|c| c.is_ascii_digit()) {
        return false;
    }
    match inn.len() {
        10 | 12 => inn_check_digits(&inn[..inn.len() - if inn.len() == 10 { 1 } else { 2 }])
            .is_some_and(|c| inn.ends_with(&c)),
        _ => false,
    }
}

/// Whether an INN belongs to an organisation (10 digits) or a person (12 digits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InnKind {
    /// 10 digits.
    Organisation,
    /// 12 digits.
    Person,
}

/// A validated INN.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Inn(pub(crate) String);

fn clean(input: &str) -> Result<String, ValidationError> {
    if input.trim().is_empty() {
        return Err(ValidationError::required());
    }
    digits_only(input, &[])
        .ok_or_else(|| ValidationError::new("inn_invalid", "ИНН может содержать только цифры"))
}

impl Inn {
    /// Parses a 10- or 12-digit INN (spaces ignored). Errors: `required`, `inn_invalid`,
    /// `inn_checksum`.
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let d = clean(input)?;
        if d.len() != 10 && d.len() != 12 {
            return Err(ValidationError::new(
                "inn_invalid",
                "ИНН должен содержать 10 или 12 цифр",
            ));
        }
        Self::checked(d)
    }

    /// Parses a person's INN (12 digits only).
    pub fn parse_person(input: &str) -> Result<Self, ValidationError> {
        let d = clean(input)?;
        if d.len() != 12 {
            return Err(ValidationError::new(
                "inn_invalid",
                "ИНН физического лица должен содержать 12 цифр",
            ));
        }
        Self::checked(d)
    }

    /// Parses an organisation's INN (10 digits only).
    pub fn parse_org(input: &str) -> Result<Self, ValidationError> {
        let d = clean(input)?;
        if d.len() != 10 {
            return Err(ValidationError::new(
                "inn_invalid",
                "ИНН организации должен содержать 10 цифр",
            ));
        }
        Self::checked(d)
    }

    fn checked(d: String) -> Result<Self, ValidationError> {
        if inn_check_digits_valid(&d) {
            Ok(Self(d))
        } else {
            Err(ValidationError::new(
                "inn_checksum",
                "Проверьте ИНН: контрольные цифры не совпадают",
            ))
        }
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Organisation or person.
    pub fn kind(&self) -> InnKind {
        if self.0.len() == 10 {
            InnKind::Organisation
        } else {
            InnKind::Person
        }
    }
}

impl fmt::Display for Inn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Inn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Inn(***)")
    }
}

/// `body mod m mod 10` computed digit by digit (bodies exceed `u32`; `u64` is enough but this
/// avoids any overflow question).
fn mod_digits(body: &str, m: u64) -> u64 {
    body.chars()
        .filter_map(|c| c.to_digit(10))
        .fold(0u64, |acc, d| (acc * 10 + u64::from(d)) % m)
        % 10
}

/// The ОГРН check digit for its first 12 digits: (number mod 11) mod 10.
pub fn ogrn_check_digit(first12: &str) -> u64 {
    mod_digits(first12, 11)
}

/// The ОГРНИП check digit for its first 14 digits: (number mod 13) mod 10.
pub fn ogrnip_check_digit(first14: &str) -> u64 {
    mod_digits(first14, 13)
}

fn parse_reg(
    input: &str,
    len: usize,
    modulus: u64,
    code: &'static str,
    title: &str,
) -> Result<String, ValidationError> {
    if input.trim().is_empty() {
        return Err(ValidationError::required());
    }
    let d = digits_only(input, &[])
        .filter(|d| d.len() == len)
        .ok_or_else(|| {
            ValidationError::new(code, format!("{title} должен содержать {len} цифр"))
        })?;
    let check = d[len - 1..].parse::<u64>().unwrap_or(u64::MAX);
    if mod_digits(&d[..len - 1], modulus) != check {
        return Err(ValidationError::new(
            "ogrn_checksum",
            format!("Проверьте {title}: контрольная цифра не совпадает"),
        ));
    }
    Ok(d)
}

/// A validated ОГРН (13 digits; check digit = (first 12 mod 11) mod 10). Organisation data, so
/// `Debug` shows the value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ogrn(pub(crate) String);

impl Ogrn {
    /// Errors: `required`, `ogrn_invalid`, `ogrn_checksum`.
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        parse_reg(input, 13, 11, "ogrn_invalid", "ОГРН").map(Self)
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Ogrn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A validated ОГРНИП (15 digits; check digit = (first 14 mod 13) mod 10). It identifies a
/// person (sole trader), so `Debug` redacts it.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Ogrnip(pub(crate) String);

impl Ogrnip {
    /// Errors: `required`, `ogrnip_invalid`, `ogrn_checksum`.
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        parse_reg(input, 15, 13, "ogrnip_invalid", "ОГРНИП").map(Self)
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Ogrnip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Ogrnip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Ogrnip(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inn_table() {
        let valid = [
            "1234567894",
            "123456789047",
            "376864406601",
            "7707083893",   // Сбербанк
            "7728168971",   // Альфа-Банк
            "500100732259", // python-stdnum
            " 7707083893 ",
            "7707 083893",
        ];
        for v in valid {
            assert!(Inn::parse(v).is_ok(), "{v}");
        }
        let invalid = [
            ("1234567895", "inn_checksum"),
            ("123456789037", "inn_checksum"),
            ("376864406602", "inn_checksum"),
            ("7707083894", "inn_checksum"),
            ("12345678", "inn_invalid"),
            ("12345678901", "inn_invalid"),
            ("1234567890123", "inn_invalid"),
            ("12345a7894", "inn_invalid"),
            ("1234-567894", "inn_invalid"),
            ("", "required"),
        ];
        for (v, code) in invalid {
            assert_eq!(Inn::parse(v).expect_err(v).code, code, "{v}");
        }
    }

    #[test]
    fn inn_kinds() {
        assert_eq!(
            Inn::parse("1234567894").unwrap().kind(),
            InnKind::Organisation
        );
        assert_eq!(Inn::parse("123456789047").unwrap().kind(), InnKind::Person);
        assert!(Inn::parse_person("123456789047").is_ok());
        assert_eq!(
            Inn::parse_person("1234567894").unwrap_err().code,
            "inn_invalid"
        );
        assert!(Inn::parse_org("1234567894").is_ok());
        assert_eq!(
            Inn::parse_org("123456789047").unwrap_err().code,
            "inn_invalid"
        );
        assert_eq!(Inn::parse("376864406601").unwrap().as_str(), "376864406601");
        assert_eq!(
            format!("{:?}", Inn::parse("376864406601").unwrap()),
            "Inn(***)"
        );
        assert!(!inn_check_digits_valid("１２３"));
    }

    #[test]
    fn ogrn_table() {
        let valid = [
            "1027700132195",
            "1027739609391",
            "1027700000008",
            "1037739010891",
        ];
        for v in valid {
            assert!(Ogrn::parse(v).is_ok(), "{v}");
        }
        let invalid = [
            ("1027700132196", "ogrn_checksum"),
            ("1027700000000", "ogrn_checksum"),
            ("102770013219", "ogrn_invalid"),
            ("10277001321950", "ogrn_invalid"),
            ("1O27700132195", "ogrn_invalid"),
            ("", "required"),
        ];
        for (v, code) in invalid {
            assert_eq!(Ogrn::parse(v).expect_err(v).code, code, "{v}");
        }
    }

    #[test]
    fn ogrnip_table() {
        let valid = ["304500116000157", "304770000123453"];
        for v in valid {
            assert!(Ogrnip::parse(v).is_ok(), "{v}");
        }
        let invalid = [
            ("304500116000158", "ogrn_checksum"),
            ("30450011600015", "ogrnip_invalid"),
            ("3045001160001570", "ogrnip_invalid"),
            ("", "required"),
        ];
        for (v, code) in invalid {
            assert_eq!(Ogrnip::parse(v).expect_err(v).code, code, "{v}");
        }
        assert_eq!(
            format!("{:?}", Ogrnip::parse("304500116000157").unwrap()),
            "Ogrnip(***)"
        );
    }
}
