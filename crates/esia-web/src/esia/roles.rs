//! The role page «Выберите роль» after login (esia-protocol §10; core: `protocol/roles.rs`):
//! renders the choice between the private person and each organisation of the person, and
//! takes the answer (`POST /aas/oauth2/role`, double-submit CSRF) back into the flow.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use esia_core::protocol::ac_response::{RoleChoiceView, RoleOption};
use esia_core::protocol::roles::PRIVATE_PERSON;
use serde::Deserialize;

use super::aas::{block_ac, render};
use crate::cookies::{self, csrf_token};
use crate::extractors::{csrf_field, CsrfForm};
use crate::pages::{html, secure};
use crate::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/aas/oauth2/role", web::post().to(choose));
}

#[derive(Template)]
#[template(path = "role.html")]
struct RolePage<'a> {
    csrf: &'a str,
    request_id: &'a str,
    client_name: &'a str,
    person_name: &'a str,
    private: &'a str,
    options: &'a [RoleOption],
}

pub(super) fn render_choice(
    req: &HttpRequest,
    state: &AppState,
    view: RoleChoiceView,
) -> HttpResponse {
    let (csrf, cookie) = csrf_token(req, secure(state));
    let mut page = html(
        StatusCode::OK,
        &RolePage {
            csrf: &csrf,
            request_id: &view.request_id,
            client_name: &view.client_name,
            person_name: &view.person_name,
            private: PRIVATE_PERSON,
            options: &view.options,
        },
    );
    if let Some(c) = cookie {
        let _ = page.add_cookie(&c);
    }
    page
}

#[derive(Debug, Deserialize)]
struct RoleForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    request: String,
    #[serde(default)]
    role: String,
}

csrf_field!(RoleForm);

async fn choose(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: CsrfForm<RoleForm>,
) -> HttpResponse {
    let form = form.into_inner();
    let session = cookies::value(&req, cookies::SESSION);
    let core = state.core.clone();
    let resp =
        block_ac(move || core.choose_role(&form.request, session.as_deref(), &form.role)).await;
    render(&req, &state, resp)
}
