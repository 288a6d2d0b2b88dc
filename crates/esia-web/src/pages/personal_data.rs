//! `/profile/personal-data`: the «Персональные данные» form of the logged-in person, the
//! «Личные данные проверяются» state with each check, the failed check with «Исправить данные».
//! Also the form fields the bank and operator pages share. No rules here.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use esia_core::upgrade::personal_data::PersonalDataView;
use esia_core::upgrade::personal_data_form::PersonalDataForm;
use esia_core::CoreError;
use serde::Deserialize;

use crate::extractors::{csrf_field, PersonForm, SessionPerson};
use crate::respond::{core_error_page, field_errors, html, redirect, with_csrf};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/profile/personal-data", web::get().to(page))
        .route("/profile/personal-data", web::post().to(submit));
}

/// One input of the form.
pub(crate) struct FieldView {
    pub name: &'static str,
    /// `data-testid` suffix: the name in kebab case.
    pub testid: String,
    pub label: &'static str,
    pub value: String,
    pub error: Option<String>,
    pub hint: &'static str,
}

#[derive(Template)]
#[template(path = "personal_data.html")]
struct Page<'a> {
    csrf: &'a str,
    view: &'a PersonalDataView,
    fields: Vec<FieldView>,
    gender: String,
    gender_error: Option<String>,
    show_form: bool,
    saved: bool,
}

pub(crate) fn fields(
    f: &PersonalDataForm,
    errors: &HashMap<&'static str, String>,
) -> Vec<FieldView> {
    let rows: [(&'static str, &'static str, &String, &'static str); 13] = [
        ("surname", "Фамилия", &f.surname, ""),
        ("name", "Имя", &f.name, ""),
        ("patronymic", "Отчество (если есть)", &f.patronymic, ""),
        ("birth_date", "Дата рождения", &f.birth_date, "ДД.ММ.ГГГГ"),
        (
            "birth_place",
            "Место рождения",
            &f.birth_place,
            "Как в паспорте",
        ),
        (
            "citizenship",
            "Гражданство",
            &f.citizenship,
            "RUS — Россия; для иностранцев код страны",
        ),
        ("snils", "СНИЛС", &f.snils, "XXX-XXX-XXX YY"),
        (
            "inn",
            "ИНН (если есть)",
            &f.inn,
            "12 цифр; проверяется в ФНС",
        ),
        ("doc_series", "Серия паспорта", &f.doc_series, "4 цифры"),
        (
            "doc_number",
            "Номер паспорта",
            &f.doc_number,
            "6 цифр; для иностранного документа — номер документа",
        ),
        (
            "doc_issue_date",
            "Дата выдачи",
            &f.doc_issue_date,
            "ДД.ММ.ГГГГ",
        ),
        ("doc_issued_by", "Кем выдан", &f.doc_issued_by, ""),
        (
            "doc_dept_code",
            "Код подразделения",
            &f.doc_dept_code,
            "NNN-NNN",
        ),
    ];
    rows.into_iter()
        .map(|(name, label, value, hint)| FieldView {
            name,
            testid: name.replace('_', "-"),
            label,
            value: value.clone(),
            error: errors.get(name).cloned(),
            hint,
        })
        .collect()
}

#[derive(Debug, Deserialize, Default)]
struct PageQuery {
    edit: Option<String>,
    saved: Option<String>,
}

#[allow(clippy::too_many_arguments)]
fn render(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    view: &PersonalDataView,
    form: &PersonalDataForm,
    errors: HashMap<&'static str, String>,
    show_form: bool,
    saved: bool,
) -> HttpResponse {
    with_csrf(req, state, |csrf| {
        html(
            status,
            &Page {
                csrf,
                view,
                gender: form.gender.clone(),
                gender_error: errors.get("gender").cloned(),
                fields: fields(form, &errors),
                show_form,
                saved,
            },
        )
    })
}

async fn page(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<PageQuery>,
    person: SessionPerson,
) -> HttpResponse {
    let person_id = person.person_id;
    match state
        .run(move |core| esia_core::upgrade::personal_data::personal_data(core, &person_id))
        .await
    {
        Ok(view) => {
            // While checks run the form is hidden; after a failure it opens with «Исправить данные».
            let show_form = !view.verifying && (view.failed.is_none() || query.edit.is_some());
            let form = view.form.clone();
            render(
                &req,
                &state,
                StatusCode::OK,
                &view,
                &form,
                HashMap::new(),
                show_form,
                query.saved.is_some(),
            )
        }
        Err(e) => core_error_page(&e),
    }
}

// No Debug: the fields are personal data (or codes) and must never reach a log.
#[derive(Deserialize, Default)]
struct SubmitForm {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    data: PersonalDataForm,
}

csrf_field!(SubmitForm);

async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    PersonForm { person_id, form }: PersonForm<SubmitForm>,
) -> HttpResponse {
    let data = form.data.clone();
    let pid = person_id.clone();
    match state
        .run(move |core| esia_core::upgrade::personal_data::submit_personal_data(core, &pid, &data))
        .await
    {
        Ok(_) => redirect("/profile/personal-data?saved=1"),
        Err(CoreError::Validation(list)) => {
            match state
                .run(move |core| esia_core::upgrade::personal_data::personal_data(core, &person_id))
                .await
            {
                Ok(view) => render(
                    &req,
                    &state,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &view,
                    &form.data,
                    field_errors(&list),
                    true,
                    false,
                ),
                Err(e) => core_error_page(&e),
            }
        }
        Err(e) => core_error_page(&e),
    }
}
