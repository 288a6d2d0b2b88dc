//! `client_secret` verification for the protocol layer (§3.2 v1 CMS, §3.3 v2/v3 raw GOST): lenient
//! base64 decoding, certificate selection by `client_certificate_hash`, and trying every signing
//! string the caller proposes under every tolerated byte order/container. Returns which variant
//! matched, or a serialisable explanation of each attempt. The signing strings are built by the
//! caller; nothing secret is recorded (signatures are public values, messages are request data).

pub use crate::b64::{decode_secret_lenient, DecodeError, SecretEncoding};
use crate::cert::ParsedCert;
use crate::secret_check::fail;
pub use crate::secret_check::{
    Attempt, FailureReason, Generation, RegisteredCert, SecretCheck, SecretFailure, SecretMatch,
    SignatureVariant, SigningCandidate,
};

/// Verifies a `client_secret` against the candidates and the client's certificates.
pub fn verify_client_secret(check: &SecretCheck) -> Result<SecretMatch, SecretFailure> {
    let (bytes, encoding) = decode_secret_lenient(check.client_secret)
        .map_err(|e| fail(FailureReason::Undecodable, e.to_string(), None, vec![]))?;
    let parsed: Vec<(&RegisteredCert, ParsedCert)> = check
        .certs
        .iter()
        .filter_map(|rc| ParsedCert::from_pem_or_der(&rc.der).ok().map(|p| (rc, p)))
        .collect();
    match check.generation {
        Generation::V1Cms => crate::secret_v1::verify_v1(check, &bytes, encoding, &parsed),
        Generation::V2Raw => crate::secret_v2::verify_v2(check, &bytes, encoding, &parsed),
    }
}
