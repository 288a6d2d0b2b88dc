//! Password rules and hashing for use cases: checks a new password typed twice against the
//! domain rules and hashes it with the configured Argon2 profile.

use esia_domain::{check_password, ValidationError};

use crate::app::Core;
use crate::error::{CoreError, CoreResult, FieldError};

/// Checks a new password and its repetition; every failing rule is reported.
pub fn check_new_password(password: &str, repeat: &str) -> CoreResult<()> {
    let mut errors = Vec::new();
    if let Err(rules) = check_password(password) {
        let list: Vec<&str> = rules.iter().map(|r| r.message_ru()).collect();
        errors.push(FieldError::new(
            "password",
            ValidationError::new(
                "password_weak",
                format!("Пароль не соответствует требованиям: {}", list.join(", ")),
            ),
        ));
    }
    if password != repeat {
        errors.push(FieldError::new(
            "repeat",
            ValidationError::new("password_mismatch", "Пароли не совпадают"),
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(CoreError::Validation(errors))
    }
}

/// Hashes with the configured Argon2 parameters (CPU-bound: call off async threads).
pub fn hash(core: &Core, password: &str) -> CoreResult<String> {
    esia_crypto::password::hash_password(password, &core.config.security.argon2())
        .map_err(|e| CoreError::Internal(e.to_string()))
}
