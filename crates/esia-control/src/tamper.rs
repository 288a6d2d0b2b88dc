//! Token faults: rewriting the `access_token` and `id_token` of a successful `te` answer so a
//! client under test sees an expired, not-yet-valid, badly signed, foreign-issuer,
//! foreign-audience or wrong-`alg` token. Claims are changed and re-signed with the emulator's
//! own keys (so only the intended defect is present); the signature and `alg` faults break the
//! token itself. Token values are never logged.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use esia_crypto::jwt::JwtAlg;
use serde_json::{json, Value};

use super::fault_rule::FaultEffect;
use crate::Control;

/// The `iss` of a `token_wrong_iss` fault.
pub const FOREIGN_ISSUER: &str = "http://esia-impostor.example/";
/// The audience (`aud`, `client_id`) of a `token_wrong_aud` fault.
pub const FOREIGN_CLIENT: &str = "FOREIGN_SYSTEM";

fn decode(part: &str) -> Option<Value> {
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).ok()?).ok()
}

fn encode(v: &Value) -> String {
    URL_SAFE_NO_PAD.encode(v.to_string())
}

fn alg_of(header: &Value) -> Option<JwtAlg> {
    match header.get("alg")?.as_str()? {
        "RS256" => Some(JwtAlg::RS256),
        "GOST3410_2012_256" => Some(JwtAlg::GOST3410_2012_256),
        _ => None,
    }
}

/// One token with the defect of `effect`; None when it cannot be read (left as issued).
fn tamper_token(ctl: &Control, token: &str, effect: &FaultEffect) -> Option<String> {
    let mut parts = token.split('.');
    let (h, c, s) = (parts.next()?, parts.next()?, parts.next()?);
    let header = decode(h)?;
    let mut claims = decode(c)?;
    let now = ctl.idp.now().timestamp();
    let resign = |claims: &Value| -> Option<String> {
        let ver = header.get("ver").and_then(Value::as_i64).unwrap_or(1);
        let sbt = header
            .get("sbt")
            .and_then(Value::as_str)
            .unwrap_or("access");
        ctl.idp
            .keys
            .sign_jwt(alg_of(&header)?, ver, sbt, claims)
            .ok()
    };
    match effect {
        FaultEffect::TokenExpired => {
            let life =
                claims["exp"].as_i64().unwrap_or(now) - claims["iat"].as_i64().unwrap_or(now);
            let exp = now - 60;
            claims["exp"] = json!(exp);
            claims["iat"] = json!(exp - life.max(60));
            claims["nbf"] = json!(exp - life.max(60));
            resign(&claims)
        }
        FaultEffect::TokenNotYetValid => {
            let life =
                claims["exp"].as_i64().unwrap_or(now) - claims["iat"].as_i64().unwrap_or(now);
            let nbf = now + 3600;
            claims["nbf"] = json!(nbf);
            claims["iat"] = json!(nbf);
            claims["exp"] = json!(nbf + life.max(60));
            resign(&claims)
        }
        FaultEffect::TokenWrongIss => {
            claims["iss"] = json!(FOREIGN_ISSUER);
            resign(&claims)
        }
        FaultEffect::TokenWrongAud => {
            if claims.get("aud").is_some() {
                claims["aud"] = json!(FOREIGN_CLIENT);
            }
            if claims.get("client_id").is_some() {
                claims["client_id"] = json!(FOREIGN_CLIENT);
            }
            resign(&claims)
        }
        FaultEffect::TokenBadSignature => {
            let mut sig = URL_SAFE_NO_PAD.decode(s).ok()?;
            for b in sig.iter_mut().take(8) {
                *b ^= 0x5a;
            }
            Some(format!("{h}.{c}.{}", URL_SAFE_NO_PAD.encode(sig)))
        }
        FaultEffect::TokenWrongAlg => {
            let mut header = header.clone();
            let other = match alg_of(&header)? {
                JwtAlg::RS256 => "GOST3410_2012_256",
                JwtAlg::GOST3410_2012_256 => "RS256",
            };
            header["alg"] = json!(other);
            Some(format!("{}.{c}.{s}", encode(&header)))
        }
        _ => None,
    }
}

/// Applies a token fault to a `te` response body in place (other effects: no change).
pub fn tamper_tokens(ctl: &Control, body: &mut Value, effect: &FaultEffect) {
    for field in ["access_token", "id_token"] {
        let Some(token) = body.get(field).and_then(Value::as_str) else {
            continue;
        };
        match crate::tamper::tamper_token(ctl, token, effect) {
            Some(t) => body[field] = json!(t),
            None => tracing::warn!(field, kind = effect.kind(), "token fault not applied"),
        }
    }
}
