//! What replicas and backends must agree on when teams share one database (issue 10): the login
//! throttle counts per account and atomically across replicas (`login_throttle`), reset and
//! snapshot import are one transaction (`state_atomic`), and every look-up by login, e-mail,
//! phone or SNILS answers the same on SQLite and PostgreSQL (`backend_parity`). One binary,
//! run on PostgreSQL too when `TEST_DATABASE_URL` is set.

mod backend_parity;
mod login_throttle;
mod state_atomic;
