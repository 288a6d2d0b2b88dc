//! QA rules that force a check's outcome and timing: by exact value or a `*`/`?` pattern on
//! SNILS, passport (series and number), INN or surname. Rules added through the API win over
//! configured ones; newer API rules win over older ones. Also the `Outcome` vocabulary.

use esia_domain::level::FailureReason;
use esia_domain::CheckStatus;
use esia_store::verification::RuleRow;
use esia_store::DbConnection;
use serde::Deserialize;

use crate::app::{new_id, Core};
use crate::error::{CoreError, CoreResult};
use crate::verification_config::RuleConfig;

/// What a simulated agency answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Pass,
    Fail(FailureReason),
    /// «ведомство недоступно»: the job fails and the runner retries it.
    Unavailable,
    /// «зависла»: the check never completes.
    Hang,
}

impl Outcome {
    /// The check row's status and reason for an answer: `failed` with its reason, else
    /// `passed` (hanging and unavailable answers are never stored).
    pub fn stored_status(self) -> (CheckStatus, Option<&'static str>) {
        match self {
            Outcome::Fail(r) => (CheckStatus::Failed, Some(r.as_str())),
            _ => (CheckStatus::Passed, None),
        }
    }

    /// Parses a rule outcome.
    pub fn parse(s: &str) -> Option<Outcome> {
        match s {
            "pass" => Some(Outcome::Pass),
            "unavailable" => Some(Outcome::Unavailable),
            "hang" => Some(Outcome::Hang),
            other => FailureReason::parse(other).map(Outcome::Fail),
        }
    }
}

/// The values of a person a rule can match.
#[derive(Clone, Default)]
pub struct Subject {
    pub snils: Option<String>,
    pub passport: Option<String>,
    pub inn: Option<String>,
    pub surname: String,
}

impl std::fmt::Debug for Subject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Subject(**)")
    }
}

/// A matching rule's forced outcome and delay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Forced {
    pub outcome: Outcome,
    pub delay_secs: Option<i64>,
}

/// `*` matches any run of characters, `?` exactly one; anything else must be equal.
pub fn pattern_matches(pattern: &str, value: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let v: Vec<char> = value.chars().collect();
    // Iterative wildcard matching with backtracking to the last `*` (linear in practice).
    let (mut pi, mut vi, mut star, mut mark) = (0usize, 0usize, None::<usize>, 0usize);
    while vi < v.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == v[vi]) {
            pi += 1;
            vi += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = vi;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            vi = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

fn field_value<'a>(subject: &'a Subject, field: &str) -> Option<&'a str> {
    match field {
        "snils" => subject.snils.as_deref(),
        "passport" => subject.passport.as_deref(),
        "inn" => subject.inn.as_deref(),
        "surname" => Some(subject.surname.as_str()),
        _ => None,
    }
}

/// Which fields a check consults: its own document and the surname.
fn fields_of(check: esia_domain::level::CheckKind) -> [&'static str; 2] {
    use esia_domain::level::CheckKind;
    match check {
        CheckKind::Snils => ["snils", "surname"],
        CheckKind::Passport => ["passport", "surname"],
        CheckKind::Inn => ["inn", "surname"],
    }
}

/// The first rule (API rules newest first, then configured ones) matching `check`'s fields.
pub fn forced(
    conn: &mut DbConnection,
    configured: &[RuleConfig],
    check: esia_domain::level::CheckKind,
    subject: &Subject,
) -> CoreResult<Option<Forced>> {
    let stored = esia_store::verification::list_rules(conn)?;
    Ok(forced_among(&stored, configured, check, subject))
}

/// [`forced`] over API rules already loaded (a worker batch loads them once).
pub fn forced_among(
    stored: &[RuleRow],
    configured: &[RuleConfig],
    check: esia_domain::level::CheckKind,
    subject: &Subject,
) -> Option<Forced> {
    let fields = fields_of(check);
    let all = stored
        .iter()
        .map(|r| {
            (
                r.field.as_str(),
                r.pattern.as_str(),
                r.outcome.as_str(),
                r.delay_secs,
            )
        })
        .chain(configured.iter().map(|r| {
            (
                r.field.as_str(),
                r.pattern.as_str(),
                r.outcome.as_str(),
                r.delay_secs,
            )
        }));
    for (field, pattern, outcome, delay_secs) in all {
        if !fields.contains(&field) {
            continue;
        }
        let Some(value) = field_value(subject, field) else {
            continue;
        };
        if pattern_matches(pattern, value) {
            if let Some(outcome) = Outcome::parse(outcome) {
                return Some(Forced {
                    outcome,
                    delay_secs,
                });
            }
        }
    }
    None
}

/// A rule as posted to `/emulator/api/verification-rules`.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRule {
    pub field: String,
    pub pattern: String,
    pub outcome: String,
    #[serde(default)]
    pub delay_secs: Option<i64>,
}

/// Adds a rule; refuses an unknown field or outcome with every problem listed.
pub fn add_verification_rule(core: &Core, rule: NewRule) -> CoreResult<RuleRow> {
    let cfg = RuleConfig {
        field: rule.field,
        pattern: rule.pattern,
        outcome: rule.outcome,
        delay_secs: rule.delay_secs,
    };
    let problems = cfg.problems();
    if !problems.is_empty() {
        return Err(CoreError::Conflict(problems.join("; ")));
    }
    let row = RuleRow {
        id: new_id(),
        field: cfg.field,
        pattern: cfg.pattern,
        outcome: cfg.outcome,
        delay_secs: cfg.delay_secs,
        created_at: core.now_naive(),
    };
    let mut conn = core.conn()?;
    esia_store::verification::insert_rule(&mut conn, &row)?;
    Ok(row)
}

/// API rules, newest first.
pub fn verification_rules(core: &Core) -> CoreResult<Vec<RuleRow>> {
    let mut conn = core.conn()?;
    Ok(esia_store::verification::list_rules(&mut conn)?)
}

/// Deletes one API rule (or all with None); returns how many went.
pub fn delete_verification_rules(core: &Core, id: Option<&str>) -> CoreResult<usize> {
    let mut conn = core.conn()?;
    Ok(esia_store::verification::delete_rules(&mut conn, id)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        let rows = [
            ("12345678901", "12345678901", true),
            ("123*", "12345678901", true),
            ("*901", "12345678901", true),
            ("*4?6*", "12345678901", true),
            ("*404??", "11122240400", true),
            ("*404??", "11122240500", false),
            ("1?3", "13", false),
            ("", "", true),
            ("*", "", true),
            ("Иванов*", "Иванова", true),
        ];
        for (p, v, want) in rows {
            assert_eq!(pattern_matches(p, v), want, "{p} ~ {v}");
        }
        assert_eq!(Outcome::parse("hang"), Some(Outcome::Hang));
        assert_eq!(
            Outcome::parse("data_mismatch"),
            Some(Outcome::Fail(FailureReason::DataMismatch))
        );
        assert_eq!(Outcome::parse("boom"), None);
    }
}
