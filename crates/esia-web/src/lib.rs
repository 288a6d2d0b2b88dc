//! esia-web: the HTTP surface over esia-core. `pages/` renders the Госуслуги-like HTML,
//! `api/` the QA JSON API and probes, `error` maps core errors to HTTP once per surface. Handlers
//! extract (`extractors`: the CSRF-checked form, the session person; `AppState::run` for the
//! blocking pool), call one core function, and map the result; no business rules and no SQL here.

pub mod admin_auth;
pub mod api;
pub mod cookies;
pub mod error;
pub mod esia;
mod extractors;
pub mod faults;
pub mod local_redirect;
pub mod metrics;
pub mod metrics_endpoint;
pub mod pages;
pub mod render;
pub mod request_guard;
pub mod request_log;
pub mod respond;
pub mod routes;
pub mod rs;
pub mod security_headers;
pub mod state;

pub use state::AppState;

use actix_web::{web, App, HttpServer};
use esia_control::Control;

/// Registers every route. The open paths under `/emulator` come first; then the `/emulator/api`
/// and `/emulator` scopes take every other path the router resolves there (after decoding
/// `%65mulator` and the like), and their middleware is the admin guard, so no spelling of a
/// guarded path reaches a handler without the token.
pub fn configure(cfg: &mut web::ServiceConfig) {
    use actix_web::middleware::from_fn;
    api::configure_open(cfg);
    metrics_endpoint::configure(cfg);
    admin_auth::configure(cfg);
    pages::configure(cfg);
    esia::configure(cfg);
    rs::configure(cfg);
    cfg.service(
        web::scope("/emulator/api")
            // Registered last = runs first: the token, then the JSON rule.
            .wrap(from_fn(request_guard::json_only))
            .wrap(from_fn(admin_auth::api_guard))
            .configure(api::configure)
            .default_service(web::route().to(api::not_found)),
    )
    .service(
        web::scope("/emulator")
            .wrap(from_fn(admin_auth::page_guard))
            .configure(pages::configure_admin),
    );
}

/// The request path for access logs: no query string, and every segment that could be a token
/// or personal data (long, or mostly digits) replaced by `*`.
pub fn loggable_path(path: &str) -> String {
    path.split('/')
        .map(|seg| {
            let digits = seg.chars().filter(char::is_ascii_digit).count();
            if seg.len() > 24 || (seg.len() >= 6 && digits * 2 >= seg.len()) || seg.contains('@') {
                "*"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Builds the HTTP server on an already bound listener (port 0 in tests).
pub fn server(
    control: Control,
    listener: std::net::TcpListener,
) -> std::io::Result<actix_web::dev::Server> {
    metrics::install();
    let core = control.idp.clone();
    let allowed_hosts = web::Data::new(request_guard::AllowedHosts::from_config(&core.config));
    let state = web::Data::new(AppState { core, control });
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(allowed_hosts.clone())
            .app_data(
                web::FormConfig::default()
                    .limit(64 * 1024)
                    .error_handler(error::form_error),
            )
            .app_data(web::QueryConfig::default().error_handler(error::query_error))
            .app_data(
                web::JsonConfig::default()
                    .limit(4 * 1024 * 1024)
                    .error_handler(error::json_error),
            )
            // QA fault rules on the protocol endpoints (inside the access log, so it logs them).
            .wrap(actix_web::middleware::from_fn(faults::middleware))
            // A Host the emulator does not serve (DNS rebinding) is refused before anything else.
            .wrap(actix_web::middleware::from_fn(request_guard::host_guard))
            // Security headers on every response, the guards' refusals included.
            .wrap(actix_web::middleware::from_fn(security_headers::middleware))
            // Outermost: the request id and the one log line per request (never the raw
            // request line: query strings carry client secrets and phones, paths carry tokens).
            .wrap(actix_web::middleware::from_fn(request_log::middleware))
            .configure(configure)
            .default_service(web::route().to(error::unrouted::unrouted))
    })
    .listen(listener)?
    .run();
    Ok(server)
}

#[cfg(test)]
mod tests {
    use super::loggable_path;

    #[test]
    fn access_log_paths_hide_tokens_and_identifiers() {
        assert_eq!(loggable_path("/aas/oauth2/v2/ac"), "/aas/oauth2/v2/ac");
        assert_eq!(
            loggable_path(&format!("/registration/email/{}", "ab12".repeat(16))),
            "/registration/email/*"
        );
        assert_eq!(
            loggable_path("/rs/prns/1000000001/ctts/12345678"),
            "/rs/prns/*/ctts/*"
        );
        assert_eq!(
            loggable_path("/emulator/api/clients/DEMO_IS"),
            "/emulator/api/clients/DEMO_IS"
        );
    }
}
