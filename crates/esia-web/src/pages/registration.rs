//! `/registration`: the form, the SMS code step, the e-mail link, the password step.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use esia_core::codes::{CodeCheck, ResendOutcome};
use esia_core::registration::{RegistrationForm, RegistrationStarted};
use esia_core::CoreError;
use serde::Deserialize;
use std::collections::HashMap;

use crate::cookies;
use crate::extractors::{csrf_field, CsrfForm};
use crate::respond::{
    core_error_page, field_errors, html, redirect, secure, with_csrf, MessagePage,
};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/registration", web::get().to(form_page))
        .route("/registration", web::post().to(submit))
        .route("/registration/code", web::get().to(code_page))
        .route("/registration/code", web::post().to(code_submit))
        .route("/registration/code/resend", web::post().to(code_resend))
        .route("/registration/email-sent", web::get().to(email_sent))
        .route("/registration/email/{token}", web::get().to(email_link))
        .route("/registration/password", web::get().to(password_page))
        .route("/registration/password", web::post().to(password_submit));
}

csrf_field!(FormData, CodeForm, PasswordForm);

#[derive(Debug, Deserialize, Default)]
pub(crate) struct FormData {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    surname: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    patronymic: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
}

#[derive(Template)]
#[template(path = "registration.html")]
struct RegistrationPage<'a> {
    csrf: &'a str,
    form: &'a FormData,
    errors: HashMap<&'static str, String>,
}

#[derive(Template)]
#[template(path = "code.html")]
pub(crate) struct CodePage<'a> {
    pub title: &'a str,
    pub csrf: &'a str,
    pub phone: &'a str,
    pub action: &'a str,
    pub resend_action: Option<&'a str>,
    pub resend_in_secs: u64,
    pub error: Option<String>,
    pub notice: Option<String>,
}

#[derive(Template)]
#[template(path = "password.html")]
pub(crate) struct PasswordPage<'a> {
    pub title: &'a str,
    pub csrf: &'a str,
    pub action: &'a str,
    pub generated: String,
    pub errors: HashMap<&'static str, String>,
}

async fn form_page(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let form = FormData::default();
    with_csrf(&req, &state, |csrf| {
        html(
            StatusCode::OK,
            &RegistrationPage {
                csrf,
                form: &form,
                errors: HashMap::new(),
            },
        )
    })
}

async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: CsrfForm<FormData>,
) -> HttpResponse {
    let input = RegistrationForm {
        surname: form.surname.clone(),
        name: form.name.clone(),
        patronymic: form.patronymic.clone(),
        phone: form.phone.clone(),
        email: form.email.clone(),
    };
    match state
        .run(move |core| esia_core::registration::start_registration(core, &input))
        .await
    {
        Ok(started) => {
            let (id, to) = match started {
                RegistrationStarted::CodeSent {
                    registration_id, ..
                } => (registration_id, "/registration/code"),
                RegistrationStarted::LinkSent {
                    registration_id, ..
                } => (registration_id, "/registration/email-sent"),
            };
            let mut resp = redirect(to);
            let _ = resp.add_cookie(&cookies::build(
                cookies::REGISTRATION,
                id,
                secure(&state),
                None,
            ));
            resp
        }
        Err(CoreError::Validation(fields)) => with_csrf(&req, &state, |csrf| {
            html(
                StatusCode::UNPROCESSABLE_ENTITY,
                &RegistrationPage {
                    csrf,
                    form: &form,
                    errors: field_errors(&fields),
                },
            )
        }),
        Err(e) => core_error_page(&e),
    }
}

fn registration_id(req: &HttpRequest) -> Option<String> {
    cookies::value(req, cookies::REGISTRATION)
}

async fn render_code_page(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    error: Option<String>,
    notice: Option<String>,
) -> HttpResponse {
    let Some(id) = registration_id(req) else {
        return redirect("/registration");
    };
    match state
        .run(move |core| esia_core::registration::registration_state(core, &id))
        .await
    {
        Ok(s) if s.contact_confirmed => redirect("/registration/password"),
        Ok(s) => {
            let phone = s.phone_pretty.unwrap_or_default();
            with_csrf(req, state, |csrf| {
                html(
                    status,
                    &CodePage {
                        title: "Подтверждение номера телефона",
                        csrf,
                        phone: &phone,
                        action: "/registration/code",
                        resend_action: Some("/registration/code/resend"),
                        resend_in_secs: s.resend_in_secs,
                        error,
                        notice,
                    },
                )
            })
        }
        Err(e) => core_error_page(&e),
    }
}

async fn code_page(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    render_code_page(&req, &state, StatusCode::OK, None, None).await
}

#[derive(Debug, Deserialize)]
pub(crate) struct CodeForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub code: String,
}

/// The Russian message and status for a failed code check.
pub(crate) fn code_failure(outcome: &CodeCheck) -> (StatusCode, String) {
    match outcome {
        CodeCheck::Wrong { attempts_left } => (
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("Неверный код. Осталось попыток: {attempts_left}"),
        ),
        CodeCheck::Expired => (StatusCode::GONE, "Срок действия кода истёк".to_string()),
        CodeCheck::Blocked { retry_after_secs } => (
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "Слишком много неверных попыток. Ввод кода заблокирован на {} мин.",
                retry_after_secs.div_ceil(60)
            ),
        ),
        CodeCheck::NoCode => (
            StatusCode::CONFLICT,
            "Код не запрашивался или уже использован. Получите новый код".to_string(),
        ),
        CodeCheck::Accepted => (StatusCode::OK, String::new()),
    }
}

async fn code_submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: CsrfForm<CodeForm>,
) -> HttpResponse {
    let Some(id) = registration_id(&req) else {
        return redirect("/registration");
    };
    let code = form.code.clone();
    match state
        .run(move |core| esia_core::registration::confirm_registration_code(core, &id, &code))
        .await
    {
        Ok(CodeCheck::Accepted) => redirect("/registration/password"),
        Ok(other) => {
            let (status, message) = code_failure(&other);
            render_code_page(&req, &state, status, Some(message), None).await
        }
        Err(e) => core_error_page(&e),
    }
}

async fn code_resend(
    req: HttpRequest,
    state: web::Data<AppState>,
    _: CsrfForm<CodeForm>,
) -> HttpResponse {
    let Some(id) = registration_id(&req) else {
        return redirect("/registration");
    };
    match state
        .run(move |core| esia_core::registration::resend_registration_code(core, &id))
        .await
    {
        Ok(ResendOutcome::Sent { .. }) => {
            render_code_page(
                &req,
                &state,
                StatusCode::OK,
                None,
                Some("Новый код отправлен".into()),
            )
            .await
        }
        Ok(ResendOutcome::Cooldown { retry_after_secs }) => {
            let msg = format!("Получить код повторно можно через {retry_after_secs} секунд");
            render_code_page(&req, &state, StatusCode::TOO_MANY_REQUESTS, Some(msg), None).await
        }
        Ok(ResendOutcome::Blocked { retry_after_secs }) => {
            let (status, msg) = code_failure(&CodeCheck::Blocked { retry_after_secs });
            render_code_page(&req, &state, status, Some(msg), None).await
        }
        Err(e) => core_error_page(&e),
    }
}

async fn email_sent(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let Some(id) = registration_id(&req) else {
        return redirect("/registration");
    };
    match state
        .run(move |core| esia_core::registration::registration_state(core, &id))
        .await
    {
        Ok(s) => {
            let text = format!(
                "Мы отправили письмо со ссылкой на адрес {}",
                s.email.unwrap_or_default()
            );
            html(
                StatusCode::OK,
                &MessagePage {
                    title: "Подтверждение почты",
                    text: &text,
                    link: None,
                },
            )
        }
        Err(e) => core_error_page(&e),
    }
}

async fn email_link(state: web::Data<AppState>, path: web::Path<String>) -> HttpResponse {
    let token = path.into_inner();
    match state
        .run(move |core| esia_core::registration::open_registration_link(core, &token))
        .await
    {
        Ok(id) => {
            let mut resp = redirect("/registration/password");
            let _ = resp.add_cookie(&cookies::build(
                cookies::REGISTRATION,
                id,
                secure(&state),
                None,
            ));
            resp
        }
        Err(e) => core_error_page(&e),
    }
}

pub(crate) fn generated_password() -> String {
    esia_core::domain::generate_password(&mut rand::thread_rng())
}

async fn password_page(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let Some(id) = registration_id(&req) else {
        return redirect("/registration");
    };
    match state
        .run(move |core| esia_core::registration::registration_state(core, &id))
        .await
    {
        Ok(s) if !s.contact_confirmed => redirect("/registration/code"),
        Ok(_) => with_csrf(&req, &state, |csrf| {
            html(
                StatusCode::OK,
                &PasswordPage {
                    title: "Создание пароля",
                    csrf,
                    action: "/registration/password",
                    generated: generated_password(),
                    errors: HashMap::new(),
                },
            )
        }),
        Err(e) => core_error_page(&e),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct PasswordForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub repeat: String,
}

async fn password_submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: CsrfForm<PasswordForm>,
) -> HttpResponse {
    let Some(id) = registration_id(&req) else {
        return redirect("/registration");
    };
    let form = form.into_inner();
    match state
        .run(move |core| {
            esia_core::registration::complete_registration(core, &id, &form.password, &form.repeat)
        })
        .await
    {
        Ok(session) => {
            let mut resp = redirect("/profile?registered=1");
            let max_age = Some(state.core.config.login.session_ttl_secs as i64);
            let _ = resp.add_cookie(&cookies::build(
                cookies::SESSION,
                session.token,
                secure(&state),
                max_age,
            ));
            let _ = resp.add_cookie(&cookies::removal(cookies::REGISTRATION, secure(&state)));
            resp
        }
        Err(CoreError::Validation(fields)) => with_csrf(&req, &state, |csrf| {
            html(
                StatusCode::UNPROCESSABLE_ENTITY,
                &PasswordPage {
                    title: "Создание пароля",
                    csrf,
                    action: "/registration/password",
                    generated: generated_password(),
                    errors: field_errors(&fields),
                },
            )
        }),
        Err(e) => core_error_page(&e),
    }
}
