//! Standard and confirmed accounts: personal data and agency checks run by the worker (in
//! process, in batches and as worker processes), confirmation paths, and the upgrade seen
//! through the protocol.

mod bank_confirm;
mod declared_states;
mod upgrade;
mod upgrade_accounts;
mod upgrade_batch;
mod upgrade_batch_state;
mod upgrade_confirm;
mod upgrade_protocol;
mod upgrade_workers;
