//! `cms_sign::sign_detached` round-trips through our own `verify_cms` and `verify_client_secret` on
//! every curve (and RSA), with and without signed attributes, detached and attached; the DER
//! layout (OIDs, signature size, sorted attributes) is what `openssl smime` writes. Offline: the
//! OpenSSL direction is in `oracle_cms.rs`.

use std::sync::OnceLock;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use der::{Decode, Encode};
use esia_crypto::cert::{DigestKind, ParsedCert};
use esia_crypto::cms::{verify_cms, CertSource, CmsError};
use esia_crypto::cms_sign::{sign_detached, sign_detached_pem};
use esia_crypto::gost::Curve;
use esia_crypto::keys::{
    generate_gost_key_pem, generate_rsa_key_pem, load_private_key_pem, self_signed_cert_pem,
    KeyError, PrivateKey,
};
use esia_crypto::secret::{
    verify_client_secret, Generation, RegisteredCert, SecretCheck, SignatureVariant,
    SigningCandidate,
};
use proptest::prelude::*;

struct Signer {
    label: String,
    key: PrivateKey,
    key_pem: String,
    cert_der: Vec<u8>,
    digest: DigestKind,
}

/// One key and self-signed certificate per curve, plus RSA-2048 (made once).
fn signers() -> &'static [Signer] {
    static S: OnceLock<Vec<Signer>> = OnceLock::new();
    S.get_or_init(|| {
        let mut out: Vec<(String, String, DigestKind)> = Curve::ALL
            .iter()
            .map(|c| {
                let d = if c.is_512() {
                    DigestKind::Streebog512
                } else {
                    DigestKind::Streebog256
                };
                (format!("{c:?}"), generate_gost_key_pem(*c).unwrap(), d)
            })
            .collect();
        out.push((
            "RSA".into(),
            generate_rsa_key_pem().unwrap(),
            DigestKind::Sha256,
        ));
        out.into_iter()
            .map(|(label, key_pem, digest)| {
                let cert = self_signed_cert_pem(&key_pem, &format!("CN={label}"), 2).unwrap();
                Signer {
                    key: load_private_key_pem(&key_pem).unwrap(),
                    cert_der: ParsedCert::from_pem_or_der(cert.as_bytes()).unwrap().der,
                    label,
                    key_pem,
                    digest,
                }
            })
            .collect()
    })
}

const MSG: &[u8] = b"openid2025.12.29 17:47:23 +0000775607_DP0f9439ef-3581-4de5-9b8c-d20135960331";

#[test]
fn layout_matches_openssl_smime() {
    for s in signers() {
        for with_attrs in [false, true] {
            for attached in [false, true] {
                let what = format!("{} attrs={with_attrs} attached={attached}", s.label);
                let der = sign_detached(&s.key, &s.cert_der, MSG, with_attrs, attached).unwrap();
                let ci = cms::content_info::ContentInfo::from_der(&der).unwrap();
                assert_eq!(
                    ci.content_type.to_string(),
                    "1.2.840.113549.1.7.2",
                    "{what}"
                );
                let sd: cms::signed_data::SignedData = ci.content.decode_as().unwrap();
                let si = sd.signer_infos.0.get(0).unwrap();
                let (digest_oid, sig_oid, sig_len) = match s.digest {
                    DigestKind::Streebog256 => ("1.2.643.7.1.1.2.2", "1.2.643.7.1.1.1.1", 64),
                    DigestKind::Streebog512 => ("1.2.643.7.1.1.2.3", "1.2.643.7.1.1.1.2", 128),
                    DigestKind::Sha256 => ("2.16.840.1.101.3.4.2.1", "1.2.840.113549.1.1.1", 256),
                };
                assert_eq!(si.digest_alg.oid.to_string(), digest_oid, "{what}");
                assert_eq!(
                    sd.digest_algorithms.get(0).unwrap().oid.to_string(),
                    digest_oid,
                    "{what}"
                );
                assert_eq!(si.signature_algorithm.oid.to_string(), sig_oid, "{what}");
                assert_eq!(si.signature.as_bytes().len(), sig_len, "{what}");
                assert_eq!(sd.encap_content_info.econtent.is_some(), attached, "{what}");
                let certs = sd.certificates.as_ref().unwrap();
                assert_eq!(certs.0.len(), 1, "{what}");
                match &si.signed_attrs {
                    None => assert!(!with_attrs, "{what}"),
                    Some(attrs) => {
                        assert!(with_attrs, "{what}");
                        let oids: Vec<String> = attrs.iter().map(|a| a.oid.to_string()).collect();
                        // contentType, signingTime, messageDigest: DER SET OF order by encoding.
                        assert_eq!(
                            oids,
                            [
                                "1.2.840.113549.1.9.3",
                                "1.2.840.113549.1.9.5",
                                "1.2.840.113549.1.9.4"
                            ],
                            "{what}"
                        );
                        let encoded: Vec<Vec<u8>> =
                            attrs.iter().map(|a| a.to_der().unwrap()).collect();
                        assert!(encoded.windows(2).all(|w| w[0] <= w[1]), "{what}");
                    }
                }
                let v = verify_cms(&der, MSG, &[]).unwrap_or_else(|e| panic!("{what}: {e}"));
                assert_eq!(v.cert_source, CertSource::Embedded, "{what}");
                assert_eq!(v.digest, s.digest, "{what}");
            }
        }
    }
}

#[test]
fn pem_and_mismatched_certificate() {
    let all = signers();
    let (a, b) = (&all[0], &all[1]);
    let der = sign_detached_pem(&a.key_pem, &a.cert_der, MSG, true, false).unwrap();
    verify_cms(&der, MSG, &[]).unwrap();
    // The certificate may be PEM too.
    let pem = pem_rfc7468::encode_string("CERTIFICATE", pem_rfc7468::LineEnding::LF, &a.cert_der)
        .unwrap();
    let der = sign_detached(&a.key, pem.as_bytes(), MSG, false, false).unwrap();
    verify_cms(&der, MSG, &[]).unwrap();
    assert_eq!(
        sign_detached(&a.key, &b.cert_der, MSG, true, false).unwrap_err(),
        KeyError::CertMismatch
    );
    let rsa = all.last().unwrap();
    assert_eq!(
        sign_detached(&rsa.key, &a.cert_der, MSG, true, false).unwrap_err(),
        KeyError::CertMismatch
    );
    assert!(matches!(
        sign_detached(&a.key, b"not a certificate", MSG, true, false),
        Err(KeyError::Malformed(_))
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn sign_detached_roundtrips(
        msg in proptest::collection::vec(any::<u8>(), 0..400),
        idx in 0usize..15,
        with_attrs in any::<bool>(),
        attached in any::<bool>(),
    ) {
        let s = &signers()[idx];
        let what = format!("{} attrs={with_attrs} attached={attached}", s.label);
        let der = sign_detached(&s.key, &s.cert_der, &msg, with_attrs, attached).unwrap();
        let v = verify_cms(&der, &msg, &[]).map_err(|e| TestCaseError::fail(format!("{what}: {e}")))?;
        prop_assert_eq!((v.signed_attrs, v.attached, v.digest), (with_attrs, attached, s.digest));
        let mut other = msg.clone();
        other.push(0);
        let err = verify_cms(&der, &other, &[]).unwrap_err();
        prop_assert!(
            matches!(err, CmsError::BadSignature | CmsError::MessageDigestMismatch | CmsError::ContentMismatch),
            "{}: {:?}", what, err
        );
        // As a v1 client_secret (UTF-8 messages only: candidates are strings).
        let text = String::from_utf8_lossy(&msg).into_owned();
        let der = sign_detached(&s.key, &s.cert_der, text.as_bytes(), with_attrs, attached).unwrap();
        let secret = URL_SAFE_NO_PAD.encode(&der);
        let certs = [RegisteredCert { id: s.label.clone(), der: s.cert_der.clone() }];
        let check = SecretCheck {
            generation: Generation::V1Cms,
            candidates: vec![
                SigningCandidate { name: "decoy", message: format!("{text}x") },
                SigningCandidate { name: "v1", message: text },
            ],
            client_secret: &secret,
            client_certificate_hash: None,
            certs: &certs,
            lenient: false,
        };
        let m = verify_client_secret(&check)
            .map_err(|f| TestCaseError::fail(format!("{what}: {}", serde_json::to_string(&f).unwrap())))?;
        let variant = if attached {
            SignatureVariant::CmsAttached
        } else if with_attrs {
            SignatureVariant::CmsSignedAttrs
        } else {
            SignatureVariant::CmsNoAttrs
        };
        prop_assert_eq!((m.candidate, m.variant, m.cert_id.as_str()), ("v1", variant, s.label.as_str()));
    }
}

#[test]
fn self_signed_certificates_are_valid_from_a_little_before_now() {
    let key_pem = generate_rsa_key_pem().unwrap();
    let pem = self_signed_cert_pem(&key_pem, "CN=backdate", 2).unwrap();
    let cert = ParsedCert::from_pem_or_der(pem.as_bytes()).unwrap();
    let now = chrono::Utc::now();
    let backdate = chrono::Duration::from_std(esia_crypto::keys::CERT_BACKDATE).unwrap();
    // Whole seconds in the certificate: allow one for truncation and one for the test itself.
    assert!(cert.not_before <= now - backdate + chrono::Duration::seconds(2));
    assert!(cert.not_before >= now - backdate - chrono::Duration::seconds(2));
    assert!(cert.not_after >= now + chrono::Duration::days(2) - chrono::Duration::seconds(2));
}
