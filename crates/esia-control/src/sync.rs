//! The in-process view of the shared control settings. Fault rules, client controls and the
//! clock setting live in the database so every replica and the worker share them; this module
//! keeps the snapshot that makes the hot path free of queries (the active fault rules and the
//! stamp of the last clock setting applied), refreshed right after this process changes them
//! and by a background thread about once a second otherwise. It never sleeps on a request
//! thread and knows nothing about HTTP or about what a rule does.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, RwLock, Weak};
use std::time::Duration;

use esia_domain::clock::ControlledClock;
use esia_store::DbPool;

use crate::clock;
use crate::fault_rule::FaultRule;
use crate::Control;
use esia_core::error::{CoreError, CoreResult};

/// How often the background thread re-reads the rules and the clock setting.
const REFRESH_EVERY: Duration = Duration::from_millis(1000);

/// What the hot paths consult without a query.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Active fault rules, oldest first; empty means "no fault can fire".
    pub rules: Vec<FaultRule>,
    /// Clients with zero-click login enabled on their own.
    pub zero_click_clients: HashSet<String>,
    /// Clients with a queued next login.
    pub queued_logins: HashSet<String>,
}

/// The in-process view of the shared control settings.
pub struct ControlState {
    pool: DbPool,
    clock: Arc<ControlledClock>,
    snapshot: RwLock<Arc<Snapshot>>,
    /// Stamp of the clock setting this process follows. Starts at the migration's stamp, so a
    /// process never overrides a clock its embedder set directly (tests) until the setting is
    /// changed through the API.
    clock_stamp: Mutex<String>,
}

impl std::fmt::Debug for ControlState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ControlState")
            .field("rules", &self.snapshot().rules.len())
            .finish()
    }
}

impl ControlState {
    pub(crate) fn new(pool: DbPool, clock: Arc<ControlledClock>) -> Arc<ControlState> {
        Arc::new(ControlState {
            pool,
            clock,
            snapshot: RwLock::new(Arc::new(Snapshot::default())),
            clock_stamp: Mutex::new(clock::INITIAL_STAMP.to_string()),
        })
    }

    /// The current snapshot (cheap: an `Arc` clone under a read lock).
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .map(|g| Arc::clone(&g))
            .unwrap_or_else(|p| Arc::clone(&p.into_inner()))
    }

    /// Re-reads the active rules, the client controls and the clock setting (three small
    /// queries).
    pub(crate) fn refresh(&self) -> CoreResult<()> {
        let mut conn = self
            .pool
            .get()
            .map_err(|e| CoreError::Store(esia_store::StoreError::Unavailable(e.to_string())))?;
        let rows = esia_store::control::active_faults(&mut conn)?;
        let controls = esia_store::control::list_client_controls(&mut conn)?;
        let next = Snapshot {
            rules: rows.into_iter().filter_map(FaultRule::from_row).collect(),
            zero_click_clients: controls
                .iter()
                .filter(|c| c.zero_click)
                .map(|c| c.mnemonic.clone())
                .collect(),
            queued_logins: controls
                .iter()
                .filter(|c| c.next_login.is_some())
                .map(|c| c.mnemonic.clone())
                .collect(),
        };
        *self.snapshot.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(next);
        if let Some(row) = esia_store::control::find_setting(&mut conn, clock::SETTING)? {
            let mut seen = self.clock_stamp.lock().unwrap_or_else(|p| p.into_inner());
            if *seen != row.stamp {
                clock::apply_setting(&self.clock, &row.value);
                *seen = row.stamp;
            }
        }
        Ok(())
    }

    /// Records that this process itself applied the setting with `stamp`.
    pub(crate) fn clock_applied(&self, stamp: &str) {
        *self.clock_stamp.lock().unwrap_or_else(|p| p.into_inner()) = stamp.to_string();
    }
}

/// Starts the refresher thread; it ends within a second of the last `Core` clone being dropped.
pub(crate) fn start_sync(state: &Arc<ControlState>) {
    let weak: Weak<ControlState> = Arc::downgrade(state);
    let spawned = std::thread::Builder::new()
        .name("esia-control-sync".into())
        .spawn(move || loop {
            std::thread::sleep(REFRESH_EVERY);
            let Some(state) = weak.upgrade() else { break };
            if let Err(e) = state.refresh() {
                // Before migrations, or while the database restarts: try again next tick.
                tracing::debug!(error = %e, "control plane refresh failed");
            }
        });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "control plane refresher not started; faults and clock follow this process only");
    }
}

/// Re-reads the shared control settings now (after this process changed them).
pub fn refresh(ctl: &Control) {
    if let Err(e) = ctl.state.refresh() {
        tracing::warn!(error = %e, "control plane refresh failed");
    }
}
