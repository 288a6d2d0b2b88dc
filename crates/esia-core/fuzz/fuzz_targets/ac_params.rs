//! Fuzz target: the authorization request (`ac`, v1 and v2) through `Core::authorize`, the one
//! function that turns the received parameters into a parked request, an error page or an error
//! redirect. The input is `selector byte ‖ form-urlencoded parameters`; the selector picks the
//! endpoint and whether an (unknown) SSO cookie comes along. Must never panic.
#![no_main]

#[path = "common.rs"]
mod common;

use esia_core::protocol::ac_response::{AcRefusal, AcResponse};
use esia_core::protocol::Endpoint;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((selector, params)) = common::split(data) else {
        return;
    };
    let endpoint = if selector & 1 == 0 {
        Endpoint::AcV1
    } else {
        Endpoint::AcV2
    };
    let session = (selector & 2 != 0).then_some("fuzz-session");
    let _ = params.repeated(&["client_id", "state", "scope"]);
    match esia_core::protocol::authorize::authorize(common::core(), endpoint, params, session) {
        // An error page is 4xx: a 5xx here is an internal failure the fuzzer found.
        AcResponse::Refused(r) => assert!(
            !matches!(r, AcRefusal::Internal | AcRefusal::Unavailable),
            "ac answered a server error: {r:?}"
        ),
        AcResponse::Redirect(to) => assert!(!to.contains(['\r', '\n']), "CR/LF in Location"),
        AcResponse::Consent(_) | AcResponse::RoleChoice(_) => {}
    }
});
