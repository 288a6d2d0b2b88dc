//! The closed sets of the persona spec: check state, gender, document and address types, with
//! their stored string forms. The level is the domain's `AccountLevel` itself (one type, not a
//! copy; its `utoipa` feature gives it the schema the admin API has always published).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where the upgrade checks stand (only meaningful for simplified personas).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum PersonaVerification {
    /// No check running and none failed.
    None,
    /// Checks in progress (ESIA `verifying: true`).
    Verifying,
    /// The passport check failed.
    Failed,
}

impl PersonaVerification {
    /// The stored `persons.verification` value.
    pub fn as_str(self) -> &'static str {
        match self {
            PersonaVerification::None => "none",
            PersonaVerification::Verifying => "verifying",
            PersonaVerification::Failed => "failed",
        }
    }
}

/// ESIA gender code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub enum PersonaGender {
    /// Male.
    M,
    /// Female.
    F,
}

/// Document types a persona may hold besides the internal passport (which has its own field).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PersonaDocType {
    /// Водительское удостоверение.
    RfDrivingLicense,
    /// Заграничный паспорт.
    FrgnPass,
    /// Полис ОМС.
    MdclPlcy,
    /// Военный билет.
    MltrId,
    /// Свидетельство о рождении (РФ).
    RfBrthCert,
    /// Foreign birth certificate.
    FidBrthCert,
    /// Old-style birth certificate.
    OldBrthCert,
    /// Вид на жительство.
    RsdncPermit,
    /// A foreign citizen's identity document (instead of the passport).
    FidDoc,
}

impl PersonaDocType {
    /// The stored `documents.doc_type` (ESIA `type`) value.
    pub fn as_str(self) -> &'static str {
        match self {
            PersonaDocType::RfDrivingLicense => "RF_DRIVING_LICENSE",
            PersonaDocType::FrgnPass => "FRGN_PASS",
            PersonaDocType::MdclPlcy => "MDCL_PLCY",
            PersonaDocType::MltrId => "MLTR_ID",
            PersonaDocType::RfBrthCert => "RF_BRTH_CERT",
            PersonaDocType::FidBrthCert => "FID_BRTH_CERT",
            PersonaDocType::OldBrthCert => "OLD_BRTH_CERT",
            PersonaDocType::RsdncPermit => "RSDNC_PERMIT",
            PersonaDocType::FidDoc => "FID_DOC",
        }
    }

    /// The inverse of [`PersonaDocType::as_str`].
    pub fn parse(s: &str) -> Option<PersonaDocType> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// Every type.
    pub const ALL: [PersonaDocType; 9] = [
        PersonaDocType::RfDrivingLicense,
        PersonaDocType::FrgnPass,
        PersonaDocType::MdclPlcy,
        PersonaDocType::MltrId,
        PersonaDocType::RfBrthCert,
        PersonaDocType::FidBrthCert,
        PersonaDocType::OldBrthCert,
        PersonaDocType::RsdncPermit,
        PersonaDocType::FidDoc,
    ];
}

/// ESIA address type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub enum PersonaAddressType {
    /// Адрес регистрации.
    #[serde(rename = "PRG")]
    Registration,
    /// Адрес проживания.
    #[serde(rename = "PLV")]
    Residence,
}

impl PersonaAddressType {
    /// The stored `addresses.addr_type` value.
    pub fn as_str(self) -> &'static str {
        match self {
            PersonaAddressType::Registration => "PRG",
            PersonaAddressType::Residence => "PLV",
        }
    }
}
