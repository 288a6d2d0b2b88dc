//! Property tests: every parser is total (never panics) on arbitrary input, and whatever it
//! accepts re-parses to the same value from its canonical rendering.

use super::*;
use chrono::NaiveDate;
use proptest::prelude::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 6, 1).unwrap_or_default()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn parsers_never_panic_and_round_trip(s in any::<String>()) {
        if let Ok(v) = PersonName::parse(&s) {
            prop_assert_eq!(PersonName::parse(v.as_str()), Ok(v.clone()));
        }
        if let Ok(v) = Phone::parse(&s) {
            prop_assert_eq!(Phone::parse(&v.esia()), Ok(v.clone()));
            let _ = (v.pretty(), v.masked());
        }
        if let Ok(v) = Phone::parse_any(&s) {
            prop_assert_eq!(Phone::parse_any(v.e164()), Ok(v.clone()));
        }
        if let Ok(v) = Email::parse(&s) {
            prop_assert_eq!(Email::parse(v.as_str()), Ok(v.clone()));
            let _ = v.masked();
        }
        if let Ok(v) = Snils::parse(&s) {
            prop_assert_eq!(Snils::parse(&v.formatted()), Ok(v.clone()));
        }
        if let Ok(v) = Inn::parse(&s) {
            prop_assert_eq!(Inn::parse(v.as_str()), Ok(v.clone()));
        }
        let _ = (Ogrn::parse(&s), Ogrnip::parse(&s), Gender::parse(&s), DeptCode::parse(&s));
        let _ = (LoginId::parse(&s), parse_ru_date(&s), BirthDate::parse(&s, today()));
        let _ = check_password(&s);
        let _ = snils_checksum(&s);
        let _ = inn_check_digits(&s);
        let _ = (ogrn_check_digit(&s), ogrnip_check_digit(&s));
        let _ = PassportRf::parse(&s, &s, &s, &s, &s, Some(today()), today());
        let _ = crate::scopes::parse_scope_list(&s);
        let _ = s.parse::<crate::esia_error::EsiaErrorCode>();
    }

    #[test]
    fn digit_strings_never_panic(s in "[0-9 ()+-]{0,20}") {
        let _ = (Phone::parse(&s), Snils::parse(&s), Inn::parse(&s), LoginId::parse(&s));
        let _ = (Ogrn::parse(&s), Ogrnip::parse(&s), DeptCode::parse(&s));
    }

    #[test]
    fn valid_phones_from_parts(n in 0u64..1_000_000_000) {
        let national = format!("9{n:09}");
        let p = Phone::parse(&format!("8 ({}) {}-{}-{}", &national[..3], &national[3..6], &national[6..8], &national[8..]));
        prop_assert_eq!(p.map(|p| p.e164().to_owned()), Ok(format!("+7{national}")));
    }
}
