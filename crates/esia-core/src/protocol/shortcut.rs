//! The one door from the IdP to the emulator's control plane: after an `ac` request was
//! accepted and parked, an installed `AcShortcut` may answer it at once (zero-click login, an
//! emulator extension that real ESIA does not have). The IdP defines the door and calls it; it
//! must not know what stands behind it, and the control plane must not reach into `ac` by any
//! other way.

use std::sync::{Arc, OnceLock};

use super::ac_response::AcResponse;
use super::request::AcRequest;
use super::Params;
use crate::Core;

/// Answers a parked `ac` request instead of the login and consent pages, or passes (None).
/// `params` are there for the emulator's own extension parameters only; the request's ESIA
/// parameters are read from `request`.
pub trait AcShortcut: Send + Sync + 'static {
    fn answer(
        &self,
        core: &Core,
        request: &AcRequest,
        mnemonic: &str,
        request_id: &str,
        params: &Params,
    ) -> Option<AcResponse>;
}

/// The door of one core and its clones, kept in the core's locals: closed until installed.
#[derive(Default)]
struct Door(OnceLock<Arc<dyn AcShortcut>>);

/// Opens the `ac` shortcut door (once per core and its clones; a second call is ignored).
pub fn install(core: &Core, shortcut: Arc<dyn AcShortcut>) {
    if core.locals.get::<Door>().0.set(shortcut).is_err() {
        tracing::warn!("an ac shortcut was already installed; the second one is ignored");
    }
}

/// The installed door, if any.
pub(crate) fn installed(core: &Core) -> Option<Arc<dyn AcShortcut>> {
    core.locals.get::<Door>().0.get().cloned()
}
