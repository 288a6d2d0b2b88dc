//! Self-signed X.509 v3 certificates for the emulator's keys: RSA (sha256WithRSAEncryption, signed
//! with aws-lc-rs) and GOST R 34.10-2012/256 or /512 (signatureAlgorithm 1.2.643.7.1.1.3.2 or
//! .3.3, signed by our GOST code; signature BIT STRING = `s‖r` as in RFC 4491). The TBS is
//! assembled from `x509-cert` types and signed directly.

use std::str::FromStr;
use std::time::Duration;

use der::asn1::{AnyRef, BitString, ObjectIdentifier, OctetString};
use der::{Any, Decode, Encode};
use rand::RngCore;
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::ext::pkix::BasicConstraints;
use x509_cert::ext::Extension;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};
use x509_cert::{Certificate, TbsCertificate, Version};

use crate::gost::GostPrivateKey;
use crate::private_key::{
    gost_algorithm_params, gost_key_oid, load_private_key_pem, KeyError, PrivateKey,
};

const OID_SHA256_RSA: &str = "1.2.840.113549.1.1.11";
const OID_GOST_SIG_256: &str = "1.2.643.7.1.1.3.2";
const OID_GOST_SIG_512: &str = "1.2.643.7.1.1.3.3";

fn malformed(e: impl std::fmt::Display) -> KeyError {
    KeyError::Malformed(e.to_string())
}

/// How far before "now" a new certificate's validity starts, as CAs do: a verifier whose clock
/// is a little behind ours (or was stepped back) must not find it "not yet valid" (CI once saw
/// `openssl verify` do so with a certificate valid from the current second).
pub const BACKDATE: Duration = Duration::from_secs(300);

fn backdated_validity(valid_days: u32) -> Result<Validity, KeyError> {
    let now = std::time::SystemTime::now();
    let from = now.checked_sub(BACKDATE).unwrap_or(now);
    let until = now + Duration::from_secs(u64::from(valid_days) * 86_400);
    Ok(Validity {
        not_before: Time::try_from(from).map_err(malformed)?,
        not_after: Time::try_from(until).map_err(malformed)?,
    })
}

/// A self-signed certificate (PEM) for a PKCS#8 PEM private key (RSA or GOST), valid from
/// [`BACKDATE`] ago for `valid_days`, with `subject` as both subject and issuer (RFC 4514, e.g. `CN=ESIA,O=RTLabs,C=RU`)
/// and `basicConstraints CA:TRUE`, so `openssl verify -CAfile cert.pem cert.pem` accepts it.
pub fn self_signed_cert_pem(
    key_pem: &str,
    subject: &str,
    valid_days: u32,
) -> Result<String, KeyError> {
    let key = load_private_key_pem(key_pem)?;
    let der = self_signed_cert_der(&key, subject, valid_days)?;
    pem_rfc7468::encode_string("CERTIFICATE", pem_rfc7468::LineEnding::LF, &der).map_err(malformed)
}

/// DER form of [`self_signed_cert_pem`] for an already loaded key.
pub fn self_signed_cert_der(
    key: &PrivateKey,
    subject: &str,
    valid_days: u32,
) -> Result<Vec<u8>, KeyError> {
    let name = Name::from_str(subject).map_err(malformed)?;
    let (spki, sig_alg) = match key {
        PrivateKey::Rsa(rsa) => {
            let spki_der = rsa_spki_der(rsa)?;
            let alg = AlgorithmIdentifierOwned {
                oid: ObjectIdentifier::new_unwrap(OID_SHA256_RSA),
                parameters: Some(Any::null()),
            };
            (
                SubjectPublicKeyInfoOwned::from_der(&spki_der).map_err(malformed)?,
                alg,
            )
        }
        PrivateKey::Gost(g) => (gost_spki(g)?, gost_sig_alg(g)),
    };
    let mut serial = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut serial);
    serial[0] = (serial[0] & 0x7f) | 0x01;
    let bc = BasicConstraints {
        ca: true,
        path_len_constraint: None,
    };
    let ext = Extension {
        extn_id: ObjectIdentifier::new_unwrap("2.5.29.19"),
        critical: true,
        extn_value: OctetString::new(bc.to_der().map_err(malformed)?).map_err(malformed)?,
    };
    let tbs = TbsCertificate {
        version: Version::V3,
        serial_number: SerialNumber::new(&serial).map_err(malformed)?,
        signature: sig_alg.clone(),
        issuer: name.clone(),
        validity: backdated_validity(valid_days)?,
        subject: name,
        subject_public_key_info: spki,
        issuer_unique_id: None,
        subject_unique_id: None,
        extensions: Some(vec![ext]),
    };
    let tbs_der = tbs.to_der().map_err(malformed)?;
    let signature = match key {
        PrivateKey::Rsa(rsa) => rsa
            .sign(&tbs_der)
            .map_err(|e| KeyError::Backend(e.to_string()))?,
        PrivateKey::Gost(g) => g.sign_message(&tbs_der),
    };
    let cert = Certificate {
        tbs_certificate: tbs,
        signature_algorithm: sig_alg,
        signature: BitString::from_bytes(&signature).map_err(malformed)?,
    };
    cert.to_der().map_err(malformed)
}

fn rsa_spki_der(rsa: &crate::jwt::RsaSigner) -> Result<Vec<u8>, KeyError> {
    // Rebuild the SPKI from the PKCS#1 public key: rsaEncryption with NULL parameters.
    let pkcs1 = rsa.public_pkcs1_der();
    let spki = SubjectPublicKeyInfoOwned {
        algorithm: AlgorithmIdentifierOwned {
            oid: ObjectIdentifier::new_unwrap(crate::cert::OID_RSA),
            parameters: Some(Any::null()),
        },
        subject_public_key: BitString::from_bytes(&pkcs1).map_err(malformed)?,
    };
    spki.to_der().map_err(malformed)
}

/// The GOST `SubjectPublicKeyInfo`: key OID with parameter-set parameters, and a BIT STRING
/// wrapping the OCTET STRING `X_le‖Y_le`.
fn gost_spki(key: &GostPrivateKey) -> Result<SubjectPublicKeyInfoOwned, KeyError> {
    let params = gost_algorithm_params(key.curve());
    let params_any: Any = AnyRef::from_der(&params).map_err(malformed)?.into();
    let point = OctetString::new(key.public_key().to_le_xy())
        .map_err(malformed)?
        .to_der()
        .map_err(malformed)?;
    Ok(SubjectPublicKeyInfoOwned {
        algorithm: AlgorithmIdentifierOwned {
            oid: ObjectIdentifier::new_unwrap(gost_key_oid(key.curve())),
            parameters: Some(params_any),
        },
        subject_public_key: BitString::from_bytes(&point).map_err(malformed)?,
    })
}

fn gost_sig_alg(key: &GostPrivateKey) -> AlgorithmIdentifierOwned {
    let oid = if key.curve().is_512() {
        OID_GOST_SIG_512
    } else {
        OID_GOST_SIG_256
    };
    AlgorithmIdentifierOwned {
        oid: ObjectIdentifier::new_unwrap(oid),
        parameters: None,
    }
}
