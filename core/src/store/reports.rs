//! Owner's money reports and the ledger audit.

use super::{load_settings, Store};
use crate::error::Result;
use chrono::NaiveDate;
use rusqlite::params;
use serde::Serialize;

/// Stored value held for customers over one shop day: opening + top-ups +
/// bonus issued − spends − refunds − forfeits ± adjustments ± voids = closing.
/// Paid and bonus parts are reported apart; the paid part is the money the
/// shop owes its customers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FloatReport {
    pub date: NaiveDate,
    pub currency: crate::money::Currency,
    pub opening: FloatParts,
    pub top_ups: FloatParts,
    pub spends: FloatParts,
    pub refunds: FloatParts,
    pub forfeits: FloatParts,
    pub adjustments: FloatParts,
    pub voids: FloatParts,
    pub closing: FloatParts,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FloatParts {
    pub paid_minor: i64,
    pub bonus_minor: i64,
}

impl FloatParts {
    pub fn total(&self) -> i64 {
        self.paid_minor + self.bonus_minor
    }
}

impl FloatReport {
    /// Whether the movements explain the change from opening to closing.
    pub fn balances(&self) -> bool {
        let moves = [self.top_ups, self.spends, self.refunds, self.forfeits, self.adjustments, self.voids];
        let paid: i64 = self.opening.paid_minor + moves.iter().map(|m| m.paid_minor).sum::<i64>();
        let bonus: i64 = self.opening.bonus_minor + moves.iter().map(|m| m.bonus_minor).sum::<i64>();
        paid == self.closing.paid_minor && bonus == self.closing.bonus_minor
    }
}

/// The members' side of one shop day, for closing the till: what each kind
/// of receipt came to, the money taken per payment method (what should be
/// in the drawer or on the card terminal), stamps, new members, and the
/// stored value held. Voids count on the day they are made, against the
/// kind of receipt they undo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DayClose {
    pub date: NaiveDate,
    pub currency: crate::money::Currency,
    /// Sales made this day (their total, whatever they were paid with).
    pub sales: KindTotal,
    /// Top-ups made this day: the money paid (bonus apart).
    pub top_ups: KindTotal,
    /// Bonus stored value given with this day's top-ups.
    pub bonus_given_minor: i64,
    /// Stored value paid back to customers (a positive amount).
    pub refunds: KindTotal,
    /// Voids made this day of sales and of top-ups (positive amounts:
    /// what was undone).
    pub voided_sales: KindTotal,
    pub voided_top_ups: KindTotal,
    /// Manual corrections of stored value (net, either sign).
    pub adjustments: KindTotal,
    /// Rewards redeemed (receipts of their own or with a sale).
    pub rewards_redeemed: i64,
    pub stamps_given: i64,
    pub new_members: i64,
    /// One row per payment method used this day, in a fixed order.
    pub methods: Vec<MethodTotal>,
    /// Stored value held for customers: opening, movements, closing.
    pub float: FloatReport,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KindTotal {
    pub count: i64,
    pub amount_minor: i64,
}

/// Money by payment method over the day. `net_minor` = sales + top-ups −
/// refunds − voids: for cash, what the drawer should hold beyond its float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MethodTotal {
    pub method: crate::receipt::PaymentMethod,
    pub sales_minor: i64,
    pub top_ups_minor: i64,
    pub refunds_minor: i64,
    pub voids_minor: i64,
    pub net_minor: i64,
}

impl Store {
    /// The day's close, in one read transaction so every figure is of the
    /// same moment even while the counter sells.
    pub fn day_close(&self, date: NaiveDate) -> Result<DayClose> {
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
            rewards_redeemed: 0,
            stamps_given: 0,
            new_members: 0,
            methods: Vec::new(),
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
                ("void", Some("sale")) => close.voided_sales = KindTotal { count, amount_minor: -total },
                ("void", Some("top_up")) => close.voided_top_ups = KindTotal { count, amount_minor: -total },
                _ => {}
            }
        }
        // Money by method and receipt kind.
        let mut stmt = conn.prepare_cached(
            "SELECT p.method, r.kind, COALESCE(SUM(p.amount_minor), 0)
             FROM receipts r JOIN receipt_payments p ON p.receipt_id = r.id
             WHERE r.created_at >= ?1 AND r.created_at < ?2
             GROUP BY p.method, r.kind",
        )?;
        let rows = stmt.query_map(params![start, end], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?))
        })?;
        for row in rows {
            let (method, kind, amount) = row?;
            let method = crate::receipt::PaymentMethod::parse(&method)?;
            let at = match close.methods.iter().position(|m| m.method == method) {
                Some(at) => at,
                None => {
                    close.methods.push(MethodTotal {
                        method,
                        sales_minor: 0,
                        top_ups_minor: 0,
                        refunds_minor: 0,
                        voids_minor: 0,
                        net_minor: 0,
                    });
                    close.methods.len() - 1
                }
            };
            let m = &mut close.methods[at];
            match kind.as_str() {
                "sale" => m.sales_minor += amount,
                "top_up" => m.top_ups_minor += amount,
                "refund" => m.refunds_minor -= amount,
                "void" => m.voids_minor -= amount,
                _ => {}
            }
            m.net_minor += amount;
        }
        close.methods.sort_by_key(|m| method_order(m.method));
        let (given, redeemed): (i64, i64) = conn.query_row(
            "SELECT COALESCE(SUM(s.earned), 0), COALESCE(SUM(s.redeemed), 0)
             FROM receipts r JOIN receipt_stamps s ON s.receipt_id = r.id
             WHERE r.created_at >= ?1 AND r.created_at < ?2",
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

impl Store {
    /// The day close as a PDF for `paper` (the shop's receipt paper when
    /// `None`), in `lang`, stamped with the time it was printed.
    pub fn day_close_pdf(
        &self,
        date: NaiveDate,
        paper: Option<crate::settings::PaperSize>,
        lang: crate::pdf::ReceiptLanguage,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<crate::pdf::RenderedReceipt> {
        let day = self.day_close(date)?;
        let settings = load_settings(self.conn())?;
        let font = crate::pdf::receipt_font(&settings.receipt_font_path)?;
        let paper = paper.unwrap_or(settings.receipt_paper);
        Ok(crate::pdf::day_close::render_day_close(&day, &settings, paper, lang, &font, now))
    }
}

fn method_order(method: crate::receipt::PaymentMethod) -> u8 {
    use crate::receipt::PaymentMethod::*;
    match method {
        Cash => 0,
        Card => 1,
        StoredValue => 2,
        Other => 3,
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
        let mut stmt = conn.prepare(
            "SELECT m.id, m.visit_count, m.spend_minor,
                    (SELECT count(*) FROM receipts r WHERE r.member_id = m.id AND r.kind = 'sale'
                       AND NOT EXISTS (SELECT 1 FROM receipts v WHERE v.voids_receipt_id = r.id)),
                    (SELECT COALESCE(SUM(r.total_minor), 0) FROM receipts r WHERE r.member_id = m.id AND r.kind = 'sale'
                       AND NOT EXISTS (SELECT 1 FROM receipts v WHERE v.voids_receipt_id = r.id))
             FROM members m",
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
        // The owner's per-member aggregates and tiers, kept at checkout.
        out.extend(self.owner_aggregate_mismatches()?);
        Ok(out)
    }
}
