//! Tiers in the store: the review, the changes checkout makes, the history.
//! The rules themselves are `crate::analytics::tiers`.

use super::aggregates::*;
use super::scan::*;
use super::*;
use crate::store::Store;

/// The spend a member's tier is measured on at `now`.
pub(super) fn basis_spend(conn: &Connection, ctx: &Ctx, member_id: i64, now: DateTime<Utc>) -> Result<i64> {
    match ctx.cfg.tier_basis {
        TierBasis::Total => {
            Ok(conn.query_row("SELECT spend_minor FROM members WHERE id = ?1", [member_id], |r| r.get(0))?)
        }
        TierBasis::Rolling => {
            let months = load_stats(conn, member_id)?.map(|(_, m)| m).unwrap_or_default();
            Ok(months.spend_in_window(month_number(ctx.today(now)), ctx.cfg.tier_window_months))
        }
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn change_tier(
    conn: &Connection,
    member_id: i64,
    from: Option<String>,
    to: Option<String>,
    reason: &str,
    receipt_id: Option<i64>,
    spend: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    let now_ms = now.timestamp_millis();
    conn.execute("UPDATE members SET tier = ?2, updated_at = ?3 WHERE id = ?1", params![member_id, to, now_ms])?;
    conn.execute(
        "INSERT INTO tier_changes (member_id, from_tier, to_tier, reason, receipt_id, spend_minor, changed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![member_id, from, to, reason, receipt_id, spend, now_ms],
    )?;
    Ok(())
}

/// At checkout a member moves up to the highest tier they now reach; never down.
pub(super) fn upgrade_at_checkout(
    conn: &Connection,
    ctx: &Ctx,
    member_id: i64,
    receipt_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    if ctx.tiers.is_empty() {
        return Ok(());
    }
    let spend = basis_spend(conn, ctx, member_id, now)?;
    let current: Option<String> =
        conn.query_row("SELECT tier FROM members WHERE id = ?1", [member_id], |r| r.get(0))?;
    if let Some(target) = crate::analytics::tiers::checkout_upgrade(&ctx.tiers, current.as_deref(), spend) {
        change_tier(conn, member_id, current, Some(target.name.clone()), "checkout", Some(receipt_id), spend, now)?;
    }
    Ok(())
}

pub(super) fn review(conn: &Connection, ctx: &Ctx, now: DateTime<Utc>) -> Result<Vec<TierChange>> {
    let today = ctx.today(now);
    let mut out = Vec::new();
    for s in scan(conn, ctx, &ListFilter::default(), today, "", EVERYTHING)? {
        let r = s.row;
        let spend = match ctx.cfg.tier_basis {
            TierBasis::Rolling => r.window_spend_minor,
            TierBasis::Total => r.spend_minor,
        };
        let target = crate::analytics::tiers::review_tier(&ctx.tiers, r.visits, spend).map(|t| t.name.clone());
        if target != r.tier {
            out.push(TierChange {
                member_id: r.member_id,
                member_no: r.member_no,
                name: r.name,
                from_tier: r.tier,
                to_tier: target,
                spend_minor: spend,
                reason: "review".into(),
                changed_at: now.timestamp_millis(),
            });
        }
    }
    Ok(out)
}

impl Store {
    // --- tiers ---

    pub fn tiers(&self) -> Result<Vec<Tier>> {
        load_tiers(self.conn())
    }

    /// Replaces the tier definitions (members keep their tier until the
    /// next checkout upgrades them or a review moves them).
    pub fn set_tiers(&mut self, tiers: &[TierInput], now: DateTime<Utc>) -> Result<Vec<Tier>> {
        let ranked = rank_tiers(tiers)?;
        self.write(Act::Tiers, now, |tx, guard| {
            guard.set("before", load_tiers(tx)?);
            tx.execute("DELETE FROM tiers", [])?;
            for t in &ranked {
                tx.execute(
                    "INSERT INTO tiers (name, rank, min_spend_minor, points_multiplier_pct) VALUES (?1, ?2, ?3, ?4)",
                    params![t.name, t.rank, t.min_spend_minor, t.points_multiplier_pct],
                )?;
            }
            load_tiers(tx)
        })
    }

    /// Who would change tier if the review ran now (up or down).
    pub fn tier_review(&self, now: DateTime<Utc>) -> Result<Vec<TierChange>> {
        self.with_aggregates(|conn, ctx| review(conn, ctx, now))
    }

    /// Moves every member to the tier their spend reaches now, recording
    /// each change; returns the changes.
    pub fn apply_tier_review(&mut self, now: DateTime<Utc>) -> Result<Vec<TierChange>> {
        self.write(Act::TierReview, now, |tx, _| {
            let ctx = Ctx::load(tx)?;
            ensure_aggregates(tx, &ctx)?;
            let changes = review(tx, &ctx, now)?;
            for c in &changes {
                change_tier(
                    tx,
                    c.member_id,
                    c.from_tier.clone(),
                    c.to_tier.clone(),
                    "review",
                    None,
                    c.spend_minor,
                    now,
                )?;
            }
            Ok(changes)
        })
    }

    /// A member's tier changes, newest first (or the shop's, when `None`), at most `limit`.
    pub fn tier_history(&self, member_id: Option<i64>, limit: u32) -> Result<Vec<TierChange>> {
        let mut stmt = self.conn().prepare(
            "SELECT c.member_id, m.member_no, m.name, c.from_tier, c.to_tier, c.spend_minor, c.reason, c.changed_at
             FROM tier_changes c JOIN members m ON m.id = c.member_id
             WHERE ?1 IS NULL OR c.member_id = ?1 ORDER BY c.id DESC LIMIT ?2",
        )?;
        let rows = stmt
            .query_map(params![member_id, limit], |r| {
                Ok(TierChange {
                    member_id: r.get(0)?,
                    member_no: r.get(1)?,
                    name: r.get(2)?,
                    from_tier: r.get(3)?,
                    to_tier: r.get(4)?,
                    spend_minor: r.get(5)?,
                    reason: r.get(6)?,
                    changed_at: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}
