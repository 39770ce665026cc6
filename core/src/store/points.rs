//! Points in the store: the shop's rules, a member's balance, the points a
//! sale moves (`plan_points`, `write_points`) and a void's reversal
//! (`void_points`). Every movement is a `points_ledger` row on the
//! receipt, written in the operation's own transaction; `member_points`
//! holds what the ledger sums to. Rows that add points are batches dated
//! with their last usable day when written (schema 14); rows that take
//! points use the batches oldest first (`crate::points::points_state`).

use super::Store;
use crate::error::{Error, Result};
use crate::points::{
    check_redemption, expires_on_from_text, expires_on_text, points_state, Expiring, PointsSettings, PointsState,
};
use crate::receipt::Receipt;
use crate::staff::Act;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

/// A member's points as the card and checkout show them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MemberPoints {
    /// Points that can be redeemed now (lapsed ones left out).
    pub points: i64,
    /// The usable points that lapse first, if any ever do.
    pub next_expiry: Option<Expiring>,
}

pub(crate) fn load_rules(conn: &Connection) -> Result<Option<PointsSettings>> {
    if !super::has_points_schema(conn)? {
        return Ok(None);
    }
    Ok(Some(conn.query_row(
        "SELECT earn_per_minor, point_value_minor, expiry_months, max_redeem_percent, birthday_multiplier_pct
         FROM points_settings WHERE id = 1",
        [],
        |r| {
            Ok(PointsSettings {
                earn_per_minor: r.get(0)?,
                point_value_minor: r.get(1)?,
                expiry_months: r.get(2)?,
                max_redeem_percent: r.get(3)?,
                birthday_multiplier_pct: r.get(4)?,
            })
        },
    )?))
}

pub(crate) fn balance(conn: &Connection, member_id: i64) -> Result<i64> {
    Ok(conn
        .query_row("SELECT points FROM member_points WHERE member_id = ?1", [member_id], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

/// The shop's calendar day at `now`.
pub(crate) fn shop_today(conn: &Connection, now: DateTime<Utc>) -> Result<NaiveDate> {
    Ok(super::load_settings(conn)?.local_date(now))
}

/// A member's points on shop day `today`, from the ledger.
pub(crate) fn state(conn: &Connection, member_id: i64, today: NaiveDate) -> Result<PointsState> {
    let mut stmt = conn.prepare_cached(
        "SELECT expires_on, SUM(delta) FROM points_ledger
         WHERE member_id = ?1 AND expires_on IS NOT NULL GROUP BY expires_on",
    )?;
    let batches = stmt
        .query_map([member_id], |r| Ok((expires_on_from_text(&r.get::<_, String>(0)?), r.get::<_, i64>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let taken: i64 = conn.query_row(
        "SELECT -COALESCE(SUM(delta), 0) FROM points_ledger WHERE member_id = ?1 AND expires_on IS NULL",
        [member_id],
        |r| r.get(0),
    )?;
    Ok(points_state(&batches, taken, today))
}

/// The multiplier a member earns at on shop day `today`: their tier's,
/// times the birthday month's.
fn multiplier_pct(conn: &Connection, rules: &PointsSettings, member_id: i64, today: NaiveDate) -> Result<i64> {
    let (tier_pct, birthday_month): (Option<i64>, Option<u32>) = conn.query_row(
        "SELECT (SELECT t.points_multiplier_pct FROM tiers t WHERE t.name = m.tier), m.birthday_month
         FROM members m WHERE m.id = ?1",
        [member_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(rules.multiplier_pct(tier_pct.unwrap_or(100), birthday_month == Some(today.month())))
}

/// A sale's points, planned before anything is written.
pub(crate) struct PointsPlan {
    pub(crate) before: i64,
    pub(crate) expired: i64,
    pub(crate) redeemed: i64,
    pub(crate) value_minor: i64,
    pub(crate) rules: Option<PointsSettings>,
    multiplier_pct: i64,
    today: NaiveDate,
}

impl PointsPlan {
    /// The points earned on `paid_minor`, the sale's total after every discount.
    pub(crate) fn earned_on(&self, paid_minor: i64) -> i64 {
        self.rules.map_or(0, |r| r.earned_on(paid_minor, self.multiplier_pct))
    }
}

/// Checks a redemption of `points` against the member's balance (lapsed
/// points taken off first) and what is `left_minor` to pay.
pub(crate) fn plan_points(
    tx: &Connection,
    member_id: i64,
    points: i64,
    left_minor: i64,
    now: DateTime<Utc>,
) -> Result<PointsPlan> {
    let today = shop_today(tx, now)?;
    let Some(rules) = load_rules(tx)? else {
        if points != 0 {
            return Err(Error::InsufficientPoints { balance: 0, needed: points });
        }
        return Ok(PointsPlan {
            before: 0,
            expired: 0,
            redeemed: 0,
            value_minor: 0,
            rules: None,
            multiplier_pct: 100,
            today,
        });
    };
    let before = balance(tx, member_id)?;
    let expired = state(tx, member_id, today)?.lapsed;
    let value_minor = if points == 0 { 0 } else { check_redemption(&rules, points, before - expired, left_minor)? };
    let multiplier_pct = multiplier_pct(tx, &rules, member_id, today)?;
    Ok(PointsPlan { before, expired, redeemed: points, value_minor, rules: Some(rules), multiplier_pct, today })
}

/// A ledger row; `expires_on` for a row that adds points (a batch).
fn ledger_row(
    tx: &Connection,
    member_id: i64,
    receipt_id: i64,
    kind: &str,
    delta: i64,
    expires_on: Option<NaiveDate>,
    now_ms: i64,
) -> Result<()> {
    if delta != 0 {
        tx.execute(
            "INSERT INTO points_ledger (member_id, receipt_id, kind, delta, expires_on, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![member_id, receipt_id, kind, delta, expires_on.map(expires_on_text), now_ms],
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

/// The receipt's points row: before, earned, redeemed, expired, after, and
/// what lapses next as the member's ledger stands after it.
fn receipt_row(tx: &Connection, member_id: i64, receipt_id: i64, row: [i64; 5], today: NaiveDate) -> Result<()> {
    let next = state(tx, member_id, today)?.next;
    tx.execute(
        "INSERT INTO receipt_points (receipt_id, points_before, earned, redeemed, expired, points_after,
           expiring_points, expiring_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            receipt_id,
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            next.map_or(0, |n| n.points),
            next.map(|n| expires_on_text(n.last_day))
        ],
    )?;
    Ok(())
}

/// Writes a sale's points: the lapse, the redemption (its own discount
/// line, `line_no`), the points earned (a batch dated by the rule of
/// today), the balance and the receipt's row.
pub(crate) fn write_points(
    tx: &Connection,
    member_id: i64,
    receipt_id: i64,
    plan: &PointsPlan,
    earned: i64,
    line_no: i64,
    now_ms: i64,
) -> Result<()> {
    let Some(rules) = plan.rules else { return Ok(()) };
    if plan.expired == 0 && plan.redeemed == 0 && earned == 0 {
        return Ok(());
    }
    if plan.redeemed > 0 {
        tx.execute(
            "INSERT INTO receipt_discounts (receipt_id, line_no, coupon_id, code, description, amount_minor, extra_stamps, points)
             VALUES (?1, ?2, NULL, '', '', ?3, 0, ?4)",
            params![receipt_id, line_no, plan.value_minor, plan.redeemed],
        )?;
    }
    ledger_row(tx, member_id, receipt_id, "expire", -plan.expired, None, now_ms)?;
    ledger_row(tx, member_id, receipt_id, "redeem", -plan.redeemed, None, now_ms)?;
    ledger_row(tx, member_id, receipt_id, "earn", earned, Some(rules.expires_on(plan.today)), now_ms)?;
    let after = plan.before - plan.expired - plan.redeemed + earned;
    set_balance(tx, member_id, after)?;
    receipt_row(tx, member_id, receipt_id, [plan.before, earned, plan.redeemed, plan.expired, after], plan.today)
}

/// Gives `points` to a member on a receipt of its own (a referral reward):
/// a batch dated by today's rule, the balance and the receipt's row.
pub(crate) fn give_points(
    tx: &Connection,
    member_id: i64,
    receipt_id: i64,
    points: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    let rules = load_rules(tx)?.ok_or_else(|| Error::InvalidInput {
        field: "points",
        reason: "this database is from before points (schema 14)".into(),
    })?;
    let today = shop_today(tx, now)?;
    let before = balance(tx, member_id)?;
    ledger_row(tx, member_id, receipt_id, "earn", points, Some(rules.expires_on(today)), now.timestamp_millis())?;
    set_balance(tx, member_id, before + points)?;
    receipt_row(tx, member_id, receipt_id, [before, points, 0, 0, before + points], today)
}

/// A void gives back the points the sale redeemed and takes back those it
/// earned (points that lapsed on it stay lapsed); refused when the earned
/// points have been redeemed since. The earned batch is taken back from
/// its own day; the points given back are a batch dated as points earned on
/// the day of the sale would be by today's rule (never, without expiry).
pub(crate) fn void_points(tx: &Connection, original: &Receipt, void_receipt_id: i64, now: DateTime<Utc>) -> Result<()> {
    let Some(p) = &original.points else { return Ok(()) };
    let today = shop_today(tx, now)?;
    let now_ms = now.timestamp_millis();
    let rules = load_rules(tx)?.unwrap_or(PointsSettings {
        earn_per_minor: 0,
        point_value_minor: 1,
        expiry_months: None,
        max_redeem_percent: 100,
        birthday_multiplier_pct: 100,
    });
    let mut earned_batches = tx.prepare(
        "SELECT expires_on, SUM(delta) FROM points_ledger WHERE receipt_id = ?1 AND kind = 'earn' GROUP BY expires_on",
    )?;
    let earned: Vec<(Option<String>, i64)> =
        earned_batches.query_map([original.id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    let redeemed: i64 = -tx.query_row(
        "SELECT COALESCE(SUM(delta), 0) FROM points_ledger WHERE receipt_id = ?1 AND kind = 'redeem'",
        [original.id],
        |r| r.get::<_, i64>(0),
    )?;
    let net = earned.iter().map(|e| e.1).sum::<i64>() - redeemed;
    let before = balance(tx, original.member_id)?;
    let after = before - net;
    if after < 0 {
        return Err(Error::PointsSpentSince { receipt: original.number });
    }
    for (expires_on, points) in &earned {
        let day = expires_on.as_deref().map(expires_on_from_text).unwrap_or(crate::points::NEVER_LAPSES);
        ledger_row(tx, original.member_id, void_receipt_id, "void", -points, Some(day), now_ms)?;
    }
    let sale_day =
        super::load_settings(tx)?.local_date(DateTime::from_timestamp_millis(original.created_at).unwrap_or(now));
    ledger_row(tx, original.member_id, void_receipt_id, "void", redeemed, Some(rules.expires_on(sale_day)), now_ms)?;
    set_balance(tx, original.member_id, after)?;
    receipt_row(tx, original.member_id, void_receipt_id, [before, -p.earned, -p.redeemed, 0, after], today)
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
            reason: "this database is from before points (schema 14)".into(),
        })
    }

    /// Sets the shop's points rules (the owner's). Points already earned
    /// keep the last day they were given; a new expiry applies to points
    /// earned from now on.
    pub fn set_points_settings(&mut self, settings: &PointsSettings, now: DateTime<Utc>) -> Result<PointsSettings> {
        settings.validate()?;
        self.write(Act::PointsSettings, now, |tx, guard| {
            guard.set("before", load_rules(tx)?);
            tx.execute(
                "UPDATE points_settings SET earn_per_minor = ?1, point_value_minor = ?2, expiry_months = ?3,
                   max_redeem_percent = ?4, birthday_multiplier_pct = ?5, updated_at = ?6
                 WHERE id = 1",
                params![
                    settings.earn_per_minor,
                    settings.point_value_minor,
                    settings.expiry_months,
                    settings.max_redeem_percent,
                    settings.birthday_multiplier_pct,
                    now.timestamp_millis()
                ],
            )?;
            Ok(*settings)
        })
    }

    /// A member's points that can be redeemed at `now` (lapsed ones left
    /// out), and those that lapse next.
    pub fn member_points(&self, member_id: i64, now: DateTime<Utc>) -> Result<MemberPoints> {
        let known: bool =
            self.conn().query_row("SELECT EXISTS (SELECT 1 FROM members WHERE id = ?1)", [member_id], |r| r.get(0))?;
        if !known {
            return Err(Error::MemberNotFound(member_id.to_string()));
        }
        if load_rules(self.conn())?.is_none() {
            return Ok(MemberPoints { points: 0, next_expiry: None });
        }
        let s = state(self.conn(), member_id, shop_today(self.conn(), now)?)?;
        Ok(MemberPoints { points: s.usable(), next_expiry: s.next })
    }
}

/// A member's points that can be redeemed at `now`; `None` when the file
/// has no points.
pub(crate) fn usable_points(conn: &Connection, member_id: i64, today: NaiveDate) -> Result<Option<i64>> {
    if load_rules(conn)?.is_none() {
        return Ok(None);
    }
    Ok(Some(state(conn, member_id, today)?.usable()))
}
