//! ESIA JWTs (§5): compact JWS with the ESIA header (`ver`, `typ`, `sbt`, `alg` in that order),
//! signed with RS256 (aws-lc-rs, key parsed once) or `GOST3410_2012_256` (64-byte `s‖r` over
//! Streebog-256 of `header.payload`), and verification of both with pre-parsed keys.

use std::sync::Arc;

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{self, ParsedPublicKey, RsaKeyPair, RSA_PKCS1_SHA256};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::gost::{GostPrivateKey, GostPublicKey};

/// JWS algorithm names as ESIA writes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum JwtAlg {
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    RS256,
    /// GOST R 34.10-2012 256-bit with Streebog-256.
    #[allow(non_camel_case_types)]
    GOST3410_2012_256,
}

/// The ESIA JWT header. Serialises as `{"ver":…,"typ":"JWT","sbt":…,"alg":…}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JwtHeader {
    /// 1 for access tokens, 0 for id_tokens (0 when absent).
    #[serde(default)]
    pub ver: i64,
    /// Always `JWT` (empty when absent).
    #[serde(default)]
    pub typ: String,
    /// Token subtype: `access`, `id`, `authorization_code`, … (empty when absent).
    #[serde(default)]
    pub sbt: String,
    /// Signature algorithm.
    pub alg: JwtAlg,
}

/// Why signing or verification failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub enum JwtError {
    /// Not three base64url parts, or bad JSON.
    #[error("malformed token: {0}")]
    Malformed(String),
    /// No key for the header's algorithm.
    #[error("no key for {0:?}")]
    NoKey(JwtAlg),
    /// Signature does not verify.
    #[error("bad signature")]
    BadSignature,
    /// The signing backend failed.
    #[error("signing failed")]
    Signing,
    /// A key could not be parsed.
    #[error("bad key: {0}")]
    BadKey(String),
}

/// An RS256 signing key, parsed once (PKCS#8) and shared cheaply.
#[derive(Clone)]
pub struct RsaSigner {
    key: Arc<RsaKeyPair>,
    rng: SystemRandom,
}

impl std::fmt::Debug for RsaSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RsaSigner")
            .field("bits", &(self.key.public_modulus_len() * 8))
            .finish()
    }
}

impl RsaSigner {
    /// From a PKCS#8 DER private key.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, JwtError> {
        let key = RsaKeyPair::from_pkcs8(der).map_err(|e| JwtError::BadKey(e.to_string()))?;
        Ok(RsaSigner {
            key: Arc::new(key),
            rng: SystemRandom::new(),
        })
    }

    /// PKCS#1 v1.5 SHA-256 signature of `data`.
    pub fn sign(&self, data: &[u8]) -> Result<Vec<u8>, JwtError> {
        let mut sig = vec![0u8; self.key.public_modulus_len()];
        self.key
            .sign(&RSA_PKCS1_SHA256, &self.rng, data, &mut sig)
            .map_err(|_| JwtError::Signing)?;
        Ok(sig)
    }

    /// The public key as PKCS#1 `RSAPublicKey` DER.
    pub fn public_pkcs1_der(&self) -> Vec<u8> {
        use aws_lc_rs::signature::KeyPair;
        self.key.public_key().as_ref().to_vec()
    }
}

/// A JWT signing key: RS256 or GOST.
#[derive(Debug, Clone)]
pub enum JwtSigner {
    /// RS256 with an aws-lc-rs key pair.
    Rs256(RsaSigner),
    /// GOST3410_2012_256 with a 256-bit GOST key.
    Gost(GostPrivateKey),
}

impl JwtSigner {
    /// The JWS `alg` this signer produces.
    pub fn alg(&self) -> JwtAlg {
        match self {
            JwtSigner::Rs256(_) => JwtAlg::RS256,
            JwtSigner::Gost(_) => JwtAlg::GOST3410_2012_256,
        }
    }

    fn sign(&self, data: &[u8]) -> Result<Vec<u8>, JwtError> {
        match self {
            JwtSigner::Rs256(k) => k.sign(data),
            JwtSigner::Gost(k) => Ok(k.sign_message(data)),
        }
    }
}

/// Public keys for verifying the emulator's tokens, parsed once.
#[derive(Clone, Default)]
pub struct JwtVerifyKeys {
    rsa: Option<ParsedPublicKey>,
    gost: Option<GostPublicKey>,
}

impl std::fmt::Debug for JwtVerifyKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtVerifyKeys")
            .field("rsa", &self.rsa.is_some())
            .field("gost", &self.gost)
            .finish()
    }
}

impl JwtVerifyKeys {
    /// From an optional RSA PKCS#1 public key DER and an optional GOST public key.
    pub fn new(rsa_pkcs1: Option<&[u8]>, gost: Option<GostPublicKey>) -> Result<Self, JwtError> {
        let rsa = rsa_pkcs1
            .map(|d| ParsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA256, d))
            .transpose()
            .map_err(|e| JwtError::BadKey(e.to_string()))?;
        Ok(JwtVerifyKeys { rsa, gost })
    }
}

/// Signs a compact JWS: header `{"ver":ver,"typ":"JWT","sbt":sbt,"alg":…}`, the given claims.
pub fn sign_jwt(
    signer: &JwtSigner,
    ver: i64,
    sbt: &str,
    claims: &serde_json::Value,
) -> Result<String, JwtError> {
    let header = JwtHeader {
        ver,
        typ: "JWT".into(),
        sbt: sbt.into(),
        alg: signer.alg(),
    };
    let header_json =
        serde_json::to_vec(&header).map_err(|e| JwtError::Malformed(e.to_string()))?;
    let claims_json = serde_json::to_vec(claims).map_err(|e| JwtError::Malformed(e.to_string()))?;
    let mut token = String::with_capacity(header_json.len() * 2 + claims_json.len() * 2 + 400);
    URL_SAFE_NO_PAD.encode_string(&header_json, &mut token);
    token.push('.');
    URL_SAFE_NO_PAD.encode_string(&claims_json, &mut token);
    let sig = signer.sign(token.as_bytes())?;
    token.push('.');
    URL_SAFE_NO_PAD.encode_string(&sig, &mut token);
    Ok(token)
}

/// Verifies a compact JWS made by [`sign_jwt`] (or ESIA) and returns its header and claims.
/// Only signatures are checked here; time and audience checks belong to the caller.
pub fn verify_jwt(
    token: &str,
    keys: &JwtVerifyKeys,
) -> Result<(JwtHeader, serde_json::Value), JwtError> {
    let mut parts = token.trim().splitn(3, '.');
    let (Some(h), Some(c), Some(s)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(JwtError::Malformed("expected three parts".into()));
    };
    let decode = |p: &str, what: &str| {
        URL_SAFE_NO_PAD
            .decode(p.trim_end_matches('='))
            .map_err(|e| JwtError::Malformed(format!("{what}: {e}")))
    };
    let header: JwtHeader = serde_json::from_slice(&decode(h, "header")?)
        .map_err(|e| JwtError::Malformed(format!("header: {e}")))?;
    let sig = decode(s, "signature")?;
    let signed = &token.trim().as_bytes()[..h.len() + 1 + c.len()];
    let ok = match header.alg {
        JwtAlg::RS256 => keys
            .rsa
            .as_ref()
            .ok_or(JwtError::NoKey(header.alg))?
            .verify_sig(signed, &sig)
            .is_ok(),
        JwtAlg::GOST3410_2012_256 => keys
            .gost
            .as_ref()
            .ok_or(JwtError::NoKey(header.alg))?
            .verify_message(signed, &sig),
    };
    if !ok {
        return Err(JwtError::BadSignature);
    }
    let claims = serde_json::from_slice(&decode(c, "claims")?)
        .map_err(|e| JwtError::Malformed(format!("claims: {e}")))?;
    Ok((header, claims))
}

/// RSA PKCS#1 v1.5 SHA-256 verification with a PKCS#1 `RSAPublicKey` DER (CMS, certificates).
pub(crate) fn rsa_verify(pkcs1: &[u8], data: &[u8], sig: &[u8]) -> bool {
    signature::UnparsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA256, pkcs1)
        .verify(data, sig)
        .is_ok()
}
