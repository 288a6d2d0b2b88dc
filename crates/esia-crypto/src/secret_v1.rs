//! The v1 half of `client_secret` verification (§3.2): the secret is a CMS `SignedData`; the
//! signer certificate comes from the CMS or the registered list and must be registered for the
//! client (compared by DER), otherwise the failure is `CertNotRegistered`.

use crate::b64::SecretEncoding;
use crate::cert::{match_cert_hash, ParsedCert};
use crate::cms::{CmsError, ParsedCms};
use crate::secret_check::{
    base_attempt, cms_outcome, with_outcome, FailureReason, RegisteredCert, SecretCheck,
    SecretFailure, SecretMatch, SignatureVariant,
};

pub(crate) fn verify_v1(
    check: &SecretCheck,
    bytes: &[u8],
    encoding: SecretEncoding,
    parsed: &[(&RegisteredCert, ParsedCert)],
) -> Result<SecretMatch, SecretFailure> {
    let cms = ParsedCms::parse(bytes).map_err(|e| SecretFailure {
        reason: FailureReason::NotCms,
        detail: format!("decoded {} bytes, not a CMS SignedData: {e}", bytes.len()),
        encoding: Some(encoding),
        attempts: vec![],
    })?;
    let variant = if cms.is_attached() {
        SignatureVariant::CmsAttached
    } else if cms.has_signed_attrs() {
        SignatureVariant::CmsSignedAttrs
    } else {
        SignatureVariant::CmsNoAttrs
    };
    let registry: Vec<ParsedCert> = parsed.iter().map(|(_, pc)| pc.clone()).collect();
    let mut attempts = Vec::new();
    let mut not_registered = false;
    let mut mismatch = false;
    for cand in &check.candidates {
        match cms.verify(cand.message.as_bytes(), &registry) {
            Ok(v) => match parsed.iter().find(|(_, pc)| pc.der == v.cert.der) {
                Some((rc, pc)) => {
                    let cert_hash_form = check
                        .client_certificate_hash
                        .and_then(|h| match_cert_hash(&pc.der, h, check.lenient));
                    return Ok(SecretMatch {
                        candidate: cand.name,
                        cert_id: rc.id.clone(),
                        variant,
                        encoding,
                        cert_hash_form,
                    });
                }
                None => {
                    not_registered = true;
                    let mut a = with_outcome(
                        base_attempt(cand, None, Some(variant)),
                        format!("signature valid, but the signer certificate ({}) is not registered for the client", v.cert.subject),
                    );
                    a.cert_hash_expected = Some(v.cert.hash_hex());
                    attempts.push(a);
                }
            },
            Err(e) => {
                mismatch |= matches!(
                    e,
                    CmsError::BadSignature
                        | CmsError::MessageDigestMismatch
                        | CmsError::ContentMismatch
                );
                attempts.push(with_outcome(
                    base_attempt(cand, None, Some(variant)),
                    cms_outcome(&e),
                ));
            }
        }
    }
    let (reason, detail) = if not_registered {
        (
            FailureReason::CertNotRegistered,
            "the CMS signer certificate is not registered for this client",
        )
    } else if mismatch || registry.iter().len() + cms.embedded_certs().len() > 0 {
        (
            FailureReason::SignatureMismatch,
            "no candidate string verified",
        )
    } else {
        (
            FailureReason::NoUsableCert,
            "no certificate in the CMS and none registered",
        )
    };
    Err(SecretFailure {
        reason,
        detail: detail.into(),
        encoding: Some(encoding),
        attempts,
    })
}
