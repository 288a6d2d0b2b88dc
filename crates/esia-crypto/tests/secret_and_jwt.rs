//! Offline tests (no OpenSSL): lenient secret decoding, v2 secret checks with our own keys and
//! certificates, ESIA JWT layout and verification, key material round trips, and property tests.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use esia_crypto::cert::{CertKey, KeyAlgorithm, ParsedCert};
use esia_crypto::gost::{Curve, GostPrivateKey};
use esia_crypto::jwt::{sign_jwt, verify_jwt, JwtAlg, JwtError, JwtSigner, JwtVerifyKeys};
use esia_crypto::keys::{
    generate_gost_key_pem, load_private_key_pem, self_signed_cert_pem, EmulatorKeys,
    KeyMaterialPem, PrivateKey,
};
use esia_crypto::secret::{
    decode_secret_lenient, verify_client_secret, FailureReason, Generation, RegisteredCert,
    SecretCheck, SecretEncoding, SignatureVariant, SigningCandidate,
};
use proptest::prelude::*;

#[test]
fn decoding_accepts_every_flavour() {
    let data: Vec<u8> = (0u8..=255).collect();
    let url = URL_SAFE_NO_PAD.encode(&data);
    assert_eq!(
        decode_secret_lenient(&url).unwrap(),
        (data.clone(), SecretEncoding::Base64Url { padded: false })
    );
    let std = STANDARD.encode(&data);
    let wrapped: String = std
        .as_bytes()
        .chunks(64)
        .map(|c| format!("{}\r\n", String::from_utf8_lossy(c)))
        .collect();
    assert_eq!(
        decode_secret_lenient(&wrapped).unwrap(),
        (data.clone(), SecretEncoding::Base64Std { padded: true })
    );
    assert!(decode_secret_lenient("ab-+").is_err());
    assert!(decode_secret_lenient("  ").is_err());
    assert!(decode_secret_lenient("ab=c").is_err());
}

fn gost_cert(subject: &str) -> (GostPrivateKey, Vec<u8>) {
    let key_pem = generate_gost_key_pem(Curve::CryptoProA).unwrap();
    let cert = ParsedCert::from_pem_or_der(
        self_signed_cert_pem(&key_pem, subject, 10)
            .unwrap()
            .as_bytes(),
    )
    .unwrap();
    let PrivateKey::Gost(k) = load_private_key_pem(&key_pem).unwrap() else {
        panic!()
    };
    (k, cert.der)
}

#[test]
fn v2_secret_matches_and_explains_failures() {
    let (key, der) = gost_cert("CN=IS,1.2.643.100.3=12345678901,SN=Иванов,givenName=Иван Иванович");
    let parsed = ParsedCert::from_der(&der).unwrap();
    assert_eq!(parsed.key_algorithm, KeyAlgorithm::Gost256);
    assert_eq!(parsed.snils.as_deref(), Some("12345678901"));
    assert_eq!(parsed.surname.as_deref(), Some("Иванов"));
    assert_eq!(parsed.given_name.as_deref(), Some("Иван Иванович"));
    let certs = [RegisteredCert {
        id: "c1".into(),
        der: der.clone(),
    }];
    let msg = "clientopenid2025.01.01 00:00:00 +0000statehttps://x/cb";
    let secret = URL_SAFE_NO_PAD.encode(key.sign_message(msg.as_bytes()));
    let hash = parsed.hash_hex();
    let cands = vec![SigningCandidate {
        name: "v2ac",
        message: msg.into(),
    }];
    let mut check = SecretCheck {
        generation: Generation::V2Raw,
        candidates: cands,
        client_secret: &secret,
        client_certificate_hash: Some(&hash),
        certs: &certs,
        lenient: false,
    };
    let m = verify_client_secret(&check).unwrap();
    assert_eq!((m.candidate, m.variant), ("v2ac", SignatureVariant::RawSr));
    check.candidates = vec![SigningCandidate {
        name: "wrong",
        message: "nope".into(),
    }];
    let f = verify_client_secret(&check).unwrap_err();
    assert_eq!(f.reason, FailureReason::SignatureMismatch);
    assert_eq!(f.attempts.len(), 2);
    assert_eq!(f.attempts[0].expected_message, "nope");
    let json = serde_json::to_value(&f).unwrap();
    assert_eq!(json["reason"], "SignatureMismatch");
    let short = URL_SAFE_NO_PAD.encode([1u8; 10]);
    check.client_secret = &short;
    assert_eq!(
        verify_client_secret(&check).unwrap_err().reason,
        FailureReason::WrongLength
    );
    check.client_secret = "%%%";
    assert_eq!(
        verify_client_secret(&check).unwrap_err().reason,
        FailureReason::Undecodable
    );
}

#[test]
fn jwt_header_layout_and_verification() {
    let m = KeyMaterialPem::generate("CN=ESIA,O=RTLabs,C=RU", 30).unwrap();
    let keys = EmulatorKeys::load(&m).unwrap();
    let claims = serde_json::json!({"sub": 1, "aud": "159204"});
    let t = keys.sign_jwt(JwtAlg::RS256, 1, "access", &claims).unwrap();
    let header = URL_SAFE_NO_PAD
        .decode(t.split('.').next().unwrap())
        .unwrap();
    assert_eq!(
        String::from_utf8(header).unwrap(),
        r#"{"ver":1,"typ":"JWT","sbt":"access","alg":"RS256"}"#
    );
    let g = keys
        .sign_jwt(JwtAlg::GOST3410_2012_256, 0, "id", &claims)
        .unwrap();
    let header = URL_SAFE_NO_PAD
        .decode(g.split('.').next().unwrap())
        .unwrap();
    assert_eq!(
        String::from_utf8(header).unwrap(),
        r#"{"ver":0,"typ":"JWT","sbt":"id","alg":"GOST3410_2012_256"}"#
    );
    assert_eq!(
        URL_SAFE_NO_PAD
            .decode(g.rsplit('.').next().unwrap())
            .unwrap()
            .len(),
        64
    );
    assert_eq!(keys.verify_jwt(&g).unwrap().1, claims);
    let mut tampered = t.clone();
    tampered.insert(t.find('.').unwrap() + 2, 'A');
    assert!(keys.verify_jwt(&tampered).is_err());
    assert_eq!(keys.rsa_jwk()["kty"], "RSA");
    assert_eq!(keys.rsa_cert().key_algorithm, KeyAlgorithm::Rsa);
    let CertKey::Gost(pk) = &keys.gost_cert().key else {
        panic!()
    };
    assert_eq!(pk.curve(), Curve::CryptoProXchA);
    // A verifier with only the GOST key refuses RS256 tokens.
    let only_gost = JwtVerifyKeys::new(None, Some(pk.clone())).unwrap();
    assert_eq!(
        verify_jwt(&t, &only_gost).unwrap_err(),
        JwtError::NoKey(JwtAlg::RS256)
    );
    let signer = JwtSigner::Gost(GostPrivateKey::generate(Curve::CryptoProXchA));
    assert!(verify_jwt(&sign_jwt(&signer, 0, "id", &claims).unwrap(), &only_gost).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn sign_verify_roundtrip_and_tamper(msg in proptest::collection::vec(any::<u8>(), 0..200), flip in 0usize..64) {
        let key = GostPrivateKey::generate(Curve::CryptoProA);
        let sig = key.sign_message(&msg);
        prop_assert!(key.public_key().verify_message(&msg, &sig));
        let mut bad_sig = sig.clone();
        bad_sig[flip] ^= 0x01;
        prop_assert!(!key.public_key().verify_message(&msg, &bad_sig));
        let mut bad_msg = msg.clone();
        bad_msg.push(1);
        prop_assert!(!key.public_key().verify_message(&bad_msg, &sig));
    }

    #[test]
    fn decoders_never_panic(s in ".{0,200}", bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = decode_secret_lenient(&s);
        let _ = esia_crypto::cms::ParsedCms::parse(&bytes);
        let _ = ParsedCert::from_pem_or_der(&bytes);
        let _ = load_private_key_pem(&s);
        let _ = esia_crypto::gost::GostPublicKey::from_le_xy(Curve::CryptoProA, &bytes);
        let pk = GostPrivateKey::generate(Curve::Tc26_256A);
        prop_assert!(!pk.public_key().verify_message(&bytes, &bytes));
        let certs = [RegisteredCert { id: "x".into(), der: bytes.clone() }];
        for generation in [Generation::V1Cms, Generation::V2Raw] {
            let check = SecretCheck { generation, candidates: vec![], client_secret: &s, client_certificate_hash: Some(&s), certs: &certs, lenient: true };
            prop_assert!(verify_client_secret(&check).is_err());
        }
    }
}
