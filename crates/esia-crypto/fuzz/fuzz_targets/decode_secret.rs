//! Fuzz target: the lenient secret decoder, the CMS parser/verifier and the whole client-secret
//! check on arbitrary input must never panic.
#![no_main]

use esia_crypto::secret::{
    verify_client_secret, Generation, RegisteredCert, SecretCheck, SigningCandidate,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok((bytes, _)) = esia_crypto::secret::decode_secret_lenient(&text) {
        if let Ok(cms) = esia_crypto::cms::ParsedCms::parse(&bytes) {
            let _ = cms.verify(b"message", &[]);
        }
    }
    if let Ok(cms) = esia_crypto::cms::ParsedCms::parse(data) {
        let _ = cms.verify(data, &[]);
    }
    let _ = esia_crypto::cert::ParsedCert::from_pem_or_der(data);
    let certs = [RegisteredCert {
        id: "fuzz".into(),
        der: data.to_vec(),
    }];
    for generation in [Generation::V1Cms, Generation::V2Raw] {
        let check = SecretCheck {
            generation,
            candidates: vec![SigningCandidate {
                name: "fuzz",
                message: "m".into(),
            }],
            client_secret: &text,
            client_certificate_hash: Some(&text),
            certs: &certs,
            lenient: true,
        };
        let _ = verify_client_secret(&check);
    }
});
