//! Security headers on every response (pages, the QA API, protocol redirects, error pages, and
//! responses built from errors): a Content-Security-Policy for the server-rendered pages, no
//! framing (the consent button must not be clickjacked), no MIME sniffing, and no `Referer`.
//! A header a handler set itself is kept. Nothing else is decided here.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::InternalError;
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::Error;

/// The pages use one stylesheet block and `style` attributes (hence `'unsafe-inline'` for
/// styles only) and one script file served from `/assets/`; nothing is loaded from elsewhere.
/// `form-action` is deliberately absent: the login and consent forms end in a redirect to the
/// relying party's `redirect_uri`, which browsers check against `form-action` too.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; \
     frame-ancestors 'none'";

/// `no-referrer`: the consent page's URL carries the `ac` request (client_secret, state), and
/// the redirect to the relying party carries the code; neither may travel in a `Referer`.
pub const REFERRER_POLICY: &str = "no-referrer";

fn headers_to_add() -> [(HeaderName, HeaderValue); 4] {
    [
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (
            header::REFERRER_POLICY,
            HeaderValue::from_static(REFERRER_POLICY),
        ),
    ]
}

/// `from_fn` middleware of the whole app. An error from an inner service (a middleware that
/// failed to read a body) becomes its response here with the headers added, carried on as an
/// error whose response is that one (the request itself is gone by then).
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    match next.call(req).await {
        Ok(res) => {
            let mut res = res.map_into_boxed_body();
            add(res.headers_mut());
            Ok(res)
        }
        Err(e) => {
            let mut response = e.error_response();
            add(response.headers_mut());
            Err(InternalError::from_response(e.to_string(), response).into())
        }
    }
}

fn add(headers: &mut HeaderMap) {
    for (name, value) in headers_to_add() {
        if !headers.contains_key(&name) {
            headers.insert(name, value);
        }
    }
}
