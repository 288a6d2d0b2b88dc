//! Reading a submitted cabinet item form: trimmed values, required fields, choices and dates,
//! every error collected so the page shows them all at once. Below the edit use cases
//! (`edit`, `edit_kid`); no database, no rules of an item.

use std::collections::HashMap;

use chrono::NaiveDate;
use esia_domain::ValidationError;

use crate::error::{CoreError, CoreResult, FieldError};

/// Collects field errors while reading a submitted form.
pub(super) struct Reader<'a> {
    pub(super) values: &'a HashMap<String, String>,
    pub(super) errors: Vec<FieldError>,
}

impl Reader<'_> {
    pub(super) fn opt(&self, name: &str) -> Option<String> {
        self.values
            .get(name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }

    pub(super) fn req(&mut self, name: &'static str) -> String {
        match self.opt(name) {
            Some(v) if v.chars().count() <= 200 => v,
            Some(_) => {
                self.fail(
                    name,
                    ValidationError::new("too_long", "Не более 200 символов"),
                );
                String::new()
            }
            None => {
                self.fail(name, ValidationError::required());
                String::new()
            }
        }
    }

    pub(super) fn choice(&mut self, name: &'static str, options: &[(&str, &str)]) -> String {
        let v = self.req(name);
        if !v.is_empty() && !options.iter().any(|(k, _)| *k == v) {
            self.fail(
                name,
                ValidationError::new("invalid_choice", "Выберите значение из списка"),
            );
        }
        v
    }

    pub(super) fn date(&mut self, name: &'static str, required: bool) -> Option<NaiveDate> {
        match self.opt(name) {
            None if required => {
                self.fail(name, ValidationError::required());
                None
            }
            None => None,
            Some(v) => match esia_domain::parse_ru_date(&v) {
                Ok(d) => Some(d),
                Err(e) => {
                    self.fail(name, e);
                    None
                }
            },
        }
    }

    pub(super) fn fail(&mut self, field: &'static str, e: ValidationError) {
        self.errors.push(FieldError::new(field, e));
    }

    pub(super) fn finish(self) -> CoreResult<()> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(CoreError::Validation(self.errors))
        }
    }
}
