//! The ESIA protocol surface: `aas` (authorization and token endpoints, consent), `idp`
//! (logout), `public` (certificates, bundle, discovery extension). This module is the
//! protocol renderer: `ac` outcomes become a 302, an error page or the consent page; `te`
//! errors become HTTP 400 JSON `{error, error_description, state}` exactly as ESIA answers.

mod aas;
mod idp;
mod public;
mod roles;

use actix_web::http::{header, StatusCode};
use actix_web::{HttpRequest, HttpResponse};
use esia_core::protocol::authorize::AcResponse;
use esia_core::protocol::{Params, ProtocolError};
use serde_json::json;

use crate::pages::render_error_page;

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

pub(crate) fn ac_page(status: u16, title: &str, text: &str) -> HttpResponse {
    crate::error::with_retry_after(render_error_page(
        StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
        title,
        text,
    ))
}

/// Redirect or page; `None` for a consent view (rendered by the caller).
pub(crate) fn render_ac(resp: &AcResponse) -> Option<HttpResponse> {
    match resp {
        AcResponse::Redirect(to) => Some(redirect_302(to)),
        AcResponse::Page {
            status,
            title,
            text,
        } => Some(ac_page(*status, title, text)),
        AcResponse::Consent(_) | AcResponse::RoleChoice(_) => None,
    }
}

/// The `te` error channel: 400 JSON `{error, error_description, state}`.
pub(crate) fn te_error(e: &ProtocolError) -> HttpResponse {
    crate::error::with_retry_after(
        HttpResponse::build(
            StatusCode::from_u16(e.code.http_status()).unwrap_or(StatusCode::BAD_REQUEST),
        )
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(json!({
            "error": e.code.oauth_error(),
            "error_description": e.code.error_description(),
            "state": e.state,
        })),
    )
}
