//! CMS `SignedData` verification for v1 `client_secret`s (§3.2): detached or attached content,
//! with or without signed attributes, GOST R 34.10-2012 (Streebog digests) or RSA-SHA256, the
//! signer certificate taken from the CMS (matched by issuer+serial or SKI) or from the caller's
//! registry. Signed attributes are verified over their original bytes re-tagged as SET.
//!
//! Also the producing side, [`sign_detached`]: the CMS a test client or QA scenario sends as a v1
//! `client_secret`, laid out as `openssl smime -sign -binary -outform DER [-noattr] [-nodetach]`
//! writes it, so QA tooling needs no OpenSSL.

use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use der::asn1::{AnyRef, ObjectIdentifier, OctetString, SetOfVec, UtcTime};
use der::{Any, Decode, Encode, Reader, SliceReader};
use serde::Serialize;
use spki::AlgorithmIdentifierOwned;
use x509_cert::attr::Attribute;

use crate::cert::{CertKey, DigestKind, ParsedCert, OID_GOST_256, OID_GOST_512, OID_RSA};
use crate::keys::{KeyError, PrivateKey};

const OID_SIGNED_DATA: &str = "1.2.840.113549.1.7.2";
const OID_MESSAGE_DIGEST: &str = "1.2.840.113549.1.9.4";
const OID_DATA: &str = "1.2.840.113549.1.7.1";
const OID_CONTENT_TYPE: &str = "1.2.840.113549.1.9.3";
const OID_SIGNING_TIME: &str = "1.2.840.113549.1.9.5";
const OID_STREEBOG_256: &str = "1.2.643.7.1.1.2.2";
const OID_STREEBOG_512: &str = "1.2.643.7.1.1.2.3";
const OID_SHA256: &str = "2.16.840.1.101.3.4.2.1";

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

/// Verifies `sig` over `data` with a certificate key. GOST: `s‖r` over the digest of `data`;
/// RSA: PKCS#1 v1.5 with SHA-256 only.
pub(crate) fn verify_with_key(key: &CertKey, data: &[u8], sig: &[u8], digest: DigestKind) -> bool {
    match key {
        CertKey::Gost(k) => {
            let expected = if k.curve().is_512() {
                DigestKind::Streebog512
            } else {
                DigestKind::Streebog256
            };
            digest == expected && k.verify_digest(&digest.digest(data), sig)
        }
        CertKey::Rsa(pkcs1) => {
            digest == DigestKind::Sha256 && crate::jwt::rsa_verify(pkcs1, data, sig)
        }
        CertKey::Other(_) => false,
    }
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

/// A DER `ContentInfo(SignedData)` over `message`, signed by `key` whose certificate `cert_der`
/// (DER or PEM) is embedded and named by issuer+serial, as `openssl smime -sign -binary -outform
/// DER` writes it:
/// - GOST-256/512: `digestAlgorithm` Streebog-256/512 (`1.2.643.7.1.1.2.2`/`.3`) and
///   `signatureAlgorithm` the key OID (`1.2.643.7.1.1.1.1`/`.2`), both with NULL parameters;
///   `signature` is `s‖r` (64/128 bytes). RSA: SHA-256 and `rsaEncryption`, PKCS#1 v1.5.
/// - `with_signed_attrs`: contentType, signingTime (now) and messageDigest as a DER-sorted SET,
///   signed as that SET; otherwise (`-noattr`) the message itself is signed.
/// - `attached`: the message is also carried as `eContent` (`-nodetach`); otherwise detached.
///
/// Built from the `cms` crate's types with `der` rather than its `builder`: the builder always
/// adds signed attributes (no `-noattr` form), computes digests only for SHA-2 (no Streebog), and
/// needs `signature`-crate `Keypair`/`Signer` impls and OID metadata our GOST key does not have.
pub fn sign_detached(
    key: &PrivateKey,
    cert_der: &[u8],
    message: &[u8],
    with_signed_attrs: bool,
    attached: bool,
) -> Result<Vec<u8>, KeyError> {
    let bad = |e: der::Error| KeyError::Malformed(e.to_string());
    let parsed =
        ParsedCert::from_pem_or_der(cert_der).map_err(|e| KeyError::Malformed(e.to_string()))?;
    let (digest, digest_oid, sig_oid) = match (key, &parsed.key) {
        (PrivateKey::Gost(g), CertKey::Gost(pk)) if pk == g.public_key() => {
            if g.curve().is_512() {
                (DigestKind::Streebog512, OID_STREEBOG_512, OID_GOST_512)
            } else {
                (DigestKind::Streebog256, OID_STREEBOG_256, OID_GOST_256)
            }
        }
        (PrivateKey::Rsa(r), CertKey::Rsa(p)) if *p == r.public_pkcs1_der() => {
            (DigestKind::Sha256, OID_SHA256, OID_RSA)
        }
        _ => return Err(KeyError::CertMismatch),
    };
    let alg = |oid: &str| AlgorithmIdentifierOwned {
        oid: ObjectIdentifier::new_unwrap(oid),
        parameters: Some(Any::null()),
    };
    let attr = |oid: &str, value: Any| -> Result<Attribute, KeyError> {
        Ok(Attribute {
            oid: ObjectIdentifier::new_unwrap(oid),
            values: SetOfVec::try_from(vec![value]).map_err(bad)?,
        })
    };
    let signed_attrs = if with_signed_attrs {
        let now = UtcTime::from_system_time(std::time::SystemTime::now()).map_err(bad)?;
        let md = OctetString::new(digest.digest(message)).map_err(bad)?;
        let attrs = vec![
            attr(
                OID_CONTENT_TYPE,
                Any::encode_from(&ObjectIdentifier::new_unwrap(OID_DATA)).map_err(bad)?,
            )?,
            attr(OID_SIGNING_TIME, Any::encode_from(&now).map_err(bad)?)?,
            attr(OID_MESSAGE_DIGEST, Any::encode_from(&md).map_err(bad)?)?,
        ];
        // `TryFrom<Vec>` sorts the elements into DER SET OF order.
        Some(SetOfVec::try_from(attrs).map_err(bad)?)
    } else {
        None
    };
    let signed_bytes = match &signed_attrs {
        // The SET OF encodes with tag 0x31: exactly the bytes the signature covers.
        Some(set) => set.to_der().map_err(bad)?,
        None => message.to_vec(),
    };
    let signature = match key {
        PrivateKey::Gost(g) => g.sign_message(&signed_bytes),
        PrivateKey::Rsa(r) => r
            .sign(&signed_bytes)
            .map_err(|e| KeyError::Backend(e.to_string()))?,
    };
    let cert = parsed.cert.clone();
    let signer = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: cert.tbs_certificate.issuer.clone(),
            serial_number: cert.tbs_certificate.serial_number.clone(),
        }),
        digest_alg: alg(digest_oid),
        signed_attrs,
        signature_algorithm: alg(sig_oid),
        signature: OctetString::new(signature).map_err(bad)?,
        unsigned_attrs: None,
    };
    let econtent = if attached {
        Some(Any::encode_from(&OctetString::new(message).map_err(bad)?).map_err(bad)?)
    } else {
        None
    };
    let sd = SignedData {
        version: CmsVersion::V1,
        digest_algorithms: SetOfVec::try_from(vec![alg(digest_oid)]).map_err(bad)?,
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: ObjectIdentifier::new_unwrap(OID_DATA),
            econtent,
        },
        certificates: Some(CertificateSet(
            SetOfVec::try_from(vec![CertificateChoices::Certificate(cert)]).map_err(bad)?,
        )),
        crls: None,
        signer_infos: SignerInfos(SetOfVec::try_from(vec![signer]).map_err(bad)?),
    };
    ContentInfo {
        content_type: ObjectIdentifier::new_unwrap(OID_SIGNED_DATA),
        content: Any::encode_from(&sd).map_err(bad)?,
    }
    .to_der()
    .map_err(bad)
}

/// [`sign_detached`] with the private key as PKCS#8 PEM (RSA or GOST; PKCS#1 RSA too).
pub fn sign_detached_pem(
    key_pem: &str,
    cert_der: &[u8],
    message: &[u8],
    with_signed_attrs: bool,
    attached: bool,
) -> Result<Vec<u8>, KeyError> {
    let key = crate::keys::load_private_key_pem(key_pem)?;
    sign_detached(&key, cert_der, message, with_signed_attrs, attached)
}
