//! The person-data REST API (`/rs`) over real HTTP: wire shapes (pinned by the snapshots in
//! `snapshots/`), the scope matrix, tokens, ETags, freshness after writes and the flow from a
//! protocol token.

mod rs_api;
mod rs_etags;
mod rs_flow;
mod rs_freshness;
mod rs_matrix;
mod rs_snapshots;
mod rs_tokens;
