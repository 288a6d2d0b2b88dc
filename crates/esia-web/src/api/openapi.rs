//! The OpenAPI 3.1 document of the QA API, generated from the handlers' `#[utoipa::path]`
//! annotations and the body types' `ToSchema` derives, served at `/emulator/api/openapi.json`.
//! Register every new `/emulator/api/` handler in `paths(...)` below; `tests/openapi.rs` pins
//! the document with a snapshot, so an undocumented change of the API shows in review.

use std::sync::OnceLock;

use actix_web::HttpResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::error::{ErrorBody, FieldErrorBody};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "esia-emulator QA API",
        description = "Control plane of the local ESIA emulator: client systems, outbox, \
            verification rules, faults, clock, zero-click login, journal and diagnostics. Not part of ESIA. When an admin token is \
            configured (`[admin] token`), send it as `Authorization: Bearer <token>`. Every POST, PUT \
            and PATCH (and any request with a body) must send `Content-Type: application/json` \
            (415 `unsupported_media_type` otherwise), a body-less POST too."
    ),
    paths(
        super::health,
        super::ready,
        super::outbox,
        super::clients::list,
        super::clients::add,
        super::clients::show,
        super::clients::remove,
        super::clients::verify_secret,
        super::rules::list,
        super::rules::add,
        super::rules::delete_all,
        super::rules::delete_one,
        super::faults::add,
        super::faults::list,
        super::faults::show,
        super::faults::remove,
        super::faults::clear,
        super::clock::show,
        super::clock::change,
        super::clock::reset,
        super::zero_click::show,
        super::zero_click::switch,
        super::zero_click::next_login,
        super::journal::list,
        super::journal::clear,
        super::personas::apply,
        super::personas::list,
        super::personas::show,
        super::personas::patch,
        super::personas::remove,
        super::state::reset,
        super::state::export,
        super::state::import,
    ),
    components(schemas(ErrorBody, FieldErrorBody)),
    modifiers(&AdminToken),
    security(("admin_token" = [])),
    tags(
        (name = "probes", description = "Liveness and readiness"),
        (name = "personas", description = "Test persons at any level, with generated data"),
        (name = "clients", description = "Client systems (информационные системы)"),
        (name = "outbox", description = "SMS, e-mail and post letters the emulator sent"),
        (name = "verification", description = "Forced outcomes of the government checks"),
        (name = "journal", description = "Protocol journal and signature diagnostics"),
        (name = "faults", description = "Injected failures of the protocol endpoints"),
        (name = "clock", description = "The emulator's clock: offset, freeze, reset"),
        (name = "zero-click", description = "Login without pages for CI (not ESIA behaviour)"),
        (name = "state", description = "Reset to the startup seed, snapshot export and import"),
    )
)]
pub struct ApiDoc;

/// Declares the bearer scheme the admin token uses.
struct AdminToken;

impl Modify for AdminToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "admin_token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The document as JSON, built once.
pub fn document() -> &'static serde_json::Value {
    static DOC: OnceLock<serde_json::Value> = OnceLock::new();
    DOC.get_or_init(|| {
        serde_json::to_value(ApiDoc::openapi()).expect("the OpenAPI document serialises")
    })
}

pub(crate) async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok().json(document())
}
