//! The v2/v3 half of `client_secret` verification (§3.3): select registered certificates by
//! `client_certificate_hash` (all of them when absent), then try every candidate string as a raw
//! `s‖r` signature and byte-reversed; a CMS sent to a v2 endpoint is tried as `CmsOnV2FrStyle`.

use crate::b64::SecretEncoding;
use crate::cert::{match_cert_hash, CertHashForm, CertKey, ParsedCert};
use crate::cms::ParsedCms;
use crate::secret_check::{
    base_attempt, cms_outcome, fail, with_outcome, Attempt, FailureReason, RegisteredCert,
    SecretCheck, SecretFailure, SecretMatch, SignatureVariant, SigningCandidate,
};

pub(crate) fn verify_v2(
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
