//! The owner's view: per-member aggregates kept up to date at checkout,
//! tiers, segments and lists. (Being built for the owner's-view issue.)
//!
//! `after_sale` and `after_void` run inside the sale's or void's own
//! transaction, so whatever they keep stays equal to a recomputation from
//! the receipts.

use crate::error::Result;
use chrono::{DateTime, Utc};
use rusqlite::Connection;

/// Called in the transaction of every recorded sale, after its receipt,
/// ledger rows and the member's visit counters are written.
pub(crate) fn after_sale(_tx: &Connection, _member_id: i64, _receipt_id: i64, _now: DateTime<Utc>) -> Result<()> {
    Ok(())
}

/// Called in the transaction of every void, after the reversing receipt is
/// written and the member's visit counters are corrected.
pub(crate) fn after_void(
    _tx: &Connection,
    _member_id: i64,
    _voided_receipt_id: i64,
    _void_receipt_id: i64,
    _now: DateTime<Utc>,
) -> Result<()> {
    Ok(())
}
