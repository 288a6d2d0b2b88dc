//! `/profile`: the personal cabinet of the logged-in person — name, level, and the sections
//! «Персональные данные» (read-only here, edited at `/profile/personal-data`), «Контакты»,
//! «Документы», «Адреса», «Дети», «Транспорт», «Организации» and «Удалить учётную запись».
//! The edit pages live in `profile_*.rs` beside this file and are registered from here.

#[path = "profile_account.rs"]
mod profile_account;
#[path = "profile_consents.rs"]
mod profile_consents;
#[path = "profile_contacts.rs"]
mod profile_contacts;
#[path = "profile_items.rs"]
mod profile_items;
#[path = "profile_security.rs"]
mod profile_security;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use esia_core::cabinet_view::ProfileView;
use esia_core::person::view::PersonDataView;
use serde::Deserialize;

use crate::extractors::SessionPerson;
/// The profile sections (`profile_*.rs`, mounted below this module) render through it.
use crate::respond::{core_error_page, html, with_csrf};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/profile", web::get().to(profile_page));
    profile_contacts::configure(cfg);
    profile_items::configure(cfg);
    profile_account::configure(cfg);
    profile_consents::configure(cfg);
    profile_security::configure(cfg);
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

async fn profile_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<ProfileQuery>,
    person: SessionPerson,
) -> HttpResponse {
    let id = person.person_id;
    let result = state
        .run(move |core| {
            Ok((
                esia_core::cabinet_view::profile(core, &id)?,
                esia_core::person::view::person_data_view(core, &id)?,
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

/// A time as the cabinet shows it: Moscow time, `дд.мм.гггг чч:мм`.
fn moscow_time(at: chrono::DateTime<chrono::Utc>) -> String {
    let msk = chrono::FixedOffset::east_opt(3 * 3600).expect("a valid offset");
    at.with_timezone(&msk).format("%d.%m.%Y %H:%M").to_string()
}
