//! The ESIA protocol surface: `aas` (authorization and token endpoints, consent), `idp`
//! (logout), `public` (certificates, bundle, discovery extension). This module is the
//! dispatcher of `ac` outcomes: a 302, a refusal page or the consent page. The error answers
//! themselves (the refusal page, the `te` 400 JSON) are `crate::error::protocol`'s.

mod aas;
mod ac_pages;
mod idp;
mod public;
mod roles;

use actix_web::http::{header, StatusCode};
use actix_web::{HttpRequest, HttpResponse};
use esia_core::protocol::ac_response::AcResponse;
use esia_core::protocol::Params;

pub(crate) use crate::error::protocol::te_error;

pub fn configure(cfg: &mut actix_web::web::ServiceConfig) {
    aas::configure(cfg);
    roles::configure(cfg);
    idp::configure(cfg);
    public::configure(cfg);
}

/// Parameters from the form body, when given, then the query string, repetitions kept
/// (`esia_core::protocol::params::parse`: the use cases refuse them with ESIA-007003).
pub(crate) fn params_of(req: &HttpRequest, body: Option<&[u8]>) -> Params {
    esia_core::protocol::params::parse(req.query_string().as_bytes(), body)
}

/// Renders an `ac`-family outcome (redirect, error page); the consent page is `aas`'s.
/// A target that is not a valid header value (CR/LF) gets a 400 page, never a 500.
pub(crate) fn redirect_302(to: &str) -> HttpResponse {
    let mut resp = crate::local_redirect::location(StatusCode::FOUND, to);
    resp.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    resp
}

/// Redirect or page; `None` for a consent view (rendered by the caller).
pub(crate) fn render_ac(resp: &AcResponse) -> Option<HttpResponse> {
    match resp {
        AcResponse::Redirect(to) => Some(redirect_302(to)),
        AcResponse::Refused(r) => Some(crate::error::protocol::ac_refused(*r)),
        AcResponse::Consent(_) | AcResponse::RoleChoice(_) => None,
    }
}
