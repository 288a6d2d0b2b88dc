//! «Персональные данные»: the form's values, their validation (every field at once, Russian
//! messages from the domain validators), saving them with the identity document, and starting
//! the checks in the same transaction (simplified accounts submit; standard and confirmed ones
//! edit, which re-runs the checks of what changed). Also the page's read model.

use chrono::NaiveDateTime;
use esia_domain::level::{AccountEvent, AccountLevel, FailureReason, Verification};
use esia_domain::values::{format_ru_date, Snils};

use super::personal_data_form::{PersonalDataForm, FOREIGN, PASSPORT};
use super::validate::{validate, Valid};
use esia_domain::{CheckStatus, ValidationError, VrfStatus};
use esia_store::person_data::DocumentRow;
use esia_store::persons::PersonRow;
use esia_store::{write_transaction, DbConnection};

use crate::app::{new_esia_id, new_id, Core};
use crate::error::{CoreError, CoreResult};

/// One check as the page lists it.
#[derive(Debug, Clone)]
pub struct CheckView {
    pub kind: &'static str,
    pub title: &'static str,
    /// `pending`, `passed`, `failed`, `cancelled`.
    pub status: String,
    pub status_ru: String,
}

/// What `/profile/personal-data` shows.
#[derive(Debug, Clone)]
pub struct PersonalDataView {
    pub level: AccountLevel,
    pub verifying: bool,
    /// The failed check's title and the reason in words.
    pub failed: Option<(String, String)>,
    pub checks: Vec<CheckView>,
    pub form: PersonalDataForm,
}

/// The person's identity document (Russian passport, else a foreign one).
pub fn identity_doc(conn: &mut DbConnection, person_id: &str) -> CoreResult<Option<DocumentRow>> {
    let docs = esia_store::person_data::documents_of(conn, person_id)?;
    Ok(identity_doc_index(&docs).map(|i| docs[i].clone()))
}

/// Which of a person's documents (oldest first) is the identity document: the newest Russian
/// passport, else the newest foreign one. Pure, so the batched check runner picks the same one.
pub(crate) fn identity_doc_index(docs: &[DocumentRow]) -> Option<usize> {
    let pick = |t: &str| docs.iter().rposition(|d| d.doc_type == t);
    pick(PASSPORT).or_else(|| pick(FOREIGN))
}

/// The in-memory half of [`set_identity_doc_status`] (the batched check runner stores it later).
pub(crate) fn mark_identity_doc(
    doc: &mut DocumentRow,
    vrf_stu: VrfStatus,
    vrf_val_stu: Option<&str>,
    now: NaiveDateTime,
) {
    doc.vrf_stu = vrf_stu;
    doc.vrf_val_stu = vrf_val_stu.map(str::to_string);
    doc.fms_valid = (vrf_stu == VrfStatus::Verified)
        .then_some(true)
        .or(doc.fms_valid);
    doc.updated_at = now;
}

/// Sets `vrfStu` / `vrfValStu` of the identity document.
pub(crate) fn set_identity_doc_status(
    conn: &mut DbConnection,
    person_id: &str,
    vrf_stu: VrfStatus,
    vrf_val_stu: Option<&str>,
    now: NaiveDateTime,
) -> CoreResult<()> {
    if let Some(mut doc) = identity_doc(conn, person_id)? {
        mark_identity_doc(&mut doc, vrf_stu, vrf_val_stu, now);
        esia_store::person_data::update_document(conn, &doc)?;
    }
    Ok(())
}

/// What «Продолжить» led to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Submitted {
    /// Checks were enqueued.
    ChecksStarted,
    /// Saved; nothing that needs a check changed.
    Saved,
}

/// Saves the personal data and starts the checks it needs, in one transaction.
pub fn submit_personal_data(
    core: &Core,
    person_id: &str,
    form: &PersonalDataForm,
) -> CoreResult<Submitted> {
    let now = core.now_naive();
    let v = validate(form, now.date()).map_err(CoreError::Validation)?;
    let mut conn = core.conn()?;
    write_transaction(&mut conn, |conn| -> CoreResult<Submitted> {
        let old = super::person_locked(conn, person_id)?;
        if let Some(other) = esia_store::persons::find_person_by_snils(conn, &v.snils)? {
            if other.id != old.id {
                return Err(CoreError::field(
                    "snils",
                    ValidationError::new("snils_taken", "СНИЛС указан в другой учётной записи"),
                ));
            }
        }
        let old_doc = identity_doc(conn, person_id)?;
        let doc_changed = old_doc.as_ref().is_none_or(|d| {
            d.doc_type != v.doc_type
                || d.series.as_deref() != Some(v.doc.series.as_str())
                || d.number.as_deref() != Some(v.doc.number.as_str())
        });
        let who_changed = old.surname != v.surname
            || old.name != v.name
            || old.patronymic != v.patronymic
            || old.gender.as_deref() != Some(v.gender.as_esia())
            || old.birth_date != Some(v.birth_date);
        let snils_changed = old.snils.as_deref() != Some(v.snils.as_str()) || who_changed;
        let passport_changed = doc_changed || who_changed;
        let inn_changed = v.inn.is_some() && old.inn != v.inn;
        let row = PersonRow {
            surname: v.surname.clone(),
            name: v.name.clone(),
            patronymic: v.patronymic.clone(),
            gender: Some(v.gender.as_esia().into()),
            birth_date: Some(v.birth_date),
            birth_place: Some(v.birth_place.clone()),
            citizenship: Some(v.citizenship.clone()),
            snils: Some(v.snils.clone()),
            inn: v.inn.clone(),
            updated_at: now,
            ..old.clone()
        };
        let level = old.level;
        let event = if level == AccountLevel::Simplified {
            AccountEvent::PersonalDataSubmitted {
                has_inn: v.inn.is_some(),
            }
        } else {
            AccountEvent::VerifiedDataEdited {
                snils_changed,
                passport_changed,
                inn_changed,
            }
        };
        // Refuse before writing anything (checks already running, blocked …).
        let state = super::account_state(conn, &old)?;
        esia_domain::level::transition(&state, &event)
            .map_err(|e| CoreError::Conflict(e.to_string()))?;
        esia_store::person_data::update_personal_data(conn, &row)?;
        let recheck_doc = level == AccountLevel::Simplified || passport_changed;
        save_doc(conn, person_id, old_doc, &v, recheck_doc, now)?;
        let t = super::apply_event(core, conn, &row, event, &new_id(), now)?;
        let started = t
            .effects
            .iter()
            .any(|e| matches!(e, esia_domain::level::Effect::EnqueueCheck(_)));
        tracing::info!(person.id = %person_id, started, "personal data saved");
        Ok(if started {
            Submitted::ChecksStarted
        } else {
            Submitted::Saved
        })
    })
}

/// The page's read model: stored values, level, and the checks of the latest request.
pub fn personal_data(core: &Core, person_id: &str) -> CoreResult<PersonalDataView> {
    let mut conn = core.conn()?;
    let p = super::person(&mut conn, person_id)?;
    let state = super::account_state(&mut conn, &p)?;
    let rows = esia_store::verification::checks_of(&mut conn, person_id, 20)?;
    let latest = rows.first().map(|r| r.request_id.clone());
    let checks = rows
        .iter()
        .filter(|r| Some(&r.request_id) == latest.as_ref() || r.status == CheckStatus::Pending)
        .map(|r| {
            let kind = r.kind;
            let status_ru = match r.status {
                CheckStatus::Pending => "Выполняется".to_string(),
                CheckStatus::Passed => "Проверка прошла успешно".to_string(),
                CheckStatus::Failed => format!(
                    "Данные не прошли проверку: {}",
                    r.reason
                        .as_deref()
                        .and_then(FailureReason::parse)
                        .map_or("отказ ведомства", |x| x.text_ru())
                ),
                CheckStatus::Cancelled => "Отменена".to_string(),
            };
            CheckView {
                kind: kind.as_str(),
                title: kind.title_ru(),
                status: r.status.to_string(),
                status_ru,
            }
        })
        .collect();
    let doc = identity_doc(&mut conn, person_id)?;
    let failed = match state.verification {
        Verification::Failed { check, reason } => {
            Some((check.title_ru().to_string(), reason.text_ru().to_string()))
        }
        _ => None,
    };
    let snils = p
        .snils
        .as_deref()
        .and_then(|s| Snils::parse(s).ok())
        .map(|s| s.formatted())
        .unwrap_or_default();
    let form = PersonalDataForm {
        surname: p.surname.clone(),
        name: p.name.clone(),
        patronymic: p.patronymic.clone().unwrap_or_default(),
        gender: p.gender.clone().unwrap_or_default(),
        birth_date: p.birth_date.map(format_ru_date).unwrap_or_default(),
        birth_place: p.birth_place.clone().unwrap_or_default(),
        citizenship: p.citizenship.clone().unwrap_or_else(|| "RUS".into()),
        snils,
        inn: p.inn.clone().unwrap_or_default(),
        doc_series: doc
            .as_ref()
            .and_then(|d| d.series.clone())
            .unwrap_or_default(),
        doc_number: doc
            .as_ref()
            .and_then(|d| d.number.clone())
            .unwrap_or_default(),
        doc_issue_date: doc
            .as_ref()
            .and_then(|d| d.issue_date)
            .map(format_ru_date)
            .unwrap_or_default(),
        doc_issued_by: doc
            .as_ref()
            .and_then(|d| d.issued_by.clone())
            .unwrap_or_default(),
        doc_dept_code: doc
            .as_ref()
            .and_then(|d| d.issue_id.clone())
            .unwrap_or_default(),
    };
    Ok(PersonalDataView {
        level: state.level,
        verifying: state.is_verifying(),
        failed,
        checks,
        form,
    })
}

/// Inserts or updates the identity document; a document to be checked shows «проверка».
pub(crate) fn save_doc(
    conn: &mut DbConnection,
    person_id: &str,
    old: Option<DocumentRow>,
    v: &Valid,
    recheck: bool,
    now: NaiveDateTime,
) -> CoreResult<()> {
    let exists = old.is_some();
    let base =
        old.unwrap_or_else(|| blank_document(v.doc_type, new_esia_id(), person_id, None, now));
    let row = DocumentRow {
        doc_type: v.doc_type.into(),
        series: (!v.doc.series.is_empty()).then(|| v.doc.series.clone()),
        number: Some(v.doc.number.clone()),
        issue_date: Some(v.doc.issue_date),
        issue_id: (!v.doc.issue_id.is_empty()).then(|| v.doc.issue_id.clone()),
        issued_by: (!v.doc.issued_by.is_empty()).then(|| v.doc.issued_by.clone()),
        vrf_stu: if recheck {
            VrfStatus::NotVerified
        } else {
            base.vrf_stu
        },
        vrf_val_stu: if recheck {
            Some("VERIFYING".into())
        } else {
            base.vrf_val_stu.clone()
        },
        updated_at: now,
        ..base
    };
    if !exists {
        esia_store::person_data::insert_document(conn, &row)?;
    } else {
        esia_store::person_data::update_document(conn, &row)?;
    }
    Ok(())
}

/// An empty, unverified document row of a type (of the person, or of their kid `kid_id`).
pub fn blank_document(
    doc_type: &str,
    esia_id: i64,
    person_id: &str,
    kid_id: Option<String>,
    at: NaiveDateTime,
) -> DocumentRow {
    DocumentRow {
        id: new_id(),
        esia_id,
        person_id: person_id.into(),
        kid_id,
        doc_type: doc_type.into(),
        series: None,
        number: None,
        issue_date: None,
        issue_id: None,
        issued_by: None,
        expiry_date: None,
        act_no: None,
        act_date: None,
        first_name: None,
        last_name: None,
        vrf_stu: esia_domain::VrfStatus::NotVerified,
        vrf_val_stu: None,
        fms_valid: None,
        fms_state: None,
        created_at: at,
        updated_at: at,
    }
}
