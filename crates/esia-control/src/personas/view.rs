//! What the personas use cases answer (a persona's view, a list page) and take besides the spec
//! (a patch, list filters), plus merging a spec or a patch onto a stored persona's spec.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use esia_domain::AccountLevel;

use super::spec::{
    AddressSpec, DocumentSpec, KidSpec, OrgMembershipSpec, PassportSpec, PersonaGender,
    PersonaSpec, PersonaVerification, VehicleSpec,
};

/// The logins a persona can sign in with.
#[derive(Clone, PartialEq, Serialize, ToSchema)]
pub struct PersonaLogins {
    /// Mobile phone, E.164.
    pub phone: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// SNILS, 11 digits (a login once in the profile).
    pub snils: Option<String>,
}

impl std::fmt::Debug for PersonaLogins {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PersonaLogins")
            .field("phone", &self.phone.is_some())
            .field("email", &self.email.is_some())
            .field("snils", &self.snils.is_some())
            .finish()
    }
}

/// A persona as the API shows it.
#[derive(Clone, Serialize, ToSchema)]
pub struct PersonaView {
    /// ESIA oid.
    pub oid: i64,
    /// Account level.
    pub level: AccountLevel,
    /// ESIA status: `REGISTERED` or `DELETED`.
    pub status: String,
    /// Blocked by an operator.
    pub blocked: bool,
    /// Logins.
    pub logins: PersonaLogins,
    /// The password: only in the answer that set it (given or generated), never again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// Everything the persona holds, in the spec's form (without the password hash).
    pub data: PersonaSpec,
}

impl std::fmt::Debug for PersonaView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PersonaView")
            .field("oid", &self.oid)
            .field("level", &self.level)
            .field("status", &self.status)
            .field("blocked", &self.blocked)
            .finish_non_exhaustive()
    }
}

/// The outcome of applying a spec.
#[derive(Debug, Clone)]
pub struct PersonaApplied {
    /// True when a new persona was created (false: an existing one was updated).
    pub created: bool,
    pub view: PersonaView,
}

/// One persona in a list.
#[derive(Clone, Serialize, ToSchema)]
pub struct PersonaSummary {
    pub oid: i64,
    pub level: AccountLevel,
    pub status: String,
    pub blocked: bool,
    pub logins: PersonaLogins,
    pub surname: String,
    pub name: String,
    pub patronymic: Option<String>,
}

impl std::fmt::Debug for PersonaSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PersonaSummary")
            .field("oid", &self.oid)
            .finish_non_exhaustive()
    }
}

/// A page of personas, oldest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonaPage {
    pub personas: Vec<PersonaSummary>,
    pub offset: i64,
    pub limit: i64,
}

/// List filters and paging.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PersonaQuery {
    /// Only this level.
    pub level: Option<AccountLevel>,
    /// Only personas with a phone, e-mail or SNILS containing this text.
    pub login: Option<String>,
    /// Skip this many (default 0).
    pub offset: Option<i64>,
    /// At most this many, 1–1000 (default 100).
    pub limit: Option<i64>,
}

/// Changes to a persona: every field given replaces the stored value, absent fields stay; a
/// list given (even empty) replaces the whole collection.
#[derive(Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonaPatch {
    pub level: Option<AccountLevel>,
    pub blocked: Option<bool>,
    pub deleted: Option<bool>,
    pub verification: Option<PersonaVerification>,
    pub verification_note: Option<String>,
    pub password: Option<String>,
    pub phone: Option<String>,
    pub pending_phone: Option<String>,
    pub email: Option<String>,
    pub home_phone: Option<String>,
    pub surname: Option<String>,
    pub name: Option<String>,
    pub patronymic: Option<String>,
    pub gender: Option<PersonaGender>,
    pub birth_date: Option<String>,
    pub birth_place: Option<String>,
    pub citizenship: Option<String>,
    pub snils: Option<String>,
    pub inn: Option<String>,
    pub passport: Option<PassportSpec>,
    pub documents: Option<Vec<DocumentSpec>>,
    pub addresses: Option<Vec<AddressSpec>>,
    pub kids: Option<Vec<KidSpec>>,
    pub vehicles: Option<Vec<VehicleSpec>>,
    pub organizations: Option<Vec<OrgMembershipSpec>>,
}

impl std::fmt::Debug for PersonaPatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PersonaPatch")
            .field("level", &self.level)
            .field("blocked", &self.blocked)
            .field("deleted", &self.deleted)
            .finish_non_exhaustive()
    }
}

fn keep<T>(new: Option<T>, old: &mut Option<T>) {
    if new.is_some() {
        *old = new;
    }
}

/// A spec applied to an existing persona: given values replace, absent ones stay; flags are
/// declarative (a spec without `blocked` unblocks); non-empty lists replace.
pub(crate) fn merge_spec(base: PersonaSpec, s: &PersonaSpec) -> PersonaSpec {
    let mut m = base;
    if s.level.is_some() && s.verification.is_none() {
        // A new level without a check state starts with no checks pending.
        m.verification = Some(PersonaVerification::None);
    }
    keep(s.level, &mut m.level);
    keep(s.verification, &mut m.verification);
    keep(s.verification_note.clone(), &mut m.verification_note);
    m.blocked = s.blocked;
    m.deleted = s.deleted;
    m.no_phone = s.no_phone || (m.no_phone && s.phone.is_none());
    m.no_email = s.no_email || (m.no_email && s.email.is_none());
    if s.no_phone {
        m.phone = None;
        m.pending_phone = None;
    }
    if s.no_email {
        m.email = None;
    }
    keep(s.phone.clone(), &mut m.phone);
    keep(s.pending_phone.clone(), &mut m.pending_phone);
    keep(s.email.clone(), &mut m.email);
    keep(s.home_phone.clone(), &mut m.home_phone);
    keep(s.work_email.clone(), &mut m.work_email);
    keep(s.work_phone.clone(), &mut m.work_phone);
    if s.password.is_some() {
        m.password = s.password.clone();
        m.password_hash = None;
    } else {
        keep(s.password_hash.clone(), &mut m.password_hash);
    }
    keep(s.surname.clone(), &mut m.surname);
    keep(s.name.clone(), &mut m.name);
    keep(s.patronymic.clone(), &mut m.patronymic);
    keep(s.gender, &mut m.gender);
    keep(s.birth_date.clone(), &mut m.birth_date);
    keep(s.birth_place.clone(), &mut m.birth_place);
    keep(s.citizenship.clone(), &mut m.citizenship);
    keep(s.snils.clone(), &mut m.snils);
    keep(s.inn.clone(), &mut m.inn);
    m.with_inn = s.with_inn;
    keep(s.passport.clone(), &mut m.passport);
    if !s.documents.is_empty() {
        m.documents.clone_from(&s.documents);
    }
    if !s.addresses.is_empty() {
        m.addresses.clone_from(&s.addresses);
    }
    if !s.kids.is_empty() {
        m.kids.clone_from(&s.kids);
    }
    if !s.vehicles.is_empty() {
        m.vehicles.clone_from(&s.vehicles);
    }
    if !s.organizations.is_empty() {
        m.organizations.clone_from(&s.organizations);
    }
    m
}

/// A patch applied to a stored persona's spec.
pub(crate) fn merge_patch(base: PersonaSpec, p: &PersonaPatch) -> PersonaSpec {
    let mut m = base;
    if p.level.is_some() && p.verification.is_none() {
        m.verification = Some(PersonaVerification::None);
    }
    keep(p.level, &mut m.level);
    keep(p.verification, &mut m.verification);
    keep(p.verification_note.clone(), &mut m.verification_note);
    if let Some(b) = p.blocked {
        m.blocked = b;
    }
    if let Some(d) = p.deleted {
        m.deleted = d;
    }
    if p.phone.is_some() {
        m.no_phone = false;
    }
    if p.email.is_some() {
        m.no_email = false;
    }
    keep(p.phone.clone(), &mut m.phone);
    keep(p.pending_phone.clone(), &mut m.pending_phone);
    keep(p.email.clone(), &mut m.email);
    keep(p.home_phone.clone(), &mut m.home_phone);
    if p.password.is_some() {
        m.password = p.password.clone();
        m.password_hash = None;
    }
    keep(p.surname.clone(), &mut m.surname);
    keep(p.name.clone(), &mut m.name);
    keep(p.patronymic.clone(), &mut m.patronymic);
    keep(p.gender, &mut m.gender);
    keep(p.birth_date.clone(), &mut m.birth_date);
    keep(p.birth_place.clone(), &mut m.birth_place);
    keep(p.citizenship.clone(), &mut m.citizenship);
    keep(p.snils.clone(), &mut m.snils);
    keep(p.inn.clone(), &mut m.inn);
    keep(p.passport.clone(), &mut m.passport);
    if let Some(v) = &p.documents {
        m.documents.clone_from(v);
    }
    if let Some(v) = &p.addresses {
        m.addresses.clone_from(v);
    }
    if let Some(v) = &p.kids {
        m.kids.clone_from(v);
    }
    if let Some(v) = &p.vehicles {
        m.vehicles.clone_from(v);
    }
    if let Some(v) = &p.organizations {
        m.organizations.clone_from(v);
    }
    m
}
