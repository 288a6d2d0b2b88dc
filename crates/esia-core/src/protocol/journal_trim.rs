//! Keeping the protocol journal to `journal_max_rows`: every writer of journal rows (the `ac`/`te`
//! entries, the write-behind `/rs` batches) counts what it wrote here, and every tenth of the
//! limit the oldest rows beyond it go. Below both writers; decides nothing else.

use esia_store::DbConnection;

use crate::app::Core;
use crate::error::CoreResult;

/// Journal entries this process wrote (paces the trimming of the journal).
#[derive(Default)]
struct RowsWritten(std::sync::atomic::AtomicU64);

/// Counts journal entries written by this process and, every tenth of `journal_max_rows`
/// entries (at most every 1,000), deletes the oldest beyond `journal_max_rows` on `conn`.
pub(crate) fn trim_if_due(core: &Core, conn: &mut DbConnection, written: u64) -> CoreResult<()> {
    let max = core.config.protocol.journal_max_rows;
    if max == 0 {
        return Ok(());
    }
    let every = (max / 10).clamp(1, 1_000);
    let before = core
        .locals
        .get::<RowsWritten>()
        .0
        .fetch_add(written, std::sync::atomic::Ordering::Relaxed);
    if before / every != (before + written) / every {
        let keep = i64::try_from(max).unwrap_or(i64::MAX);
        let deleted = esia_store::clients::trim_journal(conn, keep)?;
        tracing::debug!(deleted, "journal trimmed");
    }
    Ok(())
}
