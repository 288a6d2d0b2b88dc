//! Validation of the «Персональные данные» form: every field at once, Russian messages from the
//! domain validators (names, gender, dates, SNILS, INN, Russian passport), a foreign identity
//! document (FID_DOC) for non-citizens. Pure: no database, no clock of its own.

use esia_domain::values::{format_ru_date, BirthDate, Gender, Inn, PassportRf, PersonName, Snils};
use esia_domain::ValidationError;

use super::personal_data_form::{PersonalDataForm, FOREIGN, PASSPORT};
use crate::error::FieldError;

/// A validated form.
pub(crate) struct Valid {
    pub(crate) surname: String,
    pub(crate) name: String,
    pub(crate) patronymic: Option<String>,
    pub(crate) gender: Gender,
    pub(crate) birth_date: chrono::NaiveDate,
    pub(crate) birth_place: String,
    pub(crate) citizenship: String,
    pub(crate) snils: String,
    pub(crate) inn: Option<String>,
    pub(crate) doc: PassportRf,
    pub(crate) doc_type: &'static str,
}

impl std::fmt::Debug for Valid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Valid(**)")
    }
}

pub(crate) fn validate(
    f: &PersonalDataForm,
    today: chrono::NaiveDate,
) -> Result<Valid, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut take = |field: &'static str, r: Result<String, ValidationError>| match r {
        Ok(v) => Some(v),
        Err(e) => {
            errors.push(FieldError::new(field, e));
            None
        }
    };
    let surname = take(
        "surname",
        PersonName::parse(&f.surname).map(|n| n.as_str().into()),
    );
    let name = take(
        "name",
        PersonName::parse(&f.name).map(|n| n.as_str().into()),
    );
    let patronymic = if f.patronymic.trim().is_empty() {
        Some(String::new())
    } else {
        take(
            "patronymic",
            PersonName::parse(&f.patronymic).map(|n| n.as_str().into()),
        )
    };
    let gender = take(
        "gender",
        Gender::parse(&f.gender).map(|g| g.as_esia().into()),
    );
    let birth = take(
        "birth_date",
        BirthDate::parse(&f.birth_date, today).map(|d| format_ru_date(d.date())),
    );
    let place = f
        .birth_place
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let birth_place = take(
        "birth_place",
        if place.is_empty() {
            Err(ValidationError::required())
        } else if place.chars().count() > 200 || place.chars().any(char::is_control) {
            Err(ValidationError::new(
                "birth_place_invalid",
                "Не более 200 символов",
            ))
        } else {
            Ok(place)
        },
    );
    let cz = f.citizenship.trim().to_uppercase();
    let citizenship = take(
        "citizenship",
        if cz.len() == 3 && cz.chars().all(|c| c.is_ascii_uppercase()) {
            Ok(cz)
        } else if cz.is_empty() {
            Err(ValidationError::required())
        } else {
            Err(ValidationError::new(
                "citizenship_invalid",
                "Укажите гражданство: код страны из трёх латинских букв (RUS)",
            ))
        },
    );
    let snils = take("snils", Snils::parse(&f.snils).map(|s| s.digits().into()));
    let inn = if f.inn.trim().is_empty() {
        Some(String::new())
    } else {
        take("inn", Inn::parse_person(&f.inn).map(|i| i.as_str().into()))
    };
    let birth_date = birth
        .as_deref()
        .and_then(|b| esia_domain::values::parse_ru_date(b).ok());
    let foreign = citizenship.as_deref().is_some_and(|c| c != "RUS");
    let doc = if foreign {
        foreign_doc(f, &mut errors)
    } else {
        match PassportRf::parse(
            &f.doc_series,
            &f.doc_number,
            &f.doc_issue_date,
            &f.doc_issued_by,
            &f.doc_dept_code,
            birth_date,
            today,
        ) {
            Ok(p) => Some(p),
            Err(list) => {
                for (field, e) in list {
                    errors.push(FieldError::new(doc_field(field), e));
                }
                None
            }
        }
    };
    match (
        surname,
        name,
        patronymic,
        gender,
        birth_date,
        birth_place,
        citizenship,
        snils,
        inn,
        doc,
    ) {
        (
            Some(s),
            Some(n),
            Some(p),
            Some(g),
            Some(b),
            Some(bp),
            Some(c),
            Some(sn),
            Some(i),
            Some(d),
        ) if errors.is_empty() => Ok(Valid {
            surname: s,
            name: n,
            patronymic: (!p.is_empty()).then_some(p),
            gender: Gender::parse(&g).unwrap_or(Gender::Male),
            birth_date: b,
            birth_place: bp,
            citizenship: c,
            snils: sn,
            inn: (!i.is_empty()).then_some(i),
            doc: d,
            doc_type: if foreign { FOREIGN } else { PASSPORT },
        }),
        _ => Err(errors),
    }
}

fn doc_field(field: &str) -> &'static str {
    match field {
        "series" => "doc_series",
        "number" => "doc_number",
        "issue_date" => "doc_issue_date",
        "issued_by" => "doc_issued_by",
        _ => "doc_dept_code",
    }
}

/// A foreign identity document: a number is required; the rest is free text.
fn foreign_doc(f: &PersonalDataForm, errors: &mut Vec<FieldError>) -> Option<PassportRf> {
    let number: String = f
        .doc_number
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    if number.is_empty() || number.len() > 20 {
        errors.push(FieldError::new(
            "doc_number",
            ValidationError::new(
                "doc_number_invalid",
                "Номер документа — от 1 до 20 букв и цифр",
            ),
        ));
        return None;
    }
    let issue_date = esia_domain::values::parse_ru_date(&f.doc_issue_date)
        .map_err(|e| errors.push(FieldError::new("doc_issue_date", e)))
        .ok()?;
    Some(PassportRf {
        series: f
            .doc_series
            .chars()
            .filter(|c| c.is_alphanumeric())
            .take(10)
            .collect(),
        number,
        issue_date,
        issued_by: f
            .doc_issued_by
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
        issue_id: String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> PersonalDataForm {
        PersonalDataForm {
            surname: "Иванов".into(),
            name: "Иван".into(),
            patronymic: String::new(),
            gender: "M".into(),
            birth_date: "01.01.1980".into(),
            birth_place: "Москва".into(),
            citizenship: "rus".into(),
            snils: "112-233-445 95".into(),
            inn: String::new(),
            doc_series: "45 02".into(),
            doc_number: "573482".into(),
            doc_issue_date: "15.02.2010".into(),
            doc_issued_by: "ОВД".into(),
            doc_dept_code: "770-001".into(),
        }
    }

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default()
    }

    #[test]
    fn a_good_form_validates_and_normalises() {
        let v = validate(&good(), today()).map_err(|e| e.len()).unwrap();
        assert_eq!(
            (v.citizenship.as_str(), v.doc.series.as_str()),
            ("RUS", "4502")
        );
        assert_eq!((v.patronymic, v.inn, v.doc_type), (None, None, PASSPORT));
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let errors = validate(&PersonalDataForm::default(), today()).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        for f in [
            "surname",
            "name",
            "gender",
            "birth_date",
            "birth_place",
            "citizenship",
            "snils",
            "doc_series",
            "doc_number",
        ] {
            assert!(fields.contains(&f), "{f}: {fields:?}");
        }
        let mut f = good();
        f.snils = "112-233-445 96".into();
        f.inn = "123".into();
        let errors = validate(&f, today()).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
    }

    #[test]
    fn non_citizens_give_a_foreign_document() {
        let mut f = good();
        f.citizenship = "DEU".into();
        f.doc_series = String::new();
        f.doc_number = "C01X00T47".into();
        f.doc_dept_code = String::new();
        let v = validate(&f, today()).map_err(|e| e.len()).unwrap();
        assert_eq!((v.doc_type, v.doc.number.as_str()), (FOREIGN, "C01X00T47"));
    }
}
