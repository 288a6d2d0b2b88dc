//! Fuzz target: the token request (`te`, v1 and v3) through `Core::token` with the received
//! parameters and an optional `Authorization: Basic` (parsed by `parse_basic_auth` from the
//! first parameter value when the selector says so). Internal failures (ESIA-007007) are bugs.
//! Must never panic.
#![no_main]

#[path = "common.rs"]
mod common;

use esia_core::protocol::{parse_basic_auth, Endpoint, EsiaErrorCode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((selector, params)) = common::split(data) else {
        return;
    };
    let endpoint = if selector & 1 == 0 {
        Endpoint::TeV1
    } else {
        Endpoint::TeV3
    };
    let basic = if selector & 2 != 0 {
        params.0.first().and_then(|(_, v)| parse_basic_auth(v))
    } else {
        None
    };
    if let Err(e) =
        esia_core::protocol::token_endpoint::token(common::core(), endpoint, params, basic)
    {
        assert_ne!(
            e.code,
            EsiaErrorCode::E007007,
            "te failed internally: {}",
            e.detail
        );
    }
});
