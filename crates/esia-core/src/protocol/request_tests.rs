//! Unit tests of `request.rs`: the target, each grant, the timestamp window and the signed
//! fields kept as sent.

use super::*;

const STATE: &str = "6a1f0a6e-6c8b-4a8e-9d2f-0a3c5b7e9d11";

fn params(pairs: &[(&str, &str)]) -> Params {
    Params(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
}

fn now() -> DateTime<Utc> {
    parse_timestamp("2026.12.03 12:00:00 +0000")
        .unwrap()
        .with_timezone(&Utc)
}

fn te(extra: &[(&str, &str)]) -> Params {
    let mut p = vec![
        ("client_id", "SYS"),
        ("client_secret", "c2ln"),
        ("state", STATE),
        ("timestamp", "2026.12.03 15:00:30 +0300"),
        ("client_certificate_hash", "AB"),
    ];
    p.extend_from_slice(extra);
    params(&p)
}

#[test]
fn a_target_needs_one_client_and_one_uri() {
    let ok = AcTarget::parse(&params(&[
        ("client_id", "SYS"),
        ("redirect_uri", "https://a.example/cb"),
        ("state", STATE),
    ]))
    .unwrap();
    assert_eq!(ok.client_id, "SYS");
    assert_eq!(ok.state.as_deref(), Some(STATE));
    let twice = params(&[
        ("client_id", "SYS"),
        ("redirect_uri", "https://a.example/cb"),
        ("redirect_uri", "https://b.example/cb"),
    ]);
    assert_eq!(AcTarget::parse(&twice).unwrap_err().0, E::E007003);
    assert_eq!(
        AcTarget::parse(&params(&[("client_id", "SYS")]))
            .unwrap_err()
            .0,
        E::E007014
    );
}

#[test]
fn each_grant_is_typed_with_what_it_needs() {
    let code = TeRequest::parse(
        Endpoint::TeV3,
        &te(&[
            ("grant_type", "authorization_code"),
            ("code", "C"),
            ("redirect_uri", "https://a.example/cb"),
        ]),
        now(),
        300,
    )
    .unwrap();
    assert_eq!(
        code.grant,
        Grant::AuthorizationCode {
            code: "C".into(),
            redirect_uri: Some("https://a.example/cb".into()),
            code_verifier: None
        }
    );
    let refresh = TeRequest::parse(
        Endpoint::TeV3,
        &te(&[("grant_type", "refresh_token")]),
        now(),
        300,
    );
    assert_eq!(refresh.unwrap_err().0, E::E007014);
    let credentials = TeRequest::parse(
        Endpoint::TeV1,
        &te(&[("grant_type", "client_credentials"), ("scope", "prm_chg")]),
        now(),
        300,
    )
    .unwrap();
    assert_eq!(
        credentials.grant,
        Grant::ClientCredentials {
            scope: "prm_chg".into()
        }
    );
    let unknown = TeRequest::parse(
        Endpoint::TeV1,
        &te(&[("grant_type", "password")]),
        now(),
        300,
    );
    assert_eq!(unknown.unwrap_err().0, E::E007009);
}

#[test]
fn a_timestamp_outside_the_window_is_refused() {
    let late = params(&[
        ("client_id", "SYS"),
        ("client_secret", "c2ln"),
        ("state", STATE),
        ("timestamp", "2026.12.03 12:10:00 +0000"),
        ("grant_type", "client_credentials"),
        ("scope", "prm_chg"),
    ]);
    let r = TeRequest::parse(Endpoint::TeV1, &late, now(), 300);
    assert_eq!(
        r.unwrap_err(),
        (E::E007015, "timestamp outside the window".into())
    );
    assert!(TeRequest::parse(Endpoint::TeV1, &late, now(), 900).is_ok());
}

#[test]
fn signed_fields_keep_the_bytes_as_sent() {
    let p = params(&[("scope", " openid  fullname "), ("client_id", "SYS")]);
    let f = SignedFields::of(&p);
    assert_eq!(f.scope, " openid  fullname ");
    assert_eq!(f.state, "");
    assert_eq!(f.client_certificate_hash, None);
}
