//! The emulator's own token-signing keys: RSA-2048 and GOST R 34.10-2012/256 (CryptoPro-XchA, as
//! ESIA uses). Generation to PKCS#8 PEM, loading from PEM (GOST PKCS#8 in the gost-engine forms),
//! self-signed certificates (see `selfsigned`), the RSA JWK, and [`EmulatorKeys`], which keeps all
//! keys parsed for the token endpoint. No file I/O: callers pass PEM strings in and out.

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::KeySize;
use aws_lc_rs::signature::RsaKeyPair;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use der::asn1::{AnyRef, ObjectIdentifier, OctetStringRef, UintRef};
use der::{Decode, Encode, Sequence};
use serde::Serialize;

use crate::cert::{CertKey, ParsedCert, OID_GOST_2001, OID_GOST_256, OID_GOST_512, OID_RSA};
use crate::gost::{Curve, GostPrivateKey};
use crate::jwt::{JwtAlg, JwtError, JwtHeader, JwtSigner, JwtVerifyKeys, RsaSigner};

pub use crate::selfsigned::{self_signed_cert_pem, BACKDATE as CERT_BACKDATE};

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

/// The RSA public key as a JWK (`kty`, `n`, `e`, `alg`, `use`; `x5c` when a certificate is given).
pub fn rsa_public_jwk(
    signer: &RsaSigner,
    cert: Option<&ParsedCert>,
) -> Result<serde_json::Value, KeyError> {
    #[derive(Sequence)]
    struct RsaPub<'a> {
        n: UintRef<'a>,
        e: UintRef<'a>,
    }
    let pkcs1 = signer.public_pkcs1_der();
    let key = RsaPub::from_der(&pkcs1).map_err(|e| KeyError::Malformed(e.to_string()))?;
    let mut jwk = serde_json::json!({
        "kty": "RSA",
        "use": "sig",
        "alg": "RS256",
        "n": URL_SAFE_NO_PAD.encode(key.n.as_bytes()),
        "e": URL_SAFE_NO_PAD.encode(key.e.as_bytes()),
    });
    if let Some(c) = cert {
        jwk["x5c"] = serde_json::json!([STANDARD.encode(&c.der)]);
    }
    Ok(jwk)
}

/// The four PEM strings the emulator persists. `Debug` hides the private keys.
#[derive(Clone, serde::Deserialize, Serialize)]
pub struct KeyMaterialPem {
    /// RSA-2048 PKCS#8 private key.
    pub rsa_key_pem: String,
    /// Self-signed RSA certificate.
    pub rsa_cert_pem: String,
    /// GOST-256 PKCS#8 private key (CryptoPro-XchA).
    pub gost_key_pem: String,
    /// Self-signed GOST certificate (signatureAlgorithm 1.2.643.7.1.1.3.2).
    pub gost_cert_pem: String,
}

impl std::fmt::Debug for KeyMaterialPem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyMaterialPem").finish_non_exhaustive()
    }
}

impl KeyMaterialPem {
    /// Generates RSA-2048 and GOST-256 (CryptoPro-XchA) keys with self-signed certificates for
    /// `subject` (an RFC 4514 string such as `CN=ESIA Emulator,O=Test,C=RU`).
    pub fn generate(subject: &str, valid_days: u32) -> Result<Self, KeyError> {
        let rsa_key_pem = generate_rsa_key_pem()?;
        let gost_key_pem = generate_gost_key_pem(Curve::CryptoProXchA)?;
        Ok(KeyMaterialPem {
            rsa_cert_pem: self_signed_cert_pem(&rsa_key_pem, subject, valid_days)?,
            gost_cert_pem: self_signed_cert_pem(&gost_key_pem, subject, valid_days)?,
            rsa_key_pem,
            gost_key_pem,
        })
    }
}

/// The emulator's signing keys, parsed once and kept in memory for the token endpoint.
#[derive(Debug, Clone)]
pub struct EmulatorKeys {
    rsa: JwtSigner,
    gost: JwtSigner,
    rsa_cert: ParsedCert,
    gost_cert: ParsedCert,
    verify: JwtVerifyKeys,
    rsa_jwk: serde_json::Value,
}

impl EmulatorKeys {
    /// Loads and cross-checks the key material (each certificate must carry its key).
    pub fn load(m: &KeyMaterialPem) -> Result<Self, KeyError> {
        let cert = |pem: &str| {
            ParsedCert::from_pem_or_der(pem.as_bytes())
                .map_err(|e| KeyError::Malformed(e.to_string()))
        };
        let (rsa_cert, gost_cert) = (cert(&m.rsa_cert_pem)?, cert(&m.gost_cert_pem)?);
        let PrivateKey::Rsa(rsa) = load_private_key_pem(&m.rsa_key_pem)? else {
            return Err(KeyError::Unsupported("rsa_key_pem is not RSA".into()));
        };
        let PrivateKey::Gost(gost) = load_private_key_pem(&m.gost_key_pem)? else {
            return Err(KeyError::Unsupported("gost_key_pem is not GOST".into()));
        };
        if gost.curve().is_512() {
            return Err(KeyError::Unsupported(
                "the token key must be GOST-256".into(),
            ));
        }
        match (&rsa_cert.key, &gost_cert.key) {
            (CertKey::Rsa(p), CertKey::Gost(g))
                if *p == rsa.public_pkcs1_der() && g == gost.public_key() => {}
            _ => return Err(KeyError::CertMismatch),
        }
        let verify = JwtVerifyKeys::new(
            Some(&rsa.public_pkcs1_der()),
            Some(gost.public_key().clone()),
        )
        .map_err(|e| KeyError::Malformed(e.to_string()))?;
        let rsa_jwk = rsa_public_jwk(&rsa, Some(&rsa_cert))?;
        Ok(EmulatorKeys {
            rsa: JwtSigner::Rs256(rsa),
            gost: JwtSigner::Gost(gost),
            rsa_cert,
            gost_cert,
            verify,
            rsa_jwk,
        })
    }

    /// The signer for an algorithm.
    pub fn signer(&self, alg: JwtAlg) -> &JwtSigner {
        match alg {
            JwtAlg::RS256 => &self.rsa,
            JwtAlg::GOST3410_2012_256 => &self.gost,
        }
    }

    /// Signs an ESIA JWT with the chosen algorithm.
    pub fn sign_jwt(
        &self,
        alg: JwtAlg,
        ver: i64,
        sbt: &str,
        claims: &serde_json::Value,
    ) -> Result<String, JwtError> {
        crate::jwt::sign_jwt(self.signer(alg), ver, sbt, claims)
    }

    /// Verifies a token signed by either key; returns header and claims.
    pub fn verify_jwt(&self, token: &str) -> Result<(JwtHeader, serde_json::Value), JwtError> {
        crate::jwt::verify_jwt(token, &self.verify)
    }

    /// The parsed verification keys.
    pub fn verify_keys(&self) -> &JwtVerifyKeys {
        &self.verify
    }

    /// The RSA certificate.
    pub fn rsa_cert(&self) -> &ParsedCert {
        &self.rsa_cert
    }

    /// The GOST certificate.
    pub fn gost_cert(&self) -> &ParsedCert {
        &self.gost_cert
    }

    /// The RSA public key as JWK (with `x5c`).
    pub fn rsa_jwk(&self) -> &serde_json::Value {
        &self.rsa_jwk
    }
}
