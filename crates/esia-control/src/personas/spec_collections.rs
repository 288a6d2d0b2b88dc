//! The parts of a persona spec: the passport, other documents, addresses, kids, vehicles and
//! organisation memberships, each with every field optional (absent parts are generated when
//! the persona is applied) and a Debug that names the fields set, never their values. The
//! persona itself and the rules shared by all parts are in `spec`.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::spec::{is_false, redacted_debug};
use super::spec::{PersonaAddressType, PersonaDocType, PersonaGender};

/// The internal passport (ESIA `RF_PASSPORT`); absent parts are generated.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PassportSpec {
    /// Серия, 4 digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series: Option<String>,
    /// Номер, 6 digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// Дата выдачи, `YYYY-MM-DD` (or `DD.MM.YYYY`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue_date: Option<String>,
    /// Кем выдан.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_by: Option<String>,
    /// Код подразделения, `770-001` or `770001`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue_id: Option<String>,
}

redacted_debug!(PassportSpec {
    series,
    number,
    issue_date,
    issued_by,
    issue_id
});

/// Another document of the persona (or, inside a kid, of the kid).
#[derive(Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentSpec {
    /// ESIA document type.
    #[serde(rename = "type")]
    pub doc_type: PersonaDocType,
    /// Серия.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series: Option<String>,
    /// Номер.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// Дата выдачи, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue_date: Option<String>,
    /// Кем выдан.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_by: Option<String>,
    /// Код подразделения.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue_id: Option<String>,
    /// Действителен до, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_date: Option<String>,
    /// Номер актовой записи (birth certificates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub act_no: Option<String>,
    /// Дата актовой записи, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub act_date: Option<String>,
    /// Latin first name (foreign passport).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Latin last name (foreign passport).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// ESIA `vrfStu` VERIFIED; defaults to the persona's level being standard or above.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified: Option<bool>,
}

impl DocumentSpec {
    /// A document of `doc_type` with everything else generated.
    pub fn of_type(doc_type: PersonaDocType) -> DocumentSpec {
        DocumentSpec {
            doc_type,
            series: None,
            number: None,
            issue_date: None,
            issued_by: None,
            issue_id: None,
            expiry_date: None,
            act_no: None,
            act_date: None,
            first_name: None,
            last_name: None,
            verified: None,
        }
    }

    /// A generated RF birth certificate (a kid's default document).
    pub fn birth_certificate() -> DocumentSpec {
        DocumentSpec::of_type(PersonaDocType::RfBrthCert)
    }
}

redacted_debug!(DocumentSpec {
    series,
    number,
    issue_date,
    issued_by,
    issue_id,
    expiry_date,
    act_no,
    act_date,
    first_name,
    last_name,
    verified,
});

/// An address; absent parts are generated (a whole generated address when only `type` or
/// nothing is given).
#[derive(Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressSpec {
    /// `PRG` (registration) or `PLV` (residence); the first address defaults to `PRG`, the
    /// others to `PLV`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub addr_type: Option<PersonaAddressType>,
    /// The whole address as one line (ESIA `addressStr`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_str: Option<String>,
    /// ФИАС code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fias_code: Option<String>,
    /// Country, `RUS` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country_id: Option<String>,
    /// Postal code, 6 digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zip_code: Option<String>,
    /// Регион.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Район.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district: Option<String>,
    /// Город.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// Населённый пункт.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settlement: Option<String>,
    /// Улица.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    /// Дом.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub house: Option<String>,
    /// Корпус.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub building: Option<String>,
    /// Строение.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frame: Option<String>,
    /// Квартира.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flat: Option<String>,
}

redacted_debug!(AddressSpec {
    addr_type,
    address_str,
    fias_code,
    country_id,
    zip_code,
    region,
    district,
    city,
    settlement,
    street,
    house,
    building,
    frame,
    flat,
});

/// A child; absent data is generated (a birth certificate too, unless `documents` is given).
#[derive(Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KidSpec {
    /// Фамилия; the parent's family name when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub surname: Option<String>,
    /// Имя.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Отчество.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patronymic: Option<String>,
    /// `M` or `F`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<PersonaGender>,
    /// `YYYY-MM-DD`; under 18.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<String>,
    /// СНИЛС (checksum-valid).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snils: Option<String>,
    /// ИНН (12 digits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inn: Option<String>,
    /// The kid's documents (birth certificate, ОМС); one RF birth certificate when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<DocumentSpec>,
}

redacted_debug!(KidSpec {
    surname,
    name,
    patronymic,
    gender,
    birth_date,
    snils,
    inn
});

/// A vehicle; absent parts are generated.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VehicleSpec {
    /// The owner's name for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Госномер, «А123АА77».
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number_plate: Option<String>,
    /// СТС series.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reg_cert_series: Option<String>,
    /// СТС number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reg_cert_number: Option<String>,
}

redacted_debug!(VehicleSpec {
    name,
    number_plate,
    reg_cert_series,
    reg_cert_number
});

/// Membership in an organisation. The organisation is found by `oid` (or `ogrn`) and created
/// with the given or generated data when it does not exist yet.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrgMembershipSpec {
    /// The organisation's oid; generated when absent and no organisation has the `ogrn`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oid: Option<i64>,
    /// ОГРН (13 digits, checksum-valid).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ogrn: Option<String>,
    /// ИНН (10 digits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inn: Option<String>,
    /// КПП (9 digits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kpp: Option<String>,
    /// Полное наименование.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    /// Сокращённое наименование.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_name: Option<String>,
    /// Руководитель.
    #[serde(default, skip_serializing_if = "is_false")]
    pub chief: bool,
    /// Администратор профиля организации.
    #[serde(default, skip_serializing_if = "is_false")]
    pub admin: bool,
    /// The membership is blocked (ESIA `active: false`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub inactive: bool,
}
