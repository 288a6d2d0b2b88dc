//! The ESIA protocol (`ac`, `te`, consent, logout, client systems) over real HTTP: the flow, its
//! errors, redirects and input bounds, the QA side, and interop with stock OpenSSL (gated by
//! `ESIA_TEST_OPENSSL_GOST=1`).

mod protocol_api;
mod protocol_demo_client;
mod protocol_errors;
mod protocol_flow;
mod protocol_input_bounds;
mod protocol_omniauth;
mod protocol_openssl;
mod protocol_redirects;
mod protocol_unrouted;
