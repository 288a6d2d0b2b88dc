//! CMS on every gost-engine curve, both ways: `openssl smime -sign` verified by `verify_cms`,
//! and CMS made by our `sign_detached` verified by `openssl smime -verify`. Gated by
//! ESIA_TEST_OPENSSL_GOST=1.

mod common;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use common::cms::{candidates, der_of, make_cert, V1_MSG};
use common::{oracle, Oracle, PARAMSETS_256, PARAMSETS_512};
use esia_crypto::cert::{CertKey, DigestKind, ParsedCert};
use esia_crypto::cms::{verify_cms, CertSource};
use esia_crypto::cms_sign::sign_detached_pem;
use esia_crypto::gost::Curve;
use esia_crypto::keys::{generate_gost_key_pem, generate_rsa_key_pem, self_signed_cert_pem};
use esia_crypto::secret::{
    verify_client_secret, Generation, RegisteredCert, SecretCheck, SignatureVariant,
};

/// Every gost-engine curve: (`-newkey` algorithm, paramset, expected curve, expected digest).
fn every_curve() -> Vec<(&'static str, &'static str, Curve, DigestKind)> {
    let mut v: Vec<_> = PARAMSETS_256
        .iter()
        .map(|(p, c)| ("gost2012_256", *p, *c, DigestKind::Streebog256))
        .collect();
    v.extend(
        PARAMSETS_512
            .iter()
            .map(|(p, c)| ("gost2012_512", *p, *c, DigestKind::Streebog512)),
    );
    v
}

/// `openssl smime -verify` of a DER CMS; `Ok(content)` or `Err(stderr)`.
fn openssl_smime_verify(
    o: &Oracle,
    der: &[u8],
    detached: Option<&[u8]>,
) -> Result<Vec<u8>, String> {
    let sig = o.write("ours.der", der);
    let out = o.p("verified.bin");
    let mut args = vec![
        "smime",
        "-verify",
        "-inform",
        "DER",
        "-in",
        &sig,
        "-noverify",
        "-binary",
        "-out",
        &out,
    ];
    let content = detached.map(|m| o.write("content.bin", m));
    if let Some(c) = &content {
        args.extend_from_slice(&["-content", c]);
    }
    let (ok, _, err) = o.try_run(&args, None);
    let err = String::from_utf8_lossy(&err).into_owned();
    if ok && err.contains("Verification successful") {
        Ok(o.read("verified.bin"))
    } else {
        Err(err)
    }
}

#[test]
fn openssl_smime_on_every_curve_verifies() {
    let Some(o) = oracle("cms every curve") else {
        return;
    };
    let msg = o.write("msg.txt", V1_MSG);
    let mut passed = Vec::new();
    for (alg, paramset, curve, digest) in every_curve() {
        let (key, cert) = make_cert(
            &o,
            "c",
            &["-newkey", alg, "-pkeyopt", &format!("paramset:{paramset}")],
        );
        let cert_der = der_of(&o, &cert);
        let parsed = ParsedCert::from_der(&cert_der).unwrap();
        let CertKey::Gost(pk) = &parsed.key else {
            panic!("{alg} {paramset}: certificate key is not GOST")
        };
        assert_eq!(pk.curve(), curve, "{alg} {paramset}: curve");
        let registered = [RegisteredCert {
            id: format!("{alg}-{paramset}"),
            der: cert_der.clone(),
        }];
        let cases: [(&[&str], SignatureVariant); 3] = [
            (&["-noattr"], SignatureVariant::CmsNoAttrs),
            (&[], SignatureVariant::CmsSignedAttrs),
            (&["-nodetach"], SignatureVariant::CmsAttached),
        ];
        for (extra, variant) in cases {
            let what = format!("OpenSSL smime {alg} paramset:{paramset} ({curve:?}) {extra:?}");
            let out = o.p("cms.der");
            let mut args = vec![
                "smime", "-sign", "-binary", "-outform", "DER", "-signer", &cert, "-inkey", &key,
                "-in", &msg, "-out", &out,
            ];
            args.extend_from_slice(extra);
            o.run(&args, None);
            let der = o.read("cms.der");
            let v = verify_cms(&der, V1_MSG.as_bytes(), &[])
                .unwrap_or_else(|e| panic!("{what}: verify_cms rejected it: {e}"));
            assert_eq!(v.cert_source, CertSource::Embedded, "{what}");
            assert_eq!(v.digest, digest, "{what}: digest");
            assert_eq!(v.signed_attrs, !extra.contains(&"-noattr"), "{what}");
            assert_eq!(v.attached, extra.contains(&"-nodetach"), "{what}");
            assert!(
                verify_cms(&der, b"tampered", &[]).is_err(),
                "{what}: accepted a different message"
            );
            let secret = URL_SAFE_NO_PAD.encode(&der);
            let check = SecretCheck {
                generation: Generation::V1Cms,
                candidates: candidates(V1_MSG),
                client_secret: &secret,
                client_certificate_hash: None,
                certs: &registered,
                lenient: false,
            };
            let m = verify_client_secret(&check).unwrap_or_else(|f| {
                panic!(
                    "{what}: verify_client_secret rejected it: {}",
                    serde_json::to_string(&f).unwrap()
                )
            });
            assert_eq!((m.candidate, m.variant), ("v1", variant), "{what}");
        }
        passed.push(format!("{alg}:{paramset}"));
    }
    assert_eq!(passed.len(), 12, "{passed:?}");
}

#[test]
fn our_cms_verified_by_openssl_on_every_curve() {
    let Some(o) = oracle("our CMS every curve") else {
        return;
    };
    let msg = V1_MSG.as_bytes();
    let mut keys: Vec<(String, String, Vec<u8>)> = Vec::new();
    for (alg, paramset, curve, _) in every_curve() {
        // Our key and self-signed certificate on the curve…
        let key_pem = generate_gost_key_pem(curve).unwrap();
        let cert_pem = self_signed_cert_pem(&key_pem, "CN=Test IS", 2).unwrap();
        let cert_der = ParsedCert::from_pem_or_der(cert_pem.as_bytes())
            .unwrap()
            .der;
        keys.push((format!("ours {curve:?}"), key_pem, cert_der));
        // …and an OpenSSL-made key and certificate on the same curve.
        let (_, cert) = make_cert(
            &o,
            "c",
            &["-newkey", alg, "-pkeyopt", &format!("paramset:{paramset}")],
        );
        keys.push((
            format!("OpenSSL {alg} paramset:{paramset}"),
            String::from_utf8(o.read("c.key")).unwrap(),
            der_of(&o, &cert),
        ));
    }
    let rsa_pem = generate_rsa_key_pem().unwrap();
    let rsa_cert = self_signed_cert_pem(&rsa_pem, "CN=Test IS RSA", 2).unwrap();
    keys.push((
        "ours RSA-2048".into(),
        rsa_pem,
        ParsedCert::from_pem_or_der(rsa_cert.as_bytes())
            .unwrap()
            .der,
    ));
    for (label, key_pem, cert_der) in &keys {
        for (with_attrs, attached) in [(false, false), (true, false), (false, true), (true, true)] {
            let what = format!("{label} attrs={with_attrs} attached={attached}");
            let der = sign_detached_pem(key_pem, cert_der, msg, with_attrs, attached)
                .unwrap_or_else(|e| panic!("{what}: sign_detached: {e}"));
            let detached = (!attached).then_some(msg);
            let content = openssl_smime_verify(&o, &der, detached)
                .unwrap_or_else(|e| panic!("{what}: OpenSSL rejected our CMS: {e}"));
            assert_eq!(content, msg, "{what}: OpenSSL output differs");
            if !attached {
                assert!(
                    openssl_smime_verify(&o, &der, Some(b"tampered")).is_err(),
                    "{what}: OpenSSL accepted a different message"
                );
            }
            // Structure as OpenSSL prints it.
            let parsed = o.run(
                &["asn1parse", "-inform", "DER", "-in", &o.p("ours.der")],
                None,
            );
            let parsed = String::from_utf8_lossy(&parsed);
            for needle in ["pkcs7-signedData", "pkcs7-data"] {
                assert!(parsed.contains(needle), "{what}: no {needle}: {parsed}");
            }
            for needle in [":contentType", ":messageDigest", ":signingTime"] {
                assert_eq!(parsed.contains(needle), with_attrs, "{what}: {needle}");
            }
            // And our own verifier accepts it as a v1 client_secret.
            let v = verify_cms(&der, msg, &[]).unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_eq!(
                (v.signed_attrs, v.attached),
                (with_attrs, attached),
                "{what}"
            );
        }
    }
}
