//! Backups of the shop's one database file. A backup is a consistent copy
//! made while the shop works (`VACUUM INTO` reads one snapshot, so a sale
//! at the same moment is either wholly in it or not at all), written under
//! a temporary name and checked before it counts. One is made automatically
//! on the first start of each shop day; the newest automatic ones are kept.
//! Restoring replaces the live file and needs every connection to it
//! closed; the data it replaces is first saved as a backup of its own.

use super::{Store, MIGRATIONS};
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// How many automatic (daily) backups are kept; backups made by hand and
/// the copies saved before a restore are never removed by the app.
pub const KEEP_AUTOMATIC: usize = 14;

const AUTO_PREFIX: &str = "regulars-auto-";

/// One backup file, as read from the file itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Backup {
    pub path: String,
    pub file_name: String,
    /// When the file was written (UTC ms).
    pub created_at: i64,
    pub bytes: i64,
    /// Made by the daily automatic backup (else by hand, or before a restore).
    pub automatic: bool,
    pub members: i64,
    pub receipts: i64,
    /// The newest receipt it holds (UTC ms): what a restore would go back to.
    pub last_receipt_at: Option<i64>,
}

/// What a database holds, counted the same way for the shop's live data
/// and for a backup, so the two can be compared before a restore.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Holdings {
    /// Every member, archived ones too.
    pub members: i64,
    pub receipts: i64,
    /// The newest receipt (UTC ms).
    pub last_receipt_at: Option<i64>,
}

const HOLDINGS_SQL: &str =
    "SELECT (SELECT count(*) FROM members), (SELECT count(*) FROM receipts), (SELECT max(created_at) FROM receipts)";

fn holdings(conn: &Connection) -> rusqlite::Result<Holdings> {
    conn.query_row(HOLDINGS_SQL, [], |r| {
        Ok(Holdings { members: r.get(0)?, receipts: r.get(1)?, last_receipt_at: r.get(2)? })
    })
}

impl Store {
    /// What the shop's database holds now.
    pub fn holdings(&self) -> Result<Holdings> {
        Ok(holdings(self.conn())?)
    }

    /// Writes a checked backup into `dir`: `regulars-2026-11-26-153000.db`
    /// by hand, `regulars-auto-2026-11-26.db` for the daily one (dates on
    /// the shop's clock).
    pub fn backup_into(&self, dir: &Path, automatic: bool, now: DateTime<Utc>) -> Result<Backup> {
        if !automatic {
            self.require_read(crate::staff::Act::Backup)?;
        }
        let local = now.with_timezone(&self.settings()?.tz());
        let stem = if automatic {
            format!("{AUTO_PREFIX}{}", local.format("%Y-%m-%d"))
        } else {
            format!("regulars-{}", local.format("%Y-%m-%d-%H%M%S"))
        };
        let made = self.backup_as(dir, &stem)?;
        let detail = serde_json::json!({ "file": made.file_name, "automatic": automatic });
        self.log_event(crate::staff::Act::Backup, automatic, now, detail)?;
        Ok(made)
    }

    /// The daily backup: made when `dir` has none for the shop's today and
    /// the shop holds something (an empty first start is not worth keeping,
    /// and restoring it would only wipe the shop), after which only the
    /// newest [`KEEP_AUTOMATIC`] automatic ones stay. Returns the backup
    /// made, if one was.
    pub fn auto_backup(&self, dir: &Path, now: DateTime<Utc>) -> Result<Option<Backup>> {
        let today = now.with_timezone(&self.settings()?.tz()).format("%Y-%m-%d").to_string();
        let held = self.holdings()?;
        if dir.join(format!("{AUTO_PREFIX}{today}.db")).exists() || (held.members == 0 && held.receipts == 0) {
            return Ok(None);
        }
        let made = self.backup_into(dir, true, now)?;
        let mut automatic: Vec<PathBuf> =
            backup_files(dir)?.into_iter().filter(|p| file_name(p).starts_with(AUTO_PREFIX)).collect();
        // Names sort by date; the newest come last.
        automatic.sort();
        let surplus = automatic.len().saturating_sub(KEEP_AUTOMATIC);
        for old in &automatic[..surplus] {
            std::fs::remove_file(old)?;
        }
        Ok(Some(made))
    }

    fn backup_as(&self, dir: &Path, stem: &str) -> Result<Backup> {
        crate::paths::create_private_dir(dir)?;
        let mut target = dir.join(format!("{stem}.db"));
        let mut n = 2;
        while target.exists() {
            target = dir.join(format!("{stem} ({n}).db"));
            n += 1;
        }
        let partial = target.with_extension("db.partial");
        let _ = std::fs::remove_file(&partial);
        let written = copy_database(self.conn(), &partial).and_then(|()| {
            inspect_backup(&partial)?;
            crate::paths::restrict_to_user(&partial)?;
            std::fs::rename(&partial, &target)?;
            inspect_backup(&target)
        });
        if written.is_err() {
            let _ = std::fs::remove_file(&partial);
        }
        written
    }
}

/// A consistent, compact copy of `conn`'s database at `target` (which must
/// not exist), as one self-contained file.
fn copy_database(conn: &Connection, target: &Path) -> Result<()> {
    let path = target.to_str().ok_or_else(|| Error::BackupFailed {
        cause: "notFound",
        reason: format!("{} is not a UTF-8 path", target.display()),
    })?;
    conn.execute("VACUUM INTO ?1", [path])
        .map_err(|e| Error::BackupFailed { cause: crate::error::database_cause(&e), reason: e.to_string() })?;
    // The copy would otherwise want a -wal file beside it when opened.
    let copy = super::connect(target, false)?;
    copy.pragma_update(None, "journal_mode", "DELETE")?;
    Ok(())
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// The backup files in `dir` (`regulars-*.db`), unchecked.
fn backup_files(dir: &Path) -> Result<Vec<PathBuf>> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = file_name(&path);
        if name.starts_with("regulars-") && name.ends_with(".db") && path.is_file() {
            out.push(path);
        }
    }
    Ok(out)
}

/// The backups in `dir`, newest first. A file that is not a Regulars
/// database is left out. (Each was checked whole when written; a restore
/// checks again.)
pub fn list_backups(dir: &Path) -> Result<Vec<Backup>> {
    list_backups_in(std::slice::from_ref(&dir.to_path_buf()))
}

/// The backups in several folders (one per language a shop has worked
/// in), newest first.
pub fn list_backups_in(dirs: &[PathBuf]) -> Result<Vec<Backup>> {
    let mut out = Vec::new();
    for dir in dirs {
        out.extend(backup_files(dir)?.iter().filter_map(|p| read_backup(p, false).ok()));
    }
    out.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.file_name.cmp(&a.file_name)));
    Ok(out)
}

/// Reads a backup file without changing it: a Regulars database of a
/// schema this build knows, sound by SQLite's own check, with its counts.
pub fn inspect_backup(path: &Path) -> Result<Backup> {
    read_backup(path, true)
}

fn read_backup(path: &Path, thorough: bool) -> Result<Backup> {
    let not_a_backup = |cause: &'static str, reason: &str| Error::NotABackup {
        path: path.display().to_string(),
        cause,
        reason: reason.to_string(),
    };
    let meta = std::fs::metadata(path).map_err(|e| {
        let cause = if e.kind() == std::io::ErrorKind::NotFound { "notFound" } else { "unreadable" };
        not_a_backup(cause, &e.to_string())
    })?;
    let conn = super::connect(path, true).map_err(|e| not_a_backup("unreadable", &e.to_string()))?;
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|_| not_a_backup("notADatabase", "not a database"))?;
    if version < 1 {
        return Err(not_a_backup("notRegulars", "not a Regulars database"));
    }
    if version > MIGRATIONS.len() as i64 {
        return Err(not_a_backup("tooNew", "made by a newer version of Regulars"));
    }
    if thorough {
        let check: String = conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(|e| not_a_backup("damaged", &e.to_string()))?;
        if check != "ok" {
            return Err(not_a_backup("damaged", &format!("damaged ({check})")));
        }
    }
    let held = holdings(&conn).map_err(|_| not_a_backup("notRegulars", "not a Regulars database"))?;
    let created_at = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_millis() as i64);
    let name = file_name(path);
    Ok(Backup {
        path: path.display().to_string(),
        automatic: name.starts_with(AUTO_PREFIX),
        file_name: name,
        created_at,
        bytes: meta.len() as i64,
        members: held.members,
        receipts: held.receipts,
        last_receipt_at: held.last_receipt_at,
    })
}

/// Puts `backup` in place of the database at `db_path`. Every connection to
/// `db_path` must be closed. The data being replaced is first saved into
/// `dir` as `regulars-before-restore-….db`, whose path is returned; if
/// anything fails, the database is left as it was.
pub fn restore_backup(backup: &Path, db_path: &Path, dir: &Path, now: DateTime<Utc>) -> Result<PathBuf> {
    inspect_backup(backup)?;
    let saved = if db_path.exists() {
        let current = Store::open(db_path)?;
        let local = now.with_timezone(&current.settings()?.tz());
        let stem = format!("regulars-before-restore-{}", local.format("%Y-%m-%d-%H%M%S"));
        let saved = current.backup_as(dir, &stem)?;
        // Everything into the main file, so the -wal beside it holds nothing
        // that the swap below could lose or misapply.
        current.conn().query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        drop(current);
        PathBuf::from(saved.path)
    } else {
        PathBuf::new()
    };
    let incoming = db_path.with_extension("db.restoring");
    std::fs::copy(backup, &incoming)?;
    crate::paths::restrict_to_user(&incoming)?;
    let swapped = (|| {
        for suffix in ["-wal", "-shm"] {
            let side = PathBuf::from(format!("{}{suffix}", db_path.display()));
            if side.exists() {
                std::fs::remove_file(side)?;
            }
        }
        std::fs::rename(&incoming, db_path)
    })();
    if let Err(e) = swapped {
        let _ = std::fs::remove_file(&incoming);
        return Err(Error::BackupFailed { cause: crate::error::io_cause(&e), reason: e.to_string() });
    }
    // The restored file's own log says it was restored, from what, and where
    // the replaced data went (the interface checked the owner's right first).
    // The restore is done either way: a failure here does not undo it.
    let detail = serde_json::json!({ "from": file_name(backup), "saved": saved.display().to_string() });
    let _ = Store::open(db_path).and_then(|restored| restored.log_event(crate::staff::Act::Restore, true, now, detail));
    Ok(saved)
}
