//! Request rules that keep other web sites out: `host_guard` (whole app) answers 421 to a `Host`
//! the emulator does not serve, so a DNS-rebinding page (whose requests carry its own host
//! name) cannot read pages or the QA API; `json_only` (the QA API scope) answers 415 unless a
//! request that writes declares a JSON body, which no cross-site form or "simple" fetch can do
//! without a CORS preflight the emulator never grants. No routing or business decisions here.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{mime, web, Error, HttpMessage, HttpResponse};
use esia_core::server_config::normalise_host;
use esia_core::Config;

use crate::error::ErrorBody;

/// The host names a request may name, computed once from the configuration.
#[derive(Debug, Clone)]
pub struct AllowedHosts {
    names: Vec<String>,
}

impl AllowedHosts {
    pub fn from_config(config: &Config) -> AllowedHosts {
        AllowedHosts {
            names: config.server.served_host_names(),
        }
    }

    /// `authority` is the `Host` header (or the HTTP/2 `:authority`): `host[:port]`, any port.
    /// Served: the configured names, `localhost`, and IP literals — a DNS-rebinding page
    /// always sends its own host name, never an address, so an address cannot be that attack.
    pub fn allows(&self, authority: &str) -> bool {
        let Ok(parsed) = authority.parse::<actix_web::http::uri::Authority>() else {
            return false;
        };
        if authority.contains('@') {
            return false;
        }
        let host = normalise_host(parsed.host());
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        host == "localhost"
            || bare.parse::<std::net::IpAddr>().is_ok()
            || self.names.contains(&host)
    }
}

/// The authority the client addressed: the request URI's (HTTP/2, absolute-form) or `Host`.
fn requested_authority(req: &ServiceRequest) -> Option<Result<String, ()>> {
    if let Some(a) = req.uri().authority() {
        return Some(Ok(a.as_str().to_string()));
    }
    req.headers()
        .get(header::HOST)
        .map(|v| v.to_str().map(str::to_string).map_err(|_| ()))
}

/// `from_fn` middleware of the whole app: 421 for a `Host` outside `AllowedHosts`. A request
/// without any `Host` (HTTP/1.0 tools) is not a browser and passes.
pub async fn host_guard(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let allowed = req.app_data::<web::Data<AllowedHosts>>();
    let served = match requested_authority(&req) {
        None => true,
        Some(Ok(authority)) => allowed.is_some_and(|a| a.allows(&authority)),
        Some(Err(())) => false,
    };
    if served {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    tracing::info!(path = %crate::loggable_path(req.path()), "request for a host not served");
    let response = HttpResponse::build(StatusCode::MISDIRECTED_REQUEST).json(ErrorBody::new(
        "misdirected_request",
        "this emulator does not answer for that host name; add it to server.allowed_hosts \
         (ESIA__SERVER__ALLOWED_HOSTS) or use the public base URL",
    ));
    Ok(req.into_response(response))
}

/// True for `application/json` and `application/<anything>+json`, any parameters.
fn declares_json(req: &ServiceRequest) -> bool {
    match req.mime_type() {
        Ok(Some(m)) => {
            m.type_() == mime::APPLICATION
                && (m.subtype() == mime::JSON || m.suffix() == Some(mime::JSON))
        }
        _ => false,
    }
}

/// True when the request carries (or announces) a body.
fn has_body(req: &ServiceRequest) -> bool {
    let headers = req.headers();
    headers.contains_key(header::TRANSFER_ENCODING)
        || headers
            .get(header::CONTENT_LENGTH)
            .is_some_and(|v| v.to_str().ok().and_then(|s| s.trim().parse::<u64>().ok()) != Some(0))
}

/// `from_fn` middleware of the QA API scope: every POST, PUT and PATCH, and any request with a
/// body, must say `Content-Type: application/json` (or `…+json`), even a body-less POST such as
/// reset — that header is what a cross-site page cannot send without a preflight. 415 otherwise,
/// before the body is read.
pub async fn json_only(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let writes = matches!(*req.method(), Method::POST | Method::PUT | Method::PATCH);
    if (writes || has_body(&req)) && !declares_json(&req) {
        let response = HttpResponse::UnsupportedMediaType().json(ErrorBody::new(
            "unsupported_media_type",
            "send Content-Type: application/json (also on a POST without a body)",
        ));
        return Ok(req.into_response(response));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

#[cfg(test)]
mod tests {
    use super::AllowedHosts;

    #[test]
    fn served_hosts() {
        let hosts = AllowedHosts {
            names: vec!["esia.example".into(), "emulator-a".into()],
        };
        for ok in [
            "localhost",
            "localhost:8080",
            "LOCALHOST.:1",
            "127.0.0.1:8080",
            "[::1]:8080",
            "[::1]",
            "10.0.0.5:8080",
            "esia.example",
            "Esia.Example:443",
            "emulator-a:8080",
        ] {
            assert!(hosts.allows(ok), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:8080",
            "localhost.evil.example",
            "esia.example.evil.example",
            "127.0.0.1.nip.io",
            "user@localhost",
            "",
            "local host",
            "localhost/x",
        ] {
            assert!(!hosts.allows(bad), "{bad}");
        }
    }
}
