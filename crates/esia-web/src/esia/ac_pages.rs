//! The pages an `ac`-family request can end on, rendered from the IdP's `AcResponse`: a redirect
//! or refusal (through `render_ac`), the consent page and the role page, each with this
//! browser's CSRF token; and the one way these handlers run the blocking use case. No routes.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use esia_core::protocol::ac_response::{
    AcRefusal, AcResponse, ConsentView, RoleChoiceView, RoleOption,
};
use esia_core::protocol::roles::PRIVATE_PERSON;

use super::render_ac;
use crate::cookies::csrf_token;
use crate::respond::{html, secure};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "consent.html")]
struct ConsentPage<'a> {
    csrf: &'a str,
    request_id: &'a str,
    client_name: &'a str,
    lines: &'a [&'static str],
}

pub(super) fn render_ac_page(
    req: &HttpRequest,
    state: &AppState,
    resp: AcResponse,
) -> HttpResponse {
    if let Some(r) = render_ac(&resp) {
        return r;
    }
    let resp = match resp {
        AcResponse::RoleChoice(view) => return render_choice(req, state, view),
        other => other,
    };
    let AcResponse::Consent(ConsentView {
        request_id,
        client_name,
        lines,
    }) = resp
    else {
        return HttpResponse::InternalServerError().finish();
    };
    let (csrf, cookie) = csrf_token(req, secure(state));
    let mut page = html(
        StatusCode::OK,
        &ConsentPage {
            csrf: &csrf,
            request_id: &request_id,
            client_name: &client_name,
            lines: &lines,
        },
    );
    if let Some(c) = cookie {
        let _ = page.add_cookie(&c);
    }
    page
}

pub(super) async fn block_ac<F>(f: F) -> AcResponse
where
    F: FnOnce() -> AcResponse + Send + 'static,
{
    web::block(crate::request_log::carry(f))
        .await
        .unwrap_or(AcResponse::Refused(AcRefusal::Internal))
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

fn render_choice(req: &HttpRequest, state: &AppState, view: RoleChoiceView) -> HttpResponse {
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
