//! The emulator's published key material (§5.5, §11.10): RSA and GOST certificates as PEM, an
//! `esia.zip`-style bundle (`RSA_EMULATOR.cer`, `RSA_EMULATOR_JWK.jwk`, `ГОСТ_EMULATOR.cer`),
//! and — an emulator extension real ESIA does not serve — an OpenID discovery document with a
//! JWKS holding the RS256 key only.

use std::io::Write as _;

use base64::Engine as _;
use serde_json::{json, Value};

use crate::app::Core;
use crate::error::{CoreError, CoreResult};

/// PEM of a DER certificate.
pub fn cert_pem(der: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = String::from("-----BEGIN CERTIFICATE-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str("-----END CERTIFICATE-----\n");
    out
}

/// The RSA certificate that signs RS256 tokens, PEM.
pub fn esia_rsa_pem(core: &Core) -> String {
    cert_pem(&core.keys.rsa_cert().der)
}

/// The GOST certificate that signs GOST3410_2012_256 tokens, PEM.
pub fn esia_gost_pem(core: &Core) -> String {
    cert_pem(&core.keys.gost_cert().der)
}

/// The bundle served at `/public/esia.zip` (DER certificates and the RSA JWK, deflated).
pub fn esia_zip(core: &Core) -> CoreResult<Vec<u8>> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let jwk = serde_json::to_vec_pretty(core.keys.rsa_jwk()).unwrap_or_default();
        let files: [(&str, &[u8]); 4] = [
            ("RSA_EMULATOR.cer", &core.keys.rsa_cert().der),
            ("RSA_EMULATOR_JWK.jwk", &jwk),
            ("ГОСТ_EMULATOR.cer", &core.keys.gost_cert().der),
            (
                "README.txt",
                b"ESIA emulator signing certificates. Test-only keys: never trust them anywhere real.\n",
            ),
        ];
        for (name, data) in files {
            zip.start_file(name, opts)
                .map_err(|e| CoreError::Internal(format!("zip: {e}")))?;
            zip.write_all(data)
                .map_err(|e| CoreError::Internal(format!("zip: {e}")))?;
        }
        zip.finish()
            .map_err(|e| CoreError::Internal(format!("zip: {e}")))?;
    }
    Ok(buf.into_inner())
}

/// JWKS with the RS256 key (emulator extension).
pub fn jwks(core: &Core) -> Value {
    let mut jwk = core.keys.rsa_jwk().clone();
    if jwk.get("alg").is_none() {
        jwk["alg"] = json!("RS256");
    }
    if jwk.get("use").is_none() {
        jwk["use"] = json!("sig");
    }
    json!({ "keys": [jwk] })
}

/// `/.well-known/openid-configuration` (emulator extension; real ESIA has none).
pub fn openid_configuration(core: &Core) -> Value {
    use super::endpoints::{Endpoint, JWKS_PATH, LOGOUT_PATH, USERINFO_PATH};
    let base = core.config.public_base_url();
    json!({
        "issuer": core.config.protocol.issuer,
        "authorization_endpoint": format!("{base}{}", Endpoint::AcV2.path()),
        "token_endpoint": format!("{base}{}", Endpoint::TeV3.path()),
        "end_session_endpoint": format!("{base}{LOGOUT_PATH}"),
        "jwks_uri": format!("{base}{JWKS_PATH}"),
        "userinfo_endpoint": format!("{base}{USERINFO_PATH}"),
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "code_challenge_methods_supported": ["S256", "plain"],
        "x-emulator-note": "Emulator extension: real ESIA publishes no discovery document or JWKS; GOST3410_2012_256 tokens verify against /public/esia-gost.pem",
    })
}
