//! Organisation accounts (account-lifecycle §2, §6): a person with a confirmed account creates a
//! legal entity (ЮЛ, type `LEGAL`) or sole-trader (ИП, type `BUSINESS`) account, signing the
//! request with their electronic signature, and becomes its chief (руководитель, also its
//! administrator). The simulated ФНС checks the organisation's data: ОГРН/ОГРНИП and ИНН
//! checksums, a КПП for a legal entity, and that no other organisation account holds them.
//! The organisation then shows in `/rs/prns/{oid}/roles`, `/rs/prns/{oid}/orgs` and
//! `/rs/orgs/{org}`.

use esia_domain::values::{Inn, Ogrn, Ogrnip};
use esia_domain::{AccountLevel, ValidationError};
use esia_store::person_data::{OrgRoleRow, OrganizationRow};
use esia_store::write_transaction;

use crate::app::{new_id, new_oid, Core};
use crate::error::{CoreError, CoreResult, FieldError};

/// What the «Создать организацию» form sends. `Debug` shows the type only: a sole trader's
/// ОГРНИП and ИНН identify a person.
#[derive(Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct NewOrgForm {
    /// `LEGAL` (ЮЛ) or `BUSINESS` (ИП).
    pub kind: String,
    pub full_name: String,
    pub short_name: String,
    /// ОГРН (13 digits) for ЮЛ, ОГРНИП (15 digits) for ИП.
    pub ogrn: String,
    /// ИНН: 10 digits for ЮЛ, the person's 12 digits for ИП.
    pub inn: String,
    /// КПП, 9 digits, ЮЛ only.
    pub kpp: String,
}

impl std::fmt::Debug for NewOrgForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewOrgForm")
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// The organisation's data after the ФНС checks.
struct ValidOrg {
    org_type: &'static str,
    full_name: String,
    short_name: String,
    ogrn: String,
    inn: String,
    kpp: Option<String>,
}

/// The text the chief signs: it names the organisation, so a signature cannot be reused for
/// another one.
pub fn org_challenge(person_id: &str, form: &NewOrgForm) -> String {
    format!(
        "esia-emulator: регистрация организации ОГРН {} ИНН {} {person_id}",
        form.ogrn.trim(),
        form.inn.trim()
    )
}

fn required(field: &'static str, value: &str, what: &str) -> Result<String, FieldError> {
    let v = value.trim();
    if v.chars().count() < 2 || v.chars().count() > 500 {
        return Err(FieldError::new(
            field,
            ValidationError::new("required", format!("Укажите {what}")),
        ));
    }
    Ok(v.to_string())
}

/// ФНС checks of the form's data (no database): every problem at once.
fn validate(form: &NewOrgForm, chief_name: &str) -> Result<ValidOrg, CoreError> {
    let mut errors = Vec::new();
    let mut take = |r: Result<String, FieldError>| r.map_err(|e| errors.push(e)).ok();
    let valid = match form.kind.as_str() {
        "LEGAL" => {
            let full_name = take(required(
                "full_name",
                &form.full_name,
                "полное наименование",
            ));
            let short_name = take(required(
                "short_name",
                &form.short_name,
                "сокращённое наименование",
            ));
            let ogrn = take(
                Ogrn::parse(&form.ogrn)
                    .map(|o| o.as_str().to_string())
                    .map_err(|e| FieldError::new("ogrn", e)),
            );
            let inn = take(
                Inn::parse_org(&form.inn)
                    .map(|i| i.as_str().to_string())
                    .map_err(|e| FieldError::new("inn", e)),
            );
            let kpp_digits = form.kpp.trim();
            let kpp = take(
                if kpp_digits.len() == 9 && kpp_digits.chars().all(|c| c.is_ascii_digit()) {
                    Ok(kpp_digits.to_string())
                } else {
                    Err(FieldError::new(
                        "kpp",
                        ValidationError::new("kpp_invalid", "КПП — 9 цифр"),
                    ))
                },
            );
            match (full_name, short_name, ogrn, inn, kpp) {
                (Some(full_name), Some(short_name), Some(ogrn), Some(inn), Some(kpp)) => {
                    Some(ValidOrg {
                        org_type: "LEGAL",
                        full_name,
                        short_name,
                        ogrn,
                        inn,
                        kpp: Some(kpp),
                    })
                }
                _ => None,
            }
        }
        "BUSINESS" => {
            let ogrn = take(
                Ogrnip::parse(&form.ogrn)
                    .map(|o| o.as_str().to_string())
                    .map_err(|e| FieldError::new("ogrn", e)),
            );
            let inn = take(
                Inn::parse_person(&form.inn)
                    .map(|i| i.as_str().to_string())
                    .map_err(|e| FieldError::new("inn", e)),
            );
            match (ogrn, inn) {
                (Some(ogrn), Some(inn)) => Some(ValidOrg {
                    org_type: "BUSINESS",
                    full_name: format!("Индивидуальный предприниматель {chief_name}"),
                    short_name: format!("ИП {chief_name}"),
                    ogrn,
                    inn,
                    kpp: None,
                }),
                _ => None,
            }
        }
        _ => {
            errors.push(FieldError::new(
                "kind",
                ValidationError::new(
                    "kind_invalid",
                    "Выберите тип: юридическое лицо или индивидуальный предприниматель",
                ),
            ));
            None
        }
    };
    match valid {
        Some(v) if errors.is_empty() => Ok(v),
        _ => Err(CoreError::Validation(errors)),
    }
}

fn not_confirmed() -> CoreError {
    CoreError::Conflict(
        "Создать организацию может только пользователь с подтверждённой учётной записью".into(),
    )
}

/// Step one of «Создать организацию»: the level and the ФНС checks, before the signature.
pub fn check_new_org(core: &Core, person_id: &str, form: &NewOrgForm) -> CoreResult<()> {
    let mut conn = core.conn()?;
    let p = super::person(&mut conn, person_id)?;
    if p.level != AccountLevel::Confirmed {
        return Err(not_confirmed());
    }
    validate(form, &super::full_name(&p)).map(|_| ())
}

/// Creates the organisation with the person as its chief. `signature_b64` is a CMS of
/// [`org_challenge`] by a certificate with the person's SNILS. Returns the organisation oid.
pub fn create_organization(
    core: &Core,
    person_id: &str,
    form: &NewOrgForm,
    signature_b64: &str,
) -> CoreResult<i64> {
    let now = core.now_naive();
    let mut conn = core.conn()?;
    write_transaction(&mut conn, |conn| -> CoreResult<i64> {
        let p = super::person_locked(conn, person_id)?;
        if p.level != AccountLevel::Confirmed {
            return Err(not_confirmed());
        }
        let v = validate(form, &super::full_name(&p))?;
        let cert = super::confirm::verify_signature_base64(
            &org_challenge(person_id, form),
            signature_b64,
        )?;
        let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
        if cert.snils.as_deref().map(digits) != p.snils {
            return Err(CoreError::Conflict(
                "СНИЛС в сертификате не совпадает с данными учётной записи руководителя".into(),
            ));
        }
        if esia_store::verification::organization_taken(conn, &v.ogrn, &v.inn)? {
            return Err(CoreError::field(
                "ogrn",
                ValidationError::new(
                    "org_taken",
                    "Организация с таким ОГРН или ИНН уже зарегистрирована",
                ),
            ));
        }
        let org = OrganizationRow {
            id: new_id(),
            oid: new_oid(),
            full_name: v.full_name,
            short_name: v.short_name,
            ogrn: v.ogrn,
            inn: v.inn,
            kpp: v.kpp,
            org_type: v.org_type.into(),
            created_at: now,
            updated_at: now,
        };
        esia_store::person_data::insert_organization(conn, &org)?;
        esia_store::person_data::insert_org_role(
            conn,
            &OrgRoleRow {
                id: new_id(),
                org_id: org.id.clone(),
                person_id: person_id.into(),
                chief: true,
                admin: true,
                active: true,
                created_at: now,
            },
        )?;
        tracing::info!(person.id = %person_id, org.oid = org.oid, org.kind = v.org_type, "organisation created");
        Ok(org.oid)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legal_and_sole_trader_data_are_checked() {
        let mut g = esia_domain::generate::TestDataGenerator::new(5);
        let legal = NewOrgForm {
            kind: "LEGAL".into(),
            full_name: "Общество с ограниченной ответственностью «Ромашка»".into(),
            short_name: "ООО «Ромашка»".into(),
            ogrn: g.ogrn().as_str().into(),
            inn: g.inn_org().as_str().into(),
            kpp: "770101001".into(),
        };
        assert!(validate(&legal, "Иванов Иван").is_ok());
        let bad = NewOrgForm {
            ogrn: "1234567890123".into(),
            inn: "12".into(),
            kpp: "".into(),
            full_name: "".into(),
            ..legal.clone()
        };
        let Err(CoreError::Validation(errors)) = validate(&bad, "Иванов Иван") else {
            panic!("bad data accepted");
        };
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["full_name", "ogrn", "inn", "kpp"]);
        let ip = NewOrgForm {
            kind: "BUSINESS".into(),
            ogrn: g.ogrnip().as_str().into(),
            inn: g.inn_person().as_str().into(),
            ..NewOrgForm::default()
        };
        let v = validate(&ip, "Иванов Иван").unwrap_or_else(|_| panic!("valid ИП refused"));
        assert_eq!(v.org_type, "BUSINESS");
        assert_eq!(v.short_name, "ИП Иванов Иван");
        assert!(v.kpp.is_none());
        // A legal entity's ОГРН is not an ОГРНИП.
        let wrong = NewOrgForm {
            ogrn: legal.ogrn.clone(),
            ..ip
        };
        assert!(validate(&wrong, "Иванов Иван").is_err());
        assert!(matches!(
            validate(&NewOrgForm::default(), "x"),
            Err(CoreError::Validation(e)) if e[0].field == "kind"
        ));
    }
}
