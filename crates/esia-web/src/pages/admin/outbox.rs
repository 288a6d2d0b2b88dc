//! `/emulator/outbox`: every SMS, e-mail and letter the emulator "sent", with the codes and links
//! in them, filtered by recipient and kind. Read-only.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use esia_core::outbox::OutboxMessage;
use serde::Deserialize;

use crate::respond::page_message;
use crate::respond::{core_error_page, html};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/outbox", web::get().to(page));
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct OutboxFilter {
    to: String,
    kind: String,
}

#[derive(Template)]
#[template(path = "admin_outbox.html")]
struct OutboxPage<'a> {
    messages: &'a [OutboxMessage],
    filter: &'a OutboxFilter,
    error: Option<String>,
}

impl OutboxPage<'_> {
    fn kind_ru(kind: &str) -> &'static str {
        match kind {
            "sms" => "СМС",
            "email" => "Письмо",
            "letter" => "Почта России",
            _ => "Сообщение",
        }
    }
}

async fn page(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let (filter, mut error) = match web::Query::<OutboxFilter>::from_query(req.query_string()) {
        Ok(f) => (f.into_inner(), None),
        Err(e) => (
            OutboxFilter::default(),
            Some(format!("Некорректный фильтр: {e}")),
        ),
    };
    let (to, kind) = (filter.to.clone(), filter.kind.clone());
    let listed = state
        .run(move |core| {
            let to = Some(to.trim()).filter(|s| !s.is_empty());
            let kind = Some(kind.trim()).filter(|s| !s.is_empty());
            esia_core::outbox::list_outbox(core, to, kind, 200)
        })
        .await;
    let messages = match listed {
        Ok(m) => m,
        Err(e) => match page_message(&e) {
            Some(m) => {
                error = Some(m);
                Vec::new()
            }
            None => return core_error_page(&e),
        },
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    html(
        status,
        &OutboxPage {
            messages: &messages,
            filter: &filter,
            error,
        },
    )
}
