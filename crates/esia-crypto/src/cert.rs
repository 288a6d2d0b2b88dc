//! X.509 certificates (GOST R 34.10-2012 and RSA): parsing from PEM or DER into [`ParsedCert`]
//! (subject fields incl. SNILS, validity, public key), and `client_certificate_hash` computing
//! and matching (§3.5: Streebog-256 of the DER, hex, case-insensitive; byte-reversed and, when
//! lenient, SHA-256 forms are also recognised and reported).

use chrono::{DateTime, Utc};
use der::asn1::ObjectIdentifier;
use der::{Decode, Encode, Reader, SliceReader, Tag, Tagged};
use serde::Serialize;
use x509_cert::Certificate;

use crate::gost::{Curve, GostPublicKey};
use crate::hash::{sha256, streebog256};

/// OID of the GOST R 34.10-2012 256-bit public key algorithm.
pub const OID_GOST_256: &str = "1.2.643.7.1.1.1.1";
/// OID of the GOST R 34.10-2012 512-bit public key algorithm.
pub const OID_GOST_512: &str = "1.2.643.7.1.1.1.2";
/// OID of the GOST R 34.10-2001 public key algorithm (256-bit, same curves).
pub const OID_GOST_2001: &str = "1.2.643.2.2.19";
/// OID of rsaEncryption.
pub const OID_RSA: &str = "1.2.840.113549.1.1.1";
/// OID of the SNILS subject attribute.
pub const OID_SNILS: &str = "1.2.643.100.3";

/// Why a certificate could not be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub enum CertError {
    /// Neither PEM nor DER X.509.
    #[error("not an X.509 certificate: {0}")]
    Malformed(String),
    /// The GOST public key is malformed or not on its curve.
    #[error("bad public key: {0}")]
    BadKey(String),
}

/// Which kind of key the certificate carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum KeyAlgorithm {
    /// GOST R 34.10-2012 (or -2001) with a 256-bit key.
    Gost256,
    /// GOST R 34.10-2012 with a 512-bit key.
    Gost512,
    /// RSA.
    Rsa,
    /// Anything else (not usable for signatures here).
    Other,
}

/// The certificate's public key, ready for verification.
#[derive(Debug, Clone)]
pub enum CertKey {
    /// A GOST key with its parameter set.
    Gost(GostPublicKey),
    /// An RSA key as a PKCS#1 `RSAPublicKey` DER.
    Rsa(Vec<u8>),
    /// Unsupported algorithm (its OID).
    Other(String),
}

/// A parsed certificate with the fields the emulator needs.
#[derive(Debug, Clone)]
pub struct ParsedCert {
    /// The DER encoding.
    pub der: Vec<u8>,
    /// Subject as an RFC 4514 string.
    pub subject: String,
    /// Issuer as an RFC 4514 string.
    pub issuer: String,
    /// Serial number, uppercase hex of its DER content bytes.
    pub serial_hex: String,
    /// Key algorithm family.
    pub key_algorithm: KeyAlgorithm,
    /// The public key.
    pub key: CertKey,
    /// Start of validity.
    pub not_before: DateTime<Utc>,
    /// End of validity.
    pub not_after: DateTime<Utc>,
    /// SNILS (OID 1.2.643.100.3) from the subject, if present.
    pub snils: Option<String>,
    /// Common name (CN).
    pub common_name: Option<String>,
    /// Surname (SN, 2.5.4.4).
    pub surname: Option<String>,
    /// Given name(s) (G, 2.5.4.42), e.g. «Иван Иванович» in qualified certificates.
    pub given_name: Option<String>,
    /// The certificate's own signature algorithm OID.
    pub signature_algorithm: String,
    pub(crate) cert: Certificate,
}

impl ParsedCert {
    /// Parses a DER certificate.
    pub fn from_der(der: &[u8]) -> Result<Self, CertError> {
        let cert = Certificate::from_der(der).map_err(|e| CertError::Malformed(e.to_string()))?;
        Self::from_cert(cert, der.to_vec())
    }

    /// Parses a PEM (`-----BEGIN CERTIFICATE-----`) or DER certificate; also accepts bare base64.
    pub fn from_pem_or_der(input: &[u8]) -> Result<Self, CertError> {
        if input.first() == Some(&0x30) {
            return Self::from_der(input);
        }
        let text = std::str::from_utf8(input)
            .map_err(|_| CertError::Malformed("not DER, not UTF-8".into()))?;
        if let Some(start) = text.find("-----BEGIN CERTIFICATE-----") {
            let (_, der) = pem_rfc7468::decode_vec(&text.as_bytes()[start..])
                .map_err(|e| CertError::Malformed(format!("PEM: {e}")))?;
            return Self::from_der(&der);
        }
        let der = crate::b64::decode_base64_lenient(text)
            .map(|(d, _)| d)
            .map_err(|e| CertError::Malformed(format!("neither PEM nor DER nor base64: {e}")))?;
        Self::from_der(&der)
    }

    fn from_cert(cert: Certificate, der: Vec<u8>) -> Result<Self, CertError> {
        let tbs = &cert.tbs_certificate;
        let (key_algorithm, key) = parse_key(&tbs.subject_public_key_info)?;
        let time = |t: &x509_cert::time::Time| {
            let secs = t.to_unix_duration().as_secs();
            DateTime::<Utc>::from_timestamp(i64::try_from(secs).unwrap_or(i64::MAX), 0)
                .unwrap_or_default()
        };
        let attr = |oid: &str| find_attr(&tbs.subject, oid);
        Ok(ParsedCert {
            subject: tbs.subject.to_string(),
            issuer: tbs.issuer.to_string(),
            serial_hex: hex::encode_upper(tbs.serial_number.as_bytes()),
            key_algorithm,
            key,
            not_before: time(&tbs.validity.not_before),
            not_after: time(&tbs.validity.not_after),
            snils: attr(OID_SNILS),
            common_name: attr("2.5.4.3"),
            surname: attr("2.5.4.4"),
            given_name: attr("2.5.4.42"),
            signature_algorithm: cert.signature_algorithm.oid.to_string(),
            der,
            cert,
        })
    }

    /// `client_certificate_hash` of this certificate: Streebog-256 of the DER, uppercase hex.
    pub fn hash_hex(&self) -> String {
        cert_hash_hex(&self.der)
    }

    /// Whether the certificate's (issuer, serial) equals the given DER-encoded pair.
    pub(crate) fn matches_issuer_serial(
        &self,
        issuer: &x509_cert::name::Name,
        serial: &[u8],
    ) -> bool {
        &self.cert.tbs_certificate.issuer == issuer
            && self.cert.tbs_certificate.serial_number.as_bytes() == serial
    }

    /// Whether the certificate's subject key identifier extension equals `ski`.
    pub(crate) fn matches_ski(&self, ski: &[u8]) -> bool {
        let Some(exts) = &self.cert.tbs_certificate.extensions else {
            return false;
        };
        exts.iter().any(|e| {
            e.extn_id.to_string() == "2.5.29.14"
                && der::asn1::OctetString::from_der(e.extn_value.as_bytes())
                    .is_ok_and(|o| o.as_bytes() == ski)
        })
    }

    /// Verifies this certificate's own signature with `issuer`'s key (GOST-256/512 or RSA-SHA256).
    pub fn is_signed_by(&self, issuer: &ParsedCert) -> bool {
        let Ok(tbs) = self.cert.tbs_certificate.to_der() else {
            return false;
        };
        let Some(sig) = self.cert.signature.as_bytes() else {
            return false;
        };
        verify_with_key(&issuer.key, &tbs, sig, DigestKind::for_key(&issuer.key))
    }
}

/// Digest used with a key when nothing else says otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DigestKind {
    /// Streebog-256.
    Streebog256,
    /// Streebog-512.
    Streebog512,
    /// SHA-256.
    Sha256,
}

impl DigestKind {
    pub(crate) fn for_key(key: &CertKey) -> Self {
        match key {
            CertKey::Gost(k) if k.curve().is_512() => DigestKind::Streebog512,
            CertKey::Gost(_) => DigestKind::Streebog256,
            _ => DigestKind::Sha256,
        }
    }

    /// Hashes `data`.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            DigestKind::Streebog256 => streebog256(data).to_vec(),
            DigestKind::Streebog512 => crate::hash::streebog512(data).to_vec(),
            DigestKind::Sha256 => sha256(data).to_vec(),
        }
    }
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

fn parse_key(spki: &spki::SubjectPublicKeyInfoOwned) -> Result<(KeyAlgorithm, CertKey), CertError> {
    let oid = spki.algorithm.oid.to_string();
    let raw = spki.subject_public_key.raw_bytes();
    match oid.as_str() {
        OID_GOST_256 | OID_GOST_512 | OID_GOST_2001 => {
            let params = spki
                .algorithm
                .parameters
                .as_ref()
                .ok_or(CertError::BadKey("no GOST parameters".into()))?;
            let curve_oid =
                first_oid(params.value()).ok_or(CertError::BadKey("bad GOST parameters".into()))?;
            let curve = Curve::from_oid(&curve_oid.to_string())
                .ok_or_else(|| CertError::BadKey(format!("unknown parameter set {curve_oid}")))?;
            let point = der::asn1::OctetString::from_der(raw)
                .map_err(|e| CertError::BadKey(format!("public key OCTET STRING: {e}")))?;
            let key = GostPublicKey::from_le_xy(curve, point.as_bytes())
                .map_err(|e| CertError::BadKey(e.to_string()))?;
            let alg = if curve.is_512() {
                KeyAlgorithm::Gost512
            } else {
                KeyAlgorithm::Gost256
            };
            Ok((alg, CertKey::Gost(key)))
        }
        OID_RSA => Ok((KeyAlgorithm::Rsa, CertKey::Rsa(raw.to_vec()))),
        _ => Ok((KeyAlgorithm::Other, CertKey::Other(oid))),
    }
}

/// The first OID inside a SEQUENCE's content (lenient: trailing OIDs are ignored).
fn first_oid(seq_content: &[u8]) -> Option<ObjectIdentifier> {
    let mut reader = SliceReader::new(seq_content).ok()?;
    let oid = reader.decode::<ObjectIdentifier>().ok()?;
    Some(oid)
}

fn find_attr(name: &x509_cert::name::Name, oid: &str) -> Option<String> {
    name.0
        .iter()
        .flat_map(|rdn| rdn.0.iter())
        .find(|atv| atv.oid.to_string() == oid)
        .and_then(|atv| any_to_string(&atv.value))
}

fn any_to_string(any: &der::Any) -> Option<String> {
    let bytes = any.value();
    match any.tag() {
        Tag::Utf8String
        | Tag::PrintableString
        | Tag::NumericString
        | Tag::Ia5String
        | Tag::TeletexString => Some(String::from_utf8_lossy(bytes).into_owned()),
        Tag::BmpString => {
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            Some(String::from_utf16_lossy(&units))
        }
        _ => None,
    }
}

/// `client_certificate_hash` of a DER certificate: Streebog-256, 64 uppercase hex characters.
pub fn cert_hash_hex(der: &[u8]) -> String {
    hex::encode_upper(streebog256(der))
}

/// Which written form of the certificate hash the client sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CertHashForm {
    /// Streebog-256 hex, uppercase (the documented form).
    GostUpper,
    /// Streebog-256 hex, lowercase (or mixed case).
    GostLower,
    /// Streebog-256 with the 32 bytes reversed.
    GostReversed,
    /// SHA-256 fingerprint of the DER (lenient mode only).
    Sha256,
}

/// Compares a received `client_certificate_hash` with a certificate; `None` if no form matches.
/// Whitespace and `:` separators are ignored; SHA-256 is accepted only when `lenient`.
pub fn match_cert_hash(der: &[u8], received: &str, lenient: bool) -> Option<CertHashForm> {
    let cleaned: String = received
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ':')
        .collect();
    let gost = streebog256(der);
    if cleaned.eq_ignore_ascii_case(&hex::encode(gost)) {
        let upper = !cleaned.chars().any(|c| c.is_ascii_lowercase());
        return Some(if upper {
            CertHashForm::GostUpper
        } else {
            CertHashForm::GostLower
        });
    }
    let mut rev = gost;
    rev.reverse();
    if cleaned.eq_ignore_ascii_case(&hex::encode(rev)) {
        return Some(CertHashForm::GostReversed);
    }
    if lenient && cleaned.eq_ignore_ascii_case(&hex::encode(sha256(der))) {
        return Some(CertHashForm::Sha256);
    }
    None
}
