//! `/emulator`: the emulator's own landing page (what this is, where the outbox and probes are,
//! the demo logins). Not an ESIA page.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use esia_control::seed::{DemoPersona, DEMO_PERSONAS};

use crate::respond::html;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("", web::get().to(home));
}

#[derive(Template)]
#[template(path = "emulator_home.html")]
struct HomePage {
    personas: &'static [DemoPersona],
}

async fn home() -> HttpResponse {
    html(
        StatusCode::OK,
        &HomePage {
            personas: DEMO_PERSONAS,
        },
    )
}
