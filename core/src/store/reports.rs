//! Owner's money reports and the ledger audit.

use super::{load_settings, Store};
use crate::day_close::{method_row, DayClose, DrawerCount, FloatReport, KindTotal, MethodTotal, StaffMoney};
use crate::error::{Error, Result};
use crate::money::MAX_AMOUNT_MINOR;
use crate::receipt::PaymentMethod;
use crate::request::{check_request_id, clean_note};
use crate::staff::Act;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

// store/owner.rs names it `super::reports::FloatParts`; the type lives in `crate::day_close`.
pub(crate) use crate::day_close::FloatParts;

/// A count of the drawer for the shop day `date`.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DrawerCountRequest {
    pub request_id: String,
    pub date: NaiveDate,
    pub float_minor: i64,
    pub counted_minor: i64,
    pub cashier: String,
    #[serde(default)]
    pub note: String,
}

/// A cash amount that may be zero but not negative.
fn cash_amount(field: &'static str, value: i64) -> Result<i64> {
    if value < 0 {
        return Err(Error::AmountNegative { field, value });
    }
    if value > MAX_AMOUNT_MINOR {
        return Err(Error::AmountTooLarge { field, value, max: MAX_AMOUNT_MINOR });
    }
    Ok(value)
}

/// The cash the receipts of `[start, end)` moved (every cash-kind method).
fn cash_between(conn: &Connection, start: i64, end: i64) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT COALESCE(SUM(p.amount_minor), 0) FROM receipts r JOIN receipt_payments p ON p.receipt_id = r.id
         WHERE r.created_at >= ?1 AND r.created_at < ?2 AND p.method = 'cash'",
        params![start, end],
        |r| r.get(0),
    )?)
}

const DRAWER_COLUMNS: &str =
    "id, shop_day, float_minor, counted_minor, expected_minor, over_short_minor, cashier, note, counted_at";

fn drawer_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(DrawerCount, String)> {
    let day: String = r.get(1)?;
    Ok((
        DrawerCount {
            id: r.get(0)?,
            date: NaiveDate::MIN,
            float_minor: r.get(2)?,
            counted_minor: r.get(3)?,
            expected_minor: r.get(4)?,
            over_short_minor: r.get(5)?,
            cashier: r.get(6)?,
            note: r.get(7)?,
            counted_at: r.get(8)?,
        },
        day,
    ))
}

fn with_date((count, day): (DrawerCount, String)) -> Result<DrawerCount> {
    let date = day.parse::<NaiveDate>().map_err(|_| Error::InvalidDate(day.clone()))?;
    Ok(DrawerCount { date, ..count })
}

/// The latest count of `date`'s drawer and how many counts it had.
fn latest_drawer_count(conn: &Connection, date: NaiveDate) -> Result<(Option<DrawerCount>, i64)> {
    let day = date.to_string();
    let latest = conn
        .query_row(
            &format!("SELECT {DRAWER_COLUMNS} FROM drawer_counts WHERE shop_day = ?1 ORDER BY id DESC LIMIT 1"),
            [&day],
            drawer_row,
        )
        .optional()?
        .map(with_date)
        .transpose()?;
    let counts = conn.query_row("SELECT COUNT(*) FROM drawer_counts WHERE shop_day = ?1", [&day], |r| r.get(0))?;
    Ok((latest, counts))
}

impl Store {
    /// Records a count of the cash drawer for `req.date`: the float it
    /// opened with and the cash counted. The over/short is counted −
    /// (float + the day's cash) and is kept with the count. A recount is a
    /// new row; repeating a request changes nothing. Returns the day close.
    pub fn count_drawer(&mut self, req: &DrawerCountRequest, now: DateTime<Utc>) -> Result<DayClose> {
        check_request_id(&req.request_id)?;
        let float = cash_amount("opening float", req.float_minor)?;
        let counted = cash_amount("counted cash", req.counted_minor)?;
        let note = clean_note("note", &req.note)?;
        let date = self.write(Act::CountDrawer, now, |tx, guard| {
            let earlier: Option<String> = tx
                .query_row("SELECT shop_day FROM drawer_counts WHERE request_id = ?1", [&req.request_id], |r| r.get(0))
                .optional()?;
            if let Some(day) = earlier {
                if day != req.date.to_string() {
                    return Err(Error::RequestIdReused(req.request_id.clone()));
                }
                guard.replayed();
                return Ok(req.date);
            }
            let cashier = guard.signature(&req.cashier)?.name;
            guard.request(&req.request_id);
            guard.set("day", req.date.to_string());
            let settings = load_settings(tx)?;
            let (start, end) = settings.day_bounds_ms(req.date);
            let expected = float + cash_between(tx, start, end)?;
            tx.execute(
                "INSERT INTO drawer_counts (request_id, shop_day, float_minor, counted_minor, expected_minor, over_short_minor,
                   cashier, note, counted_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    req.request_id,
                    req.date.to_string(),
                    float,
                    counted,
                    expected,
                    counted - expected,
                    cashier,
                    note,
                    now.timestamp_millis()
                ],
            )?;
            Ok(req.date)
        })?;
        self.day_close(date)
    }

    /// Every count of `date`'s drawer, oldest first.
    pub fn drawer_counts(&self, date: NaiveDate) -> Result<Vec<DrawerCount>> {
        let mut stmt = self
            .conn()
            .prepare_cached(&format!("SELECT {DRAWER_COLUMNS} FROM drawer_counts WHERE shop_day = ?1 ORDER BY id"))?;
        let rows = stmt.query_map([date.to_string()], drawer_row)?;
        rows.map(|row| with_date(row?)).collect()
    }

    /// The drawer's over/short summed over the shop days `from..=to`, each
    /// day by its latest count (a recount replaces the count before it).
    pub fn drawer_over_short(&self, from: NaiveDate, to: NaiveDate) -> Result<i64> {
        Ok(self.conn().query_row(
            "SELECT COALESCE(SUM(c.over_short_minor), 0) FROM drawer_counts c
             WHERE c.shop_day >= ?1 AND c.shop_day <= ?2
               AND c.id = (SELECT MAX(l.id) FROM drawer_counts l WHERE l.shop_day = c.shop_day)",
            params![from.to_string(), to.to_string()],
            |r| r.get(0),
        )?)
    }
}

impl Store {
    /// The day's close, in one read transaction so every figure is of the
    /// same moment even while the counter sells.
    pub fn day_close(&self, date: NaiveDate) -> Result<DayClose> {
        self.require_read(Act::CountDrawer)?;
        let conn = self.conn();
        let snapshot = if conn.is_autocommit() { Some(conn.unchecked_transaction()?) } else { None };
        let settings = load_settings(conn)?;
        let (start, end) = settings.day_bounds_ms(date);
        let mut close = DayClose {
            date,
            currency: settings.currency.clone(),
            sales: KindTotal::default(),
            top_ups: KindTotal::default(),
            bonus_given_minor: 0,
            refunds: KindTotal::default(),
            voided_sales: KindTotal::default(),
            voided_top_ups: KindTotal::default(),
            adjustments: KindTotal::default(),
            opening_balances: KindTotal::default(),
            rewards_redeemed: 0,
            stamps_given: 0,
            new_members: 0,
            methods: Vec::new(),
            by_staff: Vec::new(),
            cash_minor: 0,
            drawer: None,
            drawer_counts: 0,
            drawer_outdated: false,
            float: self.float_report(date)?,
        };
        // Receipts by kind; a void by the kind it undoes.
        let mut stmt = conn.prepare_cached(
            "SELECT r.kind, o.kind, COUNT(*), COALESCE(SUM(r.total_minor), 0), COALESCE(SUM(r.bonus_minor), 0)
             FROM receipts r LEFT JOIN receipts o ON o.id = r.voids_receipt_id
             WHERE r.created_at >= ?1 AND r.created_at < ?2
             GROUP BY r.kind, o.kind",
        )?;
        let rows = stmt.query_map(params![start, end], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })?;
        for row in rows {
            let (kind, undoes, count, total, bonus) = row?;
            let line = KindTotal { count, amount_minor: total };
            match (kind.as_str(), undoes.as_deref()) {
                ("sale", _) => close.sales = line,
                ("top_up", _) => {
                    close.top_ups = line;
                    close.bonus_given_minor = bonus;
                }
                ("refund", _) => close.refunds = KindTotal { count, amount_minor: -total },
                // A correction's stored value moves by both parts together.
                ("adjust", _) => close.adjustments = KindTotal { count, amount_minor: total + bonus },
                ("opening", _) => close.opening_balances = KindTotal { count, amount_minor: total + bonus },
                ("void", Some("sale")) => close.voided_sales = KindTotal { count, amount_minor: -total },
                ("void", Some("top_up")) => close.voided_top_ups = KindTotal { count, amount_minor: -total },
                _ => {}
            }
        }
        // Money by who took it, the shop's method and receipt kind, under
        // each method's current name and the staff member's name.
        let staffed = super::has_staff_schema(conn)?;
        let by = if staffed { "COALESCE(s.name, r.cashier)" } else { "r.cashier" };
        let join = if staffed { "LEFT JOIN staff s ON s.id = r.staff_id" } else { "" };
        let staff_id = if staffed { "r.staff_id" } else { "NULL" };
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT p.method, p.method_id, COALESCE(m.name, ''), r.kind, {by}, {staff_id}, COALESCE(SUM(p.amount_minor), 0)
             FROM receipts r JOIN receipt_payments p ON p.receipt_id = r.id
             LEFT JOIN payment_methods m ON m.id = p.method_id {join}
             WHERE r.created_at >= ?1 AND r.created_at < ?2
             GROUP BY p.method, p.method_id, r.kind, {by}, {staff_id}"
        ))?;
        let rows = stmt.query_map(params![start, end], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<i64>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<i64>>(5)?,
                r.get::<_, i64>(6)?,
            ))
        })?;
        for row in rows {
            let (method, method_id, name, kind, staff, staff_id, amount) = row?;
            let method = PaymentMethod::parse(&method)?;
            method_row(&mut close.methods, method, method_id, &name).add(&kind, amount);
            let at = match close.by_staff.iter().position(|s| s.staff == staff && s.staff_id == staff_id) {
                Some(at) => at,
                None => {
                    close.by_staff.push(StaffMoney { staff, staff_id, methods: Vec::new(), net_minor: 0 });
                    close.by_staff.len() - 1
                }
            };
            let person = &mut close.by_staff[at];
            method_row(&mut person.methods, method, method_id, &name).add(&kind, amount);
            person.net_minor += amount;
        }
        let order: Vec<i64> = super::payment_methods::load_payment_methods(conn)?.iter().map(|m| m.id).collect();
        let in_order =
            |m: &MethodTotal| m.method_id.and_then(|id| order.iter().position(|o| *o == id)).unwrap_or(usize::MAX);
        close.methods.sort_by_key(in_order);
        for person in &mut close.by_staff {
            person.methods.sort_by_key(in_order);
        }
        close.by_staff.sort_by(|a, b| a.staff.cmp(&b.staff));
        close.cash_minor = close.methods.iter().filter(|m| m.method == PaymentMethod::Cash).map(|m| m.net_minor).sum();
        let (drawer, counts) = latest_drawer_count(conn, date)?;
        close.drawer_outdated = drawer.as_ref().is_some_and(|d| d.expected_minor != d.float_minor + close.cash_minor);
        close.drawer = drawer;
        close.drawer_counts = counts;
        let (given, redeemed): (i64, i64) = conn.query_row(
            "SELECT COALESCE(SUM(s.earned), 0), COALESCE(SUM(s.redeemed), 0)
             FROM receipts r JOIN receipt_stamps s ON s.receipt_id = r.id
             WHERE r.created_at >= ?1 AND r.created_at < ?2 AND r.kind <> 'opening'",
            params![start, end],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        close.stamps_given = given;
        close.rewards_redeemed = redeemed;
        close.new_members = conn.query_row(
            "SELECT COUNT(*) FROM members WHERE created_at >= ?1 AND created_at < ?2",
            params![start, end],
            |r| r.get(0),
        )?;
        drop(snapshot);
        Ok(close)
    }
}

/// A place where derived state disagrees with its ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LedgerMismatch {
    pub member_id: i64,
    pub what: String,
    pub stored: i64,
    pub ledger: i64,
}

impl Store {
    pub fn float_report(&self, date: NaiveDate) -> Result<FloatReport> {
        self.require_read(Act::CountDrawer)?;
        let conn = self.conn();
        let settings = load_settings(conn)?;
        let (start, end) = settings.day_bounds_ms(date);
        let sum = |sql_where: &str, p: &[&dyn rusqlite::ToSql]| -> Result<FloatParts> {
            let sql = format!(
                "SELECT COALESCE(SUM(paid_delta_minor), 0), COALESCE(SUM(bonus_delta_minor), 0) FROM wallet_ledger WHERE {sql_where}"
            );
            Ok(conn.query_row(&sql, p, |r| Ok(FloatParts { paid_minor: r.get(0)?, bonus_minor: r.get(1)? }))?)
        };
        let during = |kind: &str| sum("kind = ?1 AND created_at >= ?2 AND created_at < ?3", params![kind, start, end]);
        Ok(FloatReport {
            date,
            currency: settings.currency.clone(),
            opening: sum("created_at < ?1", params![start])?,
            top_ups: during("top_up")?,
            spends: during("spend")?,
            refunds: during("refund")?,
            forfeits: during("forfeit")?,
            adjustments: during("adjust")?,
            voids: during("void")?,
            brought_in: during("opening")?,
            closing: sum("created_at < ?1", params![end])?,
        })
    }

    /// Checks every member's balances, stamps and visit counters against
    /// their ledgers and receipts, and receipt numbers for gaps. Empty
    /// when all is well.
    pub fn audit(&self) -> Result<Vec<LedgerMismatch>> {
        let conn = self.conn();
        let mut out = Vec::new();
        let mut stmt = conn.prepare(
            "SELECT m.id, m.wallet_paid_minor, m.wallet_bonus_minor,
                    COALESCE(SUM(l.paid_delta_minor), 0), COALESCE(SUM(l.bonus_delta_minor), 0)
             FROM members m LEFT JOIN wallet_ledger l ON l.member_id = m.id GROUP BY m.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })?;
        for row in rows {
            let (id, paid, bonus, lp, lb) = row?;
            if paid != lp {
                out.push(LedgerMismatch {
                    member_id: id,
                    what: "stored value (paid)".into(),
                    stored: paid,
                    ledger: lp,
                });
            }
            if bonus != lb {
                out.push(LedgerMismatch {
                    member_id: id,
                    what: "stored value (bonus)".into(),
                    stored: bonus,
                    ledger: lb,
                });
            }
        }
        let mut stmt = conn.prepare(
            "SELECT c.member_id, c.program_id, c.stamps,
                    (SELECT COALESCE(SUM(delta), 0) FROM stamp_ledger l WHERE l.member_id = c.member_id AND l.program_id = c.program_id)
             FROM stamp_cards c",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?, r.get::<_, i64>(3)?))
        })?;
        for row in rows {
            let (id, program, stamps, ledger) = row?;
            if stamps != ledger {
                out.push(LedgerMismatch {
                    member_id: id,
                    what: format!("stamps of program {program}"),
                    stored: stamps,
                    ledger,
                });
            }
        }
        let orphans: i64 = conn.query_row(
            "SELECT count(*) FROM (SELECT member_id, program_id FROM stamp_ledger GROUP BY member_id, program_id
               HAVING SUM(delta) <> 0 AND NOT EXISTS (SELECT 1 FROM stamp_cards c WHERE c.member_id = stamp_ledger.member_id AND c.program_id = stamp_ledger.program_id))",
            [],
            |r| r.get(0),
        )?;
        if orphans > 0 {
            out.push(LedgerMismatch {
                member_id: 0,
                what: "stamp ledger without card".into(),
                stored: 0,
                ledger: orphans,
            });
        }
        // A purchase summary brought in by an import counts as its purchases.
        let (imported_visits, imported_spend) = if super::has_import_schema(conn)? {
            (
                " + COALESCE((SELECT h.purchases FROM member_history_summaries h WHERE h.member_id = m.id), 0)",
                " + COALESCE((SELECT h.spend_minor FROM member_history_summaries h WHERE h.member_id = m.id), 0)",
            )
        } else {
            ("", "")
        };
        let sql = format!(
            "SELECT m.id, m.visit_count, m.spend_minor,
                    (SELECT count(*) FROM receipts r WHERE r.member_id = m.id AND r.kind = 'sale'
                       AND NOT EXISTS (SELECT 1 FROM receipts v WHERE v.voids_receipt_id = r.id)){imported_visits},
                    (SELECT COALESCE(SUM(r.total_minor), 0) FROM receipts r WHERE r.member_id = m.id AND r.kind = 'sale'
                       AND NOT EXISTS (SELECT 1 FROM receipts v WHERE v.voids_receipt_id = r.id)){imported_spend}
             FROM members m"
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })?;
        for row in rows {
            let (id, visits, spend, rv, rs) = row?;
            if visits != rv {
                out.push(LedgerMismatch { member_id: id, what: "visit count".into(), stored: visits, ledger: rv });
            }
            if spend != rs {
                out.push(LedgerMismatch { member_id: id, what: "spend".into(), stored: spend, ledger: rs });
            }
        }
        let (count, max): (i64, i64) =
            conn.query_row("SELECT count(*), COALESCE(MAX(number), 0) FROM receipts", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        if count != max {
            out.push(LedgerMismatch {
                member_id: 0,
                what: "receipt numbers have gaps".into(),
                stored: max,
                ledger: count,
            });
        }
        // Each coupon's state is what its ledger's latest row says.
        for (coupon_id, state, ledger) in super::coupons::ledger_mismatches(conn)? {
            let rank = |s: &str| match s {
                "issued" => 0,
                "redeemed" => 1,
                "expired" => 2,
                _ => -1,
            };
            out.push(LedgerMismatch {
                member_id: 0,
                what: format!("coupon {coupon_id} is {state} but its ledger says {ledger}"),
                stored: rank(&state),
                ledger: rank(&ledger),
            });
        }
        // A receipt with items: its lines less its discounts are its total.
        if super::has_coupon_schema(conn)? {
            let mut stmt = conn.prepare(
                "SELECT r.member_id, r.number, r.total_minor, l.items - COALESCE(d.off, 0)
                 FROM receipts r
                 JOIN (SELECT receipt_id, SUM(amount_minor) AS items FROM receipt_lines GROUP BY receipt_id) l
                   ON l.receipt_id = r.id
                 LEFT JOIN (SELECT receipt_id, SUM(amount_minor) AS off FROM receipt_discounts GROUP BY receipt_id) d
                   ON d.receipt_id = r.id
                 WHERE r.total_minor <> l.items - COALESCE(d.off, 0)",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?, r.get::<_, i64>(3)?))
            })?;
            for row in rows {
                let (member_id, number, total, net) = row?;
                out.push(LedgerMismatch {
                    member_id,
                    what: format!("receipt {number}: lines less discounts"),
                    stored: total,
                    ledger: net,
                });
            }
        }
        // Each member's points are what their points ledger sums to.
        for (member_id, held, ledger) in super::points::ledger_mismatches(conn)? {
            out.push(LedgerMismatch { member_id, what: "points".into(), stored: held, ledger });
        }
        // The owner's per-member aggregates and tiers, kept at checkout.
        out.extend(self.owner_aggregate_mismatches()?);
        Ok(out)
    }
}
