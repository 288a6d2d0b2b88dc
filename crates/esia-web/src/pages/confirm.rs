//! `/profile/confirm`: «Подтвердить учётную запись» with the ways «В центре обслуживания»,
//! «Код по почте России» (order the letter, enter its code), «Через онлайн-банк» (links to the
//! simulated banks) and «Электронной подписью» (a base64 CMS signature of the shown challenge).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use esia_core::upgrade::confirm::{ConfirmView, PostCodeResult};
use esia_core::CoreError;
use serde::Deserialize;

use crate::extractors::{csrf_field, PersonForm, SessionPerson};
use crate::respond::{core_error_page, html, redirect, with_csrf};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/profile/confirm", web::get().to(page))
        .route("/profile/confirm/post", web::post().to(order_post))
        .route("/profile/confirm/post/code", web::post().to(enter_code))
        .route("/profile/confirm/signature", web::post().to(signature));
}

#[derive(Template)]
#[template(path = "confirm.html")]
struct Page<'a> {
    csrf: &'a str,
    view: &'a ConfirmView,
    error: Option<String>,
    notice: Option<String>,
}

// No Debug: the fields are personal data (or codes) and must never reach a log.
#[derive(Deserialize, Default)]
struct Form {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    signature: String,
}

csrf_field!(Form);

async fn render(
    req: &HttpRequest,
    state: &AppState,
    person_id: String,
    status: StatusCode,
    error: Option<String>,
    notice: Option<String>,
) -> HttpResponse {
    match state
        .run(move |core| esia_core::upgrade::confirm::confirm_view(core, &person_id))
        .await
    {
        Ok(view) => with_csrf(req, state, |csrf| {
            html(
                status,
                &Page {
                    csrf,
                    view: &view,
                    error,
                    notice,
                },
            )
        }),
        Err(e) => core_error_page(&e),
    }
}

#[derive(Debug, Deserialize, Default)]
struct Query {
    done: Option<String>,
}

async fn page(
    req: HttpRequest,
    state: web::Data<AppState>,
    q: web::Query<Query>,
    person: SessionPerson,
) -> HttpResponse {
    let pid = person.person_id;
    let notice = match q.done.as_deref() {
        Some("ordered") => {
            Some("Письмо с кодом подтверждения заказано. Код придёт заказным письмом".into())
        }
        Some("confirmed") => Some("Ваша учётная запись подтверждена".into()),
        _ => None,
    };
    render(&req, &state, pid, StatusCode::OK, None, notice).await
}

/// Maps a refused action to the page with the message.
async fn refused(req: &HttpRequest, state: &AppState, pid: String, e: CoreError) -> HttpResponse {
    match e {
        CoreError::Conflict(m) => {
            render(req, state, pid, StatusCode::CONFLICT, Some(m), None).await
        }
        other => core_error_page(&other),
    }
}

async fn order_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    PersonForm { person_id: pid, .. }: PersonForm<Form>,
) -> HttpResponse {
    let id = pid.clone();
    match state
        .run(move |core| esia_core::upgrade::confirm::order_post_code(core, &id))
        .await
    {
        Ok(()) => redirect("/profile/confirm?done=ordered"),
        Err(e) => refused(&req, &state, pid, e).await,
    }
}

async fn enter_code(
    req: HttpRequest,
    state: web::Data<AppState>,
    PersonForm {
        person_id: pid,
        form,
    }: PersonForm<Form>,
) -> HttpResponse {
    let (id, code) = (pid.clone(), form.code.clone());
    let (status, message) = match state
        .run(move |core| esia_core::upgrade::confirm::enter_post_code(core, &id, &code))
        .await
    {
        Ok(PostCodeResult::Confirmed) => return redirect("/profile/confirm?done=confirmed"),
        Ok(PostCodeResult::Wrong { attempts_left }) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("Неверный код. Осталось попыток: {attempts_left}"),
        ),
        Ok(PostCodeResult::Expired) => (StatusCode::GONE, "Срок действия кода истёк".into()),
        Ok(PostCodeResult::Blocked) => (
            StatusCode::TOO_MANY_REQUESTS,
            "Слишком много неверных попыток. Закажите новый код".into(),
        ),
        Ok(PostCodeResult::NotDelivered) => (
            StatusCode::CONFLICT,
            "Письмо с кодом ещё не доставлено".into(),
        ),
        Err(e) => return refused(&req, &state, pid, e).await,
    };
    render(&req, &state, pid, status, Some(message), None).await
}

async fn signature(
    req: HttpRequest,
    state: web::Data<AppState>,
    PersonForm {
        person_id: pid,
        form,
    }: PersonForm<Form>,
) -> HttpResponse {
    let b64 = form.signature.clone();
    let id = pid.clone();
    match state
        .run(move |core| esia_core::upgrade::confirm::signature_confirm_base64(core, &id, &b64))
        .await
    {
        Ok(()) => redirect("/profile/confirm?done=confirmed"),
        Err(e) => refused(&req, &state, pid, e).await,
    }
}
