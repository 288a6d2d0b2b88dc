//! Cabinet edits of addresses, documents (not the passport), kids with their birth
//! certificate and vehicles, and account deletion. Each use case validates every field at once
//! (`CoreError::Validation`), runs in one write transaction, touches only the session's own
//! rows, and resets the verification of a VERIFIED document it changes (the upgrade checks
//! verify it again).

use std::collections::HashMap;

use esia_domain::ValidationError;
use esia_store::person_data::{self as pd, AddressRow, DocumentRow, VehicleRow};
use esia_store::write_transaction;

use super::edit_forms::{self as forms, FormField, ItemKind, ADDRESS_TYPES, DOCUMENT_TYPES};
use super::form_reader::Reader;
use crate::app::{new_esia_id, new_id, Core};
use crate::error::{CoreError, CoreResult, FieldError};

/// A form ready to render: its fields with values (and errors after a failed submit).
#[derive(Debug, Clone)]
pub struct ItemForm {
    pub kind: ItemKind,
    pub id: Option<String>,
    pub fields: Vec<FormField>,
}

fn editable_doc(d: &DocumentRow) -> bool {
    d.kid_id.is_none() && DOCUMENT_TYPES.iter().any(|(t, _)| *t == d.doc_type)
}

/// The form for a new item (`id` None) or an existing one of the person.
pub fn item_form(
    core: &Core,
    person_id: &str,
    kind: ItemKind,
    id: Option<&str>,
) -> CoreResult<ItemForm> {
    let mut fields = kind.fields();
    if let Some(id) = id {
        let mut conn = core.conn()?;
        let values = match kind {
            ItemKind::Address => pd::addresses_of(&mut conn, person_id)?
                .iter()
                .find(|a| a.id == id)
                .map(forms::address_values),
            ItemKind::Document => pd::documents_of(&mut conn, person_id)?
                .iter()
                .find(|d| d.id == id && editable_doc(d))
                .map(forms::document_values),
            ItemKind::Kid => {
                let certs = esia_store::person_changes::kid_documents_of(&mut conn, person_id)?;
                pd::kids_of(&mut conn, person_id)?
                    .iter()
                    .find(|k| k.id == id)
                    .map(|k| {
                        let cert = certs.iter().find(|c| {
                            c.kid_id.as_deref() == Some(id) && c.doc_type == "RF_BRTH_CERT"
                        });
                        forms::kid_values(k, cert)
                    })
            }
            ItemKind::Vehicle => pd::vehicles_of(&mut conn, person_id)?
                .iter()
                .find(|v| v.id == id)
                .map(forms::vehicle_values),
        };
        forms::fill(&mut fields, &values.ok_or(CoreError::NotFound("item"))?);
    }
    Ok(ItemForm {
        kind,
        id: id.map(str::to_string),
        fields,
    })
}

/// The form refilled with submitted values and the errors of a failed save.
pub fn item_form_with_errors(
    kind: ItemKind,
    id: Option<&str>,
    values: &HashMap<String, String>,
    errors: &[FieldError],
) -> ItemForm {
    let mut fields = kind.fields();
    forms::fill(&mut fields, values);
    for f in &mut fields {
        f.error = errors
            .iter()
            .find(|e| e.field == f.name)
            .map(|e| e.error.message.clone());
    }
    ItemForm {
        kind,
        id: id.map(str::to_string),
        fields,
    }
}

/// Adds (`id` None) or changes an item of the person.
pub fn save_item(
    core: &Core,
    person_id: &str,
    kind: ItemKind,
    id: Option<&str>,
    values: &HashMap<String, String>,
) -> CoreResult<()> {
    let mut r = Reader {
        values,
        errors: Vec::new(),
    };
    let now = core.now_naive();
    let today = now.date();
    let mut conn = core.conn()?;
    match kind {
        ItemKind::Address => {
            let addr_type = r.choice("addr_type", ADDRESS_TYPES);
            let (region, city, street, house) = (
                r.req("region"),
                r.req("city"),
                r.req("street"),
                r.req("house"),
            );
            let zip = r.opt("zip_code");
            if zip
                .as_ref()
                .is_some_and(|z| z.len() != 6 || !z.bytes().all(|b| b.is_ascii_digit()))
            {
                r.fail(
                    "zip_code",
                    ValidationError::new("zip_invalid", "Индекс — 6 цифр"),
                );
            }
            let (building, flat) = (r.opt("building"), r.opt("flat"));
            r.finish()?;
            let mut address_str = format!("{region}, г {city}, {street}, д. {house}");
            if let Some(b) = &building {
                address_str.push_str(&format!(", корп. {b}"));
            }
            if let Some(f) = &flat {
                address_str.push_str(&format!(", кв. {f}"));
            }
            write_transaction(&mut conn, |conn| -> CoreResult<()> {
                let old = match id {
                    Some(id) => Some(
                        pd::addresses_of(conn, person_id)?
                            .into_iter()
                            .find(|a| a.id == id)
                            .ok_or(CoreError::NotFound("address"))?,
                    ),
                    None => None,
                };
                let row = AddressRow {
                    id: old.as_ref().map(|o| o.id.clone()).unwrap_or_else(new_id),
                    esia_id: old.as_ref().map(|o| o.esia_id).unwrap_or_else(new_esia_id),
                    person_id: person_id.into(),
                    addr_type,
                    address_str,
                    fias_code: None,
                    country_id: "RUS".into(),
                    zip_code: zip,
                    region: Some(region),
                    district: None,
                    area: None,
                    city: Some(city),
                    settlement: None,
                    street: Some(street),
                    house: Some(house),
                    building,
                    frame: None,
                    flat,
                    addition_area: None,
                    addition_area_street: None,
                    created_at: old.as_ref().map(|o| o.created_at).unwrap_or(now),
                    updated_at: now,
                };
                if old.is_some() {
                    esia_store::person_changes::update_address(conn, &row)?;
                } else {
                    pd::insert_address(conn, &row)?;
                }
                Ok(())
            })
        }
        ItemKind::Document => {
            let doc_type = r.choice("doc_type", DOCUMENT_TYPES);
            let (series, number) = (r.opt("series"), r.req("number"));
            let issue_date = r.date("issue_date", true);
            if issue_date.is_some_and(|d| d > today) {
                r.fail(
                    "issue_date",
                    ValidationError::new("date_in_future", "Дата не может быть в будущем"),
                );
            }
            let issued_by = r.opt("issued_by");
            let expiry_date = r.date("expiry_date", false);
            r.finish()?;
            write_transaction(&mut conn, |conn| -> CoreResult<()> {
                let old = match id {
                    Some(id) => Some(
                        pd::documents_of(conn, person_id)?
                            .into_iter()
                            .find(|d| d.id == id && editable_doc(d))
                            .ok_or(CoreError::NotFound("document"))?,
                    ),
                    None => None,
                };
                let row = DocumentRow {
                    id: old.as_ref().map(|o| o.id.clone()).unwrap_or_else(new_id),
                    esia_id: old.as_ref().map(|o| o.esia_id).unwrap_or_else(new_esia_id),
                    person_id: person_id.into(),
                    kid_id: None,
                    doc_type,
                    series,
                    number: Some(number),
                    issue_date,
                    issue_id: None,
                    issued_by,
                    expiry_date,
                    act_no: None,
                    act_date: None,
                    first_name: old.as_ref().and_then(|o| o.first_name.clone()),
                    last_name: old.as_ref().and_then(|o| o.last_name.clone()),
                    // Any change of a document, verified or not, needs a new check.
                    vrf_stu: esia_domain::VrfStatus::NotVerified,
                    vrf_val_stu: None,
                    fms_valid: None,
                    fms_state: None,
                    created_at: old.as_ref().map(|o| o.created_at).unwrap_or(now),
                    updated_at: now,
                };
                if old.is_some() {
                    pd::update_document(conn, &row)?;
                } else {
                    pd::insert_document(conn, &row)?;
                }
                Ok(())
            })
        }
        ItemKind::Kid => crate::person::edit_kid::save_kid(core, &mut conn, person_id, id, r),
        ItemKind::Vehicle => {
            let name = r.opt("name");
            let plate = r.req("number_plate").to_uppercase().replace(' ', "");
            let (series, number) = (r.opt("reg_cert_series"), r.opt("reg_cert_number"));
            r.finish()?;
            write_transaction(&mut conn, |conn| -> CoreResult<()> {
                let old = match id {
                    Some(id) => Some(
                        pd::vehicles_of(conn, person_id)?
                            .into_iter()
                            .find(|v| v.id == id)
                            .ok_or(CoreError::NotFound("vehicle"))?,
                    ),
                    None => None,
                };
                let row = VehicleRow {
                    id: old.as_ref().map(|o| o.id.clone()).unwrap_or_else(new_id),
                    esia_id: old.as_ref().map(|o| o.esia_id).unwrap_or_else(new_esia_id),
                    person_id: person_id.into(),
                    name,
                    number_plate: plate,
                    reg_cert_series: series,
                    reg_cert_number: number,
                    created_at: old.as_ref().map(|o| o.created_at).unwrap_or(now),
                    updated_at: now,
                };
                if old.is_some() {
                    esia_store::person_changes::update_vehicle(conn, &row)?;
                } else {
                    pd::insert_vehicle(conn, &row)?;
                }
                Ok(())
            })
        }
    }
}

/// Deletes an item of the person (a kid with its documents; never the passport).
pub fn delete_item(core: &Core, person_id: &str, kind: ItemKind, id: &str) -> CoreResult<()> {
    let mut conn = core.conn()?;
    let n = match kind {
        ItemKind::Address => esia_store::person_changes::delete_address(&mut conn, person_id, id)?,
        ItemKind::Document => {
            let docs = pd::documents_of(&mut conn, person_id)?;
            if !docs.iter().any(|d| d.id == id && editable_doc(d)) {
                return Err(CoreError::NotFound("document"));
            }
            esia_store::person_changes::delete_document(&mut conn, person_id, id)?
        }
        ItemKind::Kid => write_transaction(&mut conn, |c| -> CoreResult<usize> {
            Ok(esia_store::person_changes::delete_kid(c, person_id, id)?)
        })?,
        ItemKind::Vehicle => esia_store::person_changes::delete_vehicle(&mut conn, person_id, id)?,
    };
    if n == 0 {
        return Err(CoreError::NotFound("item"));
    }
    Ok(())
}

/// «Удалить учётную запись»: status DELETED, every session ended; the data stays, so `/rs`
/// keeps answering with `status: "DELETED"` as ESIA does. Login is refused from now on.
pub fn delete_account(core: &Core, person_id: &str) -> CoreResult<()> {
    let now = core.now_naive();
    let mut conn = core.conn()?;
    write_transaction(&mut conn, |conn| -> CoreResult<()> {
        if esia_store::person_changes::set_person_status(conn, person_id, "DELETED", now)? == 0 {
            return Err(CoreError::NotFound("person"));
        }
        esia_store::auth::end_sessions_of_person(conn, person_id, now)?;
        Ok(())
    })?;
    tracing::info!(person.id = %person_id, "account deleted by its owner");
    Ok(())
}
