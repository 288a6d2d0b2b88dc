//! The role page «Выберите роль» after login (esia-protocol §10; core: `protocol/roles.rs`):
//! renders the choice between the private person and each organisation of the person, and
//! takes the answer (`POST /aas/oauth2/role`, double-submit CSRF) back into the flow.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::ac_pages::{block_ac, render_ac_page};
use crate::cookies;
use crate::extractors::{csrf_field, CsrfForm};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        esia_core::protocol::endpoints::ROLE_PATH,
        web::post().to(choose),
    );
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
    let resp = block_ac(move || {
        esia_core::protocol::consent::choose_role(
            &core,
            &form.request,
            session.as_deref(),
            &form.role,
        )
    })
    .await;
    render_ac_page(&req, &state, resp)
}
