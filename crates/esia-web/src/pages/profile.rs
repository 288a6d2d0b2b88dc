//! `/profile`: the personal cabinet of the logged-in person (name, level, contacts).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use esia_core::profile::ProfileView;
use serde::Deserialize;

use super::{blocking, core_error_page, html, redirect, secure};
use crate::cookies::{self, csrf_token};
use crate::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/profile", web::get().to(profile_page));
}

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage<'a> {
    csrf: &'a str,
    profile: &'a ProfileView,
    registered: bool,
}

#[derive(Debug, Deserialize, Default)]
struct ProfileQuery {
    registered: Option<String>,
}

async fn profile_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<ProfileQuery>,
) -> HttpResponse {
    let Some(token) = cookies::value(&req, cookies::SESSION) else {
        return redirect("/login?return_to=/profile");
    };
    let core = state.core.clone();
    let result = blocking(move || {
        let Some(session) = core.resolve_session(&token)? else {
            return Ok(None);
        };
        core.profile(&session.person_id).map(Some)
    })
    .await;
    match result {
        Ok(Some(profile)) => {
            let (csrf, cookie) = csrf_token(&req, secure(&state));
            let mut resp = html(
                StatusCode::OK,
                &ProfilePage {
                    csrf: &csrf,
                    profile: &profile,
                    registered: query.registered.is_some(),
                },
            );
            if let Some(c) = cookie {
                let _ = resp.add_cookie(&c);
            }
            resp
        }
        Ok(None) => {
            let mut resp = redirect("/login?return_to=/profile");
            let _ = resp.add_cookie(&cookies::removal(cookies::SESSION));
            resp
        }
        Err(e) => core_error_page(&e),
    }
}
