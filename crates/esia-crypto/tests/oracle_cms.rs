//! OpenSSL-made CMS `client_secret`s (`openssl smime -sign -binary -outform DER`, with and without
//! `-noattr`, detached and attached, GOST and RSA) verified by `verify_cms` and
//! `verify_client_secret`; raw v2 secrets from `openssl dgst -sign`. Every curve both ways is in
//! `oracle_cms_curves.rs`. Gated by ESIA_TEST_OPENSSL_GOST=1.

mod common;

use base64::engine::general_purpose::{STANDARD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine as _;
use common::cms::{candidates, der_of, make_cert, V1_MSG};
use common::oracle;
use esia_crypto::cert::{cert_hash_hex, CertHashForm, ParsedCert};
use esia_crypto::cms::{verify_cms, CertSource, CmsError};
use esia_crypto::secret::{
    verify_client_secret, FailureReason, Generation, RegisteredCert, SecretCheck, SecretEncoding,
    SignatureVariant,
};

#[test]
fn openssl_smime_variants_verify() {
    let Some(o) = oracle("cms") else { return };
    let gost = make_cert(
        &o,
        "gost",
        &["-newkey", "gost2012_256", "-pkeyopt", "paramset:A"],
    );
    let rsa = make_cert(&o, "rsa", &["-newkey", "rsa:2048"]);
    let other = make_cert(
        &o,
        "other",
        &["-newkey", "gost2012_256", "-pkeyopt", "paramset:XA"],
    );
    let msg = o.write("msg.txt", V1_MSG);
    for (label, (key, cert)) in [("gost", &gost), ("rsa", &rsa)] {
        let cert_der = der_of(&o, cert);
        let registered = [RegisteredCert {
            id: format!("{label}-cert"),
            der: cert_der.clone(),
        }];
        let parsed_registry = [ParsedCert::from_der(&cert_der).unwrap()];
        let cases: [(&[&str], SignatureVariant); 4] = [
            (&["-noattr"], SignatureVariant::CmsNoAttrs),
            (&[], SignatureVariant::CmsSignedAttrs),
            (&["-nodetach", "-noattr"], SignatureVariant::CmsAttached),
            (&["-nocerts", "-noattr"], SignatureVariant::CmsNoAttrs),
        ];
        for (extra, variant) in cases {
            let out = o.p("cms.der");
            let mut args = vec![
                "smime", "-sign", "-binary", "-outform", "DER", "-signer", cert, "-inkey", key,
                "-in", &msg, "-out", &out,
            ];
            args.extend_from_slice(extra);
            o.run(&args, None);
            let der = o.read("cms.der");
            let what = format!("{label} {extra:?}");
            let nocerts = extra.contains(&"-nocerts");
            // Direct CMS verification.
            let v = verify_cms(&der, V1_MSG.as_bytes(), &parsed_registry)
                .unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_eq!(
                v.cert_source,
                if nocerts {
                    CertSource::Registry(0)
                } else {
                    CertSource::Embedded
                },
                "{what}"
            );
            assert_eq!(v.signed_attrs, extra.is_empty(), "{what}");
            let wrong = verify_cms(&der, b"tampered", &parsed_registry).unwrap_err();
            assert!(
                matches!(
                    wrong,
                    CmsError::BadSignature
                        | CmsError::MessageDigestMismatch
                        | CmsError::ContentMismatch
                ),
                "{what}: {wrong:?}"
            );
            if nocerts {
                assert_eq!(
                    verify_cms(&der, V1_MSG.as_bytes(), &[]).unwrap_err(),
                    CmsError::NoCertificate
                );
            }
            // As a client_secret in several encodings (EKA/ILM3 no padding, EC padded, CAdES std+newlines).
            let mut std_wrapped = STANDARD.encode(&der);
            std_wrapped.insert_str(20, "\r\n");
            for (secret, enc) in [
                (
                    URL_SAFE_NO_PAD.encode(&der),
                    SecretEncoding::Base64Url { padded: false },
                ),
                (
                    URL_SAFE.encode(&der),
                    SecretEncoding::Base64Url {
                        padded: der.len() % 3 != 0,
                    },
                ),
                (
                    std_wrapped,
                    SecretEncoding::Base64Std {
                        padded: der.len() % 3 != 0,
                    },
                ),
            ] {
                let check = SecretCheck {
                    generation: Generation::V1Cms,
                    candidates: candidates(V1_MSG),
                    client_secret: &secret,
                    client_certificate_hash: None,
                    certs: &registered,
                    lenient: false,
                };
                let m = verify_client_secret(&check)
                    .unwrap_or_else(|f| panic!("{what}: {}", serde_json::to_string(&f).unwrap()));
                assert_eq!(
                    (m.candidate, m.variant, m.cert_id.as_str()),
                    ("v1", variant, registered[0].id.as_str()),
                    "{what}"
                );
                if !std_is_ambiguous(&secret) {
                    assert_eq!(m.encoding, enc, "{what}");
                }
            }
            // The embedded certificate must be registered for the client.
            if !nocerts {
                let other_reg = [RegisteredCert {
                    id: "other".into(),
                    der: der_of(&o, &other.1),
                }];
                let secret = URL_SAFE_NO_PAD.encode(&der);
                let check = SecretCheck {
                    generation: Generation::V1Cms,
                    candidates: candidates(V1_MSG),
                    client_secret: &secret,
                    client_certificate_hash: None,
                    certs: &other_reg,
                    lenient: false,
                };
                assert_eq!(
                    verify_client_secret(&check).unwrap_err().reason,
                    FailureReason::CertNotRegistered,
                    "{what}"
                );
            }
        }
    }
}

/// A base64 string without `+`, `/`, `-` or `_` decodes the same in both alphabets.
fn std_is_ambiguous(s: &str) -> bool {
    !s.contains(['+', '/', '-', '_'])
}

#[test]
fn openssl_raw_v2_secrets_verify_with_hash_forms() {
    let Some(o) = oracle("v2 raw") else { return };
    let (key, cert) = make_cert(
        &o,
        "is",
        &["-newkey", "gost2012_256", "-pkeyopt", "paramset:A"],
    );
    let cert_der = der_of(&o, &cert);
    let msg = "775607_DPopenid2025.12.29 17:47:23 +00000f9439ef-3581-4de5-9b8c-d20135960331https://is.example/cb";
    let msg_path = o.write("v2.txt", msg);
    o.run(
        &[
            "dgst",
            "-md_gost12_256",
            "-sign",
            &key,
            "-out",
            &o.p("sig.bin"),
            &msg_path,
        ],
        None,
    );
    let sig = o.read("sig.bin");
    assert_eq!(sig.len(), 64);
    let mut reversed = sig.clone();
    reversed.reverse();
    let registered = [
        RegisteredCert {
            id: "decoy".into(),
            der: der_of(
                &o,
                &make_cert(
                    &o,
                    "d",
                    &["-newkey", "gost2012_256", "-pkeyopt", "paramset:A"],
                )
                .1,
            ),
        },
        RegisteredCert {
            id: "is".into(),
            der: cert_der.clone(),
        },
    ];
    let upper = cert_hash_hex(&cert_der);
    let mut rev_hash = hex::decode(&upper).unwrap();
    rev_hash.reverse();
    let sha = hex::encode(esia_crypto::sha256(&cert_der));
    let cases = [
        (
            URL_SAFE_NO_PAD.encode(&sig),
            Some(upper.clone()),
            false,
            SignatureVariant::RawSr,
            Some(CertHashForm::GostUpper),
        ),
        (
            URL_SAFE.encode(&sig),
            Some(upper.to_lowercase()),
            false,
            SignatureVariant::RawSr,
            Some(CertHashForm::GostLower),
        ),
        (
            STANDARD.encode(&reversed),
            Some(hex::encode_upper(&rev_hash)),
            false,
            SignatureVariant::RawReversed,
            Some(CertHashForm::GostReversed),
        ),
        (
            URL_SAFE_NO_PAD.encode(&sig),
            Some(sha.clone()),
            true,
            SignatureVariant::RawSr,
            Some(CertHashForm::Sha256),
        ),
        (
            URL_SAFE_NO_PAD.encode(&sig),
            None,
            false,
            SignatureVariant::RawSr,
            None,
        ),
    ];
    for (secret, hash, lenient, variant, form) in cases {
        let check = SecretCheck {
            generation: Generation::V2Raw,
            candidates: candidates(msg),
            client_secret: &secret,
            client_certificate_hash: hash.as_deref(),
            certs: &registered,
            lenient,
        };
        let m = verify_client_secret(&check)
            .unwrap_or_else(|f| panic!("{}", serde_json::to_string(&f).unwrap()));
        assert_eq!(
            (m.candidate, m.cert_id.as_str(), m.variant, m.cert_hash_form),
            ("v1", "is", variant, form)
        );
    }
    // SHA-256 hashes are refused unless lenient.
    let secret = URL_SAFE_NO_PAD.encode(&sig);
    let strict = SecretCheck {
        generation: Generation::V2Raw,
        candidates: candidates(msg),
        client_secret: &secret,
        client_certificate_hash: Some(&sha),
        certs: &registered,
        lenient: false,
    };
    let f = verify_client_secret(&strict).unwrap_err();
    assert_eq!(f.reason, FailureReason::NoCertForHash);
    assert_eq!(f.attempts.len(), 2);
    assert_eq!(
        f.attempts[1].cert_hash_expected.as_deref(),
        Some(upper.as_str())
    );
}
