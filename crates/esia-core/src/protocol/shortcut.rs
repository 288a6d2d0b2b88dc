//! The one door from the IdP to the emulator's control plane: after an `ac` request was
//! accepted and parked, an installed `AcShortcut` may answer it at once (zero-click login, an
//! emulator extension that real ESIA does not have). The IdP defines the door and calls it; it
//! must not know what stands behind it, and the control plane must not reach into `ac` by any
//! other way.

use super::authorize::AcResponse;
use super::{Endpoint, Params};
use crate::Core;

/// Answers a parked `ac` request instead of the login and consent pages, or passes (None).
pub trait AcShortcut: Send + Sync + 'static {
    fn answer(
        &self,
        core: &Core,
        endpoint: Endpoint,
        mnemonic: &str,
        request_id: &str,
        params: &Params,
    ) -> Option<AcResponse>;
}
