//! The owner's aggregates kept at checkout: what a sale or a void changes in
//! the member's figures and tier, in the operation's own transaction.

use super::aggregates::*;
use super::tiers::*;
use super::*;

// ---------------------------------------------------------------------------
// Hooks in the sale's and void's transactions

/// Called in the transaction of every recorded sale, after its receipt,
/// ledger rows and the member's visit counters are written.
pub(crate) fn after_sale(tx: &Connection, member_id: i64, receipt_id: i64, now: DateTime<Utc>) -> Result<()> {
    let ctx = Ctx::load(tx)?;
    if !ensure_aggregates(tx, &ctx)? {
        let (created_at, total): (i64, i64) =
            tx.query_row("SELECT created_at, total_minor FROM receipts WHERE id = ?1", [receipt_id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        let date = ctx.local_date_ms(created_at);
        let (day, month) = (day_number(date), month_number(date));
        let (mut visits, mut months) = load_stats(tx, member_id)?.unwrap_or_default();
        if visits.add_day(day) && months.add_sale(month, total) {
            write_stats(tx, member_id, &visits, &months)?;
        } else {
            recompute_member(tx, &ctx, member_id)?;
        }
        let mut stmt = tx.prepare_cached(
            "SELECT DISTINCT product_id FROM receipt_lines WHERE receipt_id = ?1 AND product_id IS NOT NULL",
        )?;
        let products = stmt.query_map([receipt_id], |r| r.get::<_, i64>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
        for product_id in products {
            let mut v = load_product_stats(tx, member_id, product_id)?.unwrap_or_default();
            if v.add_day(day) {
                write_product_stats(tx, member_id, product_id, &v)?;
            } else {
                recompute_member_products(tx, &ctx, member_id)?;
                break;
            }
        }
    }
    upgrade_at_checkout(tx, &ctx, member_id, receipt_id, now)
}

/// Called in the transaction of every void, after the reversing receipt is
/// written and the member's visit counters are corrected.
pub(crate) fn after_void(
    tx: &Connection,
    member_id: i64,
    voided_receipt_id: i64,
    void_receipt_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    let kind: String = tx.query_row("SELECT kind FROM receipts WHERE id = ?1", [voided_receipt_id], |r| r.get(0))?;
    if kind != "sale" {
        return Ok(());
    }
    let ctx = Ctx::load(tx)?;
    if !ensure_aggregates(tx, &ctx)? {
        recompute_member(tx, &ctx, member_id)?;
        recompute_member_products(tx, &ctx, member_id)?;
    }
    // An upgrade that this sale brought is taken back when the member no
    // longer reaches that tier (other downgrades wait for the review).
    let upgrade: Option<(Option<String>, Option<String>)> = tx
        .query_row(
            "SELECT from_tier, to_tier FROM tier_changes WHERE receipt_id = ?1 AND reason = 'checkout'",
            [voided_receipt_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((from, to)) = upgrade else { return Ok(()) };
    let current: Option<String> = tx.query_row("SELECT tier FROM members WHERE id = ?1", [member_id], |r| r.get(0))?;
    if current != to {
        return Ok(());
    }
    let spend = basis_spend(tx, &ctx, member_id, now)?;
    let next =
        crate::analytics::tiers::void_downgrade(&ctx.tiers, from.as_deref(), to.as_deref(), current.as_deref(), spend);
    if let Some(next) = next {
        change_tier(tx, member_id, current, next, "void", Some(void_receipt_id), spend, now)?;
    }
    Ok(())
}
