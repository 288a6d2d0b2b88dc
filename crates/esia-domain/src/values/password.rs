//! Password rules of the registration and recovery forms (account-lifecycle §3, ui-guide) and the
//! «Сгенерировать надёжный пароль» generator. Owns the rules only; hashing lives in esia-crypto.
//! Existing passwords (the test stand's `11111111`) are never re-checked against these rules.

use rand::seq::SliceRandom;
use rand::Rng;

/// Minimum length in characters.
pub const PASSWORD_MIN_CHARS: usize = 8;
/// Maximum length in characters (keeps hashing cost bounded).
pub const PASSWORD_MAX_CHARS: usize = 128;

/// One password rule that a candidate failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PasswordRule {
    /// At least 8 characters.
    MinLength,
    /// At least one lower-case Latin letter.
    LowerLatin,
    /// At least one upper-case Latin letter.
    UpperLatin,
    /// At least one digit.
    Digit,
    /// At most 128 characters.
    MaxLength,
    /// Only printable ASCII: Latin letters, digits and punctuation; no spaces, control
    /// characters or Cyrillic (a password typed in the wrong keyboard layout is a classic trap).
    AllowedCharacters,
}

impl PasswordRule {
    /// All rules in display order.
    pub const ALL: [PasswordRule; 6] = [
        PasswordRule::MinLength,
        PasswordRule::LowerLatin,
        PasswordRule::UpperLatin,
        PasswordRule::Digit,
        PasswordRule::MaxLength,
        PasswordRule::AllowedCharacters,
    ];

    /// The rule as listed on the page.
    pub fn message_ru(self) -> &'static str {
        match self {
            PasswordRule::MinLength => "не менее 8 символов",
            PasswordRule::LowerLatin => "строчные латинские буквы",
            PasswordRule::UpperLatin => "заглавные латинские буквы",
            PasswordRule::Digit => "цифры",
            PasswordRule::MaxLength => "не более 128 символов",
            PasswordRule::AllowedCharacters => {
                "только латинские буквы, цифры и знаки препинания, без пробелов"
            }
        }
    }

    /// Stable snake_case id (`password_min_length`, …).
    pub fn code(self) -> &'static str {
        match self {
            PasswordRule::MinLength => "password_min_length",
            PasswordRule::LowerLatin => "password_lower_latin",
            PasswordRule::UpperLatin => "password_upper_latin",
            PasswordRule::Digit => "password_digit",
            PasswordRule::MaxLength => "password_max_length",
            PasswordRule::AllowedCharacters => "password_allowed_characters",
        }
    }
}

/// Checks a new password; returns every failed rule, in [`PasswordRule::ALL`] order.
pub fn check_password(pw: &str) -> Result<(), Vec<PasswordRule>> {
    let len = pw.chars().count();
    let mut failed = Vec::new();
    if len < PASSWORD_MIN_CHARS {
        failed.push(PasswordRule::MinLength);
    }
    if !pw.chars().any(|c| c.is_ascii_lowercase()) {
        failed.push(PasswordRule::LowerLatin);
    }
    if !pw.chars().any(|c| c.is_ascii_uppercase()) {
        failed.push(PasswordRule::UpperLatin);
    }
    if !pw.chars().any(|c| c.is_ascii_digit()) {
        failed.push(PasswordRule::Digit);
    }
    if len > PASSWORD_MAX_CHARS {
        failed.push(PasswordRule::MaxLength);
    }
    if !pw.chars().all(|c| c.is_ascii_graphic()) {
        failed.push(PasswordRule::AllowedCharacters);
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(failed)
    }
}

const LOWER: &[u8] = b"abcdefghijkmnopqrstuvwxyz";
const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
const DIGITS: &[u8] = b"23456789";
const SYMBOLS: &[u8] = b"!#$%&*+-=?@_";

/// Generates a 16-character password that always passes [`check_password`]: at least one lower,
/// one upper, one digit and one symbol, the rest from all four sets; look-alike characters
/// (`0 O 1 l I`) are left out so a user can retype it.
pub fn generate_password(rng: &mut impl Rng) -> String {
    let sets = [LOWER, UPPER, DIGITS, SYMBOLS];
    let all: Vec<u8> = sets.concat();
    let mut chars: Vec<u8> = sets.iter().map(|s| s[rng.gen_range(0..s.len())]).collect();
    while chars.len() < 16 {
        chars.push(all[rng.gen_range(0..all.len())]);
    }
    chars.shuffle(rng);
    chars.into_iter().map(char::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use PasswordRule::*;

    #[test]
    fn table() {
        let rows: &[(&str, &[PasswordRule])] = &[
            ("Abcdefg1", &[]),
            ("Password123", &[]),
            ("P@ssw0rd!", &[]),
            ("aB3aB3aB3aB3", &[]),
            ("", &[MinLength, LowerLatin, UpperLatin, Digit]),
            ("Abc1", &[MinLength]),
            ("abcdefg1", &[UpperLatin]),
            ("ABCDEFG1", &[LowerLatin]),
            ("Abcdefgh", &[Digit]),
            ("11111111", &[LowerLatin, UpperLatin]),
            ("Abcd efg1", &[AllowedCharacters]),
            ("Abcdefg1\n", &[AllowedCharacters]),
            ("Abcdefg1\u{7}", &[AllowedCharacters]),
            ("Пароль12Ab", &[AllowedCharacters]),
            ("пароль1234", &[LowerLatin, UpperLatin, AllowedCharacters]),
        ];
        for (pw, want) in rows {
            let got = check_password(pw).err().unwrap_or_default();
            assert_eq!(got, *want, "{pw:?}");
        }
        let long = format!("Aa1{}", "x".repeat(126));
        assert_eq!(check_password(&long), Err(vec![MaxLength]));
        let edge = format!("Aa1{}", "x".repeat(125));
        assert_eq!(check_password(&edge), Ok(()));
    }

    #[test]
    fn messages() {
        assert_eq!(MinLength.message_ru(), "не менее 8 символов");
        assert_eq!(LowerLatin.message_ru(), "строчные латинские буквы");
        assert_eq!(UpperLatin.message_ru(), "заглавные латинские буквы");
        assert_eq!(Digit.message_ru(), "цифры");
        for r in PasswordRule::ALL {
            assert!(!r.message_ru().is_empty());
            assert!(r.code().starts_with("password_"));
        }
    }

    #[test]
    fn generated_passwords_pass() {
        for seed in 0..500u64 {
            let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
            let pw = generate_password(&mut rng);
            assert_eq!(pw.chars().count(), 16);
            assert_eq!(check_password(&pw), Ok(()), "{pw}");
        }
    }
}
