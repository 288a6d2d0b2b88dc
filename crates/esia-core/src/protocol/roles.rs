//! Role choice after login (esia-protocol §6, §10): when the system asks for organisation data
//! (`usr_org`, organisation scopes in `scope_org`, or `…?org_oid=` scopes) and the person
//! belongs to organisations, the page «Выберите роль» lets the person act as a private person
//! or as an employee of one organisation, before consent. The choice decides the organisation
//! of the organisation scopes in the code (so the token's `scope` claim carries `?org_oid=` of
//! that organisation and opens `/rs/orgs/{org}`); choosing the private person drops them. An
//! organisation scope naming an organisation the person does not belong to is ESIA-007194.

use esia_domain::scopes::{parse_scope_list, ScopeRef};
use esia_store::grants::AcRequestRow;
use esia_store::person_data as pd;
use esia_store::persons::PersonRow;
use esia_store::DbConnection;

use super::ac_response::{AcResponse, RoleChoiceView, RoleOption};
use super::EsiaErrorCode as E;
use crate::error::CoreResult;

/// The stored role of a request whose person chose to act as a private person.
pub const PRIVATE_PERSON: &str = "P";

/// Why the flow stops at the role step.
pub(crate) enum RoleBlock {
    /// ESIA-007194 to the client (detail for the journal and logs).
    Refuse(&'static str),
    /// The role page.
    Page(AcResponse),
}

/// A scope as parked in `ac_requests.scope`: the sent name, keeping `?org_oid=`.
pub(crate) fn stored_scope(r: &ScopeRef) -> String {
    match &r.org_oid {
        Some(org) => format!("{}?org_oid={org}", r.name_as_sent()),
        None => r.name_as_sent(),
    }
}

fn is_org_scope(r: &ScopeRef) -> bool {
    r.org_oid.is_some() || r.info().is_some_and(|i| i.org_scope)
}

/// Checks the `scope_org` parameter (organisation scopes only, each allowed for the client)
/// and returns it as parked; `None` when absent or empty (ILM4 often sends it empty).
pub(crate) fn check_scope_org(
    allowed: &[String],
    raw: Option<&str>,
) -> Result<Option<String>, (E, &'static str)> {
    let Some(raw) = raw.filter(|v| !v.trim().is_empty()) else {
        return Ok(None);
    };
    let refs = parse_scope_list(raw);
    for r in &refs {
        if !r.info().is_some_and(|i| i.org_scope) {
            return Err((
                E::E007006,
                "scope_org holds an unknown or non-organisation scope",
            ));
        }
        if !allowed.contains(&r.name) {
            return Err((E::E007019, "organisation scope not allowed for the client"));
        }
    }
    Ok(Some(
        refs.iter().map(stored_scope).collect::<Vec<_>>().join(" "),
    ))
}

fn position(role: &pd::OrgRoleRow) -> &'static str {
    if role.chief {
        "Руководитель"
    } else if role.admin {
        "Администратор"
    } else {
        "Сотрудник"
    }
}

/// The effective scope of a request for `person`, or why the flow stops here.
fn decide(
    req: &AcRequestRow,
    roles: &[(pd::OrgRoleRow, pd::OrganizationRow)],
) -> Result<String, Result<Vec<RoleOption>, &'static str>> {
    let mut refs = parse_scope_list(&req.scope);
    refs.extend(parse_scope_list(req.scope_org.as_deref().unwrap_or("")));
    let (org_refs, person_refs): (Vec<ScopeRef>, Vec<ScopeRef>) =
        refs.into_iter().partition(is_org_scope);
    let asks_orgs = !org_refs.is_empty() || person_refs.iter().any(|r| r.name == "usr_org");
    if !asks_orgs {
        return Ok(req.scope.clone());
    }
    let mut named: Vec<i64> = Vec::new();
    for r in &org_refs {
        let Some(o) = &r.org_oid else { continue };
        match o.parse::<i64>() {
            Ok(v) if roles.iter().any(|(_, org)| org.oid == v) => {
                if !named.contains(&v) {
                    named.push(v);
                }
            }
            _ => {
                return Err(Err(
                    "organisation scope for an organisation of which the person is not an employee",
                ))
            }
        }
    }
    let unbound = org_refs.iter().any(|r| r.org_oid.is_none());
    if unbound && roles.is_empty() {
        return Err(Err(
            "organisation scopes requested, the person belongs to no organisation",
        ));
    }
    if roles.is_empty() {
        // `usr_org` alone from a person without organisations: nothing to choose.
        return Ok(req.scope.clone());
    }
    let options: Vec<RoleOption> = roles
        .iter()
        .filter(|(_, org)| named.is_empty() || named.contains(&org.oid))
        .map(|(role, org)| RoleOption {
            org_oid: org.oid,
            name: org.short_name.clone(),
            position: position(role),
        })
        .collect();
    let chosen = match req.role.as_deref() {
        None => return Err(Ok(options)),
        Some(PRIVATE_PERSON) => None,
        Some(o) => match o.parse::<i64>() {
            Ok(v) if options.iter().any(|x| x.org_oid == v) => Some(v),
            _ => return Err(Ok(options)),
        },
    };
    let mut out: Vec<String> = person_refs.iter().map(stored_scope).collect();
    if let Some(org) = chosen {
        let org_s = org.to_string();
        for r in &org_refs {
            if r.org_oid.as_deref().is_none_or(|o| o == org_s) {
                let s = format!("{}?org_oid={org}", r.name_as_sent());
                if !out.contains(&s) {
                    out.push(s);
                }
            }
        }
    }
    Ok(out.join(" "))
}

/// The role step of a parked request after login: the effective scope (organisation
/// scopes bound to the chosen organisation), the role page, or ESIA-007194.
pub(crate) fn role_step(
    conn: &mut DbConnection,
    req: &AcRequestRow,
    person: &PersonRow,
) -> CoreResult<Result<String, RoleBlock>> {
    let asks = req.scope_org.is_some()
        || parse_scope_list(&req.scope)
            .iter()
            .any(|r| r.name == "usr_org" || is_org_scope(r));
    if !asks {
        return Ok(Ok(req.scope.clone()));
    }
    let roles = pd::roles_of(conn, &person.id)?;
    match decide(req, &roles) {
        Ok(scope) => Ok(Ok(scope)),
        Err(Err(detail)) => {
            tracing::info!(person.id = %person.id, client.id = %req.mnemonic, "organisation scope outside the person's organisations");
            Ok(Err(RoleBlock::Refuse(detail)))
        }
        Err(Ok(options)) => {
            let client = super::clients::load(conn, &req.mnemonic)?
                .ok_or(crate::error::CoreError::NotFound("client"))?;
            let person_name = [
                Some(person.surname.as_str()),
                Some(person.name.as_str()),
                person.patronymic.as_deref(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
            Ok(Err(RoleBlock::Page(AcResponse::RoleChoice(
                RoleChoiceView {
                    request_id: req.id.clone(),
                    client_name: client.name,
                    person_name,
                    options,
                },
            ))))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDateTime;

    fn req(scope: &str, scope_org: Option<&str>, role: Option<&str>) -> AcRequestRow {
        let t = NaiveDateTime::default();
        AcRequestRow {
            id: "r".into(),
            mnemonic: "C".into(),
            generation: "v2".into(),
            redirect_uri: "http://localhost/cb".into(),
            scope: scope.into(),
            state: "s".into(),
            access_type: "online".into(),
            code_challenge: None,
            code_challenge_method: None,
            person_filter: None,
            created_at: t,
            expires_at: t,
            scope_org: scope_org.map(str::to_string),
            role: role.map(str::to_string),
        }
    }

    fn member(oid: i64, chief: bool) -> (pd::OrgRoleRow, pd::OrganizationRow) {
        let t = NaiveDateTime::default();
        let role = pd::OrgRoleRow {
            id: format!("r{oid}"),
            org_id: format!("o{oid}"),
            person_id: "p".into(),
            chief,
            admin: false,
            active: true,
            created_at: t,
        };
        let org = pd::OrganizationRow {
            id: format!("o{oid}"),
            oid,
            short_name: format!("ООО {oid}"),
            full_name: format!("Общество {oid}"),
            ogrn: "1027700000000".into(),
            inn: "7700000000".into(),
            kpp: None,
            org_type: "LEGAL".into(),
            created_at: t,
            updated_at: t,
        };
        (role, org)
    }

    #[test]
    fn the_view_debug_hides_the_person_name() {
        let v = RoleChoiceView {
            request_id: "r".into(),
            client_name: "C".into(),
            person_name: "Иванов Иван".into(),
            options: vec![],
        };
        assert!(!format!("{v:?}").contains("Иванов"));
    }

    #[test]
    fn scope_org_is_bound_to_the_chosen_organisation() {
        let roles = [member(901, true), member(902, false)];
        let r = req("openid fullname", Some("org_inn org_ogrn"), None);
        let Err(Ok(options)) = decide(&r, &roles) else {
            panic!("the page must be shown")
        };
        assert_eq!(options.len(), 2);
        assert_eq!(options[0].position, "Руководитель");
        let r = req("openid fullname", Some("org_inn org_ogrn"), Some("902"));
        assert_eq!(
            decide(&r, &roles).ok().as_deref(),
            Some("openid fullname org_inn?org_oid=902 org_ogrn?org_oid=902")
        );
        let r = req("openid fullname", Some("org_inn"), Some(PRIVATE_PERSON));
        assert_eq!(decide(&r, &roles).ok().as_deref(), Some("openid fullname"));
        // A role that was not offered shows the page again.
        let r = req("openid fullname", Some("org_inn"), Some("903"));
        assert!(matches!(decide(&r, &roles), Err(Ok(_))));
    }

    #[test]
    fn explicit_organisations_must_be_the_persons() {
        let roles = [member(901, true)];
        let r = req(
            "openid http://esia.gosuslugi.ru/org_inn?org_oid=999",
            None,
            None,
        );
        assert!(matches!(decide(&r, &[]), Err(Err(_))));
        assert!(matches!(decide(&r, &roles), Err(Err(_))));
        let r = req("openid org_inn?org_oid=901", None, Some("901"));
        assert_eq!(
            decide(&r, &roles).ok().as_deref(),
            Some("openid org_inn?org_oid=901")
        );
        let r = req("openid", Some("org_inn"), None);
        assert!(
            matches!(decide(&r, &[]), Err(Err(_))),
            "no organisations at all"
        );
        let r = req("openid usr_org", None, None);
        assert_eq!(decide(&r, &[]).ok().as_deref(), Some("openid usr_org"));
        assert!(matches!(decide(&r, &roles), Err(Ok(_))));
    }
}
