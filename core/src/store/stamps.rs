//! The stamp ledger's helpers: a card's expired stamps, a ledger row, the
//! card's running count. Every stamp movement is a `stamp_ledger` row
//! written in the operation's own transaction; `stamp_cards` holds what the
//! ledger sums to.

use crate::error::Result;
use crate::program::StampProgram;
use rusqlite::{params, Connection};

/// Stamps on a card that have passed the program's expiry at `now_ms`:
/// oldest stamps are used first, so the card may hold at most the stamps
/// added within the expiry window.
pub(crate) fn expired_stamps(
    tx: &Connection,
    member_id: i64,
    program: &StampProgram,
    current: i64,
    now_ms: i64,
) -> Result<i64> {
    let Some(days) = program.expiry_days else { return Ok(0) };
    let cutoff = now_ms - days * 86_400_000;
    // Only stamps earned within the window, on receipts not voided since,
    // are fresh; stamps given back by a voided redemption keep their age.
    let fresh: i64 = tx.query_row(
        "SELECT COALESCE(SUM(l.delta), 0) FROM stamp_ledger l
         WHERE l.member_id = ?1 AND l.program_id = ?2 AND l.kind = 'earn' AND l.created_at > ?3
           AND NOT EXISTS (SELECT 1 FROM receipts v WHERE v.voids_receipt_id = l.receipt_id)",
        params![member_id, program.id, cutoff],
        |r| r.get(0),
    )?;
    Ok((current - fresh).max(0))
}

pub(crate) fn stamp_row(
    tx: &Connection,
    member_id: i64,
    program_id: i64,
    receipt_id: i64,
    kind: &str,
    delta: i64,
    now_ms: i64,
) -> Result<()> {
    if delta != 0 {
        tx.execute(
            "INSERT INTO stamp_ledger (member_id, program_id, receipt_id, kind, delta, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![member_id, program_id, receipt_id, kind, delta, now_ms],
        )?;
    }
    Ok(())
}

pub(crate) fn set_card(tx: &Connection, member_id: i64, program_id: i64, stamps: i64) -> Result<()> {
    tx.execute(
        "INSERT INTO stamp_cards (member_id, program_id, stamps) VALUES (?1, ?2, ?3)
         ON CONFLICT (member_id, program_id) DO UPDATE SET stamps = excluded.stamps",
        params![member_id, program_id, stamps],
    )?;
    Ok(())
}
