//! The `[verification]` configuration section: how long the simulated agencies take to answer
//! (a fixed delay, or the `realistic` profile of hours to days), outcome rules fixed in the
//! configuration, and the Russian Post letter timing. Only data and its validation live here.

use serde::{Deserialize, Serialize};

/// One configured rule (the same shape as `POST /emulator/api/verification-rules`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleConfig {
    /// `snils`, `passport` (series and number, 10 digits), `inn` or `surname`.
    pub field: String,
    /// An exact value, or a pattern with `*` (any run) and `?` (one character).
    pub pattern: String,
    /// `pass`, `not_found`, `data_mismatch`, `passport_invalid`, `rejected`, `unavailable`, `hang`.
    pub outcome: String,
    /// Answer delay for matching checks; absent = the profile's delay.
    #[serde(default)]
    pub delay_secs: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct VerificationConfig {
    /// `fixed` (every check answers after `delay_secs`) or `realistic` (hours to days, random
    /// between `realistic_min_secs` and `realistic_max_secs`).
    pub profile: String,
    pub delay_secs: u64,
    pub realistic_min_secs: u64,
    pub realistic_max_secs: u64,
    /// Days a Russian Post letter takes, in seconds.
    pub post_letter_delay_secs: u64,
    /// How long the letter's code stays valid after delivery, and how many wrong tries it allows.
    pub post_code_ttl_secs: u64,
    pub post_code_attempts: u32,
    /// Allow the test-only `sleep_ms` job kind (worker crash tests). Never in production.
    pub test_jobs: bool,
    /// Outcome rules checked after the ones added through the API.
    pub rules: Vec<RuleConfig>,
}

impl Default for VerificationConfig {
    fn default() -> Self {
        VerificationConfig {
            profile: "fixed".into(),
            delay_secs: 3,
            realistic_min_secs: 3_600,
            realistic_max_secs: 259_200,
            post_letter_delay_secs: 5,
            post_code_ttl_secs: 2_592_000,
            post_code_attempts: 3,
            test_jobs: false,
            rules: Vec::new(),
        }
    }
}

/// Field names a rule may match.
pub const RULE_FIELDS: [&str; 4] = ["snils", "passport", "inn", "surname"];
/// Outcomes a rule may force.
pub const RULE_OUTCOMES: [&str; 7] = [
    "pass",
    "not_found",
    "data_mismatch",
    "passport_invalid",
    "rejected",
    "unavailable",
    "hang",
];

impl RuleConfig {
    /// Problems with this rule, in words.
    pub fn problems(&self) -> Vec<String> {
        let mut p = Vec::new();
        if !RULE_FIELDS.contains(&self.field.as_str()) {
            p.push(format!(
                "field `{}` must be one of {}",
                self.field,
                RULE_FIELDS.join(", ")
            ));
        }
        if !RULE_OUTCOMES.contains(&self.outcome.as_str()) {
            p.push(format!(
                "outcome `{}` must be one of {}",
                self.outcome,
                RULE_OUTCOMES.join(", ")
            ));
        }
        if self.pattern.trim().is_empty() || self.pattern.len() > 200 {
            p.push("pattern must be 1 to 200 characters".into());
        }
        if self
            .delay_secs
            .is_some_and(|d| !(0..=31_536_000).contains(&d))
        {
            p.push("delay_secs must be between 0 and 31536000".into());
        }
        p
    }
}

impl VerificationConfig {
    /// Every problem of the section, prefixed with its key.
    pub fn problems(&self) -> Vec<String> {
        let mut p = Vec::new();
        if !["fixed", "realistic"].contains(&self.profile.as_str()) {
            p.push(format!(
                "verification.profile `{}` must be fixed or realistic",
                self.profile
            ));
        }
        if self.realistic_min_secs > self.realistic_max_secs {
            p.push("verification.realistic_min_secs must not exceed realistic_max_secs".into());
        }
        if self.post_code_ttl_secs == 0 {
            p.push("verification.post_code_ttl_secs must be greater than 0".into());
        }
        if self.post_code_attempts == 0 {
            p.push("verification.post_code_attempts must be at least 1".into());
        }
        for (i, rule) in self.rules.iter().enumerate() {
            for problem in rule.problems() {
                p.push(format!("verification.rules[{i}]: {problem}"));
            }
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_bad_rules_are_reported() {
        assert!(VerificationConfig::default().problems().is_empty());
        let c = VerificationConfig {
            profile: "slow".into(),
            rules: vec![RuleConfig {
                field: "phone".into(),
                pattern: String::new(),
                outcome: "explode".into(),
                delay_secs: Some(-1),
            }],
            ..Default::default()
        };
        assert_eq!(c.problems().len(), 5, "{:?}", c.problems());
    }
}
