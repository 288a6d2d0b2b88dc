//! The «Персональные данные» form as the person typed it, and the two identity document types
//! it can describe. Plain data below both its validation and its use case; no rules here.

/// The document type of a Russian citizen's passport.
pub(crate) const PASSPORT: &str = "RF_PASSPORT";
/// The document type of a foreign identity document (non-citizens).
pub(crate) const FOREIGN: &str = "FID_DOC";

/// The form as typed (also the page's prefilled values). Its `Debug` hides every value (they are
/// personal data) and shows only which fields are filled.
#[derive(Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct PersonalDataForm {
    pub surname: String,
    pub name: String,
    pub patronymic: String,
    /// `M` or `F`.
    pub gender: String,
    pub birth_date: String,
    pub birth_place: String,
    /// `RUS` for citizens, another ISO 3166 alpha-3 code otherwise.
    pub citizenship: String,
    pub snils: String,
    pub inn: String,
    pub doc_series: String,
    pub doc_number: String,
    pub doc_issue_date: String,
    pub doc_issued_by: String,
    pub doc_dept_code: String,
}

impl std::fmt::Debug for PersonalDataForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let filled = |v: &str| if v.is_empty() { "" } else { "**" };
        f.debug_struct("PersonalDataForm")
            .field("surname", &filled(&self.surname))
            .field("name", &filled(&self.name))
            .field("patronymic", &filled(&self.patronymic))
            .field("gender", &filled(&self.gender))
            .field("birth_date", &filled(&self.birth_date))
            .field("birth_place", &filled(&self.birth_place))
            .field("citizenship", &filled(&self.citizenship))
            .field("snils", &filled(&self.snils))
            .field("inn", &filled(&self.inn))
            .field("doc_series", &filled(&self.doc_series))
            .field("doc_number", &filled(&self.doc_number))
            .field("doc_issue_date", &filled(&self.doc_issue_date))
            .field("doc_issued_by", &filled(&self.doc_issued_by))
            .field("doc_dept_code", &filled(&self.doc_dept_code))
            .finish()
    }
}
