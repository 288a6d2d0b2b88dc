//! `/profile/consents`: «Согласия» — the systems the person let read their data, with what
//! each may read, when consent was given and when the system last logged them in, and
//! «Отозвать» for each (the core's `protocol::consents`). Shows times in Moscow time, as the
//! cabinet does elsewhere. It must not decide what a withdrawal revokes.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use esia_core::protocol::consents::SystemConsent;
use serde::Deserialize;

use super::moscow_time as moscow;
use crate::extractors::{csrf_field, PersonForm, SessionPerson};
use crate::respond::{core_error_page, html, redirect, with_csrf};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/profile/consents", web::get().to(page)).route(
        "/profile/consents/{mnemonic}/revoke",
        web::post().to(revoke),
    );
}

/// One system as the page lists it.
struct Row {
    mnemonic: String,
    name: String,
    lines: Vec<&'static str>,
    granted_at: String,
    last_login: String,
}

#[derive(Template)]
#[template(path = "profile_consents.html")]
struct ConsentsPage<'a> {
    csrf: &'a str,
    rows: &'a [Row],
    notice: Option<&'a str>,
}

#[derive(Debug, Deserialize)]
struct NoticeQuery {
    #[serde(default)]
    revoked: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RevokeForm {
    #[serde(default)]
    csrf: String,
}

csrf_field!(RevokeForm);

fn row(c: SystemConsent) -> Row {
    Row {
        granted_at: moscow(c.granted_at),
        last_login: c.last_login.map(moscow).unwrap_or_else(|| "—".into()),
        mnemonic: c.mnemonic,
        name: c.name,
        lines: c.lines,
    }
}

async fn page(req: HttpRequest, state: web::Data<AppState>, person: SessionPerson) -> HttpResponse {
    let notice = web::Query::<NoticeQuery>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.into_inner().revoked)
        .map(|_| "Согласие отозвано. Система попросит его снова при следующем входе.");
    let person_id = person.person_id;
    match state
        .run(move |core| esia_core::protocol::consents::consents_view(core, &person_id))
        .await
    {
        Ok(consents) => {
            let rows: Vec<Row> = consents.into_iter().map(row).collect();
            with_csrf(&req, &state, |csrf| {
                html(
                    StatusCode::OK,
                    &ConsentsPage {
                        csrf,
                        rows: &rows,
                        notice,
                    },
                )
            })
        }
        Err(e) => core_error_page(&e),
    }
}

async fn revoke(
    state: web::Data<AppState>,
    path: web::Path<String>,
    PersonForm { person_id, .. }: PersonForm<RevokeForm>,
) -> HttpResponse {
    let mnemonic = path.into_inner();
    match state
        .run(move |core| esia_core::protocol::consents::revoke_consent(core, &person_id, &mnemonic))
        .await
    {
        Ok(()) => redirect("/profile/consents?revoked=1"),
        Err(e) => core_error_page(&e),
    }
}
