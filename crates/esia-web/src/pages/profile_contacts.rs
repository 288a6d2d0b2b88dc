//! `/profile/contacts`: change the mobile phone or e-mail. A new value is confirmed by a code
//! sent to it (SMS or e-mail) before it replaces the old one; until then the page shows it as
//! pending and offers the code form and «Отменить».

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use esia_core::codes::CodeCheck;
use esia_core::person::contacts::ChangeStarted;
use esia_core::person::view::ContactLine;
use esia_core::CoreError;
use esia_domain::ContactKind;
use serde::Deserialize;

use crate::extractors::{csrf_field, KindSegment, PathKind, PersonForm, SessionPerson};
use crate::respond::with_csrf;
use crate::respond::{core_error_page, html, redirect};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/profile/contacts", web::get().to(page))
        .route("/profile/contacts/{kind}/change", web::post().to(change))
        .route("/profile/contacts/{kind}/confirm", web::post().to(confirm))
        .route("/profile/contacts/{kind}/cancel", web::post().to(cancel));
}

/// One editable contact kind on the page.
struct Slot {
    kind: &'static str,
    kind_lower: &'static str,
    title: &'static str,
    current: Option<ContactLine>,
    input_type: &'static str,
}

#[derive(Template)]
#[template(path = "profile_contacts.html")]
struct ContactsPage<'a> {
    csrf: &'a str,
    slots: &'a [Slot],
    message: Option<String>,
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ContactForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    code: String,
}

/// The contact kind of the path (`mbt`/`eml`, either case): the two a person changes here.
struct EditableKind(ContactKind);

impl KindSegment for EditableKind {
    fn from_segment(segment: &str) -> Option<EditableKind> {
        match segment {
            "mbt" | "MBT" => Some(EditableKind(ContactKind::Mobile)),
            "eml" | "EML" => Some(EditableKind(ContactKind::Email)),
            _ => None,
        }
    }
}

csrf_field!(ContactForm);

async fn render(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    person_id: String,
    status: StatusCode,
    message: Option<String>,
    error: Option<String>,
) -> HttpResponse {
    let view = match state
        .run(move |core| esia_core::person::view::person_data_view(core, &person_id))
        .await
    {
        Ok(v) => v,
        Err(e) => return core_error_page(&e),
    };
    let slot = |kind: &'static str, kind_lower, title, input_type| Slot {
        kind,
        kind_lower,
        title,
        current: view.contacts.iter().find(|c| c.kind == kind).cloned(),
        input_type,
    };
    let slots = [
        slot("MBT", "mbt", "Мобильный телефон", "tel"),
        slot("EML", "eml", "Электронная почта", "email"),
    ];
    with_csrf(req, state, |csrf| {
        html(
            status,
            &ContactsPage {
                csrf,
                slots: &slots,
                message,
                error,
            },
        )
    })
}

async fn page(req: HttpRequest, state: web::Data<AppState>, person: SessionPerson) -> HttpResponse {
    render(&req, &state, person.person_id, StatusCode::OK, None, None).await
}

async fn change(
    req: HttpRequest,
    state: web::Data<AppState>,
    PathKind(EditableKind(kind)): PathKind<EditableKind>,
    PersonForm { person_id, form }: PersonForm<ContactForm>,
) -> HttpResponse {
    let (pid, value) = (person_id.clone(), form.value.clone());
    let (status, message, error) = match state
        .run(move |core| {
            esia_core::person::contacts::start_contact_change(core, &pid, kind, &value)
        })
        .await
    {
        Ok(ChangeStarted::CodeSent) => (
            StatusCode::OK,
            Some(
                if kind == ContactKind::Mobile {
                    "Код отправлен по СМС на новый номер"
                } else {
                    "Код отправлен на новый адрес почты"
                }
                .to_string(),
            ),
            None,
        ),
        Ok(ChangeStarted::Cooldown { retry_after_secs }) => (
            StatusCode::TOO_MANY_REQUESTS,
            None,
            Some(format!(
                "Получить код повторно можно через {retry_after_secs} секунд"
            )),
        ),
        Err(CoreError::Validation(fields)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            fields.first().map(|f| f.error.message.clone()),
        ),
        Err(e) => return core_error_page(&e),
    };
    render(&req, &state, person_id, status, message, error).await
}

async fn confirm(
    req: HttpRequest,
    state: web::Data<AppState>,
    PathKind(EditableKind(kind)): PathKind<EditableKind>,
    PersonForm { person_id, form }: PersonForm<ContactForm>,
) -> HttpResponse {
    let (pid, code) = (person_id.clone(), form.code.clone());
    let error = match state
        .run(move |core| {
            esia_core::person::contacts::confirm_contact_change(core, &pid, kind, &code)
        })
        .await
    {
        Ok(CodeCheck::Accepted) => return redirect("/profile?saved=1"),
        Ok(CodeCheck::Wrong { attempts_left }) => {
            format!("Неверный код. Осталось попыток: {attempts_left}")
        }
        Ok(CodeCheck::Expired) => "Срок действия кода истёк".to_string(),
        Ok(CodeCheck::Blocked { retry_after_secs }) => {
            format!(
                "Слишком много попыток. Повторите через {} минут",
                retry_after_secs.div_ceil(60)
            )
        }
        Ok(CodeCheck::NoCode) => "Нет изменения, ожидающего подтверждения".to_string(),
        Err(CoreError::Conflict(m)) => m,
        Err(e) => return core_error_page(&e),
    };
    render(
        &req,
        &state,
        person_id,
        StatusCode::UNPROCESSABLE_ENTITY,
        None,
        Some(error),
    )
    .await
}

async fn cancel(
    state: web::Data<AppState>,
    PathKind(EditableKind(kind)): PathKind<EditableKind>,
    PersonForm { person_id, .. }: PersonForm<ContactForm>,
) -> HttpResponse {
    match state
        .run(move |core| esia_core::person::contacts::cancel_contact_change(core, &person_id, kind))
        .await
    {
        Ok(()) => redirect("/profile/contacts"),
        Err(e) => core_error_page(&e),
    }
}
