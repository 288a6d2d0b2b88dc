//! CMS `SignedData` verification for v1 `client_secret`s (§3.2): detached or attached content,
//! with or without signed attributes, GOST R 34.10-2012 (Streebog digests) or RSA-SHA256, the
//! signer certificate taken from the CMS (matched by issuer+serial or SKI) or from the caller's
//! registry. Signed attributes are verified over their original bytes re-tagged as SET.
//! The producing side (making a CMS) is `cms_sign`'s.

use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo};
use der::asn1::{AnyRef, OctetString};
use der::{Decode, Reader, SliceReader};
use serde::Serialize;

use crate::cert::{verify_with_key, DigestKind, ParsedCert};

pub(crate) const OID_SIGNED_DATA: &str = "1.2.840.113549.1.7.2";
pub(crate) const OID_MESSAGE_DIGEST: &str = "1.2.840.113549.1.9.4";
pub(crate) const OID_DATA: &str = "1.2.840.113549.1.7.1";
pub(crate) const OID_CONTENT_TYPE: &str = "1.2.840.113549.1.9.3";
pub(crate) const OID_SIGNING_TIME: &str = "1.2.840.113549.1.9.5";
pub(crate) const OID_STREEBOG_256: &str = "1.2.643.7.1.1.2.2";
pub(crate) const OID_STREEBOG_512: &str = "1.2.643.7.1.1.2.3";
pub(crate) const OID_SHA256: &str = "2.16.840.1.101.3.4.2.1";

/// Why a CMS signature was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub enum CmsError {
    /// Not DER `ContentInfo`/`SignedData`.
    #[error("malformed CMS: {0}")]
    Malformed(String),
    /// `ContentInfo` of another type.
    #[error("not SignedData: {0}")]
    NotSignedData(String),
    /// No `SignerInfo`.
    #[error("no signer")]
    NoSigner,
    /// Digest algorithm not Streebog-256/512 or SHA-256.
    #[error("unsupported digest algorithm {0}")]
    UnsupportedDigest(String),
    /// Signature algorithm not GOST R 34.10-2012 or RSA.
    #[error("unsupported signature algorithm {0}")]
    UnsupportedSignature(String),
    /// The attached content differs from the expected message.
    #[error("attached content differs from the expected message")]
    ContentMismatch,
    /// Signed attributes lack `messageDigest`.
    #[error("signed attributes without messageDigest")]
    NoMessageDigest,
    /// `messageDigest` is not the digest of the expected message.
    #[error("messageDigest does not match the message")]
    MessageDigestMismatch,
    /// No certificate available (neither in the CMS nor in the registry).
    #[error("no signer certificate")]
    NoCertificate,
    /// The signature does not verify with any candidate certificate.
    #[error("signature does not verify")]
    BadSignature,
}

/// Where the signer certificate came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CertSource {
    /// Embedded in the CMS `certificates`.
    Embedded,
    /// From the caller's registry (index into the slice passed in).
    Registry(usize),
}

/// A verified CMS signature.
#[derive(Debug, Clone)]
pub struct CmsVerified {
    /// The certificate whose key verified the signature.
    pub cert: ParsedCert,
    /// Where it came from.
    pub cert_source: CertSource,
    /// Whether signed attributes were present (and `messageDigest` checked).
    pub signed_attrs: bool,
    /// Whether the content was attached (`eContent` present).
    pub attached: bool,
    /// The digest algorithm used.
    pub digest: DigestKind,
}

/// A decoded `SignedData` (first signer), reusable for several candidate messages.
#[derive(Debug, Clone)]
pub struct ParsedCms {
    signer: SignerInfo,
    signed_attrs_set: Option<Vec<u8>>,
    certs: Vec<ParsedCert>,
    econtent: Option<Vec<u8>>,
    digest: DigestKind,
}

impl ParsedCms {
    /// Decodes DER `ContentInfo(SignedData)`. Never panics on arbitrary input.
    pub fn parse(der: &[u8]) -> Result<Self, CmsError> {
        let ci = ContentInfo::from_der(der).map_err(|e| CmsError::Malformed(e.to_string()))?;
        if ci.content_type.to_string() != OID_SIGNED_DATA {
            return Err(CmsError::NotSignedData(ci.content_type.to_string()));
        }
        let sd: SignedData = ci
            .content
            .decode_as()
            .map_err(|e| CmsError::Malformed(e.to_string()))?;
        let signer = sd
            .signer_infos
            .0
            .iter()
            .next()
            .cloned()
            .ok_or(CmsError::NoSigner)?;
        let digest_oid = signer.digest_alg.oid.to_string();
        let digest = match digest_oid.as_str() {
            "1.2.643.7.1.1.2.2" => DigestKind::Streebog256,
            "1.2.643.7.1.1.2.3" => DigestKind::Streebog512,
            "2.16.840.1.101.3.4.2.1" => DigestKind::Sha256,
            _ => return Err(CmsError::UnsupportedDigest(digest_oid)),
        };
        let sig_oid = signer.signature_algorithm.oid.to_string();
        if !matches!(
            sig_oid.as_str(),
            "1.2.643.7.1.1.1.1"
                | "1.2.643.7.1.1.1.2"
                | "1.2.643.7.1.1.3.2"
                | "1.2.643.7.1.1.3.3"
                | "1.2.840.113549.1.1.1"
                | "1.2.840.113549.1.1.11"
        ) {
            return Err(CmsError::UnsupportedSignature(sig_oid));
        }
        let certs = sd
            .certificates
            .iter()
            .flat_map(|set| set.0.iter())
            .filter_map(|choice| match choice {
                cms::cert::CertificateChoices::Certificate(c) => der::Encode::to_der(c).ok(),
                _ => None,
            })
            .filter_map(|d| ParsedCert::from_der(&d).ok())
            .collect();
        let econtent = sd
            .encap_content_info
            .econtent
            .as_ref()
            .map(|any| any.value().to_vec());
        let signed_attrs_set = if signer.signed_attrs.is_some() {
            Some(
                raw_signed_attrs(der)
                    .ok_or_else(|| CmsError::Malformed("signed attributes not DER".into()))?,
            )
        } else {
            None
        };
        Ok(ParsedCms {
            signer,
            signed_attrs_set,
            certs,
            econtent,
            digest,
        })
    }

    /// Whether `eContent` is present.
    pub fn is_attached(&self) -> bool {
        self.econtent.is_some()
    }

    /// Whether signed attributes are present.
    pub fn has_signed_attrs(&self) -> bool {
        self.signed_attrs_set.is_some()
    }

    /// Certificates embedded in the CMS.
    pub fn embedded_certs(&self) -> &[ParsedCert] {
        &self.certs
    }

    /// Verifies the signature over `message` (§3.2 recipe steps 3–6).
    pub fn verify(&self, message: &[u8], registry: &[ParsedCert]) -> Result<CmsVerified, CmsError> {
        if let Some(content) = &self.econtent {
            if content.as_slice() != message {
                return Err(CmsError::ContentMismatch);
            }
        }
        let signed: Vec<u8> = match (&self.signer.signed_attrs, &self.signed_attrs_set) {
            (Some(attrs), Some(set)) => {
                let md = attrs
                    .iter()
                    .find(|a| a.oid.to_string() == OID_MESSAGE_DIGEST)
                    .and_then(|a| a.values.iter().next())
                    .and_then(|v| OctetString::from_der(&der::Encode::to_der(v).ok()?).ok())
                    .ok_or(CmsError::NoMessageDigest)?;
                if md.as_bytes() != self.digest.digest(message).as_slice() {
                    return Err(CmsError::MessageDigestMismatch);
                }
                set.clone()
            }
            _ => message.to_vec(),
        };
        let sig = self.signer.signature.as_bytes();
        let mut tried = 0usize;
        let embedded = self.certs.iter().filter(|c| self.sid_matches(c));
        for cert in embedded {
            tried += 1;
            if verify_with_key(&cert.key, &signed, sig, self.digest) {
                return Ok(self.verified(cert.clone(), CertSource::Embedded));
            }
        }
        // Registry: certificates matching the signer id first, then every other one.
        let (matching, others): (Vec<_>, Vec<_>) = registry
            .iter()
            .enumerate()
            .partition(|(_, c)| self.sid_matches(c));
        for (idx, cert) in matching.into_iter().chain(others) {
            tried += 1;
            if verify_with_key(&cert.key, &signed, sig, self.digest) {
                return Ok(self.verified(cert.clone(), CertSource::Registry(idx)));
            }
        }
        Err(if tried == 0 {
            CmsError::NoCertificate
        } else {
            CmsError::BadSignature
        })
    }

    fn verified(&self, cert: ParsedCert, cert_source: CertSource) -> CmsVerified {
        CmsVerified {
            cert,
            cert_source,
            signed_attrs: self.has_signed_attrs(),
            attached: self.is_attached(),
            digest: self.digest,
        }
    }

    fn sid_matches(&self, cert: &ParsedCert) -> bool {
        match &self.signer.sid {
            SignerIdentifier::IssuerAndSerialNumber(ias) => {
                cert.matches_issuer_serial(&ias.issuer, ias.serial_number.as_bytes())
            }
            SignerIdentifier::SubjectKeyIdentifier(ski) => cert.matches_ski(ski.0.as_bytes()),
        }
    }
}

/// Parses and verifies in one step. `registry` holds the certificates registered for the client.
pub fn verify_cms(
    der: &[u8],
    message: &[u8],
    registry: &[ParsedCert],
) -> Result<CmsVerified, CmsError> {
    ParsedCms::parse(der)?.verify(message, registry)
}

/// The TLVs directly inside a constructed value's content.
fn children(content: &[u8]) -> Option<Vec<&[u8]>> {
    let mut reader = SliceReader::new(content).ok()?;
    let mut out = Vec::new();
    while !reader.is_finished() {
        out.push(reader.tlv_bytes().ok()?);
    }
    Some(out)
}

fn value(tlv: &[u8]) -> Option<&[u8]> {
    AnyRef::from_der(tlv).ok().map(|a| a.value())
}

/// The first signer's `[0] signedAttrs` exactly as encoded, re-tagged as `SET` (0x31).
fn raw_signed_attrs(der: &[u8]) -> Option<Vec<u8>> {
    let ci = children(value(der)?)?;
    let explicit = value(ci.get(1)?)?; // [0] EXPLICIT content
    let sd = children(value(explicit)?)?;
    let signer_infos = sd.iter().rev().find(|t| t.first() == Some(&0x31))?;
    let first_signer = *children(value(signer_infos)?)?.first()?;
    let fields = children(value(first_signer)?)?;
    let attrs = fields.get(3).filter(|t| t.first() == Some(&0xA0))?;
    let mut out = attrs.to_vec();
    out[0] = 0x31;
    Some(out)
}
