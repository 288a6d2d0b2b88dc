//! Registration of an already confirmed account (account-lifecycle §2 shortcuts, §6): at a
//! service centre the operator types the visitor's personal data, passport and phone after
//! seeing the documents; through an online bank the bank sends the data it holds for its client.
//! The account is created confirmed at once (the level machine's `AccountState::new(Confirmed)`
//! shortcut), with the documents verified and a temporary password sent by SMS.

use esia_domain::level::{AccountLevel, BankId, ConfirmationMethod};
use esia_domain::values::{generate_password, Phone};
use esia_domain::ContactKind;
use esia_domain::ValidationError;
use esia_store::persons::{ContactRow, PersonRow};
use esia_store::verification::ConfirmationRow;
use esia_store::write_transaction;

use super::personal_data_form::PersonalDataForm;
use super::validate::validate;
use crate::app::{new_esia_id, new_id, new_oid, Core};
use crate::error::{CoreError, CoreResult, FieldError};
use crate::notify::send_sms;

/// What the operator typed. `Debug` hides the values (personal data).
#[derive(Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct CentreRegistration {
    #[serde(flatten)]
    pub data: PersonalDataForm,
    pub phone: String,
}

impl std::fmt::Debug for CentreRegistration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CentreRegistration")
            .field("data", &self.data)
            .field("phone", &if self.phone.is_empty() { "" } else { "**" })
            .finish()
    }
}

/// The new account, with the temporary password the operator hands over.
#[derive(Clone)]
pub struct CentreRegistered {
    pub oid: i64,
    pub temp_password: String,
}

/// Creates a confirmed account at a service centre.
pub fn operator_register(core: &Core, r: &CentreRegistration) -> CoreResult<CentreRegistered> {
    register_confirmed(core, r, ConfirmationMethod::ServiceCentre)
}

/// Creates a confirmed account through an online bank for a person without an ESIA
/// account. The bank's data must agree with the agencies' registry when it knows the SNILS
/// (a mismatch is a `Conflict`); a SNILS or phone of an existing account is refused (that
/// person confirms the existing account through the bank instead).
pub fn bank_register(
    core: &Core,
    bank: BankId,
    r: &CentreRegistration,
) -> CoreResult<CentreRegistered> {
    register_confirmed(core, r, ConfirmationMethod::Bank(bank))
}

fn register_confirmed(
    core: &Core,
    r: &CentreRegistration,
    method: ConfirmationMethod,
) -> CoreResult<CentreRegistered> {
    let now = core.now_naive();
    let mut errors = Vec::new();
    let phone = Phone::parse(&r.phone)
        .map_err(|e| errors.push(FieldError::new("phone", e)))
        .ok();
    let valid = validate(&r.data, now.date())
        .map_err(|e| errors.extend(e))
        .ok();
    let (Some(phone), Some(v)) = (phone, valid) else {
        return Err(CoreError::Validation(errors));
    };
    let password = generate_password(&mut rand::thread_rng());
    let hash = crate::password::hash(core, &password)?;
    let person_id = new_id();
    let oid = new_oid();
    let mut conn = core.conn()?;
    write_transaction(&mut conn, |conn| -> CoreResult<()> {
        if let ConfirmationMethod::Bank(_) = method {
            bank_data_match_registry(conn, &v)?;
        }
        if esia_store::persons::find_person_by_snils(conn, &v.snils)?.is_some() {
            return Err(CoreError::field(
                "snils",
                ValidationError::new("snils_taken", "СНИЛС указан в другой учётной записи"),
            ));
        }
        if esia_store::persons::contact_value_taken(conn, ContactKind::Mobile, phone.e164())? {
            return Err(CoreError::field(
                "phone",
                ValidationError::new(
                    "phone_taken",
                    "Телефон уже используется другой учётной записью",
                ),
            ));
        }
        let row = PersonRow {
            password_hash: Some(hash.clone()),
            level: AccountLevel::Confirmed,
            gender: Some(v.gender.as_esia().into()),
            birth_date: Some(v.birth_date),
            birth_place: Some(v.birth_place.clone()),
            citizenship: Some(v.citizenship.clone()),
            snils: Some(v.snils.clone()),
            inn: v.inn.clone(),
            ..PersonRow::new_simplified(
                person_id.clone(),
                oid,
                v.surname.clone(),
                v.name.clone(),
                v.patronymic.clone(),
                now,
            )
        };
        esia_store::persons::insert_person(conn, &row)?;
        esia_store::persons::insert_contact(
            conn,
            &ContactRow {
                id: new_id(),
                esia_id: new_esia_id(),
                person_id: person_id.clone(),
                kind: ContactKind::Mobile,
                value: phone.e164().into(),
                verified: true,
                verifying_value: None,
                created_at: now,
                updated_at: now,
            },
        )?;
        super::personal_data::save_doc(conn, &person_id, None, &v, false, now)?;
        super::personal_data::set_identity_doc_status(
            conn,
            &person_id,
            esia_domain::VrfStatus::Verified,
            None,
            now,
        )?;
        // The documents were seen in person: they join the agencies' registry as they are.
        let claimed = super::checks::claimed(conn, &row)?;
        for check in [
            esia_domain::level::CheckKind::Snils,
            esia_domain::level::CheckKind::Passport,
        ] {
            super::agencies::remember(conn, check, &claimed, now)?;
        }
        esia_store::verification::insert_confirmation(
            conn,
            &ConfirmationRow {
                id: new_id(),
                person_id: person_id.clone(),
                method: method.as_str().into(),
                detail: Some(match method {
                    ConfirmationMethod::Bank(b) => format!("registration: {}", b.title_ru()),
                    _ => "registration".into(),
                }),
                created_at: now,
            },
        )?;
        send_sms(
            conn,
            now,
            phone.e164(),
            &format!(
                "Вы зарегистрированы на Госуслугах. Временный пароль: {password}. Смените его при первом входе"
            ),
            None,
            Some(&person_id),
        )?;
        tracing::info!(person.id = %person_id, method = method.as_str(), "confirmed account registered");
        Ok(())
    })?;
    Ok(CentreRegistered {
        oid,
        temp_password: password,
    })
}

/// The bank's data against the agencies' registry entry of the SNILS, when there is one.
fn bank_data_match_registry(
    conn: &mut esia_store::DbConnection,
    v: &super::validate::Valid,
) -> CoreResult<()> {
    let Some(real) = esia_store::verification::registry_by_snils(conn, &v.snils)? else {
        return Ok(());
    };
    let same = |a: &str, b: &str| a.trim().to_lowercase() == b.trim().to_lowercase();
    if same(&v.surname, &real.surname)
        && same(&v.name, &real.name)
        && v.birth_date == real.birth_date
    {
        Ok(())
    } else {
        Err(CoreError::Conflict(
            "Данные банка не совпадают с данными Социального фонда России".into(),
        ))
    }
}
