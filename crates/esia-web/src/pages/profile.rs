//! `/profile`: the personal cabinet of the logged-in person — name, level, and the sections
//! «Персональные данные» (read-only here, edited at `/profile/personal-data`), «Контакты»,
//! «Документы», «Адреса», «Дети», «Транспорт», «Организации» and «Удалить учетную запись».
//! The edit pages live in `profile_*.rs` beside this file and are registered from here.

#[path = "profile_account.rs"]
mod profile_account;
#[path = "profile_contacts.rs"]
mod profile_contacts;
#[path = "profile_items.rs"]
mod profile_items;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use esia_core::person::view::PersonDataView;
use esia_core::profile::ProfileView;
use serde::Deserialize;

/// The profile sections (`profile_*.rs`, mounted below this module) render through it.
pub(crate) use super::with_csrf;
use super::{blocking, core_error_page, html, redirect};
use crate::cookies;
use crate::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/profile", web::get().to(profile_page));
    profile_contacts::configure(cfg);
    profile_items::configure(cfg);
    profile_account::configure(cfg);
}

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage<'a> {
    csrf: &'a str,
    profile: &'a ProfileView,
    data: &'a PersonDataView,
    registered: bool,
    notice: Option<&'a str>,
    sections: Vec<Section<'a>>,
}

/// One editable list section of the cabinet.
struct Section<'a> {
    section: &'static str,
    title: &'static str,
    kind: &'static str,
    add_label: &'static str,
    rows: &'a [esia_core::person::view::Row],
}

fn sections(data: &PersonDataView) -> Vec<Section<'_>> {
    vec![
        Section {
            section: "documents",
            title: "Документы",
            kind: "document",
            add_label: "Добавить документ",
            rows: &data.documents,
        },
        Section {
            section: "addresses",
            title: "Адреса",
            kind: "address",
            add_label: "Добавить адрес",
            rows: &data.addresses,
        },
        Section {
            section: "kids",
            title: "Дети",
            kind: "kid",
            add_label: "Добавить ребёнка",
            rows: &data.kids,
        },
        Section {
            section: "vehicles",
            title: "Транспорт",
            kind: "vehicle",
            add_label: "Добавить транспортное средство",
            rows: &data.vehicles,
        },
    ]
}

#[derive(Debug, Deserialize, Default)]
struct ProfileQuery {
    registered: Option<String>,
    saved: Option<String>,
}

/// The logged-in person's id, or the response to send instead (a redirect to the login page
/// that comes back to `return_to`).
pub(crate) async fn session_person(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    return_to: &str,
) -> Result<String, HttpResponse> {
    let to_login = || {
        let mut resp = redirect(&format!("/login?return_to={return_to}"));
        let _ = resp.add_cookie(&cookies::removal(
            cookies::SESSION,
            crate::pages::secure(state),
        ));
        resp
    };
    let Some(token) = cookies::value(req, cookies::SESSION) else {
        return Err(redirect(&format!("/login?return_to={return_to}")));
    };
    let core = state.core.clone();
    match blocking(move || core.resolve_session(&token)).await {
        Ok(Some(s)) => Ok(s.person_id),
        Ok(None) => Err(to_login()),
        Err(e) => Err(core_error_page(&e)),
    }
}

async fn profile_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<ProfileQuery>,
) -> HttpResponse {
    let person_id = match session_person(&req, &state, "/profile").await {
        Ok(p) => p,
        Err(resp) => return resp,
    };
    let core = state.core.clone();
    let result = blocking(move || {
        Ok((
            core.profile(&person_id)?,
            core.person_data_view(&person_id)?,
        ))
    })
    .await;
    match result {
        Ok((profile, data)) => with_csrf(&req, &state, |csrf| {
            html(
                StatusCode::OK,
                &ProfilePage {
                    csrf,
                    profile: &profile,
                    data: &data,
                    registered: query.registered.is_some(),
                    notice: query.saved.as_ref().map(|_| "Изменения сохранены"),
                    sections: sections(&data),
                },
            )
        }),
        Err(e) => core_error_page(&e),
    }
}
