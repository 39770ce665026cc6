//! `regulars backup`, `restore` and `audit`: keeping the shop's data safe
//! and checking it against its ledgers.

use crate::print;
use chrono::{DateTime, Utc};
use clap::Args;
use regulars::store::backup;
use regulars::{Error, Store};
use std::path::{Path, PathBuf};

#[derive(Args)]
pub(crate) struct BackupArgs {
    /// Folder for backups (default: "Regulars backups" in Documents).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// List the backups instead of making one.
    #[arg(long)]
    list: bool,
}

#[derive(Args)]
pub(crate) struct RestoreArgs {
    file: PathBuf,
    /// Where the data replaced is saved (default: the backups folder).
    #[arg(long)]
    dir: Option<PathBuf>,
}

/// `regulars restore`: runs before this program opens the database file itself.
pub(crate) fn restore(args: &RestoreArgs, path: &Path, json: bool) -> Result<(), Error> {
    let RestoreArgs { file, dir } = args;
    let dir = dir.clone().unwrap_or_else(regulars::paths::backups_folder_in_use);
    let saved = backup::restore_backup(file, path, &dir, crate::clock())?;
    let restored = backup::inspect_backup(path)?;
    print(json, &serde_json::json!({ "restored": restored, "saved": saved }), |_| {
        format!(
            "restored {} ({} members, {} receipts); the data replaced is saved as {}",
            file.display(),
            restored.members,
            restored.receipts,
            saved.display()
        )
    });
    Ok(())
}

pub(crate) fn run_backup(store: &Store, args: BackupArgs, json: bool, now: DateTime<Utc>) -> Result<(), Error> {
    let BackupArgs { dir, list } = args;
    let dir = dir.unwrap_or_else(regulars::paths::backups_folder_in_use);
    let tz = store.settings()?.tz();
    let line = |b: &backup::Backup| {
        let when = DateTime::from_timestamp_millis(b.created_at).map(|t| t.with_timezone(&tz));
        format!(
            "{}  {}  {} members  {} receipts  {} KB",
            when.map(|t| t.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default(),
            b.path,
            b.members,
            b.receipts,
            b.bytes / 1024
        )
    };
    if list {
        let all = backup::list_backups(&dir)?;
        print(json, &all, |all| {
            if all.is_empty() {
                format!("no backups in {}", dir.display())
            } else {
                all.iter().map(line).collect::<Vec<_>>().join("\n")
            }
        });
    } else {
        let made = store.backup_into(&dir, false, now)?;
        print(json, &made, |b| format!("backed up: {}", line(b)));
    }
    Ok(())
}

/// `regulars audit`: fails (exit code 1) when any balance, stamp card or
/// receipt number disagrees with its ledger, or the file is damaged.
pub(crate) fn audit(store: &Store, json: bool) -> Result<(), Error> {
    let problems = store.audit()?;
    let integrity = store.integrity_check()?;
    print(json, &serde_json::json!({ "integrity": integrity, "problems": problems }), |_| {
        if problems.is_empty() && integrity == "ok" {
            "ok: every balance and stamp card equals its ledger; receipt numbers have no gaps".into()
        } else {
            format!("integrity: {integrity}\n{problems:#?}")
        }
    });
    if !problems.is_empty() || integrity != "ok" {
        return Err(Error::InvalidInput { field: "audit", reason: format!("{} problems", problems.len()).into() });
    }
    Ok(())
}

#[derive(clap::Subcommand)]
pub(crate) enum ExportCommand {
    /// Everything the shop holds, a sheet or file per table (for the accountant or a move).
    All(ExportTo),
    /// One member's data, on their request.
    Member {
        /// Member number, phone or card code.
        member: String,
        #[command(flatten)]
        to: ExportTo,
    },
}

#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("to").required(true).args(["xlsx", "csv"])))]
pub(crate) struct ExportTo {
    /// Write one .xlsx workbook here.
    #[arg(long)]
    xlsx: Option<std::path::PathBuf>,
    /// Write a CSV file per table into this folder.
    #[arg(long)]
    csv: Option<std::path::PathBuf>,
}

pub(crate) fn run_export(
    store: &regulars::Store,
    cmd: ExportCommand,
    json: bool,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), regulars::Error> {
    let (member, to) = match cmd {
        ExportCommand::All(to) => (None, to),
        ExportCommand::Member { member, to } => (Some(store.resolve_member(&member)?.id), to),
    };
    if let Some(path) = &to.xlsx {
        let bytes = regulars::exports::workbook(store, member, now)?;
        std::fs::write(path, &bytes)
            .map_err(|error| regulars::Error::from(regulars::documents::WriteFailed { path: path.clone(), error }))?;
        crate::print(json, &serde_json::json!({ "file": path.display().to_string(), "bytes": bytes.len() }), |_| {
            format!("wrote {} ({} KB)", path.display(), bytes.len().div_ceil(1024))
        });
    } else if let Some(dir) = &to.csv {
        let files = regulars::exports::write_csv_folder(store, dir, member, now)?;
        let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        crate::print(json, &serde_json::json!({ "files": names }), |_| {
            format!("wrote {} files in {}", files.len(), dir.display())
        });
    }
    Ok(())
}
