//! The demo persona catalogue: generated identifiers pass the domain validators (property test
//! over generator seeds), and every seeded persona reads back through `/rs` with valid SNILS,
//! INN, phones and passports, logs in (except the deleted one) and shows its level.

use esia_domain::generate::TestDataGenerator;
use esia_domain::{DeptCode, Email, Inn, Ogrn, PersonName, Phone, Snils};
use esia_testkit::persons::{oid, rs, token, ALL_SCOPES};
use proptest::prelude::*;

proptest! {
    #[test]
    fn generated_persona_data_passes_the_validators(seed in any::<u64>()) {
        let mut g = TestDataGenerator::new(seed);
        let today = chrono::NaiveDate::from_ymd_opt(2025, 12, 1).unwrap();
        let gender = g.gender();
        let (s, n, p) = g.person_name(gender);
        for part in [s.as_str(), n.as_str(), p.as_str()] {
            prop_assert!(PersonName::parse(part).is_ok(), "{}", part);
        }
        let snils = g.snils();
        prop_assert!(Snils::parse(&snils.formatted()).is_ok());
        prop_assert!(Inn::parse_person(g.inn_person().as_str()).is_ok());
        prop_assert!(Inn::parse_org(g.inn_org().as_str()).is_ok());
        prop_assert!(Ogrn::parse(g.ogrn().as_str()).is_ok());
        prop_assert!(Phone::parse(g.mobile_phone().e164()).is_ok());
        prop_assert!(Email::parse(g.email(s.as_str()).as_str()).is_ok());
        let birth = g.birth_date(today);
        if let Some(pass) = g.passport(birth, today) {
            prop_assert!(DeptCode::parse(&pass.issue_id).is_ok());
            prop_assert_eq!(pass.series.len(), 4);
            prop_assert_eq!(pass.number.len(), 6);
            prop_assert!(pass.issue_date <= today && pass.issue_date > birth);
        }
    }
}

#[tokio::test]
async fn every_catalogue_persona_reads_back_valid_and_logs_in() {
    let app = esia_testkit::spawn_app().await;
    for n in 4..=16i64 {
        let o = oid(n);
        let t = token(&app, o, ALL_SCOPES);
        let (s, p) = rs(
            &app,
            &t,
            &format!("/rs/prns/{o}?embed=(contacts.elements,documents.elements)"),
        )
        .await;
        assert_eq!(s, 200, "{n}: {p}");
        if let Some(snils) = p["snils"].as_str() {
            assert!(Snils::parse(snils).is_ok(), "{n}: {snils}");
        }
        if let Some(inn) = p["inn"].as_str() {
            assert!(Inn::parse_person(inn).is_ok(), "{n}: {inn}");
        }
        for c in p["contacts"]["elements"].as_array().unwrap() {
            if c["type"] == "MBT" {
                assert!(Phone::parse(c["value"].as_str().unwrap()).is_ok());
            }
        }
        for d in p["documents"]["elements"].as_array().into_iter().flatten() {
            if d["type"] == "RF_PASSPORT" {
                assert!(DeptCode::parse(d["issueId"].as_str().unwrap()).is_ok());
                assert_eq!(d["id"], p["rIdDoc"]);
            }
        }
        let standard = matches!(n, 4 | 5 | 10 | 13);
        let confirmed = matches!(n, 6 | 7 | 8 | 9 | 14);
        assert_eq!(p["trusted"], confirmed, "{n}");
        if standard || confirmed {
            let passport = p["documents"]["elements"]
                .as_array()
                .unwrap()
                .iter()
                .find(|d| d["type"] == "RF_PASSPORT")
                .unwrap();
            assert_eq!(passport["vrfStu"], "VERIFIED", "{n}");
            assert!(p["snils"].is_string());
        }
        assert_eq!(p["status"], if n == 13 { "DELETED" } else { "REGISTERED" });
        assert_eq!(p["verifying"], n == 11);
        let client = app.new_client();
        let html = client
            .get(app.url("/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let csrf = esia_testkit::spawn::extract_csrf(&html).unwrap();
        let login = format!("EsiaTest{n:03}@yandex.ru");
        let resp = client
            .post(app.url("/login"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("login", login.as_str()),
                ("password", "11111111"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(
            resp.status() == 303,
            n != 13,
            "login {login}: {}",
            resp.status()
        );
    }
}
