//! Form descriptions of the cabinet's editable items (addresses, documents other than the
//! passport, kids with their birth certificate, vehicles): which fields, their Russian labels,
//! current values and choices. Pages render them generically; `edit.rs` parses and saves.

use std::collections::HashMap;

use esia_store::person_data::{AddressRow, DocumentRow, KidRow, VehicleRow};

use super::json::ru_date;

/// Which kind of item a form edits; its URL segment is [`ItemKind::segment`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Address,
    Document,
    Kid,
    Vehicle,
}

impl ItemKind {
    pub fn segment(self) -> &'static str {
        match self {
            ItemKind::Address => "addresses",
            ItemKind::Document => "documents",
            ItemKind::Kid => "kids",
            ItemKind::Vehicle => "vehicles",
        }
    }

    pub fn from_segment(s: &str) -> Option<ItemKind> {
        Some(match s {
            "addresses" => ItemKind::Address,
            "documents" => ItemKind::Document,
            "kids" => ItemKind::Kid,
            "vehicles" => ItemKind::Vehicle,
            _ => return None,
        })
    }

    /// Page title for adding (`false`) or editing (`true`).
    pub fn title_ru(self, editing: bool) -> &'static str {
        match (self, editing) {
            (ItemKind::Address, false) => "Добавление адреса",
            (ItemKind::Address, true) => "Изменение адреса",
            (ItemKind::Document, false) => "Добавление документа",
            (ItemKind::Document, true) => "Изменение документа",
            (ItemKind::Kid, false) => "Добавление ребёнка",
            (ItemKind::Kid, true) => "Изменение данных ребёнка",
            (ItemKind::Vehicle, false) => "Добавление транспортного средства",
            (ItemKind::Vehicle, true) => "Изменение транспортного средства",
        }
    }

    /// The fields of this kind's form (without values).
    pub fn fields(self) -> Vec<FormField> {
        let f = FormField::text;
        match self {
            ItemKind::Address => vec![
                FormField::select("addr_type", "Тип адреса", ADDRESS_TYPES),
                f("zip_code", "Индекс", false),
                f("region", "Регион", true),
                f("city", "Город или населённый пункт", true),
                f("street", "Улица", true),
                f("house", "Дом", true),
                f("building", "Корпус", false),
                f("flat", "Квартира", false),
            ],
            ItemKind::Document => vec![
                FormField::select("doc_type", "Вид документа", DOCUMENT_TYPES),
                f("series", "Серия", false),
                f("number", "Номер", true),
                f("issue_date", "Дата выдачи (ДД.ММ.ГГГГ)", true),
                f("issued_by", "Кем выдан", false),
                f("expiry_date", "Действителен до (ДД.ММ.ГГГГ)", false),
            ],
            ItemKind::Kid => vec![
                f("surname", "Фамилия", true),
                f("name", "Имя", true),
                f("patronymic", "Отчество (если есть)", false),
                f("birth_date", "Дата рождения (ДД.ММ.ГГГГ)", true),
                FormField::select("gender", "Пол", GENDERS),
                f("snils", "СНИЛС", false),
                f("cert_series", "Свидетельство о рождении: серия", false),
                f("cert_number", "Свидетельство о рождении: номер", false),
                f(
                    "cert_issue_date",
                    "Дата выдачи свидетельства (ДД.ММ.ГГГГ)",
                    false,
                ),
                f("cert_act_no", "Номер актовой записи", false),
            ],
            ItemKind::Vehicle => vec![
                f("name", "Название", false),
                f("number_plate", "Государственный номер", true),
                f(
                    "reg_cert_series",
                    "Свидетельство о регистрации: серия",
                    false,
                ),
                f(
                    "reg_cert_number",
                    "Свидетельство о регистрации: номер",
                    false,
                ),
            ],
        }
    }
}

pub const ADDRESS_TYPES: &[(&str, &str)] = &[
    ("PRG", "Адрес регистрации"),
    ("PLV", "Адрес места проживания"),
];

/// Documents editable in the cabinet; the passport lives in «Персональные данные».
pub const DOCUMENT_TYPES: &[(&str, &str)] = &[
    ("FRGN_PASS", "Заграничный паспорт"),
    ("RF_DRIVING_LICENSE", "Водительское удостоверение"),
    ("MLTR_ID", "Военный билет"),
    ("MDCL_PLCY", "Полис ОМС"),
    ("RSDNC_PERMIT", "Вид на жительство"),
];

pub const GENDERS: &[(&str, &str)] = &[("M", "Мужской"), ("F", "Женский")];

/// Russian title of an ESIA document type.
pub fn document_title_ru(t: &str) -> &'static str {
    match t {
        "RF_PASSPORT" => "Паспорт гражданина РФ",
        "FID_DOC" => "Документ иностранного гражданина",
        "RF_BRTH_CERT" | "FID_BRTH_CERT" | "OLD_BRTH_CERT" => "Свидетельство о рождении",
        other => DOCUMENT_TYPES
            .iter()
            .find(|(k, _)| *k == other)
            .map(|(_, v)| *v)
            .unwrap_or("Документ"),
    }
}

/// One field of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormField {
    pub name: &'static str,
    pub label: &'static str,
    pub required: bool,
    /// `(value, label)` choices for a select; empty for a text input.
    pub options: &'static [(&'static str, &'static str)],
    pub value: String,
    pub error: Option<String>,
}

impl FormField {
    fn text(name: &'static str, label: &'static str, required: bool) -> FormField {
        FormField {
            name,
            label,
            required,
            options: &[],
            value: String::new(),
            error: None,
        }
    }

    fn select(
        name: &'static str,
        label: &'static str,
        options: &'static [(&'static str, &'static str)],
    ) -> FormField {
        FormField {
            options,
            ..FormField::text(name, label, true)
        }
    }
}

/// Fills `fields` from submitted or stored values.
pub fn fill(fields: &mut [FormField], values: &HashMap<String, String>) {
    for f in fields {
        if let Some(v) = values.get(f.name) {
            f.value = v.clone();
        }
    }
}

fn s(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

fn d(v: Option<chrono::NaiveDate>) -> String {
    v.map(ru_date).unwrap_or_default()
}

pub(crate) fn address_values(a: &AddressRow) -> HashMap<String, String> {
    [
        ("addr_type", a.addr_type.clone()),
        ("zip_code", s(&a.zip_code)),
        ("region", s(&a.region)),
        ("city", s(&a.city)),
        ("street", s(&a.street)),
        ("house", s(&a.house)),
        ("building", s(&a.building)),
        ("flat", s(&a.flat)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

pub(crate) fn document_values(x: &DocumentRow) -> HashMap<String, String> {
    [
        ("doc_type", x.doc_type.clone()),
        ("series", s(&x.series)),
        ("number", s(&x.number)),
        ("issue_date", d(x.issue_date)),
        ("issued_by", s(&x.issued_by)),
        ("expiry_date", d(x.expiry_date)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

pub(crate) fn kid_values(k: &KidRow, cert: Option<&DocumentRow>) -> HashMap<String, String> {
    let mut m: HashMap<String, String> = [
        ("surname", k.surname.clone()),
        ("name", k.name.clone()),
        ("patronymic", s(&k.patronymic)),
        ("birth_date", d(k.birth_date)),
        ("gender", s(&k.gender)),
        (
            "snils",
            k.snils
                .as_deref()
                .map(super::json::esia_snils)
                .unwrap_or_default(),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    if let Some(c) = cert {
        m.insert("cert_series".into(), s(&c.series));
        m.insert("cert_number".into(), s(&c.number));
        m.insert("cert_issue_date".into(), d(c.issue_date));
        m.insert("cert_act_no".into(), s(&c.act_no));
    }
    m
}

pub(crate) fn vehicle_values(v: &VehicleRow) -> HashMap<String, String> {
    [
        ("name", s(&v.name)),
        ("number_plate", v.number_plate.clone()),
        ("reg_cert_series", s(&v.reg_cert_series)),
        ("reg_cert_number", s(&v.reg_cert_number)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}
