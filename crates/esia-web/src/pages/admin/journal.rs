//! `/emulator/journal`: the protocol journal filtered by client, persona, endpoint and time, with
//! a button that clears it, and the decoder — a pasted JWT (header, claims, whether our keys
//! verify it, times as dates) or a pasted `ac`/`te` request (the client_secret diagnostics).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use esia_control::admin_views::decoder::JwtReport;
use esia_control::admin_views::journal::JournalQuery;
use esia_core::protocol::journal::JournalEntry;
use serde::Deserialize;
use serde_json::Value;

use crate::extractors::{csrf_field, CsrfForm};
use crate::respond::page_message;
use crate::respond::{core_error_page, html, with_csrf};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/journal", web::get().to(page))
        .route("/journal/decode", web::post().to(decode))
        .route("/journal/clear", web::post().to(clear));
}

csrf_field!(DecodeForm, ClearForm);

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

/// What the decoder produced for the page.
#[derive(Default)]
struct Decoded {
    jwt: Option<JwtReport>,
    secret: Option<String>,
    error: Option<String>,
}

/// The decoder form as typed, echoed back into the page. No `Debug`: it holds pasted tokens.
#[derive(Default, Deserialize)]
struct DecodeForm {
    #[serde(default)]
    csrf: String,
    /// `jwt` or `secret`.
    #[serde(default)]
    kind: String,
    #[serde(default)]
    token: String,
    #[serde(default)]
    endpoint: String,
    #[serde(default)]
    request: String,
}

#[derive(Template)]
#[template(path = "admin_journal.html")]
struct JournalPage<'a> {
    csrf: &'a str,
    q: &'a JournalQuery,
    entries: &'a [JournalEntry],
    error: Option<String>,
    notice: Option<String>,
    form: &'a DecodeForm,
    decoded: &'a Decoded,
}

impl JournalPage<'_> {
    fn field(v: &Option<String>) -> &str {
        v.as_deref().unwrap_or("")
    }

    fn pretty(v: &Value) -> String {
        pretty(v)
    }

    fn pretty_opt(v: &Option<Value>) -> String {
        v.as_ref().map(pretty).unwrap_or_default()
    }
}

struct Extra {
    status: StatusCode,
    error: Option<String>,
    notice: Option<String>,
    form: DecodeForm,
    decoded: Decoded,
}

impl Extra {
    fn plain(status: StatusCode) -> Extra {
        Extra {
            status,
            error: None,
            notice: None,
            form: DecodeForm::default(),
            decoded: Decoded::default(),
        }
    }
}

async fn render(req: &HttpRequest, state: &AppState, q: JournalQuery, x: Extra) -> HttpResponse {
    let query = q.clone();
    let (entries, error, status) = match state
        .run_control(move |ctl| esia_control::admin_views::journal::list_journal(ctl, &query))
        .await
    {
        Ok(e) => (e, x.error, x.status),
        Err(e) => match page_message(&e) {
            Some(m) => (Vec::new(), Some(m), StatusCode::UNPROCESSABLE_ENTITY),
            None => return core_error_page(&e),
        },
    };
    with_csrf(req, state, |csrf| {
        html(
            status,
            &JournalPage {
                csrf,
                q: &q,
                entries: &entries,
                error,
                notice: x.notice,
                form: &x.form,
                decoded: &x.decoded,
            },
        )
    })
}

async fn page(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    match web::Query::<JournalQuery>::from_query(req.query_string()) {
        Ok(q) => render(&req, &state, q.into_inner(), Extra::plain(StatusCode::OK)).await,
        Err(e) => {
            let mut x = Extra::plain(StatusCode::BAD_REQUEST);
            x.error = Some(format!("Некорректный фильтр: {e}"));
            render(&req, &state, JournalQuery::default(), x).await
        }
    }
}

async fn decode(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: CsrfForm<DecodeForm>,
) -> HttpResponse {
    let form = form.into_inner();
    let (kind, token, endpoint, request) = (
        form.kind.clone(),
        form.token.clone(),
        form.endpoint.clone(),
        form.request.clone(),
    );
    let result = state
        .run_control(move |ctl| {
            Ok(if kind == "secret" {
                Decoded {
                    secret: Some(pretty(
                        &esia_control::admin_views::decoder::decode_secret_request(
                            ctl, &endpoint, &request,
                        )?,
                    )),
                    ..Decoded::default()
                }
            } else {
                Decoded {
                    jwt: Some(esia_control::admin_views::decoder::decode_jwt(ctl, &token)?),
                    ..Decoded::default()
                }
            })
        })
        .await;
    let mut x = Extra::plain(StatusCode::OK);
    match result {
        Ok(d) => x.decoded = d,
        Err(e) => match page_message(&e) {
            Some(m) => {
                x.status = StatusCode::UNPROCESSABLE_ENTITY;
                x.decoded.error = Some(m);
            }
            None => return core_error_page(&e),
        },
    }
    x.form = form;
    render(&req, &state, JournalQuery::default(), x).await
}

#[derive(Debug, Deserialize)]
struct ClearForm {
    #[serde(default)]
    csrf: String,
}

async fn clear(
    req: HttpRequest,
    state: web::Data<AppState>,
    _: CsrfForm<ClearForm>,
) -> HttpResponse {
    match state
        .run_control(esia_control::admin_views::journal::clear_journal)
        .await
    {
        Ok(n) => {
            let mut x = Extra::plain(StatusCode::OK);
            x.notice = Some(format!("Журнал очищен, удалено записей: {n}"));
            render(&req, &state, JournalQuery::default(), x).await
        }
        Err(e) => core_error_page(&e),
    }
}
