//! Unit tests of the persona spec's serde form and its redacting Debug.

use super::*;

#[test]
fn empty_object_is_a_valid_spec_and_serialises_back_to_empty() {
    let s: PersonaSpec = serde_json::from_str("{}").unwrap();
    assert_eq!(s, PersonaSpec::default());
    assert_eq!(serde_json::to_string(&s).unwrap(), "{}");
}

#[test]
fn unknown_fields_are_refused_at_every_level() {
    assert!(serde_json::from_str::<PersonaSpec>(r#"{"nope":1}"#).is_err());
    assert!(serde_json::from_str::<PersonaSpec>(r#"{"passport":{"nope":1}}"#).is_err());
    assert!(serde_json::from_str::<PersonaSpec>(r#"{"kids":[{"nope":1}]}"#).is_err());
    assert!(serde_json::from_str::<PersonaSpec>(r#"{"level":"gold"}"#).is_err());
}

#[test]
fn full_spec_round_trips() {
    let json = r#"{"oid":1000000123,"level":"confirmed","blocked":true,
        "phone":"+79001234567","email":"a@example.com","surname":"Иванов","gender":"M",
        "snils":"112-233-445 95","passport":{"series":"4510","number":"123456"},
        "documents":[{"type":"RF_DRIVING_LICENSE","number":"1234"}],
        "addresses":[{"type":"PLV","city":"Москва"}],
        "kids":[{"name":"Маша","documents":[{"type":"RF_BRTH_CERT"}]}],
        "vehicles":[{}],"organizations":[{"ogrn":"1027700132195","chief":true}]}"#;
    let s: PersonaSpec = serde_json::from_str(json).unwrap();
    let back: PersonaSpec = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
    assert_eq!(s, back);
    assert_eq!(s.documents[0].doc_type, PersonaDocType::RfDrivingLicense);
    assert_eq!(
        s.addresses[0].addr_type,
        Some(PersonaAddressType::Residence)
    );
}

#[test]
fn debug_shows_no_personal_data() {
    let s = PersonaSpec {
        surname: Some("Секретов".into()),
        snils: Some("11223344595".into()),
        password: Some("Pa$$w0rd".into()),
        passport: Some(PassportSpec {
            number: Some("654321".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let d = format!("{s:?}");
    assert!(!d.contains("Секретов") && !d.contains("11223344595"));
    assert!(!d.contains("Pa$$w0rd") && !d.contains("654321"));
    assert!(d.contains("surname"));
}

#[test]
fn doc_type_strings_match_serde_names() {
    for t in PersonaDocType::ALL {
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, format!("\"{}\"", t.as_str()));
        assert_eq!(PersonaDocType::parse(t.as_str()), Some(t));
    }
}
