//! Password hashing with Argon2id (PHC strings). Hashing is deliberately CPU-bound: callers run it
//! off async request threads. Never logs or returns the password itself.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};

/// Argon2id cost parameters: memory in KiB, iterations, parallelism.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Argon2Params {
    pub m_cost: u32,
    pub t_cost: u32,
    pub p_cost: u32,
}

impl Argon2Params {
    /// OWASP's recommended minimum (m=19456 KiB, t=2, p=1): about 16 ms of CPU here.
    pub const DEFAULT: Argon2Params = Argon2Params {
        m_cost: 19_456,
        t_cost: 2,
        p_cost: 1,
    };
    /// A cheap profile for tests and load scenarios; never for anything real.
    pub const CHEAP: Argon2Params = Argon2Params {
        m_cost: 256,
        t_cost: 1,
        p_cost: 1,
    };
}

impl Default for Argon2Params {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Why hashing failed (only bad parameters can make it fail).
#[derive(Debug, thiserror::Error)]
#[error("invalid Argon2 parameters: {0}")]
pub struct PasswordHashError(String);

/// Checks that the parameters are accepted by Argon2 (used by configuration validation).
pub fn validate_params(params: &Argon2Params) -> Result<(), PasswordHashError> {
    Params::new(params.m_cost, params.t_cost, params.p_cost, None)
        .map(|_| ())
        .map_err(|e| PasswordHashError(e.to_string()))
}

/// Hashes a password into a PHC string (`$argon2id$v=19$m=…`), with a fresh random salt.
pub fn hash_password(password: &str, params: &Argon2Params) -> Result<String, PasswordHashError> {
    let argon_params = Params::new(params.m_cost, params.t_cost, params.p_cost, None)
        .map_err(|e| PasswordHashError(e.to_string()))?;
    let hasher = Argon2::new(Algorithm::Argon2id, Version::V0x13, argon_params);
    let salt = SaltString::generate(&mut OsRng);
    hasher
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| PasswordHashError(e.to_string()))
}

/// Verifies a password against a stored PHC string; the parameters come from the string itself,
/// so hashes made under older settings keep working. A malformed stored hash never verifies.
pub fn verify_password(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_then_verify_accepts_only_the_same_password() {
        let phc = hash_password("Secret123", &Argon2Params::CHEAP).unwrap();
        assert!(phc.starts_with("$argon2id$"));
        assert!(verify_password("Secret123", &phc));
        assert!(!verify_password("Secret124", &phc));
    }

    #[test]
    fn two_hashes_of_one_password_differ_by_salt() {
        let a = hash_password("Secret123", &Argon2Params::CHEAP).unwrap();
        let b = hash_password("Secret123", &Argon2Params::CHEAP).unwrap();
        assert_ne!(a, b);
    }

    #[test]
    fn malformed_hash_never_verifies() {
        assert!(!verify_password("x", "not-a-phc-string"));
    }

    #[test]
    fn zero_memory_is_rejected() {
        assert!(validate_params(&Argon2Params {
            m_cost: 0,
            t_cost: 1,
            p_cost: 1
        })
        .is_err());
    }
}
