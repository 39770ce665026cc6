//! The store: the only place with SQL. One transactional method per
//! business operation; every write runs in one `BEGIN IMMEDIATE`
//! transaction that also writes its receipt and ledger rows.

pub mod backup;
pub mod catalogue;
pub mod demo;
pub mod lookup;
pub mod members;
pub mod ops;
pub mod owner;
pub mod owner_export;
pub mod payment_methods;
pub mod programs;
pub mod receipts;
pub mod reports;
mod stamps;
pub mod views;
pub mod warm;

use crate::error::{Error, Result};
use crate::money::Currency;
use crate::settings::{PaperSize, SettingsPatch, ShopSettings};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};
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
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its
    /// schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(parent) = path.parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent)?;
            }
        }
        let conn = connect(path, false)?;
        Self::from_connection(conn)
    }

    /// An in-memory database, for quick experiments (tests use real files).
    #[allow(clippy::disallowed_methods)] // The store is where connections are opened.
    pub fn open_in_memory() -> Result<Store> {
        Self::from_connection(Connection::open_in_memory()?)
    }

    fn from_connection(conn: Connection) -> Result<Store> {
        conn.busy_timeout(Duration::from_secs(10))?;
        let mut store = Store { conn, owner_figures: owner::FigureCache::default() };
        // Two programs creating the same new file at once (the app and the
        // CLI on first start) can get SQLITE_BUSY without the busy handler
        // being consulted while the file switches to WAL: retry, bounded.
        let mut attempt = 0;
        loop {
            match store.prepare_connection() {
                Err(Error::Database(rusqlite::Error::SqliteFailure(e, _)))
                    if matches!(e.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
                        && attempt < 200 =>
                {
                    attempt += 1;
                    std::thread::sleep(Duration::from_millis(25));
                }
                other => return other.map(|()| store),
            }
        }
    }

    fn prepare_connection(&mut self) -> Result<()> {
        // WAL for readers beside the writer; FULL so a committed receipt
        // survives power loss; foreign keys so no row points nowhere.
        self.conn.pragma_update(None, "journal_mode", "WAL")?;
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        self.migrate_to(MIGRATIONS.len())?;
        // A database upgraded from before the owner's aggregates gets them
        // built once here, at start-up, rather than inside someone's checkout.
        // Should that fail (say, a full disk), the counter still opens: the
        // owner's lists try again and show the error there.
        if owner::aggregates_stale(&self.conn)? {
            let _ = self.write(|tx| owner::refresh_aggregates(tx));
        }
        Ok(())
    }

    /// Stops waiting for the disk at each commit (`synchronous=OFF`), for
    /// property tests that run thousands of sequences of operations: what
    /// they check is the ledgers' arithmetic, not durability, which the
    /// crash tests cover on the app's real settings.
    #[doc(hidden)]
    pub fn without_waiting_for_the_disk(self) -> Result<Store> {
        self.conn.pragma_update(None, "synchronous", "OFF")?;
        Ok(self)
    }

    /// Opens a database brought only up to schema `version` (a count of
    /// migrations), for tests of upgrades from earlier versions.
    #[doc(hidden)]
    pub fn open_at_version(path: &Path, version: usize) -> Result<Store> {
        let conn = connect(path, false)?;
        conn.busy_timeout(Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        let mut store = Store { conn, owner_figures: owner::FigureCache::default() };
        store.migrate_to(version)?;
        Ok(store)
    }

    /// Applies migrations up to `target` (a count), each in its own
    /// IMMEDIATE transaction that re-reads the version under the write lock,
    /// so two programs opening a new file at once migrate it once.
    pub fn migrate_to(&mut self, target: usize) -> Result<()> {
        let known = MIGRATIONS.len() as i64;
        loop {
            let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let current: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
            if current > known {
                return Err(Error::SchemaTooNew { found: current, known });
            }
            let index = current as usize;
            if index >= target.min(MIGRATIONS.len()) {
                return Ok(());
            }
            tx.execute_batch(MIGRATIONS[index].1)?;
            tx.pragma_update(None, "user_version", (index + 1) as i64)?;
            tx.commit()?;
        }
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// Runs `f` in one IMMEDIATE transaction: it takes the write lock before
    /// reading, so a balance read inside cannot change before the write.
    pub(crate) fn write<T>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// `PRAGMA integrity_check` and `foreign_key_check`: "ok" when sound.
    pub fn integrity_check(&self) -> Result<String> {
        let result: String = self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        let fk_problems: i64 =
            self.conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0))?;
        if result == "ok" && fk_problems > 0 {
            return Ok(format!("{fk_problems} foreign key problems"));
        }
        Ok(result)
    }

    pub fn settings(&self) -> Result<ShopSettings> {
        load_settings(&self.conn)
    }

    /// Whether the shop has been set up: the first start's welcome is shown
    /// only while this is false (a new database).
    pub fn is_set_up(&self) -> Result<bool> {
        Ok(self.set_up_at()?.is_some())
    }

    /// When the shop was set up (UTC ms), if it has been.
    pub fn set_up_at(&self) -> Result<Option<i64>> {
        Ok(self.conn.query_row("SELECT set_up_at FROM shop_settings WHERE id = 1", [], |r| r.get(0))?)
    }

    /// Records that the shop is set up (the welcome finished, by demo data
    /// or by the setup steps, done or skipped). The first time counts;
    /// marking again changes nothing.
    pub fn mark_set_up(&mut self, now: DateTime<Utc>) -> Result<()> {
        self.write(|tx| mark_set_up(tx, now))
    }

    pub fn update_settings(&mut self, patch: &SettingsPatch, now: DateTime<Utc>) -> Result<ShopSettings> {
        self.write(|tx| {
            let current = load_settings(tx)?;
            let next = patch.apply(&current)?;
            if next.currency != current.currency {
                let has_money: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM receipts)", [], |r| r.get(0))?;
                if has_money {
                    return Err(Error::CurrencyLocked);
                }
            }
            tx.execute(
                "UPDATE shop_settings SET name = ?1, address = ?2, phone = ?3, currency = ?4,
                 currency_minor_digits = ?5, time_zone = ?6, receipt_footer = ?7, updated_at = ?8,
                 receipt_paper = ?9, auto_print = ?10, printer_name = ?11, receipt_font_path = ?12
                 WHERE id = 1",
                params![
                    next.name,
                    next.address,
                    next.phone,
                    next.currency.code,
                    next.currency.minor_digits,
                    next.time_zone,
                    next.receipt_footer,
                    now.timestamp_millis(),
                    next.receipt_paper.as_db(),
                    next.auto_print,
                    next.printer_name,
                    next.receipt_font_path,
                ],
            )?;
            if next.time_zone != current.time_zone {
                // Visit days are shop days: a new zone moves them, in this same transaction.
                owner::refresh_aggregates(tx)?;
            }
            Ok(next)
        })
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

/// Looks up an existing receipt by request id, for idempotent retries.
pub(crate) fn existing_request(tx: &Connection, request_id: &str) -> Result<Option<(i64, String, i64)>> {
    Ok(tx
        .query_row("SELECT number, kind, member_id FROM receipts WHERE request_id = ?1", [request_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?)
}
