//! esia-control: the emulator's own control plane, on top of the IdP (`esia-core`) and never the
//! other way round. It owns what real ESIA does not have: fault injection (`faults`, `fire`,
//! `tamper`), the controlled clock shared by every process (`clock`, `sync`), zero-click login
//! (`zero_click`), personas (`personas`), seed files (`seed_file`, `seed`, and
//! `demo_personas` describing the demo seed's people), snapshots and reset
//! (`snapshot`), and the admin read models (`admin_views`). The IdP gets time through the domain's `Clock`
//! trait and meets zero-click only through its `AcShortcut` door; this crate supplies both.
//! It knows nothing about HTTP.

pub mod admin_views;
pub mod clock;
pub mod demo_personas;
pub mod fault_rule;
pub mod faults;
pub mod fire;
pub mod personas;
pub mod seed;
pub mod seed_file;
pub mod snapshot;
pub mod sync;
pub mod tamper;
pub mod zero_click;

use std::sync::Arc;

use esia_core::Core;
use esia_domain::clock::ControlledClock;

use sync::ControlState;

/// The control plane's context: the IdP it drives, the controlled clock the IdP reads, and the
/// in-process snapshot of the shared control settings. Cheap to clone.
#[derive(Clone)]
pub struct Control {
    /// The identity provider this control plane drives.
    pub idp: Core,
    /// The clock handed to the IdP (as `dyn Clock`), which only the control plane moves.
    pub clock: Arc<ControlledClock>,
    pub(crate) state: Arc<ControlState>,
}

impl Control {
    /// Starts the control plane over `idp`, whose clock must be `clock`: begins following the
    /// shared settings (a refresher thread that ends with the last clone) and opens the IdP's
    /// zero-click door.
    pub fn start(idp: Core, clock: Arc<ControlledClock>) -> Control {
        let state = ControlState::new(idp.pool.clone(), clock.clone());
        sync::start_sync(&state);
        esia_core::protocol::shortcut::install(
            &idp,
            Arc::new(zero_click::Shortcut {
                clock: clock.clone(),
                state: state.clone(),
            }),
        );
        Control { idp, clock, state }
    }

    /// The active fault rules and client controls as this process sees them.
    pub fn snapshot(&self) -> Arc<sync::Snapshot> {
        self.state.snapshot()
    }
}
