//! Everything the shop holds, table by table, for the accountant or a move
//! to another system, or one member's data on their request: members and
//! their tags, receipts with their lines, payments and discounts, every
//! ledger (stored value, stamps, points, coupons), contacts, tier changes,
//! the catalogue, programs and offers, and the audit log. Rows are handed
//! to a sink one at a time (a shop's history does not fit in memory); the
//! files are written above the store (`crate::exports`). Times are the
//! shop's local time; money stays in minor units, named `*_minor`.

use super::{load_settings, Store};
use crate::error::Result;
use crate::staff::Act;
use chrono::{DateTime, Utc};
use rusqlite::types::ValueRef;

/// One cell of an exported row.
#[derive(Debug, Clone, PartialEq)]
pub enum ExportValue {
    Empty,
    Int(i64),
    Text(String),
}

/// What the export hands its sink, in order: a table's name and columns,
/// then its rows.
#[derive(Debug, Clone, PartialEq)]
pub enum ExportEvent {
    Table { name: &'static str, columns: Vec<&'static str> },
    Row(Vec<ExportValue>),
}

/// A table: its name, its columns, and where its rows come from; `member`
/// is the condition that keeps one member's rows (`?1` is the member's id).
struct Source {
    name: &'static str,
    columns: &'static [&'static str],
    from: &'static str,
    member: &'static str,
    order: &'static str,
}

const TABLES: &[Source] = &[
    Source {
        name: "members",
        columns: &[
            "id",
            "member_no",
            "name",
            "phone",
            "email",
            "birthday_month",
            "birthday_day",
            "birthday_year",
            "notes",
            "card_code",
            "referred_by",
            "joined_at",
            "archived",
            "erased_at",
            "tier",
            "wallet_paid_minor",
            "wallet_bonus_minor",
            "visit_count",
            "spend_minor",
            "first_visit_at",
            "last_visit_at",
        ],
        from: "members",
        member: "id = ?1",
        order: "id",
    },
    Source {
        name: "member_tags",
        columns: &["member_id", "tag"],
        from: "member_tags",
        member: "member_id = ?1",
        order: "member_id, tag",
    },
    Source {
        name: "receipts",
        columns: &[
            "id",
            "number",
            "kind",
            "member_id",
            "cashier",
            "staff_id",
            "approver_name",
            "currency",
            "total_minor",
            "bonus_minor",
            "wallet_paid_before",
            "wallet_bonus_before",
            "wallet_paid_after",
            "wallet_bonus_after",
            "voids_receipt_id",
            "note",
            "created_at",
        ],
        from: "receipts",
        member: "member_id = ?1",
        order: "id",
    },
    Source {
        name: "receipt_lines",
        columns: &[
            "receipt_id",
            "line_no",
            "description",
            "quantity",
            "unit_price_minor",
            "amount_minor",
            "earns_stamps",
            "product_id",
        ],
        from: "receipt_lines",
        member: "receipt_id IN (SELECT id FROM receipts WHERE member_id = ?1)",
        order: "receipt_id, line_no",
    },
    Source {
        name: "receipt_payments",
        columns: &["receipt_id", "line_no", "method", "method_name", "amount_minor", "tendered_minor", "change_minor"],
        from: "receipt_payments",
        member: "receipt_id IN (SELECT id FROM receipts WHERE member_id = ?1)",
        order: "receipt_id, line_no",
    },
    Source {
        name: "receipt_discounts",
        columns: &[
            "receipt_id",
            "line_no",
            "coupon_id",
            "code",
            "description",
            "amount_minor",
            "extra_stamps",
            "points",
        ],
        from: "receipt_discounts",
        member: "receipt_id IN (SELECT id FROM receipts WHERE member_id = ?1)",
        order: "receipt_id, line_no",
    },
    Source {
        name: "wallet_ledger",
        columns: &["id", "member_id", "receipt_id", "kind", "paid_delta_minor", "bonus_delta_minor", "created_at"],
        from: "wallet_ledger",
        member: "member_id = ?1",
        order: "id",
    },
    Source {
        name: "stamp_ledger",
        columns: &["id", "member_id", "program_id", "receipt_id", "kind", "delta", "created_at"],
        from: "stamp_ledger",
        member: "member_id = ?1",
        order: "id",
    },
    Source {
        name: "stamp_cards",
        columns: &["member_id", "program_id", "stamps"],
        from: "stamp_cards",
        member: "member_id = ?1",
        order: "member_id, program_id",
    },
    Source {
        name: "points_ledger",
        columns: &["id", "member_id", "receipt_id", "kind", "delta", "expires_on", "created_at"],
        from: "points_ledger",
        member: "member_id = ?1",
        order: "id",
    },
    Source {
        name: "coupons",
        columns: &[
            "id",
            "code",
            "offer_id",
            "member_id",
            "campaign_id",
            "valid_from",
            "valid_until",
            "state",
            "issued_at",
        ],
        from: "coupons",
        member: "member_id = ?1",
        order: "id",
    },
    Source {
        name: "coupon_ledger",
        columns: &["id", "coupon_id", "kind", "receipt_id", "discount_minor", "created_at"],
        from: "coupon_ledger",
        member: "coupon_id IN (SELECT id FROM coupons WHERE member_id = ?1)",
        order: "id",
    },
    Source {
        name: "member_contacts",
        columns: &["id", "member_id", "channel", "outcome", "note", "cashier", "contacted_at"],
        from: "member_contacts",
        member: "member_id = ?1",
        order: "id",
    },
    Source {
        name: "tier_changes",
        columns: &["id", "member_id", "from_tier", "to_tier", "reason", "receipt_id", "spend_minor", "changed_at"],
        from: "tier_changes",
        member: "member_id = ?1",
        order: "id",
    },
    Source {
        name: "audit_log",
        columns: &[
            "id",
            "at",
            "kind",
            "staff_name",
            "approver_name",
            "request_id",
            "receipt_number",
            "member_id",
            "detail",
        ],
        from: "audit_log",
        member: "member_id = ?1",
        order: "id",
    },
    Source {
        name: "products",
        columns: &["id", "name", "price_minor", "earns_stamps", "category", "active"],
        from: "products",
        member: "",
        order: "id",
    },
    Source {
        name: "stamp_programs",
        columns: &[
            "id",
            "name",
            "stamps_needed",
            "reward_text",
            "earn_rule",
            "earn_amount_minor",
            "expiry_days",
            "active",
        ],
        from: "stamp_programs",
        member: "",
        order: "id",
    },
    Source {
        name: "coupon_offers",
        columns: &[
            "id",
            "name",
            "kind",
            "amount_off_minor",
            "percent_off",
            "cap_minor",
            "product_id",
            "program_id",
            "extra_stamps",
            "min_spend_minor",
            "valid_days",
            "valid_from",
            "valid_until",
            "combinable",
            "active",
        ],
        from: "coupon_offers",
        member: "",
        order: "id",
    },
];

/// Columns that are times (UTC ms in the file), written as the shop's local time.
fn is_time(column: &str) -> bool {
    column.ends_with("_at") || column == "at"
}

impl Store {
    /// Hands every table of the shop to `sink`, or, with `member`, only
    /// that member's rows (their data on request; the shop's reference
    /// tables are left out). A manager's or the owner's (`Act::Export`),
    /// recorded in the audit log. The first table, `about`, names the shop,
    /// its currency and minor digits, its time zone and when this was made.
    pub fn export_data(
        &self,
        member: Option<i64>,
        now: DateTime<Utc>,
        sink: &mut dyn FnMut(ExportEvent) -> Result<()>,
    ) -> Result<u64> {
        self.require_read(Act::Export)?;
        let conn = self.conn();
        if let Some(id) = member {
            super::members::load_member(conn, id)?;
        }
        let shop = load_settings(conn)?;
        let tz = shop.tz();
        let local = |ms: i64| {
            DateTime::from_timestamp_millis(ms)
                .map(|t| t.with_timezone(&tz).format("%Y-%m-%d %H:%M:%S").to_string())
                .unwrap_or_default()
        };
        sink(ExportEvent::Table {
            name: "about",
            columns: vec!["shop", "currency", "minor_digits", "time_zone", "exported_at", "member_id"],
        })?;
        sink(ExportEvent::Row(vec![
            ExportValue::Text(shop.name.clone()),
            ExportValue::Text(shop.currency.code.clone()),
            ExportValue::Int(i64::from(shop.currency.minor_digits)),
            ExportValue::Text(shop.time_zone.clone()),
            ExportValue::Text(local(now.timestamp_millis())),
            member.map_or(ExportValue::Empty, ExportValue::Int),
        ]))?;
        let mut rows: u64 = 0;
        // One snapshot for every table: a sale made meanwhile is in all of them or none.
        let snapshot = if conn.is_autocommit() { Some(conn.unchecked_transaction()?) } else { None };
        for table in TABLES {
            if member.is_some() && table.member.is_empty() {
                continue;
            }
            let mut sql = format!("SELECT {} FROM {}", table.columns.join(", "), table.from);
            if member.is_some() {
                sql.push_str(" WHERE ");
                sql.push_str(table.member);
            }
            sql.push_str(" ORDER BY ");
            sql.push_str(table.order);
            sink(ExportEvent::Table { name: table.name, columns: table.columns.to_vec() })?;
            let mut stmt = conn.prepare(&sql)?;
            let mut q = match member {
                Some(id) => stmt.query([id])?,
                None => stmt.query([])?,
            };
            while let Some(r) = q.next()? {
                let mut cells = Vec::with_capacity(table.columns.len());
                for (i, column) in table.columns.iter().enumerate() {
                    cells.push(match r.get_ref(i)? {
                        ValueRef::Null => ExportValue::Empty,
                        ValueRef::Integer(v) if is_time(column) => ExportValue::Text(local(v)),
                        ValueRef::Integer(v) => ExportValue::Int(v),
                        ValueRef::Real(v) => ExportValue::Text(v.to_string()),
                        ValueRef::Text(t) | ValueRef::Blob(t) => {
                            ExportValue::Text(String::from_utf8_lossy(t).into_owned())
                        }
                    });
                }
                sink(ExportEvent::Row(cells))?;
                rows += 1;
            }
        }
        drop(snapshot);
        self.log_event(
            Act::Export,
            false,
            now,
            serde_json::json!({ "export": if member.is_some() { "member" } else { "everything" }, "member": member, "rows": rows }),
        )?;
        Ok(rows)
    }
}
