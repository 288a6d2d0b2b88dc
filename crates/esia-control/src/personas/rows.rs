//! Row builders shared by both ways a persona spec becomes database rows: the validating,
//! generating apply path (`build`, `parts`) and the as-written insert of the demo seed and
//! snapshots (`seed_file::literal`). They own what both paths must set alike — the person's
//! level, status and upgrade state, an empty document, a contact and which contacts count as
//! confirmed, the passport's check state; checking and generating values stays with the callers.

use chrono::NaiveDateTime;
pub(crate) use esia_core::upgrade::personal_data::blank_document;
use esia_domain::ContactKind;
use esia_domain::{AccountLevel, AccountStatus, Gender, VerificationStatus, VrfStatus};
use esia_store::person_data::DocumentRow;
use esia_store::persons::{ContactRow, PersonRow};

use super::spec::{PersonaGender, PersonaSpec, PersonaVerification};
use esia_core::app::new_id;

pub(crate) fn gender_of(g: PersonaGender) -> Gender {
    match g {
        PersonaGender::M => Gender::Male,
        PersonaGender::F => Gender::Female,
    }
}

/// The level a spec gives, standard when it gives none.
pub(crate) fn level_of(spec: &PersonaSpec) -> AccountLevel {
    spec.level.unwrap_or(AccountLevel::Standard)
}

/// The upgrade state a spec gives, none when it gives none.
pub(crate) fn verification_of(spec: &PersonaSpec) -> PersonaVerification {
    spec.verification.unwrap_or(PersonaVerification::None)
}

/// A person row with the spec's level, status, block and upgrade state and the given names;
/// everything else (personal data, password hash, note) as a new simplified account has it.
pub(crate) fn person_row(
    spec: &PersonaSpec,
    person_id: String,
    oid: i64,
    (surname, name, patronymic): (String, String, Option<String>),
    now: NaiveDateTime,
) -> PersonRow {
    PersonRow {
        level: level_of(spec),
        status: if spec.deleted {
            AccountStatus::Deleted
        } else {
            AccountStatus::Registered
        },
        blocked: spec.blocked,
        verification: match verification_of(spec) {
            PersonaVerification::None => VerificationStatus::None,
            PersonaVerification::Verifying => VerificationStatus::Verifying,
            PersonaVerification::Failed => VerificationStatus::Failed,
        },
        ..PersonRow::new_simplified(person_id, oid, surname, name, patronymic, now)
    }
}

/// Sets the passport's check state from the person's: running or failed checks show on it,
/// and a standard or confirmed account's passport was verified by the МВД.
pub(crate) fn set_passport_checks(
    d: &mut DocumentRow,
    verification: PersonaVerification,
    verified_level: bool,
) {
    match verification {
        PersonaVerification::Verifying => d.vrf_val_stu = Some("VERIFYING".into()),
        PersonaVerification::Failed => {
            d.vrf_val_stu = Some("VERIFICATION_FAILED".into());
            d.fms_valid = Some(false);
            d.fms_state = Some("PASSPORT_INVALID".into());
        }
        PersonaVerification::None if verified_level => {
            d.vrf_stu = VrfStatus::Verified;
            d.fms_valid = Some(true);
        }
        PersonaVerification::None => {}
    }
}

/// A contact row of the person; `pending` is a new value awaiting its code.
pub(crate) fn contact_row(
    esia_id: i64,
    person_id: &str,
    kind: ContactKind,
    value: String,
    pending: Option<String>,
    at: NaiveDateTime,
) -> ContactRow {
    ContactRow {
        id: new_id(),
        esia_id,
        person_id: person_id.into(),
        kind,
        value,
        // Home and work contacts are never confirmed in ESIA; logins are.
        verified: matches!(kind, ContactKind::Mobile | ContactKind::Email),
        verifying_value: pending,
        created_at: at,
        updated_at: at,
    }
}
