//! The producing side of CMS: [`sign_detached`] makes the `SignedData` a test client or QA
//! scenario sends as a v1 `client_secret`, laid out as `openssl smime -sign -binary -outform DER
//! [-noattr] [-nodetach]` writes it, so QA tooling needs no OpenSSL. Verification is `cms`'s; this
//! module never decides whether a secret is accepted.

use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use der::asn1::{ObjectIdentifier, OctetString, SetOfVec, UtcTime};
use der::{Any, Encode};
use spki::AlgorithmIdentifierOwned;
use x509_cert::attr::Attribute;

use crate::cert::{CertKey, DigestKind, ParsedCert, OID_GOST_256, OID_GOST_512, OID_RSA};
use crate::cms::{
    OID_CONTENT_TYPE, OID_DATA, OID_MESSAGE_DIGEST, OID_SHA256, OID_SIGNED_DATA, OID_SIGNING_TIME,
    OID_STREEBOG_256, OID_STREEBOG_512,
};
use crate::private_key::{load_private_key_pem, KeyError, PrivateKey};

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
    let key = load_private_key_pem(key_pem)?;
    sign_detached(&key, cert_der, message, with_signed_attrs, attached)
}
