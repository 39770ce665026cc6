//! The store: the only place with SQL. One transactional method per
//! business operation; every write runs in one `BEGIN IMMEDIATE`
//! transaction that also writes its receipt and ledger rows.

pub mod audit;
pub mod auto_coupons;
pub mod backup;
mod campaigns;
pub mod catalogue;
mod coupon_rows;
mod coupon_slips;
pub mod coupons;
pub mod demo;
pub mod duplicates;
pub mod export_all;
mod gate;
pub mod import;
pub mod lookup;
pub mod members;
mod open;
pub mod ops;
pub mod owner;
pub mod payment_methods;
pub mod points;
/// The owner's lists as CSV (`owner::csv`), by the name the interfaces know.
pub use owner::csv as owner_export;
pub mod programs;
pub mod receipts;
pub mod referrals;
pub mod reports;
mod requests;
mod shop;
pub mod staff;
mod stamps;
mod unusual;
pub mod views;
mod voids;
pub mod warm;
mod writes;

use crate::error::{Error, Result};
use crate::money::Currency;
use crate::settings::{PaperSize, SettingsPatch, ShopSettings};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use std::path::Path;
use std::time::Duration;

/// Schema migrations, applied in order; `PRAGMA user_version` records how
/// many have run. Never edit a released migration: add a new one.
pub const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_init", include_str!("../../migrations/0001_init.sql")),
    ("0002_catalogue", include_str!("../../migrations/0002_catalogue.sql")),
    ("0003_printing", include_str!("../../migrations/0003_printing.sql")),
    ("0004_owner", include_str!("../../migrations/0004_owner.sql")),
    ("0005_sales_index", include_str!("../../migrations/0005_sales_index.sql")),
    ("0006_payment_methods_drawer", include_str!("../../migrations/0006_payment_methods_drawer.sql")),
    ("0007_setup", include_str!("../../migrations/0007_setup.sql")),
    ("0008_owner_speed", include_str!("../../migrations/0008_owner_speed.sql")),
    ("0009_staff_audit", include_str!("../../migrations/0009_staff_audit.sql")),
    ("0010_figures_read", include_str!("../../migrations/0010_figures_read.sql")),
    ("0011_coupons", include_str!("../../migrations/0011_coupons.sql")),
    ("0012_points", include_str!("../../migrations/0012_points.sql")),
    ("0013_erased_members", include_str!("../../migrations/0013_erased_members.sql")),
    ("0014_points_batches", include_str!("../../migrations/0014_points_batches.sql")),
    ("0015_auto_coupons", include_str!("../../migrations/0015_auto_coupons.sql")),
    ("0016_referrals", include_str!("../../migrations/0016_referrals.sql")),
    ("0017_import", include_str!("../../migrations/0017_import.sql")),
];

/// Opens a database file: the one place of the core that does (a lint,
/// `core/clippy.toml`, refuses it anywhere else). `read_only` opens it
/// without the right to write, for backups and the warm-up.
#[allow(clippy::disallowed_methods)] // The store is where connections are opened.
pub(crate) fn connect(path: &Path, read_only: bool) -> rusqlite::Result<Connection> {
    if read_only {
        Connection::open_with_flags(
            path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
    } else {
        Connection::open(path)
    }
}

/// A handle on one shop's database.
pub struct Store {
    conn: Connection,
    /// The members' figures the owner's lists share until the next write (`owner`).
    owner_figures: owner::FigureCache,
    /// The signed-in staff member every write is made by (`staff`).
    session: Option<crate::staff::Session>,
    /// A manager's or the owner's approval for the next write only.
    approval: Option<crate::staff::Session>,
}

impl Store {
    fn with_connection(conn: Connection) -> Store {
        Store { conn, owner_figures: owner::FigureCache::default(), session: None, approval: None }
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }
}

pub(crate) fn mark_set_up(tx: &Connection, now: DateTime<Utc>) -> Result<()> {
    tx.execute("UPDATE shop_settings SET set_up_at = COALESCE(set_up_at, ?1) WHERE id = 1", [now.timestamp_millis()])?;
    Ok(())
}

pub(crate) fn load_settings(conn: &Connection) -> Result<ShopSettings> {
    Ok(conn.query_row(
        "SELECT name, address, phone, currency, currency_minor_digits, time_zone, receipt_footer,
                receipt_paper, auto_print, printer_name, receipt_font_path
         FROM shop_settings WHERE id = 1",
        [],
        |r| {
            Ok(ShopSettings {
                name: r.get(0)?,
                address: r.get(1)?,
                phone: r.get(2)?,
                currency: Currency { code: r.get(3)?, minor_digits: r.get(4)? },
                time_zone: r.get(5)?,
                receipt_footer: r.get(6)?,
                receipt_paper: PaperSize::from_db(&r.get::<_, String>(7)?),
                auto_print: r.get(8)?,
                printer_name: r.get(9)?,
                receipt_font_path: r.get(10)?,
            })
        },
    )?)
}

/// Whether the file has the staff accounts, the audit log and the receipts'
/// staff columns (schema 9 on): only a file an upgrade test keeps at an
/// older schema has not.
pub(crate) fn has_staff_schema(conn: &Connection) -> Result<bool> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    Ok(version >= 9)
}

/// Whether the file has the import's tables (schema 17 on): the history
/// summaries brought in count in the owner's figures and the audit.
pub(crate) fn has_import_schema(conn: &Connection) -> Result<bool> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    Ok(version >= 17)
}

/// Whether the file has the coupons' tables (schema 11 on).
pub(crate) fn has_coupon_schema(conn: &Connection) -> Result<bool> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    Ok(version >= 11)
}

/// Whether the file has the points' tables as today's code reads them:
/// schema 12's, with the dated batches and rules of schema 14.
pub(crate) fn has_points_schema(conn: &Connection) -> Result<bool> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    Ok(version >= 14)
}

/// Looks up an existing receipt by request id, for idempotent retries.
pub(crate) fn existing_request(tx: &Connection, request_id: &str) -> Result<Option<(i64, String, i64)>> {
    Ok(tx
        .query_row("SELECT number, kind, member_id FROM receipts WHERE request_id = ?1", [request_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?)
}
