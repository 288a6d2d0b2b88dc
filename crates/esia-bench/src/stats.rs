//! Summaries of one load run: request count, errors, rate and nearest-rank percentiles of the
//! recorded latencies. Pure arithmetic: it neither times nor sends anything itself.

use std::time::Duration;

/// What one load run measured.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Summary {
    /// Requests (or operations) that got the expected answer.
    pub ok: u64,
    /// Operations that did not (wrong status, broken connection, a panic in the client).
    pub errors: u64,
    pub secs: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// The first error's reason, for the progress line (never personal data).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_error: Option<String>,
}

impl Summary {
    pub fn new(mut latencies: Vec<Duration>, errors: u64, secs: f64) -> Summary {
        latencies.sort_unstable();
        Summary {
            ok: latencies.len() as u64,
            errors,
            secs,
            p50_ms: ms(percentile(&latencies, 50.0)),
            p99_ms: ms(percentile(&latencies, 99.0)),
            first_error: None,
        }
    }

    /// Successful operations per second.
    pub fn rate(&self) -> f64 {
        if self.secs > 0.0 {
            self.ok as f64 / self.secs
        } else {
            0.0
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The nearest-rank percentile `p` (0–100) of `sorted` (ascending); zero when empty.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// The median of `values` (the mean of the middle two for an even count); zero when empty.
pub fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => 0.0,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms_list(v: &[u64]) -> Vec<Duration> {
        v.iter().map(|m| Duration::from_millis(*m)).collect()
    }

    #[test]
    fn nearest_rank_percentiles() {
        let sorted = ms_list(&(1..=100).collect::<Vec<_>>());
        assert_eq!(percentile(&sorted, 50.0), Duration::from_millis(50));
        assert_eq!(percentile(&sorted, 99.0), Duration::from_millis(99));
        assert_eq!(percentile(&sorted, 100.0), Duration::from_millis(100));
        assert_eq!(percentile(&sorted, 0.0), Duration::from_millis(1));
        let few = ms_list(&[3, 7, 9]);
        assert_eq!(percentile(&few, 50.0), Duration::from_millis(7));
        assert_eq!(percentile(&few, 99.0), Duration::from_millis(9));
        assert_eq!(percentile(&[], 50.0), Duration::ZERO);
    }

    #[test]
    fn summary_sorts_and_counts() {
        let s = Summary::new(ms_list(&[40, 10, 30, 20]), 2, 2.0);
        assert_eq!((s.ok, s.errors), (4, 2));
        assert_eq!(s.p50_ms, 20.0);
        assert_eq!(s.p99_ms, 40.0);
        assert_eq!(s.rate(), 2.0);
        assert_eq!(Summary::new(vec![], 0, 0.0).rate(), 0.0);
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[5.0, 1.0, 3.0]), 3.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(median(&[]), 0.0);
    }
}
