//! Fuzz target: a JWT presented as a bearer token to `/rs` goes through
//! `esia_crypto::jwt::verify_jwt` (what `EmulatorKeys::verify_jwt`, used by core, calls). The
//! first byte picks the shape: an arbitrary string, or a token whose header and claims are the
//! fuzzer's bytes but whose signature is valid (GOST or RS256, the demo client's keys), so the
//! header and claims decoding after a good signature is reached too. Must never panic.
#![no_main]

use std::sync::OnceLock;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use esia_crypto::jwt::{verify_jwt, JwtVerifyKeys};
use esia_crypto::keys::{load_private_key_pem, PrivateKey};
use libfuzzer_sys::fuzz_target;

struct Fixture {
    rsa: esia_crypto::jwt::RsaSigner,
    gost: esia_crypto::gost::GostPrivateKey,
    keys: JwtVerifyKeys,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let rsa = match load_private_key_pem(include_str!(
            "../../../../keys/demo-client/demo-is-rsa.key"
        )) {
            Ok(PrivateKey::Rsa(k)) => k,
            _ => panic!("demo RSA key"),
        };
        let gost = match load_private_key_pem(include_str!(
            "../../../../keys/demo-client/demo-is-gost.key"
        )) {
            Ok(PrivateKey::Gost(k)) => k,
            _ => panic!("demo GOST key"),
        };
        let keys = JwtVerifyKeys::new(
            Some(&rsa.public_pkcs1_der()),
            Some(gost.public_key().clone()),
        )
        .expect("verify keys");
        Fixture { rsa, gost, keys }
    })
}

fuzz_target!(|data: &[u8]| {
    let f = fixture();
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let token = match mode % 3 {
        0 => String::from_utf8_lossy(rest).into_owned(),
        m => {
            // header bytes 0xFF claims bytes
            let cut = rest.iter().position(|b| *b == 0xFF).unwrap_or(rest.len());
            let (header, claims) = (&rest[..cut], rest.get(cut + 1..).unwrap_or_default());
            let signed = format!(
                "{}.{}",
                URL_SAFE_NO_PAD.encode(header),
                URL_SAFE_NO_PAD.encode(claims)
            );
            let sig = if m == 1 {
                f.gost.sign_message(signed.as_bytes())
            } else {
                f.rsa.sign(signed.as_bytes()).expect("rsa sign")
            };
            format!("{signed}.{}", URL_SAFE_NO_PAD.encode(sig))
        }
    };
    let _ = verify_jwt(&token, &f.keys);
    let _ = verify_jwt(&format!(" {token}== "), &f.keys);
});
