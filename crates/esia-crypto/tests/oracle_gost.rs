//! OpenSSL (gost engine) as an independent oracle for raw GOST signatures, keys, certificates and
//! JWT signatures, in both directions, on every supported curve. Gated by ESIA_TEST_OPENSSL_GOST=1.

mod common;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use common::{oracle, PARAMSETS_256, PARAMSETS_512};
use esia_crypto::cert::{cert_hash_hex, CertKey, ParsedCert};
use esia_crypto::gost::Curve;
use esia_crypto::jwt::JwtAlg;
use esia_crypto::keys::{
    generate_gost_key_pem, load_private_key_pem, self_signed_cert_pem, EmulatorKeys,
    KeyMaterialPem, PrivateKey,
};

const MSG: &str = "openid2025.12.29 17:47:23 +0000775607_DP0f9439ef-3581-4de5-9b8c-d20135960331";

fn all_paramsets() -> Vec<(&'static str, &'static str, Curve, &'static str)> {
    let mut v: Vec<_> = PARAMSETS_256
        .iter()
        .map(|(p, c)| (*p, "gost2012_256", *c, "-md_gost12_256"))
        .collect();
    v.extend(
        PARAMSETS_512
            .iter()
            .map(|(p, c)| (*p, "gost2012_512", *c, "-md_gost12_512")),
    );
    v
}

#[test]
fn openssl_keys_certs_and_signatures_on_every_curve() {
    let Some(o) = oracle("openssl keys/signatures") else {
        return;
    };
    let msg = o.write("msg.txt", MSG);
    for (paramset, alg, curve, md) in all_paramsets() {
        let key = o.p("key.pem");
        o.run(
            &[
                "genpkey",
                "-algorithm",
                alg,
                "-pkeyopt",
                &format!("paramset:{paramset}"),
                "-out",
                &key,
            ],
            None,
        );
        o.run(
            &[
                "req",
                "-x509",
                "-new",
                "-key",
                &key,
                "-subj",
                "/CN=Oracle",
                "-days",
                "2",
                "-out",
                &o.p("cert.pem"),
            ],
            None,
        );
        let PrivateKey::Gost(ours) =
            load_private_key_pem(&String::from_utf8(o.read("key.pem")).unwrap()).unwrap()
        else {
            panic!("{paramset}: not GOST")
        };
        assert_eq!(ours.curve(), curve, "{alg} {paramset}");
        let cert = ParsedCert::from_pem_or_der(&o.read("cert.pem")).unwrap();
        let CertKey::Gost(pk) = &cert.key else {
            panic!("{paramset}: cert key not GOST")
        };
        assert_eq!(
            pk,
            ours.public_key(),
            "{alg} {paramset}: derived public key differs from the certificate's"
        );
        // OpenSSL signs → we verify.
        o.run(
            &["dgst", md, "-sign", &key, "-out", &o.p("sig.bin"), &msg],
            None,
        );
        assert!(
            pk.verify_message(MSG.as_bytes(), &o.read("sig.bin")),
            "{alg} {paramset}: OpenSSL signature rejected"
        );
        assert!(!pk.verify_message(b"other", &o.read("sig.bin")));
        // We sign → OpenSSL verifies.
        o.write("oursig.bin", ours.sign_message(MSG.as_bytes()));
        o.run(
            &[
                "x509",
                "-in",
                &o.p("cert.pem"),
                "-pubkey",
                "-noout",
                "-out",
                &o.p("pub.pem"),
            ],
            None,
        );
        let out = o.run(
            &[
                "dgst",
                md,
                "-verify",
                &o.p("pub.pem"),
                "-signature",
                &o.p("oursig.bin"),
                &msg,
            ],
            None,
        );
        assert!(
            String::from_utf8_lossy(&out).contains("Verified OK"),
            "{alg} {paramset}"
        );
        // Certificate hash agrees with `openssl dgst -md_gost12_256` over the DER.
        let der = o.run(&["x509", "-in", &o.p("cert.pem"), "-outform", "DER"], None);
        let h = o.run(&["dgst", "-md_gost12_256", "-r"], Some(&der));
        assert_eq!(
            String::from_utf8_lossy(&h[..64]).to_uppercase(),
            cert_hash_hex(&der)
        );
    }
}

#[test]
fn our_keys_and_self_signed_certs_are_accepted_by_openssl() {
    let Some(o) = oracle("our keys/certs") else {
        return;
    };
    let msg = o.write("msg.txt", MSG);
    for (paramset, _alg, curve, md) in all_paramsets() {
        let key_pem = generate_gost_key_pem(curve).unwrap();
        let cert_pem = self_signed_cert_pem(&key_pem, "CN=ESIA Emulator,O=Test,C=RU", 30).unwrap();
        let key = o.write("ourkey.pem", &key_pem);
        let cert = o.write("ourcert.pem", &cert_pem);
        let out = o.run(&["verify", "-CAfile", &cert, &cert], None);
        assert!(
            String::from_utf8_lossy(&out).contains("OK"),
            "{paramset}: {}",
            String::from_utf8_lossy(&out)
        );
        let text =
            String::from_utf8_lossy(&o.run(&["x509", "-in", &cert, "-text", "-noout"], None))
                .to_string();
        assert!(text.contains("ESIA Emulator"), "{text}");
        // OpenSSL loads our PKCS#8 and signs; we verify with the key from our certificate.
        o.run(
            &["dgst", md, "-sign", &key, "-out", &o.p("sig.bin"), &msg],
            None,
        );
        let parsed = ParsedCert::from_pem_or_der(cert_pem.as_bytes()).unwrap();
        let CertKey::Gost(pk) = &parsed.key else {
            panic!()
        };
        assert_eq!(pk.curve(), curve);
        assert!(
            pk.verify_message(MSG.as_bytes(), &o.read("sig.bin")),
            "{paramset}"
        );
        assert!(parsed.is_signed_by(&parsed));
    }
}

#[test]
fn emulator_material_and_jwts_verify_in_openssl() {
    let Some(o) = oracle("jwt") else { return };
    let m = KeyMaterialPem::generate("CN=ESIA,O=RTLabs,C=RU", 365).unwrap();
    let keys = EmulatorKeys::load(&m).unwrap();
    for (name, pem) in [("rsa", &m.rsa_cert_pem), ("gost", &m.gost_cert_pem)] {
        let cert = o.write(&format!("{name}.pem"), pem);
        let out = o.run(&["verify", "-CAfile", &cert, &cert], None);
        assert!(String::from_utf8_lossy(&out).contains("OK"), "{name}");
        o.run(
            &[
                "x509",
                "-in",
                &cert,
                "-pubkey",
                "-noout",
                "-out",
                &o.p(&format!("{name}_pub.pem")),
            ],
            None,
        );
    }
    let text = String::from_utf8_lossy(
        &o.run(&["x509", "-in", &o.p("gost.pem"), "-text", "-noout"], None),
    )
    .to_string();
    assert!(
        text.contains("XchA"),
        "GOST certificate should use CryptoPro-XchA: {text}"
    );
    let claims = serde_json::json!({"urn:esia:sbj_id": 1019797391u64, "client_id": "159204", "iss": "http://esia.gosuslugi.ru/"});
    for (alg, md, pubkey) in [
        (JwtAlg::RS256, "-sha256", "rsa_pub.pem"),
        (JwtAlg::GOST3410_2012_256, "-md_gost12_256", "gost_pub.pem"),
    ] {
        let token = keys.sign_jwt(alg, 1, "access", &claims).unwrap();
        let (input, sig) = token.rsplit_once('.').unwrap();
        let input_path = o.write("input.txt", input);
        o.write("jwtsig.bin", URL_SAFE_NO_PAD.decode(sig).unwrap());
        let out = o.run(
            &[
                "dgst",
                md,
                "-verify",
                &o.p(pubkey),
                "-signature",
                &o.p("jwtsig.bin"),
                &input_path,
            ],
            None,
        );
        assert!(
            String::from_utf8_lossy(&out).contains("Verified OK"),
            "{alg:?}"
        );
        let (header, got) = keys.verify_jwt(&token).unwrap();
        assert_eq!(header.alg, alg);
        assert_eq!(got, claims);
    }
}
