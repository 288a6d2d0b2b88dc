//! The state every handler shares (the IdP core and the control plane over it) and the one way
//! a handler runs blocking work: on actix's blocking pool, under the request's log span. Holds
//! no routes and no page logic.

use actix_web::web;
use esia_control::Control;
use esia_core::{Core, CoreError};

/// Shared state of every handler: the IdP, and the control plane that drives it (whose
/// `idp` is the same core).
#[derive(Clone)]
pub struct AppState {
    pub core: Core,
    pub control: Control,
}

impl AppState {
    /// Runs a core call that touches the database (or hashes) on the blocking pool, so the
    /// handler neither clones the core nor holds an async thread; a panic there is a 500.
    pub async fn run<T, F>(&self, f: F) -> Result<T, esia_core::CoreError>
    where
        F: FnOnce(&Core) -> Result<T, esia_core::CoreError> + Send + 'static,
        T: Send + 'static,
    {
        let core = self.core.clone();
        blocking(move || f(&core)).await
    }

    /// `run` for a control-plane use case (faults, clock, personas, snapshots, admin views).
    pub async fn run_control<T, F>(&self, f: F) -> Result<T, esia_core::CoreError>
    where
        F: FnOnce(&Control) -> Result<T, esia_core::CoreError> + Send + 'static,
        T: Send + 'static,
    {
        let control = self.control.clone();
        blocking(move || f(&control)).await
    }
}

/// Runs a blocking core call off the async threads; a panic or cancellation becomes a 500 error.
pub(crate) async fn blocking<T, F>(f: F) -> Result<T, CoreError>
where
    F: FnOnce() -> Result<T, CoreError> + Send + 'static,
    T: Send + 'static,
{
    web::block(crate::request_log::carry(f))
        .await
        .map_err(|e| CoreError::Internal(e.to_string()))?
}
