//! The emulator clock as QA controls it (`/emulator/api/clock`): offset, advance, freeze at an
//! instant, freeze now, unfreeze, reset. Changes apply to this process's `ControlledClock` at
//! once and are persisted as the `clock` setting with a new stamp, so the worker and the other
//! replicas follow within a second (see `control::ControlState::refresh`). Everything that
//! reads `core.now()` follows: token `iat`/`exp`, code lifetimes, the timestamp window, job
//! `run_at`.

use chrono::{DateTime, Duration, Utc};
use esia_domain::clock::ControlledClock;
use esia_domain::ValidationError;
use esia_store::control::SettingRow;
use esia_store::write_transaction;
use serde::{Deserialize, Serialize};

use crate::Control;
use esia_core::app::new_id;
use esia_core::error::{CoreError, CoreResult, FieldError};

/// The settings row name.
pub(crate) const SETTING: &str = "clock";
/// The stamp every process starts with: nothing set through the API yet.
pub(crate) const INITIAL_STAMP: &str = "initial";

/// Largest offset or jump accepted (about 100 years), so arithmetic never leaves chrono's range.
const MAX_SECS: i64 = 100 * 366 * 24 * 3600;

/// The persisted form of the clock.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct Persisted {
    offset_secs: i64,
    frozen_at: Option<DateTime<Utc>>,
}

/// `POST /emulator/api/clock`: exactly one of the fields.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClockRequest {
    /// Run at real time plus this many seconds (unfreezes).
    pub offset_secs: Option<i64>,
    /// Move time by this many seconds (negative = back): the frozen instant when frozen.
    pub advance_secs: Option<i64>,
    /// Freeze at this RFC 3339 instant.
    pub freeze_at: Option<String>,
    /// `true`: freeze at the current emulator time.
    pub freeze: Option<bool>,
    /// `true`: run again from the frozen instant.
    pub unfreeze: Option<bool>,
}

/// The clock as the API shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ClockView {
    /// The emulator's current time (RFC 3339).
    pub now: String,
    /// Offset from real time while running, in seconds.
    pub offset_secs: i64,
    pub frozen: bool,
    /// The frozen instant (RFC 3339), when frozen.
    pub frozen_at: Option<String>,
    /// The host's real time, for comparison.
    pub real_now: String,
}

fn bad(field: &'static str, code: &'static str, msg: &str) -> CoreError {
    CoreError::Validation(vec![FieldError::new(
        field,
        ValidationError::new(code, msg),
    )])
}

fn within(field: &'static str, v: i64) -> CoreResult<Duration> {
    if v.abs() > MAX_SECS {
        return Err(bad(
            field,
            "out_of_range",
            "at most about 100 years either way",
        ));
    }
    Ok(Duration::seconds(v))
}

/// Applies a persisted setting to a clock (other processes' changes).
pub(crate) fn apply_setting(clock: &ControlledClock, value: &str) {
    match serde_json::from_str::<Persisted>(value) {
        Ok(p) => {
            clock.set_offset(Duration::seconds(p.offset_secs));
            if let Some(t) = p.frozen_at {
                clock.freeze_at(t);
            }
            tracing::info!(
                offset_secs = p.offset_secs,
                frozen = p.frozen_at.is_some(),
                "clock setting followed"
            );
        }
        Err(e) => tracing::warn!(error = %e, "unreadable clock setting ignored"),
    }
}

/// The clock now.
pub fn clock_view(ctl: &Control) -> ClockView {
    let s = ctl.clock.state();
    ClockView {
        now: s.now.to_rfc3339(),
        offset_secs: s.offset_seconds,
        frozen: s.frozen_at.is_some(),
        frozen_at: s.frozen_at.map(|t| t.to_rfc3339()),
        real_now: Utc::now().to_rfc3339(),
    }
}

/// Changes the clock (exactly one field of the request) and shares the result.
pub fn set_clock(ctl: &Control, req: &ClockRequest) -> CoreResult<ClockView> {
    let given = [
        req.offset_secs.is_some(),
        req.advance_secs.is_some(),
        req.freeze_at.is_some(),
        req.freeze.is_some(),
        req.unfreeze.is_some(),
    ]
    .iter()
    .filter(|x| **x)
    .count();
    if given != 1 {
        return Err(bad(
            "body",
            "exactly_one",
            "give exactly one of offset_secs, advance_secs, freeze_at, freeze, unfreeze",
        ));
    }
    if let Some(v) = req.offset_secs {
        ctl.clock.set_offset(within("offset_secs", v)?);
    } else if let Some(v) = req.advance_secs {
        ctl.clock.advance(within("advance_secs", v)?);
    } else if let Some(t) = &req.freeze_at {
        let at = DateTime::parse_from_rfc3339(t)
            .map_err(|_| bad("freeze_at", "not_rfc3339", "an RFC 3339 instant"))?
            .with_timezone(&Utc);
        within("freeze_at", (at - Utc::now()).num_seconds())?;
        ctl.clock.freeze_at(at);
    } else if let Some(f) = req.freeze {
        if !f {
            return Err(bad("freeze", "must_be_true", "send true (or use unfreeze)"));
        }
        ctl.clock.freeze_at(ctl.idp.now());
    } else if let Some(u) = req.unfreeze {
        if !u {
            return Err(bad("unfreeze", "must_be_true", "send true (or use freeze)"));
        }
        ctl.clock.unfreeze();
    }
    crate::clock::persist_clock(ctl)?;
    Ok(crate::clock::clock_view(ctl))
}

/// Back to real time, for every process.
pub fn reset_clock(ctl: &Control) -> CoreResult<ClockView> {
    ctl.clock.reset();
    crate::clock::persist_clock(ctl)?;
    Ok(crate::clock::clock_view(ctl))
}

fn persist_clock(ctl: &Control) -> CoreResult<()> {
    let s = ctl.clock.state();
    let value = serde_json::to_string(&Persisted {
        offset_secs: s.offset_seconds,
        frozen_at: s.frozen_at,
    })
    .map_err(|e| CoreError::Internal(e.to_string()))?;
    let stamp = new_id();
    let mut conn = ctl.idp.conn()?;
    write_transaction(&mut conn, |conn| -> CoreResult<()> {
        esia_store::control::put_setting(
            conn,
            &SettingRow {
                name: SETTING.into(),
                value,
                stamp: stamp.clone(),
                // Real time: when the setting changed, whatever the emulator clock says.
                updated_at: Utc::now().naive_utc(),
            },
        )?;
        Ok(())
    })?;
    ctl.state.clock_applied(&stamp);
    tracing::info!(
        offset_secs = s.offset_seconds,
        frozen = s.frozen_at.is_some(),
        "clock changed"
    );
    Ok(())
}
