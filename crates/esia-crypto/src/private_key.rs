//! Private keys of the two algorithms the emulator signs with, RSA and GOST R 34.10-2012:
//! generation to PKCS#8 PEM, loading from PEM (GOST PKCS#8 in the gost-engine forms, the masked
//! CryptoPro scalar included), the PEM framing. No file I/O and no certificates made here (see
//! `selfsigned`), no JWT signing (see `keys`).

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::KeySize;
use aws_lc_rs::signature::RsaKeyPair;
use der::asn1::{AnyRef, ObjectIdentifier, OctetStringRef, UintRef};
use der::{Decode, Encode, Sequence};
use serde::Serialize;

use crate::cert::{OID_GOST_2001, OID_GOST_256, OID_GOST_512, OID_RSA};
use crate::gost::{Curve, GostPrivateKey};
use crate::jwt::RsaSigner;

/// Why key material was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub enum KeyError {
    /// PEM/DER structure problem.
    #[error("malformed key: {0}")]
    Malformed(String),
    /// Key algorithm not RSA or GOST.
    #[error("unsupported key algorithm {0}")]
    Unsupported(String),
    /// The certificate does not carry the private key's public key.
    #[error("certificate does not match the private key")]
    CertMismatch,
    /// Key generation or signing backend failed.
    #[error("crypto backend failure: {0}")]
    Backend(String),
}

/// A private key loaded from PKCS#8, either kind.
#[derive(Debug, Clone)]
pub enum PrivateKey {
    /// RSA (aws-lc-rs key pair).
    Rsa(RsaSigner),
    /// GOST R 34.10-2012.
    Gost(GostPrivateKey),
}

fn pem_encode(label: &str, der: &[u8]) -> Result<String, KeyError> {
    pem_rfc7468::encode_string(label, pem_rfc7468::LineEnding::LF, der)
        .map_err(|e| KeyError::Malformed(e.to_string()))
}

fn pem_decode(pem: &str) -> Result<(String, Vec<u8>), KeyError> {
    let start = pem
        .find("-----BEGIN")
        .ok_or_else(|| KeyError::Malformed("no PEM block".into()))?;
    let (label, der) = pem_rfc7468::decode_vec(pem[start..].trim().as_bytes())
        .map_err(|e| KeyError::Malformed(e.to_string()))?;
    Ok((label.to_string(), der))
}

/// A fresh RSA-2048 key as PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`).
pub fn generate_rsa_key_pem() -> Result<String, KeyError> {
    let kp =
        RsaKeyPair::generate(KeySize::Rsa2048).map_err(|e| KeyError::Backend(e.to_string()))?;
    let der = kp.as_der().map_err(|e| KeyError::Backend(e.to_string()))?;
    pem_encode("PRIVATE KEY", der.as_ref())
}

/// A fresh GOST key on `curve` as PKCS#8 PEM in the gost-engine layout (raw little-endian scalar).
pub fn generate_gost_key_pem(curve: Curve) -> Result<String, KeyError> {
    gost_key_to_pem(&GostPrivateKey::generate(curve))
}

/// The `parameters` of a GOST key algorithm: `SEQUENCE { paramSet OID, digest OID OPTIONAL }`.
pub(crate) fn gost_algorithm_params(curve: Curve) -> Vec<u8> {
    #[derive(Sequence)]
    struct Params {
        key: ObjectIdentifier,
        digest: Option<ObjectIdentifier>,
    }
    let digest = match curve {
        Curve::CryptoProA
        | Curve::CryptoProB
        | Curve::CryptoProC
        | Curve::CryptoProXchA
        | Curve::CryptoProXchB
        | Curve::Test256 => Some("1.2.643.7.1.1.2.2"),
        Curve::Tc26_512A | Curve::Tc26_512B | Curve::Test512 => Some("1.2.643.7.1.1.2.3"),
        _ => None,
    };
    let params = Params {
        key: ObjectIdentifier::new_unwrap(curve.oid()),
        digest: digest.map(ObjectIdentifier::new_unwrap),
    };
    params.to_der().unwrap_or_default()
}

/// The key algorithm OID for a curve (256- or 512-bit GOST R 34.10-2012).
pub(crate) fn gost_key_oid(curve: Curve) -> &'static str {
    if curve.is_512() {
        OID_GOST_512
    } else {
        OID_GOST_256
    }
}

/// Serialises a GOST private key as PKCS#8 PEM.
pub fn gost_key_to_pem(key: &GostPrivateKey) -> Result<String, KeyError> {
    let params = gost_algorithm_params(key.curve());
    let params_any = AnyRef::from_der(&params).map_err(|e| KeyError::Malformed(e.to_string()))?;
    let alg = spki::AlgorithmIdentifierRef {
        oid: ObjectIdentifier::new_unwrap(gost_key_oid(key.curve())),
        parameters: Some(params_any),
    };
    let scalar = key.to_le_bytes();
    let info = pkcs8::PrivateKeyInfo::new(alg, &scalar);
    let der = info
        .to_der()
        .map_err(|e| KeyError::Malformed(e.to_string()))?;
    pem_encode("PRIVATE KEY", &der)
}

/// Loads a private key from PEM: PKCS#8 RSA or GOST, or PKCS#1 `RSA PRIVATE KEY`.
pub fn load_private_key_pem(pem: &str) -> Result<PrivateKey, KeyError> {
    let (label, der) = pem_decode(pem)?;
    if label == "RSA PRIVATE KEY" {
        let kp = RsaKeyPair::from_der(&der).map_err(|e| KeyError::Malformed(e.to_string()))?;
        let p8 = kp.as_der().map_err(|e| KeyError::Backend(e.to_string()))?;
        return RsaSigner::from_pkcs8_der(p8.as_ref())
            .map(PrivateKey::Rsa)
            .map_err(|e| KeyError::Malformed(e.to_string()));
    }
    let info =
        pkcs8::PrivateKeyInfo::from_der(&der).map_err(|e| KeyError::Malformed(e.to_string()))?;
    let oid = info.algorithm.oid.to_string();
    match oid.as_str() {
        OID_RSA => RsaSigner::from_pkcs8_der(&der)
            .map(PrivateKey::Rsa)
            .map_err(|e| KeyError::Malformed(e.to_string())),
        OID_GOST_256 | OID_GOST_512 | OID_GOST_2001 => {
            let params = info
                .algorithm
                .parameters
                .ok_or_else(|| KeyError::Malformed("no GOST parameters".into()))?;
            let curve_oid = der::SliceReader::new(params.value())
                .and_then(|mut r| der::Reader::decode::<ObjectIdentifier>(&mut r))
                .map_err(|e| KeyError::Malformed(e.to_string()))?;
            let curve = Curve::from_oid(&curve_oid.to_string())
                .ok_or_else(|| KeyError::Unsupported(curve_oid.to_string()))?;
            gost_scalar(curve, info.private_key).map(PrivateKey::Gost)
        }
        _ => Err(KeyError::Unsupported(oid)),
    }
}

/// Decodes the PKCS#8 `privateKey` content of a GOST key in every gost-engine form: raw
/// little-endian (optionally followed by masks), a wrapped little-endian OCTET STRING, or an
/// INTEGER.
fn gost_scalar(curve: Curve, raw: &[u8]) -> Result<GostPrivateKey, KeyError> {
    let n = curve.key_bytes();
    let bad = |e: crate::gost::GostError| KeyError::Malformed(e.to_string());
    if !raw.is_empty() && raw.len().is_multiple_of(n) {
        let mut acc = raw[..n].to_vec();
        for mask in raw[n..].chunks_exact(n) {
            acc = crate::gost::mul_mod_q_le(curve, &acc, mask);
        }
        return GostPrivateKey::from_le_bytes(curve, &acc).map_err(bad);
    }
    match raw.first() {
        Some(0x04) => {
            let s =
                OctetStringRef::from_der(raw).map_err(|e| KeyError::Malformed(e.to_string()))?;
            GostPrivateKey::from_le_bytes(curve, s.as_bytes()).map_err(bad)
        }
        Some(0x02) => {
            let i = UintRef::from_der(raw).map_err(|e| KeyError::Malformed(e.to_string()))?;
            let bytes = i.as_bytes();
            if bytes.len() > n {
                return Err(KeyError::Malformed("GOST private INTEGER too long".into()));
            }
            let mut be = vec![0u8; n - bytes.len()];
            be.extend_from_slice(bytes);
            GostPrivateKey::from_be_bytes(curve, &be).map_err(bad)
        }
        _ => Err(KeyError::Malformed(
            "unsupported GOST private key form".into(),
        )),
    }
}
