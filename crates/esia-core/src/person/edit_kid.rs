//! Saving a kid from the cabinet form, with the kid's birth certificate (`RF_BRTH_CERT`, a
//! document row carrying `kid_id`). A changed certificate is NOT_VERIFIED again.

use esia_domain::ValidationError;
use esia_store::person_data::{self as pd, DocumentRow, KidRow};
use esia_store::write_transaction;

use super::edit_forms as forms;
use super::form_reader::Reader;
use crate::app::{new_esia_id, new_id, Core};
use crate::error::{CoreError, CoreResult};

pub(super) fn save_kid(
    core: &Core,
    conn: &mut esia_store::DbConnection,
    person_id: &str,
    id: Option<&str>,
    mut r: Reader<'_>,
) -> CoreResult<()> {
    let now = core.now_naive();
    let name_of =
        |r: &mut Reader<'_>, f: &'static str| match esia_domain::PersonName::parse(&r.req(f)) {
            Ok(n) => n.as_str().to_string(),
            Err(e) => {
                if !r.errors.iter().any(|x| x.field == f) {
                    r.fail(f, e);
                }
                String::new()
            }
        };
    let surname = name_of(&mut r, "surname");
    let name = name_of(&mut r, "name");
    let patronymic = r.opt("patronymic");
    let birth_date = r.date("birth_date", true);
    if birth_date.is_some_and(|d| d > now.date()) {
        r.fail(
            "birth_date",
            ValidationError::new("date_in_future", "Дата не может быть в будущем"),
        );
    }
    let gender = r.choice("gender", forms::GENDERS);
    let snils = match r.opt("snils").map(|s| esia_domain::Snils::parse(&s)) {
        None => None,
        Some(Ok(s)) => Some(s.digits().to_string()),
        Some(Err(e)) => {
            r.fail("snils", e);
            None
        }
    };
    let (cert_series, cert_number, cert_act) = (
        r.opt("cert_series"),
        r.opt("cert_number"),
        r.opt("cert_act_no"),
    );
    let cert_date = r.date("cert_issue_date", false);
    r.finish()?;
    write_transaction(conn, |conn| -> CoreResult<()> {
        let old = match id {
            Some(id) => Some(
                pd::kids_of(conn, person_id)?
                    .into_iter()
                    .find(|k| k.id == id)
                    .ok_or(CoreError::NotFound("kid"))?,
            ),
            None => None,
        };
        let row = KidRow {
            id: old.as_ref().map(|o| o.id.clone()).unwrap_or_else(new_id),
            esia_id: old.as_ref().map(|o| o.esia_id).unwrap_or_else(new_esia_id),
            person_id: person_id.into(),
            surname,
            name,
            patronymic,
            birth_date,
            gender: Some(gender),
            snils,
            inn: old.as_ref().and_then(|o| o.inn.clone()),
            created_at: old.as_ref().map(|o| o.created_at).unwrap_or(now),
            updated_at: now,
        };
        if old.is_some() {
            esia_store::person_changes::update_kid(conn, &row)?;
        } else {
            pd::insert_kid(conn, &row)?;
        }
        if cert_series.is_none() && cert_number.is_none() {
            return Ok(());
        }
        let cert = pd::documents_of_kid(conn, &row.id)?
            .into_iter()
            .find(|d| d.doc_type == "RF_BRTH_CERT");
        let doc = DocumentRow {
            id: cert.as_ref().map(|c| c.id.clone()).unwrap_or_else(new_id),
            esia_id: cert.as_ref().map(|c| c.esia_id).unwrap_or_else(new_esia_id),
            person_id: person_id.into(),
            kid_id: Some(row.id.clone()),
            doc_type: "RF_BRTH_CERT".into(),
            series: cert_series,
            number: cert_number,
            issue_date: cert_date,
            issue_id: None,
            issued_by: cert.as_ref().and_then(|c| c.issued_by.clone()),
            expiry_date: None,
            act_no: cert_act,
            act_date: cert_date,
            first_name: None,
            last_name: None,
            vrf_stu: esia_domain::VrfStatus::NotVerified,
            vrf_val_stu: None,
            fms_valid: None,
            fms_state: None,
            created_at: cert.as_ref().map(|c| c.created_at).unwrap_or(now),
            updated_at: now,
        };
        if cert.is_some() {
            pd::update_document(conn, &doc)?;
        } else {
            pd::insert_document(conn, &doc)?;
        }
        Ok(())
    })
}
