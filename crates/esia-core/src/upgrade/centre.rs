//! Registration at a service centre (account-lifecycle §1, §6): the operator types the visitor's
//! personal data, passport and phone after seeing the documents, and the account is created
//! confirmed at once (the level machine's `AccountState::new(Confirmed)` shortcut), with the
//! documents verified and a temporary password sent by SMS.

use esia_domain::level::AccountLevel;
use esia_domain::values::{generate_password, Phone};
use esia_domain::ValidationError;
use esia_store::persons::{ContactRow, PersonRow};
use esia_store::verification::ConfirmationRow;
use esia_store::write_transaction;

use super::personal_data::PersonalDataForm;
use super::validate::validate;
use crate::app::{new_esia_id, new_id, new_oid, Core};
use crate::error::{CoreError, CoreResult, FieldError};
use crate::notify::send_sms;

/// What the operator typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct CentreRegistration {
    #[serde(flatten)]
    pub data: PersonalDataForm,
    pub phone: String,
}

/// The new account, with the temporary password the operator hands over.
#[derive(Clone)]
pub struct CentreRegistered {
    pub oid: i64,
    pub temp_password: String,
}

impl Core {
    /// Creates a confirmed account at a service centre.
    pub fn operator_register(&self, r: &CentreRegistration) -> CoreResult<CentreRegistered> {
        let now = self.now_naive();
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
        let hash = crate::password::hash(self, &password)?;
        let person_id = new_id();
        let oid = new_oid();
        let mut conn = self.conn()?;
        write_transaction(&mut conn, |conn| -> CoreResult<()> {
            if esia_store::persons::find_person_by_snils(conn, &v.snils)?.is_some() {
                return Err(CoreError::field(
                    "snils",
                    ValidationError::new("snils_taken", "СНИЛС указан в другой учётной записи"),
                ));
            }
            if esia_store::persons::contact_value_taken(conn, "MBT", phone.e164())? {
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
                level: AccountLevel::Confirmed.as_str().into(),
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
                    kind: "MBT".into(),
                    value: phone.e164().into(),
                    verified: true,
                    verifying_value: None,
                    created_at: now,
                    updated_at: now,
                },
            )?;
            super::personal_data::save_doc(conn, &person_id, None, &v, false, now)?;
            super::personal_data::set_identity_doc_status(conn, &person_id, "VERIFIED", None, now)?;
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
                    method: "service_centre".into(),
                    detail: Some("registration".into()),
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
            tracing::info!(person.id = %person_id, "confirmed account registered at a service centre");
            Ok(())
        })?;
        Ok(CentreRegistered {
            oid,
            temp_password: password,
        })
    }
}
