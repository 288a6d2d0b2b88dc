//! Property tests: everything generated passes the validators, and corrupting a check digit is
//! caught.

use super::*;
use crate::values::{format_ru_date, BirthDate, LoginId};
use proptest::prelude::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 6, 1).unwrap_or_default()
}

/// Replaces the digit at `pos` (byte index of an ASCII digit) with a different one.
fn mutate(s: &str, pos: usize, by: u8) -> String {
    let mut b = s.as_bytes().to_vec();
    let d = b[pos] - b'0';
    b[pos] = b'0' + (d + 1 + by % 9) % 10;
    String::from_utf8(b).unwrap_or_default()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn identifiers_validate(seed in any::<u64>(), by in any::<u8>()) {
        let mut g = TestDataGenerator::new(seed);
        let snils = g.snils();
        prop_assert_eq!(Snils::parse(&snils.formatted()), Ok(snils.clone()));
        prop_assert!(snils.digits()[..9].parse::<u32>().unwrap_or(0) > 1_001_998);
        for pos in [9, 10] {
            prop_assert!(Snils::parse(&mutate(snils.digits(), pos, by)).is_err());
        }
        let inn = g.inn_person();
        prop_assert_eq!(Inn::parse_person(inn.as_str()), Ok(inn.clone()));
        prop_assert!(Inn::parse(&mutate(inn.as_str(), 11, by)).is_err());
        prop_assert!(Inn::parse(&mutate(inn.as_str(), 10, by)).is_err());
        let inn = g.inn_org();
        prop_assert_eq!(Inn::parse_org(inn.as_str()), Ok(inn.clone()));
        prop_assert!(Inn::parse(&mutate(inn.as_str(), 9, by)).is_err());
        let ogrn = g.ogrn();
        prop_assert_eq!(Ogrn::parse(ogrn.as_str()), Ok(ogrn.clone()));
        prop_assert!(Ogrn::parse(&mutate(ogrn.as_str(), 12, by)).is_err());
        let ogrnip = g.ogrnip();
        prop_assert_eq!(Ogrnip::parse(ogrnip.as_str()), Ok(ogrnip.clone()));
        prop_assert!(Ogrnip::parse(&mutate(ogrnip.as_str(), 14, by)).is_err());
    }

    #[test]
    fn persons_validate(seed in any::<u64>()) {
        let mut g = TestDataGenerator::new(seed);
        let gender = g.gender();
        let (s, n, p) = g.person_name(gender);
        for part in [&s, &n, &p] {
            prop_assert_eq!(PersonName::parse(part.as_str()), Ok(part.clone()));
        }
        let birth = g.birth_date(today());
        let b = BirthDate::parse(&format_ru_date(birth), today());
        prop_assert!(b.is_ok());
        let age = b.map(|b| b.age_on(today())).unwrap_or(0);
        prop_assert!((18..=80).contains(&age), "age {}", age);
        let passport = g.passport(birth, today());
        prop_assert!(passport.is_some());
        if let Some(pp) = passport {
            let parsed = PassportRf::parse(
                &pp.series, &pp.number, &pp.issue_date_ru(), &pp.issued_by,
                &pp.dept_code_formatted(), Some(birth), today(),
            );
            prop_assert_eq!(parsed, Ok(pp));
        }
        prop_assert!(!g.birth_place().is_empty());
        let phone = g.mobile_phone();
        prop_assert_eq!(Phone::parse(&phone.pretty()), Ok(phone.clone()));
        prop_assert!(phone.e164().starts_with("+7900000"));
        let email = g.email(s.as_str());
        prop_assert_eq!(Email::parse(email.as_str()), Ok(email.clone()));
        prop_assert!(matches!(LoginId::parse(email.as_str()), Ok(LoginId::Email(_))));
    }

    #[test]
    fn things_look_right(seed in any::<u64>()) {
        let mut g = TestDataGenerator::new(seed);
        let a = g.address();
        prop_assert_eq!(a.zip_code.len(), 6);
        prop_assert!(a.address_str.contains(&a.city));
        prop_assert_eq!(a.fias_code.len(), 36);
        prop_assert_eq!(a.fias_code.chars().nth(14), Some('4'));
        let v = g.vehicle();
        let chars: Vec<char> = v.number_plate.chars().collect();
        prop_assert_eq!(chars.len(), 8);
        for i in [0, 4, 5] {
            prop_assert!(PLATE_LETTERS.contains(&chars[i]), "{}", v.number_plate);
        }
        prop_assert!(chars[1..4].iter().all(char::is_ascii_digit));
        prop_assert_eq!(v.reg_cert_number.len(), 6);
        prop_assert!(g.org_name().contains('«'));
    }
}

#[test]
fn deterministic() {
    let run = |seed| {
        let mut g = TestDataGenerator::new(seed);
        (
            g.snils(),
            g.inn_person(),
            g.mobile_phone(),
            g.address(),
            g.org_name(),
        )
    };
    assert_eq!(run(42), run(42));
    assert_ne!(run(42).0, run(43).0);
}

#[test]
fn names_by_gender() {
    assert!(data::MALE_NAMES.len() >= 30);
    assert!(data::FEMALE_NAMES.len() >= 30);
    assert_eq!(female_surname("Иванов"), "Иванова");
    assert_eq!(female_surname("Ковалевский"), "Ковалевская");
    assert_eq!(female_surname("Ильин"), "Ильина");
    assert_eq!(female_surname("Черных"), "Черных");
    assert_eq!(female_surname("Салтыков-Щедрин"), "Салтыкова-Щедрина");
    for name in data::MALE_NAMES
        .iter()
        .chain(data::FEMALE_NAMES)
        .chain(data::SURNAMES)
    {
        assert!(PersonName::parse(name).is_ok(), "{name}");
    }
    let mut g = TestDataGenerator::new(7);
    for _ in 0..50 {
        let (_, _, p) = g.person_name(Gender::Female);
        assert!(p.as_str().ends_with("на"), "{}", p.as_str());
        let (_, _, p) = g.person_name(Gender::Male);
        assert!(p.as_str().ends_with("ич"), "{}", p.as_str());
    }
}

#[test]
fn passport_edge_cases() {
    let mut g = TestDataGenerator::new(1);
    let child = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap_or_default();
    assert!(g.passport(child, today()).is_none());
    let old = NaiveDate::from_ymd_opt(1940, 2, 29).unwrap_or_default();
    let p = g.passport(old, today());
    assert!(p.is_some_and(|p| p.issue_date >= crate::values::first_issue_date()));
}
