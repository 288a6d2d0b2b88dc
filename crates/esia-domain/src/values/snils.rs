//! `Snils`: the insurance number (СНИЛС) with the control-number rule of esia-protocol §13,
//! including the exemption of numbers up to `001-001-998` that the real test stand relies on
//! (`000-000-600 15`). Owns parsing, checksum and the `XXX-XXX-XXX YY` rendering.

use std::fmt;

use super::{digits_only, ValidationError};

/// Numbers whose first nine digits are at most this value are exempt from the checksum.
pub const SNILS_CHECK_THRESHOLD: u32 = 1_001_998;

/// A validated SNILS, stored as 11 bare digits.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Snils(pub(crate) String);

/// The control number for the first nine digits (weights 9..1 from the left; a sum below 100 is
/// itself, 100 and 101 give 0, above 101 take it mod 101 and apply the same rule).
///
/// Non-digit characters count as 0; only the first nine characters are read.
pub fn snils_checksum(first9: &str) -> u32 {
    let sum: u32 = first9
        .chars()
        .take(9)
        .zip((1..=9u32).rev())
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    let reduce = |s: u32| if s < 100 { s } else { 0 };
    if sum <= 101 {
        reduce(sum)
    } else {
        reduce(sum % 101)
    }
}

impl Snils {
    /// Parses `XXX-XXX-XXX YY`, `XXXXXXXXXXX` or any mix of spaces and hyphens between 11 digits.
    ///
    /// Errors: `required`, `snils_invalid` (characters or length), `snils_checksum`.
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        if input.trim().is_empty() {
            return Err(ValidationError::required());
        }
        let invalid = || {
            ValidationError::new(
                "snils_invalid",
                "СНИЛС должен содержать 11 цифр в формате XXX-XXX-XXX YY",
            )
        };
        let digits = digits_only(input, &['-']).ok_or_else(invalid)?;
        if digits.len() != 11 {
            return Err(invalid());
        }
        let first9 = &digits[..9];
        let body: u32 = first9.parse().map_err(|_| invalid())?;
        if body > SNILS_CHECK_THRESHOLD {
            let control: u32 = digits[9..].parse().map_err(|_| invalid())?;
            if control != snils_checksum(first9) {
                return Err(ValidationError::new(
                    "snils_checksum",
                    "Проверьте СНИЛС: контрольное число не совпадает",
                ));
            }
        }
        Ok(Self(digits))
    }

    /// The 11 bare digits.
    pub fn digits(&self) -> &str {
        &self.0
    }

    /// ESIA form: `XXX-XXX-XXX YY`.
    pub fn formatted(&self) -> String {
        let d = &self.0;
        format!(
            "{}-{}-{} {}",
            d.get(0..3).unwrap_or(""),
            d.get(3..6).unwrap_or(""),
            d.get(6..9).unwrap_or(""),
            d.get(9..11).unwrap_or("")
        )
    }
}

impl fmt::Display for Snils {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.formatted())
    }
}

impl fmt::Debug for Snils {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Snils(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_rule() {
        assert_eq!(snils_checksum("112233445"), 95);
        assert_eq!(snils_checksum("000000600"), 18);
        // Sum 100 and 101 → 0.
        assert_eq!(snils_checksum("000001111"), 10);
        assert_eq!(snils_checksum("000000000"), 0);
        // 9*9*... all nines: 9*(45) = 405; 405 mod 101 = 1.
        assert_eq!(snils_checksum("999999999"), 1);
        // Hunt sums of exactly 100, 101 and 202 (mod 101 = 0) to pin the special cases.
        for n in 1_000_000u32..1_200_000 {
            let s = format!("{n:09}");
            let sum: u32 = s
                .chars()
                .zip((1..=9u32).rev())
                .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
                .sum();
            let c = snils_checksum(&s);
            match sum {
                0..=99 => assert_eq!(c, sum),
                100 | 101 => assert_eq!(c, 0),
                _ => assert_eq!(c, if sum % 101 == 100 { 0 } else { sum % 101 }),
            }
        }
    }

    #[test]
    fn valid_snils() {
        let rows = [
            ("112-233-445 95", "11223344595"),
            ("11223344595", "11223344595"),
            ("112 233 445 95", "11223344595"),
            ("112-233-445-95", "11223344595"),
            (" 112233445 95 ", "11223344595"),
            // Test-stand numbers below the threshold: exempt.
            ("000-000-600 15", "00000060015"),
            ("000-000-600 01", "00000060001"),
            ("000-000-600 04", "00000060004"),
            ("001-001-998 00", "00100199800"),
            ("001-001-998 77", "00100199877"),
            ("000-000-000 00", "00000000000"),
        ];
        for (input, digits) in rows {
            let s = Snils::parse(input).unwrap_or_else(|e| panic!("{input:?}: {e:?}"));
            assert_eq!(s.digits(), digits);
        }
        assert_eq!(
            Snils::parse("11223344595").unwrap().formatted(),
            "112-233-445 95"
        );
        assert_eq!(
            Snils::parse("00000060015").unwrap().to_string(),
            "000-000-600 15"
        );
    }

    #[test]
    fn invalid_snils() {
        let rows = [
            ("", "required"),
            (" ", "required"),
            ("112-233-445 96", "snils_checksum"),
            ("112-233-445 00", "snils_checksum"),
            ("001-001-999 00", "snils_checksum"),
            ("212-233-445 95", "snils_checksum"),
            ("112-233-445 9", "snils_invalid"),
            ("112-233-445 955", "snils_invalid"),
            ("112_233_445 95", "snils_invalid"),
            ("112-233-445 9a", "snils_invalid"),
            ("１１２２３３４４５９５", "snils_invalid"),
            ("snils", "snils_invalid"),
        ];
        for (input, code) in rows {
            assert_eq!(
                Snils::parse(input).expect_err(input).code,
                code,
                "{input:?}"
            );
        }
    }

    #[test]
    fn debug_redacts() {
        let s = Snils::parse("112-233-445 95").unwrap();
        assert_eq!(format!("{s:?}"), "Snils(***)");
    }
}
