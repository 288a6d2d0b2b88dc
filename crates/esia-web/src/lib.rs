//! esia-web: the HTTP surface over esia-core. `pages/` renders the Госуслуги-like HTML,
//! `api/` the QA JSON API and probes, `error` maps core errors to HTTP once per surface. Handlers
//! extract, call one core function (inside `web::block` when it touches the database or hashes),
//! and map the result; no business rules and no SQL here.

pub mod api;
pub mod cookies;
pub mod error;
pub mod esia;
pub mod pages;
pub mod rs;

use actix_web::{web, App, HttpServer};
use esia_core::Core;

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    pub core: Core,
}

/// Registers every route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    api::configure(cfg);
    esia::configure(cfg);
    rs::configure(cfg);
    pages::configure(cfg);
}

/// Builds the HTTP server on an already bound listener (port 0 in tests).
pub fn server(
    core: Core,
    listener: std::net::TcpListener,
) -> std::io::Result<actix_web::dev::Server> {
    let state = web::Data::new(AppState { core });
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(
                web::FormConfig::default()
                    .limit(64 * 1024)
                    .error_handler(error::form_error),
            )
            .app_data(web::QueryConfig::default().error_handler(error::query_error))
            .wrap(actix_web::middleware::Logger::new("%r %s %Dms").exclude("/emulator/health"))
            .configure(configure)
            .default_service(web::route().to(pages::not_found))
    })
    .listen(listener)?
    .run();
    Ok(server)
}
