//! `/emulator/personas`: test personas — list and search by login and level, create one (level,
//! optional names, phone, e-mail, password; the rest generated), change the level, block or
//! unblock, delete — through the same ctl functions as `/emulator/api/personas`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use esia_control::personas::spec::PersonaSpec;
use esia_control::personas::{PersonaPatch, PersonaQuery, PersonaSummary};
use esia_domain::AccountLevel;
use serde::Deserialize;

use crate::extractors::{csrf_field, CsrfForm};
use crate::respond::page_message;
use crate::respond::{core_error_page, html, with_csrf};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/personas", web::get().to(page))
        .route("/personas", web::post().to(create))
        .route("/personas/{oid}/level", web::post().to(level))
        .route("/personas/{oid}/block", web::post().to(block))
        .route("/personas/{oid}/delete", web::post().to(delete));
}

csrf_field!(CreateForm, ActionForm);

/// The search form (query string); empty values mean "any".
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Search {
    login: String,
    level: String,
}

/// The create form, echoed back when refused. No `Debug`: it holds names, phones and passwords.
#[derive(Default, Deserialize)]
#[serde(default)]
struct CreateForm {
    csrf: String,
    level: String,
    surname: String,
    name: String,
    patronymic: String,
    phone: String,
    email: String,
    password: String,
}

/// One row action's form: the new level or block state.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ActionForm {
    csrf: String,
    level: String,
    blocked: String,
}

#[derive(Template)]
#[template(path = "admin_personas.html")]
struct PersonasPage<'a> {
    csrf: &'a str,
    search: &'a Search,
    personas: &'a [PersonaSummary],
    form: &'a CreateForm,
    error: Option<String>,
    notice: Option<String>,
}

impl PersonasPage<'_> {
    fn level_ru(level: &AccountLevel) -> &'static str {
        level.title_ru()
    }

    fn opt(v: &Option<String>) -> &str {
        v.as_deref().unwrap_or("—")
    }
}

/// The exact stored spelling only (as the JSON API takes it), not `FromStr`'s any-case form.
fn parse_level(v: &str) -> Result<AccountLevel, String> {
    AccountLevel::ALL
        .into_iter()
        .find(|l| l.as_str() == v.trim())
        .ok_or_else(|| "Уровень: simplified, standard или confirmed".to_string())
}

fn given(v: &str) -> Option<String> {
    Some(v.trim()).filter(|s| !s.is_empty()).map(str::to_string)
}

fn oid_of(path: &str) -> Result<i64, String> {
    path.parse().map_err(|_| "oid — целое число".to_string())
}

async fn render(
    req: &HttpRequest,
    state: &AppState,
    search: Search,
    form: &CreateForm,
    status: StatusCode,
    error: Option<String>,
    notice: Option<String>,
) -> HttpResponse {
    let level = match given(&search.level).map(|l| parse_level(&l)).transpose() {
        Ok(l) => l,
        Err(m) => {
            let blank = Search::default();
            let code = StatusCode::UNPROCESSABLE_ENTITY;
            return Box::pin(render(req, state, blank, form, code, Some(m), None)).await;
        }
    };
    let q = PersonaQuery {
        level,
        login: given(&search.login),
        offset: None,
        limit: Some(200),
    };
    let personas = match state
        .run_control(move |ctl| esia_control::personas::list_personas(ctl, &q))
        .await
    {
        Ok(p) => p.personas,
        Err(e) => return core_error_page(&e),
    };
    with_csrf(req, state, |csrf| {
        html(
            status,
            &PersonasPage {
                csrf,
                search: &search,
                personas: &personas,
                form,
                error,
                notice,
            },
        )
    })
}

async fn page(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let blank = CreateForm::default();
    match web::Query::<Search>::from_query(req.query_string()) {
        Ok(s) => {
            render(
                &req,
                &state,
                s.into_inner(),
                &blank,
                StatusCode::OK,
                None,
                None,
            )
            .await
        }
        Err(e) => {
            let m = Some(format!("Некорректный поиск: {e}"));
            let code = StatusCode::BAD_REQUEST;
            render(&req, &state, Search::default(), &blank, code, m, None).await
        }
    }
}

async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: CsrfForm<CreateForm>,
) -> HttpResponse {
    let form = form.into_inner();
    let refused = StatusCode::UNPROCESSABLE_ENTITY;
    let level = match parse_level(&form.level) {
        Ok(l) => l,
        Err(m) => {
            return render(
                &req,
                &state,
                Search::default(),
                &form,
                refused,
                Some(m),
                None,
            )
            .await
        }
    };
    let spec = PersonaSpec {
        level: Some(level),
        surname: given(&form.surname),
        name: given(&form.name),
        patronymic: given(&form.patronymic),
        phone: given(&form.phone),
        email: given(&form.email),
        password: given(&form.password),
        ..PersonaSpec::default()
    };
    match state
        .run_control(move |ctl| esia_control::personas::apply_persona(ctl, &spec))
        .await
    {
        Ok(applied) => {
            let v = &applied.view;
            let notice = format!(
                "{} oid {}: вход {}{}, пароль {}",
                if applied.created {
                    "Создан пользователь"
                } else {
                    "Обновлён пользователь"
                },
                v.oid,
                v.logins.phone.as_deref().unwrap_or(""),
                v.logins
                    .email
                    .as_deref()
                    .map(|e| format!(" {e}"))
                    .unwrap_or_default(),
                v.password.as_deref().unwrap_or("не изменён"),
            );
            let search = Search::default();
            let blank = CreateForm::default();
            render(
                &req,
                &state,
                search,
                &blank,
                StatusCode::OK,
                None,
                Some(notice),
            )
            .await
        }
        Err(e) => match page_message(&e) {
            Some(m) => {
                let code = crate::error::classify(&e).0;
                render(&req, &state, Search::default(), &form, code, Some(m), None).await
            }
            None => core_error_page(&e),
        },
    }
}

/// Runs one row action and renders the list with its outcome.
async fn act(
    req: &HttpRequest,
    state: &AppState,
    oid: Result<i64, String>,
    patch: Result<Option<PersonaPatch>, String>,
    done: &str,
) -> HttpResponse {
    let blank = CreateForm::default();
    let refused = StatusCode::UNPROCESSABLE_ENTITY;
    let (oid, patch) = match (oid, patch) {
        (Ok(o), Ok(p)) => (o, p),
        (Err(m), _) | (_, Err(m)) => {
            return render(
                req,
                state,
                Search::default(),
                &blank,
                refused,
                Some(m),
                None,
            )
            .await
        }
    };
    let outcome = state
        .run_control(move |ctl| match patch {
            Some(p) => esia_control::personas::patch_persona(ctl, oid, &p).map(|_| ()),
            None => esia_control::personas::delete_persona(ctl, oid),
        })
        .await;
    match outcome {
        Ok(()) => {
            let notice = Some(format!("oid {oid}: {done}"));
            render(
                req,
                state,
                Search::default(),
                &blank,
                StatusCode::OK,
                None,
                notice,
            )
            .await
        }
        Err(e) => match page_message(&e) {
            Some(m) => {
                let code = crate::error::classify(&e).0;
                render(req, state, Search::default(), &blank, code, Some(m), None).await
            }
            None => core_error_page(&e),
        },
    }
}

async fn level(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CsrfForm<ActionForm>,
) -> HttpResponse {
    let patch = parse_level(&form.level).map(|l| {
        Some(PersonaPatch {
            level: Some(l),
            ..PersonaPatch::default()
        })
    });
    act(&req, &state, oid_of(&path), patch, "уровень изменён").await
}

async fn block(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: CsrfForm<ActionForm>,
) -> HttpResponse {
    let blocked = form.blocked == "true";
    let patch = Ok(Some(PersonaPatch {
        blocked: Some(blocked),
        ..PersonaPatch::default()
    }));
    let done = if blocked {
        "заблокирован"
    } else {
        "разблокирован"
    };
    act(&req, &state, oid_of(&path), patch, done).await
}

async fn delete(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    _: CsrfForm<ActionForm>,
) -> HttpResponse {
    act(&req, &state, oid_of(&path), Ok(None), "удалён").await
}
