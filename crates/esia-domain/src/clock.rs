//! Time as the emulator sees it: the `Clock` trait every time-dependent rule reads, the real
//! `SystemClock`, and `ControlledClock`, which QA can shift, freeze and advance through the control
//! API so that "the check takes two days" is a clock jump, not a wait. Owns no timers and never
//! sleeps.

use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Duration, Utc};

/// A source of the current instant.
pub trait Clock: Send + Sync + 'static {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;
}

impl<C: Clock + ?Sized> Clock for Arc<C> {
    fn now(&self) -> DateTime<Utc> {
        (**self).now()
    }
}

impl<C: Clock + ?Sized> Clock for Box<C> {
    fn now(&self) -> DateTime<Utc> {
        (**self).now()
    }
}

/// The operating system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A snapshot of a [`ControlledClock`] for the QA API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ClockState {
    /// What `now()` returns at the moment of the snapshot.
    pub now: DateTime<Utc>,
    /// Offset added to the base clock while running, in whole seconds.
    pub offset_seconds: i64,
    /// The frozen instant, if frozen.
    pub frozen_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, Default)]
struct Inner {
    offset: Duration,
    frozen_at: Option<DateTime<Utc>>,
}

/// A clock QA can control: running as `base + offset`, or frozen at an instant.
///
/// Thread-safe (a `std::sync::Mutex` guards the state; a poisoned lock is recovered, never
/// propagated as a panic). Arithmetic that would overflow the date range leaves the state
/// unchanged.
pub struct ControlledClock {
    base: Arc<dyn Clock>,
    inner: Mutex<Inner>,
}

impl std::fmt::Debug for ControlledClock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ControlledClock")
            .field("state", &self.state())
            .finish()
    }
}

impl Default for ControlledClock {
    fn default() -> Self {
        Self::system()
    }
}

impl ControlledClock {
    /// Wraps a base clock, running with no offset.
    pub fn new(base: Arc<dyn Clock>) -> Self {
        Self {
            base,
            inner: Mutex::new(Inner::default()),
        }
    }

    /// Wraps the [`SystemClock`].
    pub fn system() -> Self {
        Self::new(Arc::new(SystemClock))
    }

    /// A clock frozen at `start`, for tests: `now()` returns `start` until advanced.
    pub fn fake(start: DateTime<Utc>) -> Self {
        let c = Self::system();
        c.freeze_at(start);
        c
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn compute(&self, inner: &Inner) -> DateTime<Utc> {
        match inner.frozen_at {
            Some(t) => t,
            None => {
                let base = self.base.now();
                base.checked_add_signed(inner.offset).unwrap_or(base)
            }
        }
    }

    /// Runs as `base + offset` (unfreezes).
    pub fn set_offset(&self, offset: Duration) {
        let mut g = self.lock();
        g.offset = offset;
        g.frozen_at = None;
    }

    /// Moves time forward (or back, for a negative duration): the frozen instant when frozen,
    /// the offset when running.
    pub fn advance(&self, by: Duration) {
        let mut g = self.lock();
        match g.frozen_at {
            Some(t) => {
                if let Some(n) = t.checked_add_signed(by) {
                    g.frozen_at = Some(n);
                }
            }
            None => {
                if let Some(n) = g.offset.checked_add(&by) {
                    g.offset = n;
                }
            }
        }
    }

    /// Freezes at `at`.
    pub fn freeze_at(&self, at: DateTime<Utc>) {
        self.lock().frozen_at = Some(at);
    }

    /// Resumes running from the frozen instant (the offset is recomputed so that time
    /// continues from where it stood). No effect when running.
    pub fn unfreeze(&self) {
        let mut g = self.lock();
        if let Some(t) = g.frozen_at.take() {
            g.offset = t.signed_duration_since(self.base.now());
        }
    }

    /// Back to the base clock: no offset, not frozen.
    pub fn reset(&self) {
        *self.lock() = Inner::default();
    }

    /// A snapshot for the QA API.
    pub fn state(&self) -> ClockState {
        let g = *self.lock();
        ClockState {
            now: self.compute(&g),
            offset_seconds: g.offset.num_seconds(),
            frozen_at: g.frozen_at,
        }
    }
}

impl Clock for ControlledClock {
    fn now(&self) -> DateTime<Utc> {
        let g = *self.lock();
        self.compute(&g)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).unwrap()
    }

    #[test]
    fn fake_is_frozen_and_advances() {
        let c = ControlledClock::fake(t0());
        assert_eq!(c.now(), t0());
        assert_eq!(c.now(), t0());
        c.advance(Duration::days(2));
        assert_eq!(c.now(), t0() + Duration::days(2));
        c.advance(Duration::hours(-1));
        assert_eq!(c.now(), t0() + Duration::days(2) - Duration::hours(1));
        let s = c.state();
        assert_eq!(s.frozen_at, Some(c.now()));
        assert_eq!(s.offset_seconds, 0);
    }

    #[test]
    fn offset_on_a_frozen_base() {
        let base: Arc<dyn Clock> = Arc::new(ControlledClock::fake(t0()));
        let c = ControlledClock::new(base);
        assert_eq!(c.now(), t0());
        c.set_offset(Duration::hours(3));
        assert_eq!(c.now(), t0() + Duration::hours(3));
        c.advance(Duration::hours(1));
        assert_eq!(c.now(), t0() + Duration::hours(4));
        assert_eq!(c.state().offset_seconds, 4 * 3600);
        c.freeze_at(t0() + Duration::days(10));
        assert_eq!(c.now(), t0() + Duration::days(10));
        c.unfreeze();
        assert_eq!(c.now(), t0() + Duration::days(10));
        assert_eq!(c.state().frozen_at, None);
        c.reset();
        assert_eq!(c.now(), t0());
        // set_offset unfreezes.
        c.freeze_at(t0());
        c.set_offset(Duration::minutes(5));
        assert_eq!(c.now(), t0() + Duration::minutes(5));
    }

    #[test]
    fn system_clock_moves_forward() {
        let c = ControlledClock::system();
        let a = c.now();
        c.set_offset(Duration::days(1));
        assert!(c.now() >= a + Duration::days(1));
        assert!(SystemClock.now() >= a);
    }

    #[test]
    fn overflow_does_not_panic() {
        let c = ControlledClock::fake(DateTime::<Utc>::MAX_UTC);
        c.advance(Duration::days(1));
        assert_eq!(c.now(), DateTime::<Utc>::MAX_UTC);
        c.set_offset(Duration::MAX);
        let _ = c.now();
        c.advance(Duration::MAX);
        let _ = c.state();
    }

    #[test]
    fn shared_between_threads() {
        let c = Arc::new(ControlledClock::fake(t0()));
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let c = Arc::clone(&c);
                std::thread::spawn(move || c.advance(Duration::seconds(1)))
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        assert_eq!(c.now(), t0() + Duration::seconds(4));
    }
}
