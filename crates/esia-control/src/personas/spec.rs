//! The persona spec: everything a test persona can be given — the input of the personas API
//! (`POST /emulator/api/personas`), of seed files and the form snapshots export persons in.
//! Every field is optional; what is absent is generated (checksum-valid, consistent with the
//! level) when the persona is applied. Values that need checking (dates, SNILS, INN, phones,
//! passport parts) are plain strings here and are validated by the apply use case, so a bad one
//! is answered as an `invalid_field` naming the field rather than as unparsable JSON; closed sets
//! (level, gender, document and address types) are enums. Debug never prints personal data.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use super::kinds::{PersonaAddressType, PersonaDocType, PersonaGender, PersonaVerification};
pub use super::spec_collections::{
    AddressSpec, DocumentSpec, KidSpec, OrgMembershipSpec, PassportSpec, VehicleSpec,
};
use esia_domain::AccountLevel;

/// Prints only the names of the fields that are set, never their values (personal data).
macro_rules! redacted_debug {
    ($ty:ident { $($opt:ident),* $(,)? }) => {
        impl std::fmt::Debug for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let mut set: Vec<&str> = Vec::new();
                $(if self.$opt.is_some() { set.push(stringify!($opt)); })*
                f.debug_struct(stringify!($ty)).field("set", &set).finish_non_exhaustive()
            }
        }
    };
}

pub(super) use redacted_debug;

pub(super) fn is_false(b: &bool) -> bool {
    !*b
}

/// A test persona. Every field may be omitted; see the module docs. Applying a spec whose `oid`,
/// phone or e-mail belongs to an existing persona updates that persona (idempotent).
#[derive(Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonaSpec {
    /// ESIA oid; stable when given, generated otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oid: Option<i64>,
    /// Account level; `standard` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<AccountLevel>,
    /// Blocked by an operator (cannot log in).
    #[serde(default, skip_serializing_if = "is_false")]
    pub blocked: bool,
    /// Deleted account (cannot log in; `/rs` answers status DELETED).
    #[serde(default, skip_serializing_if = "is_false")]
    pub deleted: bool,
    /// Upgrade checks' state; `none` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification: Option<PersonaVerification>,
    /// Which check failed and why when `verification` is `failed`, as the checks record it:
    /// `passport:passport_invalid`, `snils:not_found`, `inn:data_mismatch` (kinds `snils`,
    /// `passport`, `inn`; reasons `not_found`, `data_mismatch`, `passport_invalid`,
    /// `rejected`). Other text, or none, means the МВД found the passport invalid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification_note: Option<String>,

    /// Mobile phone, the login (`+79001234567` or any common Russian format); generated unless
    /// `no_phone`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// The persona has no mobile phone (logs in by e-mail or SNILS).
    #[serde(default, skip_serializing_if = "is_false")]
    pub no_phone: bool,
    /// A new mobile number waiting for its confirmation code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_phone: Option<String>,
    /// E-mail, also a login; generated unless `no_email`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The persona has no e-mail.
    #[serde(default, skip_serializing_if = "is_false")]
    pub no_email: bool,
    /// Home phone (ESIA contact `PHN`, not a login).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home_phone: Option<String>,
    /// Work e-mail (ESIA contact `CEM`, for an organisation's people; never verified).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_email: Option<String>,
    /// Work phone (ESIA contact `CPH`, for an organisation's people; never verified).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_phone: Option<String>,
    /// Password; generated (and returned once) when absent and no `password_hash` is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// An argon2 PHC hash, for snapshots exporting persons whose passwords are not known;
    /// ignored when `password` is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_hash: Option<String>,

    /// Фамилия.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub surname: Option<String>,
    /// Имя.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Отчество.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patronymic: Option<String>,
    /// `M` or `F`; generated (matching the names when they are generated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<PersonaGender>,
    /// `YYYY-MM-DD` (or `DD.MM.YYYY`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<String>,
    /// Место рождения.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_place: Option<String>,
    /// ISO 3166 alpha-3 citizenship, `RUS` when generated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citizenship: Option<String>,
    /// СНИЛС, 11 digits with or without separators; the checksum must be valid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snils: Option<String>,
    /// A person's 12-digit ИНН (check digits must be valid).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inn: Option<String>,
    /// Generate an ИНН when `inn` is absent (personas have none by default).
    #[serde(default, skip_serializing_if = "is_false")]
    pub with_inn: bool,
    /// The internal passport; generated for standard and confirmed personas.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passport: Option<PassportSpec>,
    /// Other documents (driver licence, foreign passport, ОМС, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<DocumentSpec>,
    /// Addresses (`[{}]` gives one generated registration address).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<AddressSpec>,
    /// Children (`[{}]` gives one generated kid with a birth certificate).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kids: Vec<KidSpec>,
    /// Vehicles (`[{}]` gives one generated vehicle).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vehicles: Vec<VehicleSpec>,
    /// Organisations the persona is a member (or chief) of.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organizations: Vec<OrgMembershipSpec>,
}

redacted_debug!(PersonaSpec {
    oid,
    level,
    verification,
    verification_note,
    phone,
    pending_phone,
    email,
    home_phone,
    work_email,
    work_phone,
    password,
    password_hash,
    surname,
    name,
    patronymic,
    gender,
    birth_date,
    birth_place,
    citizenship,
    snils,
    inn,
    passport,
});

#[cfg(test)]
#[path = "spec_tests.rs"]
mod tests;
