//! The lenient base64 of `client_secret`s and bare certificates: either alphabet, with or
//! without `=` padding, whitespace ignored, and which flavour it was. Pure; it must not decide
//! whether a secret is accepted.

use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;
use serde::Serialize;

/// How the secret was encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SecretEncoding {
    /// URL-safe alphabet (`-`, `_`).
    Base64Url { padded: bool },
    /// Standard alphabet (`+`, `/`).
    Base64Std { padded: bool },
}

/// Why a secret could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub enum DecodeError {
    /// Nothing left after stripping whitespace.
    #[error("empty")]
    Empty,
    /// Both `-`/`_` and `+`/`/` appear.
    #[error("mixes the URL-safe and standard base64 alphabets")]
    MixedAlphabets,
    /// Invalid characters, misplaced `=` or impossible length.
    #[error("invalid base64: {0}")]
    Invalid(String),
}

const LENIENT: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_decode_padding_mode(DecodePaddingMode::RequireNone)
    .with_decode_allow_trailing_bits(true);
const URL: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, LENIENT);
const STD: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, LENIENT);

/// Decodes base64 or base64url, with or without `=` padding, ignoring all whitespace (line breaks
/// from CAdESCOM or `openssl base64` included). Reports which flavour it was.
pub fn decode_secret_lenient(input: &str) -> Result<(Vec<u8>, SecretEncoding), DecodeError> {
    let cleaned: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if cleaned.is_empty() {
        return Err(DecodeError::Empty);
    }
    let padded = cleaned.ends_with('=');
    let body = cleaned.trim_end_matches('=');
    if cleaned.len() - body.len() > 2 || body.contains('=') {
        return Err(DecodeError::Invalid("misplaced '='".into()));
    }
    let url = body.contains(['-', '_']);
    let std = body.contains(['+', '/']);
    let (engine, encoding) = match (url, std) {
        (true, true) => return Err(DecodeError::MixedAlphabets),
        (false, true) => (&STD, SecretEncoding::Base64Std { padded }),
        _ => (&URL, SecretEncoding::Base64Url { padded }),
    };
    let bytes = engine
        .decode(body)
        .map_err(|e| DecodeError::Invalid(e.to_string()))?;
    Ok((bytes, encoding))
}

/// Alias of [`decode_secret_lenient`] for other modules (certificates in bare base64).
pub(crate) fn decode_base64_lenient(input: &str) -> Result<(Vec<u8>, SecretEncoding), DecodeError> {
    decode_secret_lenient(input)
}
