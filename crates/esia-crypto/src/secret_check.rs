//! The vocabulary of one `client_secret` check (§3.2, §3.3): what is checked (`SecretCheck`, the
//! registered certificates, the signing strings to try) and what came of it (`SecretMatch`, or a
//! `SecretFailure` with every attempt explained), shared by the v1 and v2 halves. No verification
//! here: that is `secret_v1`/`secret_v2`, chosen by `secret`.

use serde::Serialize;

use crate::b64::SecretEncoding;
use crate::cert::CertHashForm;
use crate::cms::CmsError;

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

pub(crate) fn fail(
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

pub(crate) fn cms_outcome(e: &CmsError) -> String {
    e.to_string()
}
