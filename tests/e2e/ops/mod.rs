//! The emulator as a service: the command line, the one benchmark command (`esia-bench`),
//! migrations, database outages, replicas and the shared-service topology as real processes,
//! stores shared by replicas, web hardening, the request log and the hostile-input walk over
//! every route.

mod bench_command;
mod config_and_cli;
mod db_outage;
mod db_unavailable;
mod docs_truth;
mod hostile_input;
mod journal_shutdown;
mod migrations;
mod replicas_start;
mod request_log;
mod store_sharing;
mod topology;
mod web_hardening;
