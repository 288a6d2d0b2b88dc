//! Tests of the scope catalogue and of scope-string parsing.

use super::*;

#[test]
fn catalogue_is_consistent() {
    let mut names: Vec<_> = CATALOGUE.iter().map(|s| s.name).collect();
    names.sort_unstable();
    let n = names.len();
    names.dedup();
    assert_eq!(names.len(), n, "duplicate scope names");
    for s in CATALOGUE {
        assert!(!s.consent_ru.is_empty(), "{}", s.name);
        assert!(!s.releases.is_empty(), "{}", s.name);
        assert_eq!(s.org_scope, s.name.starts_with("org_"), "{}", s.name);
    }
}

#[test]
fn consent_wording() {
    let rows = [
        ("fullname", "ФИО"),
        ("birthdate", "Дата рождения"),
        ("gender", "Пол"),
        ("snils", "СНИЛС"),
        ("inn", "ИНН"),
        ("id_doc", "Паспорт"),
        ("email", "Адрес электронной почты"),
        ("mobile", "Мобильный телефон"),
        ("contacts", "Контактные данные"),
        ("addresses", "Адреса"),
        ("vehicles", "Транспортные средства"),
        ("drivers_licence_doc", "Водительское удостоверение"),
        ("usr_inf", "Персональные данные"),
    ];
    for (name, ru) in rows {
        assert_eq!(scope_info(name).map(|s| s.consent_ru), Some(ru), "{name}");
    }
    assert_eq!(
        consent_lines_ru(["openid", "fullname", "email", "fullname", "nope"]),
        vec!["ФИО", "Адрес электронной почты"]
    );
}

#[test]
fn releases() {
    let fullname = scope_info("fullname").unwrap();
    assert_eq!(
        fullname.person_fields().collect::<Vec<_>>(),
        ["firstName", "lastName", "middleName"]
    );
    let id_doc = scope_info("id_doc").unwrap();
    assert_eq!(
        id_doc.document_types().collect::<Vec<_>>(),
        ["RF_PASSPORT", "FID_DOC"]
    );
    assert_eq!(id_doc.person_fields().collect::<Vec<_>>(), ["rIdDoc"]);
    assert!(scope_info("contacts")
        .unwrap()
        .releases
        .contains(&Resource::Addresses));
    assert_eq!(
        scope_info("mobile").unwrap().releases,
        &[Resource::Contacts(ContactFilter::Mobile)]
    );
    assert!(ContactFilter::Mobile.allows(crate::ContactKind::Mobile));
    assert!(!ContactFilter::Mobile.allows(crate::ContactKind::Email));
    assert!(ContactFilter::All.allows(crate::ContactKind::CorporatePhone));
    assert_eq!(
        scope_info("usr_org").unwrap().releases,
        &[Resource::Roles, Resource::Orgs]
    );
    assert!(scope_info("org_inn").unwrap().org_scope);
    assert!(!scope_info("inn").unwrap().org_scope);
    assert!(scope_info("usr_inf").unwrap().legacy);
    assert!(
        scope_info("drivers_license_doc").is_none(),
        "ESIA spells it licence"
    );
}

#[test]
fn parse_lists() {
    let v = parse_scope_list("openid fullname+email  mobile\tsnils");
    let names: Vec<_> = v.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["openid", "fullname", "email", "mobile", "snils"]);
    assert!(v
        .iter()
        .all(|s| s.is_known() && !s.legacy_url && s.oid.is_none()));

    let v = parse_scope_list("http://esia.gosuslugi.ru/usr_inf?oid=1000323031 openid");
    assert_eq!(v[0].name, "usr_inf");
    assert!(v[0].legacy_url);
    assert_eq!(v[0].oid.as_deref(), Some("1000323031"));
    assert_eq!(
        v[0].original,
        "http://esia.gosuslugi.ru/usr_inf?oid=1000323031"
    );

    let v = parse_scope_list("http://esia.gosuslugi.ru/org_inn?org_oid=1000474775 fullname?oid=1");
    assert_eq!(v[0].name, "org_inn");
    assert_eq!(v[0].org_oid.as_deref(), Some("1000474775"));
    assert_eq!(v[0].oid, None);
    assert_eq!(v[1].oid.as_deref(), Some("1"));

    assert!(parse_scope_list("").is_empty());
    assert!(parse_scope_list(" + ++ ").is_empty());
    let v = parse_scope_list("unknown? ?oid=5 https://esia.gosuslugi.ru/email");
    assert_eq!(v[0].name, "unknown");
    assert!(!v[0].is_known());
    assert_eq!(v[1].name, "");
    assert_eq!(v[2].name, "email");
    assert!(v[2].legacy_url);
}

#[test]
fn granted_format() {
    assert_eq!(format_granted_scope("openid", 1019797391), "openid");
    assert_eq!(
        format_granted_scope("fullname", 1019797391),
        "fullname?oid=1019797391"
    );
    assert_eq!(
        format_granted_scope("http://esia.gosuslugi.ru/usr_inf", "1000323031"),
        "http://esia.gosuslugi.ru/usr_inf?oid=1000323031"
    );
    let v = parse_scope_list(
        "http://esia.gosuslugi.ru/usr_inf openid email http://esia.gosuslugi.ru/org_inn?org_oid=7",
    );
    assert_eq!(
        format_granted_scopes(&v, 1000323031u64),
        "http://esia.gosuslugi.ru/usr_inf?oid=1000323031 openid email?oid=1000323031 \
         http://esia.gosuslugi.ru/org_inn?org_oid=7"
    );
}
