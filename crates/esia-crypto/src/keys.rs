//! The emulator's own token-signing keys: RSA-2048 and GOST R 34.10-2012/256 (CryptoPro-XchA, as
//! ESIA uses). [`KeyMaterialPem`] (the four PEM strings, generated with self-signed certificates),
//! the RSA JWK, and [`EmulatorKeys`], which keeps all keys parsed for the token endpoint. The keys
//! themselves (generation, PEM loading) are `private_key`'s, re-exported here. No file I/O:
//! callers pass PEM strings in and out.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use der::asn1::UintRef;
use der::{Decode, Sequence};
use serde::Serialize;

use crate::cert::{CertKey, ParsedCert};
use crate::gost::Curve;
use crate::jwt::{JwtAlg, JwtError, JwtHeader, JwtSigner, JwtVerifyKeys, RsaSigner};

pub use crate::private_key::{
    generate_gost_key_pem, generate_rsa_key_pem, gost_key_to_pem, load_private_key_pem, KeyError,
    PrivateKey,
};
pub use crate::selfsigned::{self_signed_cert_pem, BACKDATE as CERT_BACKDATE};

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
