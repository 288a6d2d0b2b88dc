//! `/emulator/clients`: the «Технологический портал» analogue where a developer registers a
//! client system by pasting a certificate. It calls the same core functions as the JSON API.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use esia_core::protocol::clients::{ClientSpec, ClientView};
use esia_core::CoreError;
use serde::Deserialize;

use crate::extractors::{csrf_field, CsrfForm};
use crate::respond::{core_error_page, html, with_csrf};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/clients", web::get().to(page))
        .route("/clients", web::post().to(submit));
}

csrf_field!(ClientForm);

#[derive(Debug, Deserialize, Default)]
struct ClientForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    mnemonic: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    redirect_uris: String,
    #[serde(default)]
    scopes: String,
    #[serde(default)]
    token_alg: String,
    #[serde(default)]
    mode: String,
    #[serde(default)]
    certificate: String,
}

#[derive(Template)]
#[template(path = "clients.html")]
struct ClientsPage<'a> {
    csrf: &'a str,
    clients: Vec<ClientView>,
    form: &'a ClientForm,
    error: Option<String>,
    notice: Option<String>,
}

async fn render(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    form: &ClientForm,
    error: Option<String>,
    notice: Option<String>,
) -> HttpResponse {
    let clients = match state.run(esia_core::protocol::clients::list_clients).await {
        Ok(c) => c,
        Err(e) => return core_error_page(&e),
    };
    with_csrf(req, state, |csrf| {
        html(
            status,
            &ClientsPage {
                csrf,
                clients,
                form,
                error,
                notice,
            },
        )
    })
}

async fn page(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    render(
        &req,
        &state,
        StatusCode::OK,
        &ClientForm::default(),
        None,
        None,
    )
    .await
}

async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: CsrfForm<ClientForm>,
) -> HttpResponse {
    let form = form.into_inner();
    let spec = ClientSpec {
        mnemonic: form.mnemonic.trim().to_string(),
        name: form.name.trim().to_string(),
        redirect_uris: form
            .redirect_uris
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect(),
        scopes: form.scopes.split_whitespace().map(String::from).collect(),
        token_alg: Some(form.token_alg.clone()).filter(|s| !s.is_empty()),
        mode: Some(form.mode.clone()).filter(|s| !s.is_empty()),
        certificates: Some(form.certificate.trim().to_string())
            .filter(|s| !s.is_empty())
            .into_iter()
            .collect(),
    };
    match state
        .run(move |core| esia_core::protocol::clients::add_client(core, &spec))
        .await
    {
        Ok(view) => {
            let notice = format!("Система {} зарегистрирована", view.mnemonic);
            render(
                &req,
                &state,
                StatusCode::OK,
                &ClientForm::default(),
                None,
                Some(notice),
            )
            .await
        }
        Err(CoreError::Validation(fields)) => {
            let message = fields
                .iter()
                .map(|f| format!("{}: {}", f.field, f.error.message))
                .collect::<Vec<_>>()
                .join("; ");
            render(
                &req,
                &state,
                StatusCode::UNPROCESSABLE_ENTITY,
                &form,
                Some(message),
                None,
            )
            .await
        }
        Err(CoreError::Conflict(m)) => {
            render(&req, &state, StatusCode::CONFLICT, &form, Some(m), None).await
        }
        Err(e) => core_error_page(&e),
    }
}
