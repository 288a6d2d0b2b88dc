//! The scope table itself (esia-protocol §6), one entry per scope name. Data only.

use super::{ContactFilter as CF, Resource as R, ScopeInfo};

const fn person(name: &'static str, consent_ru: &'static str, releases: &'static [R]) -> ScopeInfo {
    ScopeInfo {
        name,
        consent_ru,
        releases,
        org_scope: false,
        legacy: false,
    }
}

macro_rules! org {
    ($name:literal, $consent:literal, $part:literal) => {
        ScopeInfo {
            name: $name,
            consent_ru: $consent,
            releases: &[R::OrgData($part)],
            org_scope: true,
            legacy: false,
        }
    };
}

/// All known scopes. `citizenship` is deliberately absent: ESIA rejects it as an invalid scope
/// (§6), although the field is returned anyway.
pub static CATALOGUE: &[ScopeInfo] = &[
    person(
        "openid",
        "Вход в систему (идентификатор пользователя)",
        &[R::IdToken],
    ),
    person(
        "fullname",
        "ФИО",
        &[R::PersonCore(&["firstName", "lastName", "middleName"])],
    ),
    person(
        "birthdate",
        "Дата рождения",
        &[R::PersonCore(&["birthDate"])],
    ),
    person("gender", "Пол", &[R::PersonCore(&["gender"])]),
    person("snils", "СНИЛС", &[R::PersonCore(&["snils"])]),
    person("inn", "ИНН", &[R::PersonCore(&["inn"])]),
    person(
        "birthplace",
        "Место рождения",
        &[R::PersonCore(&["birthPlace"])],
    ),
    person(
        "id_doc",
        "Паспорт",
        &[
            R::PersonCore(&["rIdDoc"]),
            R::Documents(&["RF_PASSPORT", "FID_DOC"]),
        ],
    ),
    person("medical_doc", "Полис ОМС", &[R::Documents(&["MDCL_PLCY"])]),
    person(
        "military_doc",
        "Военный билет",
        &[R::Documents(&["MLTR_ID"])],
    ),
    person(
        "foreign_passport_doc",
        "Заграничный паспорт",
        &[R::Documents(&["FRGN_PASS"])],
    ),
    person(
        "drivers_licence_doc",
        "Водительское удостоверение",
        &[R::Documents(&["RF_DRIVING_LICENSE"])],
    ),
    person(
        "birth_cert_doc",
        "Свидетельство о рождении",
        &[R::Documents(&[
            "RF_BRTH_CERT",
            "FID_BRTH_CERT",
            "OLD_BRTH_CERT",
        ])],
    ),
    person(
        "residence_doc",
        "Вид на жительство",
        &[R::Documents(&["RSDNC_PERMIT"])],
    ),
    person(
        "temporary_residence_doc",
        "Разрешение на временное проживание",
        &[R::Documents(&["RSDNC_PERMIT"])],
    ),
    person("vehicles", "Транспортные средства", &[R::Vehicles]),
    person(
        "email",
        "Адрес электронной почты",
        &[R::Contacts(CF::Email)],
    ),
    person("mobile", "Мобильный телефон", &[R::Contacts(CF::Mobile)]),
    // Historically `contacts` also released addresses (EKA before 2021, PSA backend).
    person(
        "contacts",
        "Контактные данные",
        &[R::Contacts(CF::All), R::Addresses],
    ),
    person("addresses", "Адреса", &[R::Addresses]),
    person(
        "usr_org",
        "Организации, сотрудником которых вы являетесь",
        &[R::Roles, R::Orgs],
    ),
    person(
        "kid_fullname",
        "ФИО детей",
        &[R::Kids(&["firstName", "lastName", "middleName"])],
    ),
    person(
        "kid_birthdate",
        "Даты рождения детей",
        &[R::Kids(&["birthDate"])],
    ),
    person("kid_gender", "Пол детей", &[R::Kids(&["gender"])]),
    person("kid_snils", "СНИЛС детей", &[R::Kids(&["snils"])]),
    person("kid_inn", "ИНН детей", &[R::Kids(&["inn"])]),
    person(
        "kid_birth_cert_doc",
        "Свидетельства о рождении детей",
        &[R::Kids(&["documents"])],
    ),
    person(
        "kid_medical_doc",
        "Полисы ОМС детей",
        &[R::Kids(&["documents"])],
    ),
    ScopeInfo {
        name: "usr_inf",
        consent_ru: "Персональные данные",
        releases: &[
            R::PersonCore(&[
                "firstName",
                "lastName",
                "middleName",
                "birthDate",
                "gender",
                "snils",
                "inn",
                "birthPlace",
                "citizenship",
                "rIdDoc",
            ]),
            R::Contacts(CF::All),
            R::Addresses,
            R::Documents(&["RF_PASSPORT", "FID_DOC"]),
        ],
        org_scope: false,
        legacy: true,
    },
    org!(
        "org_shortname",
        "Краткое наименование организации",
        "shortName"
    ),
    org!(
        "org_fullname",
        "Полное наименование организации",
        "fullName"
    ),
    org!("org_type", "Тип организации", "type"),
    org!("org_ogrn", "ОГРН организации", "ogrn"),
    org!("org_inn", "ИНН организации", "inn"),
    org!("org_kpp", "КПП организации", "kpp"),
    org!("org_leg", "Организационно-правовая форма", "leg"),
    org!("org_agencytype", "Тип органа власти", "agencyType"),
    org!("org_ctts", "Контакты организации", "ctts"),
    org!("org_addrs", "Адреса организации", "addrs"),
    org!("org_vhls", "Транспортные средства организации", "vhls"),
    org!("org_emps", "Сотрудники организации", "emps"),
    org!("org_grps", "Группы доступа организации", "grps"),
    org!("org_brhs", "Филиалы организации", "brhs"),
];
