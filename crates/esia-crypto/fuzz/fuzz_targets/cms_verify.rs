//! Fuzz target: CMS/PKCS#7 `SignedData` as a v1 `client_secret` carries it — DER parse, then
//! verification against the demo client's registered certificates (RSA and GOST), over a fixed
//! message and over the encapsulated content. Must never panic on any input.
#![no_main]

use std::sync::OnceLock;

use esia_crypto::cert::ParsedCert;
use esia_crypto::cms::{verify_cms, ParsedCms};
use libfuzzer_sys::fuzz_target;

fn registry() -> &'static [ParsedCert] {
    static CERTS: OnceLock<Vec<ParsedCert>> = OnceLock::new();
    CERTS.get_or_init(|| {
        [
            include_str!("../../../../keys/demo-client/demo-is-rsa.pem"),
            include_str!("../../../../keys/demo-client/demo-is-gost.pem"),
        ]
        .iter()
        .map(|pem| ParsedCert::from_pem_or_der(pem.as_bytes()).expect("demo certificate"))
        .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let certs = registry();
    if let Ok(cms) = ParsedCms::parse(data) {
        let _ = cms.is_attached();
        let _ = cms.has_signed_attrs();
        for cert in cms.embedded_certs() {
            let _ = cert.hash_hex();
        }
        let _ = cms.verify(b"DEMO_ISopenid2025.01.01 00:00:00 +0000state", certs);
        let _ = cms.verify(b"", &[]);
        let _ = cms.verify(data, certs);
    }
    let _ = verify_cms(data, b"message", certs);
});
