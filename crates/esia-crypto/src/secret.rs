//! `client_secret` verification for the protocol layer (§3.2 v1 CMS, §3.3 v2/v3 raw GOST): lenient
//! base64 decoding, certificate selection by `client_certificate_hash`, and trying every signing
//! string the caller proposes under every tolerated byte order/container. Returns which variant
//! matched, or a serialisable explanation of each attempt. The signing strings are built by the
//! caller; nothing secret is recorded (signatures are public values, messages are request data).

use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;
use serde::Serialize;

use crate::cert::{match_cert_hash, CertHashForm, CertKey, ParsedCert};
use crate::cms::{CmsError, ParsedCms};

/// Protocol generation of the endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Generation {
    /// `/aas/oauth2/ac`, `/aas/oauth2/te`: detached (or attached) CMS.
    V1Cms,
    /// `/aas/oauth2/v2/ac`, `/aas/oauth2/v3/te`: raw 64-byte GOST signature.
    V2Raw,
}

/// A certificate registered for the client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegisteredCert {
    /// The caller's identifier (reported back on a match).
    pub id: String,
    /// DER (PEM and base64 are accepted too; see [`ParsedCert::from_pem_or_der`]).
    pub der: Vec<u8>,
}

/// A signing string the protocol layer wants tried, e.g. `v3te-refresh-ilm4`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SigningCandidate {
    /// A stable name reported back on a match.
    pub name: &'static str,
    /// The exact string (UTF-8) the client should have signed.
    pub message: String,
}

/// Everything needed to check one `client_secret`.
#[derive(Debug, Clone)]
pub struct SecretCheck<'a> {
    /// v1 (CMS) or v2/v3 (raw).
    pub generation: Generation,
    /// Signing strings to try, in order of preference.
    pub candidates: Vec<SigningCandidate>,
    /// The `client_secret` parameter as received (after URL decoding).
    pub client_secret: &'a str,
    /// The `client_certificate_hash` parameter, if sent.
    pub client_certificate_hash: Option<&'a str>,
    /// The client's registered certificates.
    pub certs: &'a [RegisteredCert],
    /// Accept SHA-256 certificate hashes too.
    pub lenient: bool,
}

/// How the secret was encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SecretEncoding {
    /// URL-safe alphabet (`-`, `_`).
    Base64Url { padded: bool },
    /// Standard alphabet (`+`, `/`).
    Base64Std { padded: bool },
}

/// Which signature layout verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SignatureVariant {
    /// Raw `s‖r` big-endian (OpenSSL, BouncyCastle, reversed CryptoPro).
    RawSr,
    /// Raw signature with all bytes reversed (CryptoPro output not mirrored by the client).
    RawReversed,
    /// Detached CMS without signed attributes.
    CmsNoAttrs,
    /// Detached CMS with signed attributes.
    CmsSignedAttrs,
    /// CMS with the content attached.
    CmsAttached,
    /// A CMS sent to a v2/v3 endpoint (as some FR-style clients do).
    CmsOnV2FrStyle,
}

/// A successful check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SecretMatch {
    /// Name of the signing string that verified.
    pub candidate: &'static str,
    /// Id of the registered certificate that verified.
    pub cert_id: String,
    /// Signature layout.
    pub variant: SignatureVariant,
    /// Base64 flavour of the secret.
    pub encoding: SecretEncoding,
    /// Which hash form matched, when a hash was sent.
    pub cert_hash_form: Option<CertHashForm>,
}

/// The overall reason of a failed check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum FailureReason {
    /// The secret is not base64 in either alphabet.
    Undecodable,
    /// Decoded, but neither a raw signature of the right size nor a CMS.
    WrongLength,
    /// v1: the secret is not a usable CMS `SignedData`.
    NotCms,
    /// No registered certificate has the received hash.
    NoCertForHash,
    /// The client has no usable (parsable, supported) certificate.
    NoUsableCert,
    /// The CMS signature is valid, but its certificate is not registered for the client.
    CertNotRegistered,
    /// No candidate string verified under any variant.
    SignatureMismatch,
}

/// One tried combination and its outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attempt {
    /// Candidate name.
    pub candidate: &'static str,
    /// Registered certificate id, when one was involved.
    pub cert_id: Option<String>,
    /// Variant tried, when it got that far.
    pub variant: Option<SignatureVariant>,
    /// The string that was expected to be signed.
    pub expected_message: String,
    /// What happened.
    pub outcome: String,
    /// The registered certificate's hash (Streebog-256, uppercase hex).
    pub cert_hash_expected: Option<String>,
    /// The hash the client sent.
    pub cert_hash_received: Option<String>,
}

/// A failed check with every attempt explained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SecretFailure {
    /// Overall reason.
    pub reason: FailureReason,
    /// One-line explanation.
    pub detail: String,
    /// Base64 flavour, when decoding worked.
    pub encoding: Option<SecretEncoding>,
    /// Every attempt.
    pub attempts: Vec<Attempt>,
}

/// Why a secret could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub enum DecodeError {
    /// Nothing left after stripping whitespace.
    #[error("empty")]
    Empty,
    /// Both `-`/`_` and `+`/`/` appear.
    #[error("mixes the URL-safe and standard base64 alphabets")]
    MixedAlphabets,
    /// Invalid characters, misplaced `=` or impossible length.
    #[error("invalid base64: {0}")]
    Invalid(String),
}

const LENIENT: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_decode_padding_mode(DecodePaddingMode::RequireNone)
    .with_decode_allow_trailing_bits(true);
const URL: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, LENIENT);
const STD: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, LENIENT);

/// Decodes base64 or base64url, with or without `=` padding, ignoring all whitespace (line breaks
/// from CAdESCOM or `openssl base64` included). Reports which flavour it was.
pub fn decode_secret_lenient(input: &str) -> Result<(Vec<u8>, SecretEncoding), DecodeError> {
    let cleaned: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if cleaned.is_empty() {
        return Err(DecodeError::Empty);
    }
    let padded = cleaned.ends_with('=');
    let body = cleaned.trim_end_matches('=');
    if cleaned.len() - body.len() > 2 || body.contains('=') {
        return Err(DecodeError::Invalid("misplaced '='".into()));
    }
    let url = body.contains(['-', '_']);
    let std = body.contains(['+', '/']);
    let (engine, encoding) = match (url, std) {
        (true, true) => return Err(DecodeError::MixedAlphabets),
        (false, true) => (&STD, SecretEncoding::Base64Std { padded }),
        _ => (&URL, SecretEncoding::Base64Url { padded }),
    };
    let bytes = engine
        .decode(body)
        .map_err(|e| DecodeError::Invalid(e.to_string()))?;
    Ok((bytes, encoding))
}

/// Alias of [`decode_secret_lenient`] for other modules (certificates in bare base64).
pub(crate) fn decode_base64_lenient(input: &str) -> Result<(Vec<u8>, SecretEncoding), DecodeError> {
    decode_secret_lenient(input)
}

fn fail(
    reason: FailureReason,
    detail: impl Into<String>,
    encoding: Option<SecretEncoding>,
    attempts: Vec<Attempt>,
) -> SecretFailure {
    SecretFailure {
        reason,
        detail: detail.into(),
        encoding,
        attempts,
    }
}

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
        Generation::V2Raw => verify_v2(check, &bytes, encoding, &parsed),
    }
}

pub(crate) fn base_attempt(
    cand: &SigningCandidate,
    cert_id: Option<&str>,
    variant: Option<SignatureVariant>,
) -> Attempt {
    Attempt {
        candidate: cand.name,
        cert_id: cert_id.map(str::to_string),
        variant,
        expected_message: cand.message.clone(),
        outcome: String::new(),
        cert_hash_expected: None,
        cert_hash_received: None,
    }
}

pub(crate) fn with_outcome(mut a: Attempt, outcome: impl Into<String>) -> Attempt {
    a.outcome = outcome.into();
    a
}

fn verify_v2(
    check: &SecretCheck,
    bytes: &[u8],
    encoding: SecretEncoding,
    parsed: &[(&RegisteredCert, ParsedCert)],
) -> Result<SecretMatch, SecretFailure> {
    let received = check.client_certificate_hash;
    let mut attempts = Vec::new();
    // Select certificates by hash (or all of them when no hash was sent, e.g. AIS refresh).
    let mut selected: Vec<(&RegisteredCert, &ParsedCert, Option<CertHashForm>)> = Vec::new();
    for (rc, pc) in parsed {
        match received {
            None => selected.push((rc, pc, None)),
            Some(h) => match match_cert_hash(&pc.der, h, check.lenient) {
                Some(form) => selected.push((rc, pc, Some(form))),
                None => attempts.push(Attempt {
                    candidate: "-",
                    cert_id: Some(rc.id.clone()),
                    variant: None,
                    expected_message: String::new(),
                    outcome: "certificate hash differs".into(),
                    cert_hash_expected: Some(pc.hash_hex()),
                    cert_hash_received: Some(h.to_string()),
                }),
            },
        }
    }
    if selected.is_empty() {
        return Err(if parsed.is_empty() {
            fail(
                FailureReason::NoUsableCert,
                "no parsable certificate registered for the client",
                Some(encoding),
                attempts,
            )
        } else {
            fail(
                FailureReason::NoCertForHash,
                "no registered certificate has this client_certificate_hash",
                Some(encoding),
                attempts,
            )
        });
    }
    let raw_fits = selected.iter().any(|(_, pc, _)| matches!(&pc.key, CertKey::Gost(k) if bytes.len() == 2 * k.curve().key_bytes()));
    if !raw_fits {
        return verify_v2_cms(check, bytes, encoding, &selected, attempts);
    }
    let mut reversed = bytes.to_vec();
    reversed.reverse();
    for (rc, pc, form) in &selected {
        let CertKey::Gost(key) = &pc.key else {
            attempts.push(Attempt {
                cert_id: Some(rc.id.clone()),
                outcome: format!("certificate key is {:?}, not GOST", pc.key_algorithm),
                ..base_attempt(
                    &SigningCandidate {
                        name: "-",
                        message: String::new(),
                    },
                    None,
                    None,
                )
            });
            continue;
        };
        for cand in &check.candidates {
            for (variant, sig) in [
                (SignatureVariant::RawSr, bytes),
                (SignatureVariant::RawReversed, reversed.as_slice()),
            ] {
                if key.verify_message(cand.message.as_bytes(), sig) {
                    return Ok(SecretMatch {
                        candidate: cand.name,
                        cert_id: rc.id.clone(),
                        variant,
                        encoding,
                        cert_hash_form: *form,
                    });
                }
                let mut a = with_outcome(
                    base_attempt(cand, Some(&rc.id), Some(variant)),
                    "signature does not verify",
                );
                a.cert_hash_expected = Some(pc.hash_hex());
                a.cert_hash_received = received.map(str::to_string);
                attempts.push(a);
            }
        }
    }
    Err(fail(
        FailureReason::SignatureMismatch,
        "no candidate string verified with the selected certificates",
        Some(encoding),
        attempts,
    ))
}

/// v2 endpoint received something that is not a raw signature: try it as a CMS (FR style), with
/// only the hash-selected certificates as signer candidates.
fn verify_v2_cms(
    check: &SecretCheck,
    bytes: &[u8],
    encoding: SecretEncoding,
    selected: &[(&RegisteredCert, &ParsedCert, Option<CertHashForm>)],
    mut attempts: Vec<Attempt>,
) -> Result<SecretMatch, SecretFailure> {
    let cms = match ParsedCms::parse(bytes) {
        Ok(c) => c,
        Err(e) => {
            let detail = format!("decoded {} bytes: not a raw GOST signature of the certificate's size, and not CMS ({e})", bytes.len());
            return Err(fail(
                FailureReason::WrongLength,
                detail,
                Some(encoding),
                attempts,
            ));
        }
    };
    let registry: Vec<ParsedCert> = selected.iter().map(|(_, pc, _)| (*pc).clone()).collect();
    for cand in &check.candidates {
        match cms.verify(cand.message.as_bytes(), &registry) {
            Ok(v) => {
                if let Some((rc, _, form)) = selected.iter().find(|(_, pc, _)| pc.der == v.cert.der)
                {
                    return Ok(SecretMatch {
                        candidate: cand.name,
                        cert_id: rc.id.clone(),
                        variant: SignatureVariant::CmsOnV2FrStyle,
                        encoding,
                        cert_hash_form: *form,
                    });
                }
                attempts.push(with_outcome(
                    base_attempt(cand, None, Some(SignatureVariant::CmsOnV2FrStyle)),
                    "CMS verifies, but with a certificate that is not registered",
                ));
            }
            Err(e) => attempts.push(with_outcome(
                base_attempt(cand, None, Some(SignatureVariant::CmsOnV2FrStyle)),
                cms_outcome(&e),
            )),
        }
    }
    Err(fail(
        FailureReason::SignatureMismatch,
        "CMS on a v2 endpoint did not verify",
        Some(encoding),
        attempts,
    ))
}

pub(crate) fn cms_outcome(e: &CmsError) -> String {
    e.to_string()
}
