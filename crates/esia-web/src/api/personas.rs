//! QA JSON API for test personas (`/emulator/api/personas`): apply a spec (create or update),
//! list, show, patch and delete. Errors: 400 `bad_json`, 422 `invalid_field` (with `fields`),
//! 404 `persona_not_found`, 409 `login_taken` (the names `ApiCodes::PERSONAS` keeps).

use actix_web::{web, HttpResponse, ResponseError};
use esia_control::personas::{PersonaPage, PersonaPatch, PersonaQuery, PersonaSpec, PersonaView};
use esia_core::CoreError;

use crate::error::api::PersonaApiError;
use crate::error::api_bad_request;
use crate::state::blocking;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/personas", web::post().to(apply))
        .route("/personas", web::get().to(list))
        .route("/personas/{oid}", web::get().to(show))
        .route("/personas/{oid}", web::patch().to(patch))
        .route("/personas/{oid}", web::delete().to(remove));
}

/// A core error in the personas API's names (`PersonaApiError`).
fn answer(e: CoreError) -> HttpResponse {
    PersonaApiError(e).error_response()
}

/// An oid that is not a number names no persona.
fn not_found() -> HttpResponse {
    answer(CoreError::NotFound("persona"))
}

/// The body as `T`, or the serde message (unknown field, wrong type) for a 400 `bad_json`.
fn parse_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    serde_json::from_slice(body).map_err(|e| e.to_string())
}

/// Creates a persona from a spec (any subset of data; the rest generated), or updates the one
/// with the spec's oid, phone or e-mail.
#[utoipa::path(
    post,
    path = "/emulator/api/personas",
    tag = "personas",
    request_body = PersonaSpec,
    responses(
        (status = 201, description = "Created; `password` shown once", body = PersonaView),
        (status = 200, description = "An existing persona updated", body = PersonaView),
        (status = 400, description = "bad_json: unparsable body, unknown field or wrong type"),
        (status = 409, description = "login_taken: phone, e-mail or SNILS of another persona"),
        (status = 422, description = "invalid_field: a value failed validation"),
    )
)]
pub async fn apply(state: web::Data<AppState>, body: web::Bytes) -> HttpResponse {
    let spec: PersonaSpec = match parse_json(&body) {
        Ok(s) => s,
        Err(m) => return api_bad_request("bad_json", m),
    };
    let ctl = state.control.clone();
    match blocking(move || esia_control::personas::apply_persona(&ctl, &spec)).await {
        Ok(a) if a.created => HttpResponse::Created().json(a.view),
        Ok(a) => HttpResponse::Ok().json(a.view),
        Err(e) => answer(e),
    }
}

/// A page of personas, oldest first.
#[utoipa::path(
    get,
    path = "/emulator/api/personas",
    tag = "personas",
    params(PersonaQuery),
    responses(
        (status = 200, body = PersonaPage),
        (status = 400, description = "bad_query"),
        (status = 422, description = "invalid_field: offset or limit out of range"),
    )
)]
pub async fn list(state: web::Data<AppState>, query: web::Query<PersonaQuery>) -> HttpResponse {
    let q = query.into_inner();
    let ctl = state.control.clone();
    match blocking(move || esia_control::personas::list_personas(&ctl, &q)).await {
        Ok(page) => HttpResponse::Ok().json(page),
        Err(e) => answer(e),
    }
}

/// One persona with all its data.
#[utoipa::path(
    get,
    path = "/emulator/api/personas/{oid}",
    tag = "personas",
    params(("oid" = i64, Path, description = "The persona's oid")),
    responses(
        (status = 200, body = PersonaView),
        (status = 404, description = "persona_not_found"),
    )
)]
pub async fn show(state: web::Data<AppState>, path: web::Path<String>) -> HttpResponse {
    let Ok(oid) = path.into_inner().parse::<i64>() else {
        return not_found();
    };
    let ctl = state.control.clone();
    match blocking(move || esia_control::personas::get_persona(&ctl, oid)).await {
        Ok(v) => HttpResponse::Ok().json(v),
        Err(e) => answer(e),
    }
}

/// Changes a persona: level, `blocked`, `deleted`, password or any data.
#[utoipa::path(
    patch,
    path = "/emulator/api/personas/{oid}",
    tag = "personas",
    params(("oid" = i64, Path, description = "The persona's oid")),
    request_body = PersonaPatch,
    responses(
        (status = 200, body = PersonaView),
        (status = 400, description = "bad_json"),
        (status = 404, description = "persona_not_found"),
        (status = 409, description = "login_taken"),
        (status = 422, description = "invalid_field"),
    )
)]
pub async fn patch(
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let Ok(oid) = path.into_inner().parse::<i64>() else {
        return not_found();
    };
    let p: PersonaPatch = match parse_json(&body) {
        Ok(p) => p,
        Err(m) => return api_bad_request("bad_json", m),
    };
    let ctl = state.control.clone();
    match blocking(move || esia_control::personas::patch_persona(&ctl, oid, &p)).await {
        Ok(v) => HttpResponse::Ok().json(v),
        Err(e) => answer(e),
    }
}

/// Deletes a persona and everything it owns (not the ESIA «deleted» status: see PATCH).
#[utoipa::path(
    delete,
    path = "/emulator/api/personas/{oid}",
    tag = "personas",
    params(("oid" = i64, Path, description = "The persona's oid")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "persona_not_found"),
    )
)]
pub async fn remove(state: web::Data<AppState>, path: web::Path<String>) -> HttpResponse {
    let Ok(oid) = path.into_inner().parse::<i64>() else {
        return not_found();
    };
    let ctl = state.control.clone();
    match blocking(move || esia_control::personas::delete_persona(&ctl, oid)).await {
        Ok(()) => HttpResponse::NoContent().finish(),
        Err(e) => answer(e),
    }
}
