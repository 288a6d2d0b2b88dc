//! The write-behind `/rs` journal: a request hands its row to a bounded in-memory buffer of
//! this process and returns at once; a flusher thread writes the buffer in batches (one
//! transaction of at most `BATCH` rows), `protocol.journal_flush_ms` (20 ms by default) after
//! the oldest row arrived or at once when a batch is full, and ends after `LINGER` without rows (an idle emulator keeps no thread).
//! Every journal read, clear or wipe calls `flush` first, so a reader sees every row accepted
//! in THIS process before its call. A full buffer (`CAPACITY` rows) makes the caller write its
//! row itself (backpressure, nothing dropped); a failed batch is logged (never its rows) and
//! retried once with the next one. The server calls `flush` after its HTTP server returns; a
//! running flusher holds a clone of the core, so a core is never dropped with rows pending.
//!
//! Multi-replica: a read on replica A flushes A's buffer only; rows of replica B reach the
//! database within the flush delay (plus one transaction) of their request, which is why it is
//! short.
//!
//! It owns only the buffer and its writer: it builds no rows (journal.rs does) and holds no
//! business rules; it must never fail or hold up a request beyond a short lock.

use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use esia_store::clients::JournalRow;

use super::journal_trim::trim_if_due;
use crate::app::Core;
use crate::error::CoreResult;

/// The most rows one transaction writes.
const BATCH: usize = 256;
/// The most rows buffered (with the ones awaiting their retry); about 5 MB of rows at most.
const CAPACITY: usize = 10_000;
/// How long an idle flusher waits for a new row before it ends.
const LINGER: Duration = Duration::from_millis(500);

#[derive(Default)]
struct Buffer {
    rows: Vec<JournalRow>,
    /// The rows of the last failed batch (at most `BATCH`), written first by the next one.
    retry: Vec<JournalRow>,
    /// When the oldest pending row arrived (or the last failure happened), while any waits.
    due_from: Option<Instant>,
    /// Whether a flusher thread is running.
    flusher: bool,
}

/// This core's buffer (in `core.locals`).
#[derive(Default)]
pub(crate) struct WriteBehind {
    state: Mutex<Buffer>,
    arrived: Condvar,
    /// Held while a batch is taken and written, so `flush` returns only after every row taken
    /// before it is committed (or has failed).
    writer: Mutex<()>,
}

fn buffer(core: &Core) -> Arc<WriteBehind> {
    core.locals.get::<WriteBehind>()
}

/// Buffers `row`; gives it back when the buffer is full (the caller then writes it itself).
pub(crate) fn push(core: &Core, row: JournalRow) -> Option<JournalRow> {
    let wb = buffer(core);
    let start = {
        let mut st = lock(&wb.state);
        if st.rows.len() + st.retry.len() >= CAPACITY {
            return Some(row);
        }
        st.rows.push(row);
        st.due_from.get_or_insert_with(Instant::now);
        if st.rows.len() >= BATCH {
            wb.arrived.notify_one();
        }
        !std::mem::replace(&mut st.flusher, true)
    };
    if start {
        start_flusher(core, wb);
    }
    None
}

/// Writes one row in its own transaction (a full buffer's caller); logs a failure.
pub(crate) fn write_now(core: &Core, row: JournalRow) {
    if let Err(e) = write_rows(core, std::slice::from_ref(&row)) {
        tracing::warn!(error = %e, "rs request not journaled");
    }
}

/// Writes every `/rs` journal row this process has buffered, in batches, and returns once
/// they are committed; a batch that fails is logged and left to the flusher's retry. Call it
/// before any read, clear or wipe of the journal, from a blocking thread.
pub fn flush(core: &Core) {
    let wb = buffer(core);
    write_batches(core, &wb, true);
    // A failed batch waits for its retry; make sure a flusher is there to make it.
    let start = {
        let mut st = lock(&wb.state);
        !st.retry.is_empty() && !std::mem::replace(&mut st.flusher, true)
    };
    if start {
        start_flusher(core, wb);
    }
}

fn start_flusher(core: &Core, wb: Arc<WriteBehind>) {
    let core = core.clone();
    let me = Arc::clone(&wb);
    let spawned = std::thread::Builder::new()
        .name("journal-flush".into())
        .spawn(move || run_flusher(&core, &me));
    if let Err(e) = spawned {
        // The rows stay buffered; the next row (or a read's flush) tries again.
        lock(&wb.state).flusher = false;
        tracing::warn!(error = %e, "journal flusher not started");
    }
}

fn run_flusher(core: &Core, wb: &WriteBehind) {
    let _guard = FlusherGuard(&wb.state);
    let delay = Duration::from_millis(core.config.protocol.journal_flush_ms);
    while wait_until_due(wb, delay) {
        write_batches(core, wb, false);
    }
}

/// Waits until a batch is due (true) or the flusher has been idle for `LINGER` (false, and
/// the flusher role is given up under the same lock a new row takes it with).
fn wait_until_due(wb: &WriteBehind, delay: Duration) -> bool {
    let idle_since = Instant::now();
    let mut st = lock(&wb.state);
    loop {
        if st.rows.len() >= BATCH {
            return true;
        }
        let now = Instant::now();
        let wait = match st.due_from {
            Some(t) if now >= t + delay => return true,
            Some(t) => t + delay - now,
            None if now >= idle_since + LINGER => {
                st.flusher = false;
                return false;
            }
            None => idle_since + LINGER - now,
        };
        st = wb
            .arrived
            .wait_timeout(st, wait)
            .unwrap_or_else(|e| e.into_inner())
            .0;
    }
}

/// Writes one batch (the flusher) or every pending row (`all`, for `flush`), under the writer
/// lock; stops at the first failure, keeping that batch's fresh rows for one retry.
fn write_batches(core: &Core, wb: &WriteBehind, all: bool) {
    let _writer = lock(&wb.writer);
    loop {
        let (mut rows, retried) = {
            let mut st = lock(&wb.state);
            let mut rows = std::mem::take(&mut st.retry);
            let retried = rows.len();
            let fresh = BATCH.saturating_sub(retried).min(st.rows.len());
            rows.extend(st.rows.drain(..fresh));
            if st.rows.is_empty() {
                st.due_from = None;
            }
            (rows, retried)
        };
        if rows.is_empty() {
            return;
        }
        if let Err(e) = write_rows(core, &rows) {
            // The error names the failure, never a row's content.
            tracing::warn!(error = %e, rows = rows.len(), "journal batch not written");
            if retried > 0 {
                tracing::warn!(rows = retried, "journal rows lost after their retry failed");
            }
            let fresh = rows.split_off(retried);
            let mut st = lock(&wb.state);
            st.retry = fresh;
            if !st.retry.is_empty() {
                st.due_from = Some(Instant::now());
            }
            return;
        }
        if !all {
            return;
        }
    }
}

/// One batch: one transaction, with the journal's trimming.
fn write_rows(core: &Core, rows: &[JournalRow]) -> CoreResult<()> {
    let mut conn = core.conn()?;
    esia_store::write_transaction(&mut conn, |c| -> CoreResult<()> {
        esia_store::clients::insert_journal_rows(c, rows)?;
        trim_if_due(core, c, rows.len() as u64)
    })
}

/// Gives the flusher role up if a batch panics, so the next row starts a new flusher.
struct FlusherGuard<'a>(&'a Mutex<Buffer>);

impl Drop for FlusherGuard<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            lock(self.0).flusher = false;
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    //! On a real SQLite core; the flusher is held off (the writer lock, or a flusher marked as
    //! running) so each test decides when batches are written.
    use super::*;
    use crate::config::Config;

    fn core(dir: &std::path::Path) -> Core {
        let mut config = Config::default();
        config.server.data_dir = dir.to_path_buf();
        config.keys.dir = dir.join("keys");
        let clock = Arc::new(esia_domain::clock::SystemClock);
        let core = Core::open(config, clock).expect("core");
        core.migrate().expect("migrate");
        core
    }

    fn row(i: usize) -> JournalRow {
        JournalRow {
            id: format!("row-{i}"),
            created_at: chrono::Utc::now().naive_utc(),
            endpoint: "/rs/prns/1".into(),
            mnemonic: None,
            params: "{}".into(),
            outcome: "error".into(),
            error_code: None,
            verification: None,
            persona_oid: None,
            http_status: Some(401),
            response: None,
        }
    }

    fn stored(core: &Core) -> usize {
        let mut conn = core.conn().unwrap();
        let all = esia_store::clients::JournalFilter::default();
        esia_store::clients::list_journal(&mut conn, &all, 100_000)
            .unwrap()
            .len()
    }

    fn exec(core: &Core, sql: &str) {
        esia_store::db::execute_sql(&mut core.conn().unwrap(), sql).unwrap();
    }

    #[test]
    fn a_full_buffer_gives_the_row_back_and_flush_writes_every_row() {
        let dir = tempfile::tempdir().unwrap();
        let core = core(dir.path());
        let wb = buffer(&core);
        {
            // The flusher cannot take a batch while the writer lock is held here.
            let _writer = lock(&wb.writer);
            for i in 0..CAPACITY {
                assert!(push(&core, row(i)).is_none(), "row {i} buffered");
            }
            let back = push(&core, row(CAPACITY)).expect("a full buffer refuses");
            write_now(&core, back);
        }
        flush(&core);
        assert_eq!(stored(&core), CAPACITY + 1, "nothing dropped");
    }

    #[test]
    fn a_failed_batch_is_retried_once_then_given_up() {
        let dir = tempfile::tempdir().unwrap();
        let core = core(dir.path());
        let wb = buffer(&core);
        // As if a flusher ran: no thread races the test's own flushes.
        lock(&wb.state).flusher = true;
        for i in 0..3 {
            assert!(push(&core, row(i)).is_none());
        }
        exec(&core, "ALTER TABLE journal RENAME TO journal_away");
        flush(&core);
        assert_eq!(lock(&wb.state).retry.len(), 3, "kept for one retry");
        exec(&core, "ALTER TABLE journal_away RENAME TO journal");
        flush(&core);
        assert_eq!(stored(&core), 3, "the retry wrote them");

        assert!(push(&core, row(10)).is_none());
        exec(&core, "ALTER TABLE journal RENAME TO journal_away");
        flush(&core);
        flush(&core);
        assert!(lock(&wb.state).retry.is_empty(), "given up after its retry");
        exec(&core, "ALTER TABLE journal_away RENAME TO journal");
        flush(&core);
        assert_eq!(stored(&core), 3);
    }
}
