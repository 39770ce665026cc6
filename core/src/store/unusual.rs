//! Reading what the unusual-activity rules (`analytics::unusual`) look at:
//! the receipts of a span of shop days, who wrote them, and whether a void
//! came after its day's drawer was counted.

use super::Store;
use crate::analytics::unusual::{unusual, ReceiptFact, Unusual, UnusualRules};
use crate::error::Result;
use crate::staff::Act;
use chrono::{DateTime, NaiveDate};
use rusqlite::params;
use std::collections::BTreeMap;

impl Store {
    /// Unusual activity from shop day `from` to `to` (both included), per
    /// staff member and day (the managers' and the owner's right).
    pub fn unusual_activity(&self, from: NaiveDate, to: NaiveDate, rules: UnusualRules) -> Result<Vec<Unusual>> {
        self.require_read(Act::OwnerLists)?;
        let settings = self.settings()?;
        let (start, _) = settings.day_bounds_ms(from);
        let (_, end) = settings.day_bounds_ms(to);
        let conn = self.conn();
        let day_of = |ms: i64| DateTime::from_timestamp_millis(ms).map(|t| settings.local_date(t)).unwrap_or(from);
        let mut first_count: BTreeMap<String, i64> = BTreeMap::new();
        {
            let mut stmt = conn.prepare("SELECT shop_day, MIN(counted_at) FROM drawer_counts GROUP BY shop_day")?;
            for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
                let (day, at) = row?;
                first_count.insert(day, at);
            }
        }
        let staffed = super::has_staff_schema(conn)?;
        let (by, join) = if staffed {
            ("COALESCE(s.name, r.cashier)", "LEFT JOIN staff s ON s.id = r.staff_id")
        } else {
            ("r.cashier", "")
        };
        let mut stmt = conn.prepare(&format!(
            "SELECT r.number, r.kind, r.created_at, {by}, r.member_id, m.member_no, r.total_minor + r.bonus_minor,
                    EXISTS (SELECT 1 FROM receipt_payments p WHERE p.receipt_id = r.id AND p.method = 'other'),
                    o.created_at
             FROM receipts r JOIN members m ON m.id = r.member_id {join}
             LEFT JOIN receipts o ON o.id = r.voids_receipt_id
             WHERE r.created_at >= ?1 AND r.created_at < ?2
             ORDER BY r.id"
        ))?;
        let facts = stmt
            .query_map(params![start, end], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, i64>(6)?,
                    r.get::<_, bool>(7)?,
                    r.get::<_, Option<i64>>(8)?,
                ))
            })?
            .map(|row| {
                let (number, kind, at, staff, member_id, member_no, amount_minor, paid_other, original_at) = row?;
                // The void came after the drawer of its receipt's day was counted.
                let voids_closed_day = original_at
                    .and_then(|o| first_count.get(&day_of(o).to_string()))
                    .is_some_and(|counted| *counted < at);
                Ok(ReceiptFact {
                    number,
                    kind,
                    day: day_of(at),
                    staff,
                    member_id,
                    member_no,
                    amount_minor,
                    paid_other,
                    voids_closed_day,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(unusual(&facts, rules))
    }
}
