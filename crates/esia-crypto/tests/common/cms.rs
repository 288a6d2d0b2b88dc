//! CMS fixtures shared by the oracle tests: the v1 message, a certificate made by `openssl req`,
//! its DER, and a decoy candidate beside the real one.

use esia_crypto::secret::SigningCandidate;

use super::Oracle;

pub const V1_MSG: &str =
    "openid2025.12.29 17:47:23 +0000775607_DP0f9439ef-3581-4de5-9b8c-d20135960331";

pub fn make_cert(o: &Oracle, name: &str, newkey: &[&str]) -> (String, String) {
    let (key, cert) = (o.p(&format!("{name}.key")), o.p(&format!("{name}.pem")));
    let mut args = vec![
        "req",
        "-x509",
        "-nodes",
        "-subj",
        "/CN=Test IS",
        "-days",
        "2",
        "-keyout",
        &key,
        "-out",
        &cert,
    ];
    args.extend_from_slice(newkey);
    o.run(&args, None);
    (key, cert)
}

pub fn der_of(o: &Oracle, cert: &str) -> Vec<u8> {
    o.run(&["x509", "-in", cert, "-outform", "DER"], None)
}

pub fn candidates(msg: &str) -> Vec<SigningCandidate> {
    vec![
        SigningCandidate {
            name: "decoy",
            message: format!("{msg}x"),
        },
        SigningCandidate {
            name: "v1",
            message: msg.to_string(),
        },
    ]
}
