//! `/assets/…`: the few static files the pages load (compiled in). The CSP allows scripts only
//! from the emulator itself, so page scripts live here instead of inline. No other files.

use actix_web::http::header;
use actix_web::{web, HttpResponse};

const PASSWORD_JS: &str = include_str!("../../assets/password.js");

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/assets/password.js", web::get().to(password_js));
}

async fn password_js() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(PASSWORD_JS)
}
