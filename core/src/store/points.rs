//! Points in the store: the shop's rules, a member's balance, the points a
//! sale moves (`plan_points`, `write_points`) and a void's reversal
//! (`void_points`). Every movement is a `points_ledger` row on the
//! receipt, written in the operation's own transaction; `member_points`
//! holds what the ledger sums to.

use super::Store;
use crate::error::{Error, Result};
use crate::points::{check_redemption, expired_points, PointsSettings};
use crate::receipt::Receipt;
use crate::staff::Act;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

pub(crate) fn load_rules(conn: &Connection) -> Result<Option<PointsSettings>> {
    if !super::has_points_schema(conn)? {
        return Ok(None);
    }
    Ok(Some(conn.query_row(
        "SELECT earn_per_minor, point_value_minor, expiry_days FROM points_settings WHERE id = 1",
        [],
        |r| Ok(PointsSettings { earn_per_minor: r.get(0)?, point_value_minor: r.get(1)?, expiry_days: r.get(2)? }),
    )?))
}

pub(crate) fn balance(conn: &Connection, member_id: i64) -> Result<i64> {
    Ok(conn
        .query_row("SELECT points FROM member_points WHERE member_id = ?1", [member_id], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

/// Points of the balance that have lapsed at `now_ms`: only points earned
/// within the expiry window, on receipts not voided since, are fresh.
fn lapsed(conn: &Connection, member_id: i64, rules: &PointsSettings, held: i64, now_ms: i64) -> Result<i64> {
    let Some(days) = rules.expiry_days else { return Ok(0) };
    let fresh: i64 = conn.query_row(
        "SELECT COALESCE(SUM(l.delta), 0) FROM points_ledger l
         WHERE l.member_id = ?1 AND l.kind = 'earn' AND l.created_at > ?2
           AND NOT EXISTS (SELECT 1 FROM receipts v WHERE v.voids_receipt_id = l.receipt_id)",
        params![member_id, now_ms - days * 86_400_000],
        |r| r.get(0),
    )?;
    Ok(expired_points(held, fresh))
}

/// A sale's points, planned before anything is written.
pub(crate) struct PointsPlan {
    pub(crate) before: i64,
    pub(crate) expired: i64,
    pub(crate) redeemed: i64,
    pub(crate) value_minor: i64,
    pub(crate) rules: Option<PointsSettings>,
}

impl PointsPlan {
    /// The points earned on `paid_minor`, the sale's total after every discount.
    pub(crate) fn earned_on(&self, paid_minor: i64) -> i64 {
        self.rules.map_or(0, |r| r.earned_on(paid_minor))
    }
}

/// Checks a redemption of `points` against the member's balance (lapsed
/// points taken off first) and what is `left_minor` to pay.
pub(crate) fn plan_points(
    tx: &Connection,
    member_id: i64,
    points: i64,
    left_minor: i64,
    now_ms: i64,
) -> Result<PointsPlan> {
    let Some(rules) = load_rules(tx)? else {
        if points != 0 {
            return Err(Error::InsufficientPoints { balance: 0, needed: points });
        }
        return Ok(PointsPlan { before: 0, expired: 0, redeemed: 0, value_minor: 0, rules: None });
    };
    let before = balance(tx, member_id)?;
    let expired = lapsed(tx, member_id, &rules, before, now_ms)?;
    let value_minor = if points == 0 { 0 } else { check_redemption(&rules, points, before - expired, left_minor)? };
    Ok(PointsPlan { before, expired, redeemed: points, value_minor, rules: Some(rules) })
}

fn ledger_row(tx: &Connection, member_id: i64, receipt_id: i64, kind: &str, delta: i64, now_ms: i64) -> Result<()> {
    if delta != 0 {
        tx.execute(
            "INSERT INTO points_ledger (member_id, receipt_id, kind, delta, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![member_id, receipt_id, kind, delta, now_ms],
        )?;
    }
    Ok(())
}

fn set_balance(tx: &Connection, member_id: i64, points: i64) -> Result<()> {
    tx.execute(
        "INSERT INTO member_points (member_id, points) VALUES (?1, ?2)
         ON CONFLICT (member_id) DO UPDATE SET points = excluded.points",
        params![member_id, points],
    )?;
    Ok(())
}

fn receipt_row(tx: &Connection, receipt_id: i64, row: [i64; 5]) -> Result<()> {
    tx.execute(
        "INSERT INTO receipt_points (receipt_id, points_before, earned, redeemed, expired, points_after)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![receipt_id, row[0], row[1], row[2], row[3], row[4]],
    )?;
    Ok(())
}

/// Writes a sale's points: the lapse, the redemption (its own discount
/// line, `line_no`), the points earned, the balance and the receipt's row.
pub(crate) fn write_points(
    tx: &Connection,
    member_id: i64,
    receipt_id: i64,
    plan: &PointsPlan,
    earned: i64,
    line_no: i64,
    now_ms: i64,
) -> Result<()> {
    if plan.rules.is_none() || (plan.expired == 0 && plan.redeemed == 0 && earned == 0) {
        return Ok(());
    }
    if plan.redeemed > 0 {
        tx.execute(
            "INSERT INTO receipt_discounts (receipt_id, line_no, coupon_id, code, description, amount_minor, extra_stamps, points)
             VALUES (?1, ?2, NULL, '', '', ?3, 0, ?4)",
            params![receipt_id, line_no, plan.value_minor, plan.redeemed],
        )?;
    }
    ledger_row(tx, member_id, receipt_id, "expire", -plan.expired, now_ms)?;
    ledger_row(tx, member_id, receipt_id, "redeem", -plan.redeemed, now_ms)?;
    ledger_row(tx, member_id, receipt_id, "earn", earned, now_ms)?;
    let after = plan.before - plan.expired - plan.redeemed + earned;
    set_balance(tx, member_id, after)?;
    receipt_row(tx, receipt_id, [plan.before, earned, plan.redeemed, plan.expired, after])
}

/// A void gives back the points the sale redeemed and takes back those it
/// earned (points that lapsed on it stay lapsed); refused when the earned
/// points have been redeemed since.
pub(crate) fn void_points(tx: &Connection, original: &Receipt, void_receipt_id: i64, now_ms: i64) -> Result<()> {
    let Some(p) = &original.points else { return Ok(()) };
    let net: i64 = tx.query_row(
        "SELECT COALESCE(SUM(delta), 0) FROM points_ledger WHERE receipt_id = ?1 AND kind IN ('earn', 'redeem')",
        [original.id],
        |r| r.get(0),
    )?;
    let before = balance(tx, original.member_id)?;
    let after = before - net;
    if after < 0 {
        return Err(Error::PointsSpentSince { receipt: original.number });
    }
    ledger_row(tx, original.member_id, void_receipt_id, "void", -net, now_ms)?;
    set_balance(tx, original.member_id, after)?;
    receipt_row(tx, void_receipt_id, [before, -p.earned, -p.redeemed, 0, after])
}

/// Members whose points disagree with their ledger: (member, held, ledger).
pub(crate) fn ledger_mismatches(conn: &Connection) -> Result<Vec<(i64, i64, i64)>> {
    if !super::has_points_schema(conn)? {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare(
        "SELECT m.id, COALESCE(p.points, 0), (SELECT COALESCE(SUM(l.delta), 0) FROM points_ledger l WHERE l.member_id = m.id)
         FROM members m LEFT JOIN member_points p ON p.member_id = m.id",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (id, held, ledger): (i64, i64, i64) = row?;
        if held != ledger {
            out.push((id, held, ledger));
        }
    }
    Ok(out)
}

impl Store {
    /// The shop's points rules.
    pub fn points_settings(&self) -> Result<PointsSettings> {
        load_rules(self.conn())?.ok_or_else(|| Error::InvalidInput {
            field: "points",
            reason: "this database is from before points (schema 12)".into(),
        })
    }

    /// Sets the shop's points rules (the owner's). Points already held keep
    /// their age; a new expiry applies to them from the next sale.
    pub fn set_points_settings(&mut self, settings: &PointsSettings, now: DateTime<Utc>) -> Result<PointsSettings> {
        settings.validate()?;
        self.write(Act::PointsSettings, now, |tx, guard| {
            guard.set("before", load_rules(tx)?);
            tx.execute(
                "UPDATE points_settings SET earn_per_minor = ?1, point_value_minor = ?2, expiry_days = ?3, updated_at = ?4
                 WHERE id = 1",
                params![settings.earn_per_minor, settings.point_value_minor, settings.expiry_days, now.timestamp_millis()],
            )?;
            Ok(*settings)
        })
    }

    /// A member's points that can be redeemed at `now` (lapsed ones left out).
    pub fn member_points(&self, member_id: i64, now: DateTime<Utc>) -> Result<i64> {
        super::members::load_member(self.conn(), member_id)?;
        Ok(usable_points(self.conn(), member_id, now.timestamp_millis())?.unwrap_or(0))
    }
}

/// A member's points that can be redeemed at `now_ms`; `None` when the shop
/// gives no points.
pub(crate) fn usable_points(conn: &Connection, member_id: i64, now_ms: i64) -> Result<Option<i64>> {
    let Some(rules) = load_rules(conn)? else { return Ok(None) };
    let held = balance(conn, member_id)?;
    Ok(Some(held - lapsed(conn, member_id, &rules, held, now_ms)?))
}
