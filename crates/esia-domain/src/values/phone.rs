//! `Phone`: a Russian phone number normalised to `+7XXXXXXXXXX`, with the renderings ESIA and the
//! pages need (E.164, ESIA wire `+7(XXX)XXXXXXX`, pretty and masked). Mobile numbers (`MBT`) must
//! start with 9 after the country code; `parse_any` also accepts home numbers (`PHN`).

use std::fmt;

use super::{digits_only, ValidationError};

/// A validated Russian phone number, stored as `+7` followed by the 10-digit national number.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Phone(pub(crate) String);

fn invalid() -> ValidationError {
    ValidationError::new(
        "phone_invalid",
        "Введите номер в формате +7 (XXX) XXX-XX-XX",
    )
}

impl Phone {
    /// Parses a mobile number: `8…`, `+7…`, `7…` (11 digits) or 10 bare digits starting with 9;
    /// spaces, brackets and hyphens are ignored.
    ///
    /// Errors: `required`, `phone_invalid` (wrong characters or length), `phone_not_mobile`.
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let phone = Self::parse_any(input)?;
        if !phone.national().starts_with('9') {
            return Err(ValidationError::new(
                "phone_not_mobile",
                "Укажите номер мобильного телефона: он начинается с +7 9",
            ));
        }
        Ok(phone)
    }

    /// Parses any Russian number (home phones, `PHN`; also the test-stand `+7(000)0000006`):
    /// the same syntax as [`Phone::parse`] without the mobile-prefix rule. Ten bare digits are
    /// taken as the national number.
    pub fn parse_any(input: &str) -> Result<Self, ValidationError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(ValidationError::required());
        }
        let (plus, rest) = match trimmed.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        let digits = digits_only(rest, &['(', ')', '-']).ok_or_else(invalid)?;
        let national = match (plus, digits.len(), digits.as_bytes().first()) {
            (true, 11, Some(b'7')) => &digits[1..],
            (false, 11, Some(b'7' | b'8')) => &digits[1..],
            (false, 10, _) => &digits[..],
            _ => return Err(invalid()),
        };
        Ok(Self(format!("+7{national}")))
    }

    fn national(&self) -> &str {
        self.0.get(2..).unwrap_or("")
    }

    fn parts(&self) -> (&str, &str, &str, &str) {
        let n = self.national();
        (
            n.get(0..3).unwrap_or(""),
            n.get(3..6).unwrap_or(""),
            n.get(6..8).unwrap_or(""),
            n.get(8..10).unwrap_or(""),
        )
    }

    /// E.164 form: `+79261234567`.
    pub fn e164(&self) -> &str {
        &self.0
    }

    /// ESIA wire form: `+7(926)1234567`.
    pub fn esia(&self) -> String {
        let n = self.national();
        format!(
            "+7({}){}",
            n.get(0..3).unwrap_or(""),
            n.get(3..).unwrap_or("")
        )
    }

    /// Page form: `+7 (926) 123-45-67`.
    pub fn pretty(&self) -> String {
        let (a, b, c, d) = self.parts();
        format!("+7 ({a}) {b}-{c}-{d}")
    }

    /// Masked page form: `+7 (926) ***-**-67`.
    pub fn masked(&self) -> String {
        let (a, _, _, d) = self.parts();
        format!("+7 ({a}) ***-**-{d}")
    }

    /// True when the national number starts with 9.
    pub fn is_mobile(&self) -> bool {
        self.national().starts_with('9')
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phone(+7********{})", self.parts().3)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_mobile() {
        let rows = [
            "+79261234567",
            "+7 926 123-45-67",
            "+7 (926) 123-45-67",
            "+7(926)1234567",
            "89261234567",
            "8 (926) 123-45-67",
            "8-926-123-45-67",
            "79261234567",
            "9261234567",
            "926 123 45 67",
            "  +7 926 1234567  ",
        ];
        for input in rows {
            let p = Phone::parse(input).unwrap_or_else(|e| panic!("{input:?}: {e:?}"));
            assert_eq!(p.e164(), "+79261234567", "{input:?}");
            assert_eq!(p.esia(), "+7(926)1234567");
            assert_eq!(p.pretty(), "+7 (926) 123-45-67");
            assert_eq!(p.masked(), "+7 (926) ***-**-67");
            assert!(p.is_mobile());
        }
    }

    #[test]
    fn invalid_mobile() {
        let rows = [
            ("", "required"),
            ("  ", "required"),
            ("+7926123456", "phone_invalid"),
            ("+792612345678", "phone_invalid"),
            ("+89261234567", "phone_invalid"),
            ("+1 926 123 45 67", "phone_invalid"),
            ("69261234567", "phone_invalid"),
            ("926123456", "phone_invalid"),
            ("9261234567a", "phone_invalid"),
            ("+7 926 123.45.67", "phone_invalid"),
            ("++79261234567", "phone_invalid"),
            ("7+9261234567", "phone_invalid"),
            ("+", "phone_invalid"),
            ("+7(495)1234567", "phone_not_mobile"),
            ("84951234567", "phone_not_mobile"),
            ("4951234567", "phone_not_mobile"),
            ("+7(000)0000006", "phone_not_mobile"),
        ];
        for (input, code) in rows {
            let e = Phone::parse(input).expect_err(input);
            assert_eq!(e.code, code, "{input:?}");
        }
        assert_eq!(
            Phone::parse("123").unwrap_err().message,
            "Введите номер в формате +7 (XXX) XXX-XX-XX"
        );
    }

    #[test]
    fn parse_any_accepts_home_numbers() {
        let p = Phone::parse_any("+7(495)1234567").unwrap();
        assert_eq!(p.esia(), "+7(495)1234567");
        assert!(!p.is_mobile());
        assert_eq!(
            Phone::parse_any("+7(000)0000006").unwrap().e164(),
            "+70000000006"
        );
        assert_eq!(Phone::parse_any("12").unwrap_err().code, "phone_invalid");
    }

    #[test]
    fn debug_redacts() {
        let p = Phone::parse("+79261234567").unwrap();
        let d = format!("{p:?}");
        assert!(!d.contains("9261234567"), "{d}");
        assert_eq!(d, "Phone(+7********67)");
    }
}
