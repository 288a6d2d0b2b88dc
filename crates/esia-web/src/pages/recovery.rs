//! `/recovery`: password recovery by an SMS code to the confirmed phone or a link to the
//! confirmed e-mail, then a new password.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use esia_core::recovery::RecoveryStarted;
use esia_core::CoreError;
use serde::Deserialize;

use super::registration::{
    code_failure, generated_password, CodeForm, CodePage, PasswordForm, PasswordPage,
};
use crate::cookies;
use crate::extractors::{csrf_field, CsrfForm};
use crate::respond::{
    core_error_page, field_errors, html, redirect, secure, with_csrf, MessagePage,
};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/recovery", web::get().to(start_page))
        .route("/recovery", web::post().to(start_submit))
        .route("/recovery/code", web::get().to(code_page))
        .route("/recovery/code", web::post().to(code_submit))
        .route("/recovery/password/{token}", web::get().to(password_page))
        .route(
            "/recovery/password/{token}",
            web::post().to(password_submit),
        );
}

csrf_field!(StartForm);

#[derive(Template)]
#[template(path = "recovery.html")]
struct RecoveryPage<'a> {
    csrf: &'a str,
    login: &'a str,
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
struct StartForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    login: String,
}

async fn start_page(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    with_csrf(&req, &state, |csrf| {
        html(
            StatusCode::OK,
            &RecoveryPage {
                csrf,
                login: "",
                error: None,
            },
        )
    })
}

async fn start_submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: CsrfForm<StartForm>,
) -> HttpResponse {
    let login = form.login.clone();
    let fail = |status, msg: String| {
        with_csrf(&req, &state, |csrf| {
            html(
                status,
                &RecoveryPage {
                    csrf,
                    login: &form.login,
                    error: Some(msg),
                },
            )
        })
    };
    match state
        .run(move |core| esia_core::recovery::start_recovery(core, &login))
        .await
    {
        Ok(RecoveryStarted::CodeSent { person_ref, .. }) => {
            let mut resp = redirect("/recovery/code");
            let _ = resp.add_cookie(&cookies::build(
                cookies::RECOVERY,
                person_ref,
                secure(&state),
                None,
            ));
            resp
        }
        Ok(RecoveryStarted::LinkSent { email }) => {
            let text =
                format!("Мы отправили письмо со ссылкой для восстановления на адрес {email}");
            html(
                StatusCode::OK,
                &MessagePage {
                    title: "Восстановление пароля",
                    text: &text,
                    link: None,
                },
            )
        }
        Err(CoreError::Validation(fields)) => fail(
            StatusCode::UNPROCESSABLE_ENTITY,
            fields[0].error.message.clone(),
        ),
        Err(CoreError::NotFound(_)) => {
            fail(StatusCode::NOT_FOUND, "Учётная запись не найдена".into())
        }
        Err(CoreError::Conflict(m)) => fail(StatusCode::CONFLICT, m),
        Err(e) => core_error_page(&e),
    }
}

fn render_code(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    error: Option<String>,
) -> HttpResponse {
    with_csrf(req, state, |csrf| {
        html(
            status,
            &CodePage {
                title: "Восстановление пароля",
                csrf,
                phone: "подтверждённый номер телефона",
                action: "/recovery/code",
                resend_action: None,
                resend_in_secs: 0,
                error,
                notice: None,
            },
        )
    })
}

async fn code_page(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    if cookies::value(&req, cookies::RECOVERY).is_none() {
        return redirect("/recovery");
    }
    render_code(&req, &state, StatusCode::OK, None)
}

async fn code_submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: CsrfForm<CodeForm>,
) -> HttpResponse {
    let Some(person_ref) = cookies::value(&req, cookies::RECOVERY) else {
        return redirect("/recovery");
    };
    let code = form.code.clone();
    match state
        .run(move |core| esia_core::recovery::confirm_recovery_code(core, &person_ref, &code))
        .await
    {
        Ok(Ok(token)) => {
            let mut resp = redirect(&format!("/recovery/password/{token}"));
            let _ = resp.add_cookie(&cookies::removal(cookies::RECOVERY, secure(&state)));
            resp
        }
        Ok(Err(outcome)) => {
            let (status, message) = code_failure(&outcome);
            render_code(&req, &state, status, Some(message))
        }
        Err(e) => core_error_page(&e),
    }
}

async fn password_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> HttpResponse {
    let token = path.into_inner();
    let check = token.clone();
    match state
        .run(move |core| esia_core::recovery::recovery_token_valid(core, &check))
        .await
    {
        Ok(true) => {
            let action = format!("/recovery/password/{token}");
            with_csrf(&req, &state, |csrf| {
                html(
                    StatusCode::OK,
                    &PasswordPage {
                        title: "Новый пароль",
                        csrf,
                        action: &action,
                        generated: generated_password(),
                        errors: HashMap::new(),
                    },
                )
            })
        }
        Ok(false) => core_error_page(&CoreError::Expired("link")),
        Err(e) => core_error_page(&e),
    }
}

async fn password_submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CsrfForm<PasswordForm>,
) -> HttpResponse {
    let token = path.into_inner();
    let form = form.into_inner();
    let t = token.clone();
    match state
        .run(move |core| {
            esia_core::recovery::finish_recovery(core, &t, &form.password, &form.repeat)
        })
        .await
    {
        Ok(()) => html(
            StatusCode::OK,
            &MessagePage {
                title: "Пароль изменён",
                text: "Новый пароль сохранён. Войдите с ним.",
                link: Some(("/login", "Войти")),
            },
        ),
        Err(CoreError::Validation(fields)) => {
            let action = format!("/recovery/password/{token}");
            with_csrf(&req, &state, |csrf| {
                html(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &PasswordPage {
                        title: "Новый пароль",
                        csrf,
                        action: &action,
                        generated: generated_password(),
                        errors: field_errors(&fields),
                    },
                )
            })
        }
        Err(e) => core_error_page(&e),
    }
}
