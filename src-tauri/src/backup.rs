//! Backups from the app: the list, one made by hand, the daily one at start,
//! and a restore. Thin like the other commands; the restore is the one place
//! that closes the shop's connections, and it reopens them whatever happens.

use chrono::Utc;
use regulars::store::backup::{self, Backup, Holdings};
use regulars::Store;
use serde::Serialize;
use std::path::{Path, PathBuf};
use tauri::State;

use crate::clock;

use crate::{
    folder_for, language_of, run_blocking, run_on_reader, run_on_store, AppState, CommandError, Language, Shared,
};
use regulars::paths::Folder;

/// The backups in the backups folders (one per language the shop has
/// worked in), newest first.
#[tauri::command]
pub async fn list_backups() -> Result<Vec<Backup>, CommandError> {
    run_blocking(|| backup::list_backups_in(&regulars::paths::folders(Folder::Backups))).await
}

/// What the shop's data holds now, to compare with a backup before restoring it.
#[tauri::command]
pub async fn database_holdings(state: State<'_, AppState>) -> Result<Holdings, CommandError> {
    run_on_reader(state, |store| store.holdings()).await
}

/// A backup made now, on the owner's connection (the counter keeps selling).
#[tauri::command]
pub async fn make_backup(state: State<'_, AppState>) -> Result<Backup, CommandError> {
    let now = clock::now();
    let folder = folder_for(&state.language, Folder::Backups);
    run_on_reader(state, move |store| store.backup_into(&folder, false, now)).await
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Restored {
    /// What the shop's database now holds.
    pub restored: Backup,
    /// Where the data it replaced was saved.
    pub saved: String,
}

/// Writes everything the shop holds as one .xlsx workbook (a sheet per
/// table) in the exports folder of the UI's language; its path.
#[tauri::command]
pub async fn export_everything(
    state: State<'_, AppState>,
    language: regulars::ReceiptLanguage,
) -> Result<String, CommandError> {
    let now = clock::now();
    run_on_reader(state, move |store| {
        Ok(regulars::exports::save_workbook(store, None, language, now)?.display().to_string())
    })
    .await
}

/// Puts a backup from the backups folder in place of the shop's database.
/// Both connections are closed for the swap and reopened afterwards, on the
/// restored file or, if the restore failed, on the file as it was.
#[tauri::command]
pub async fn restore_backup(state: State<'_, AppState>, path: String) -> Result<Restored, CommandError> {
    // The owner's right, checked on the shop being replaced; the restored
    // shop's connections open with no one signed in.
    run_on_store(state.clone(), |store| store.may(regulars::Act::Restore)).await?;
    let (writer, reader, db) = (state.store.clone(), state.reader.clone(), state.path.clone());
    let folder = folder_for(&state.language, Folder::Backups);
    let now = clock::now();
    tauri::async_runtime::spawn_blocking(move || restore_from_folder(&path, &writer, &reader, &db, &folder, now))
        .await
        .map_err(|error| CommandError::new("Internal", error.to_string()))?
}

/// The restore itself: only a file of the backups folder, checked, swapped
/// in with both connections closed, and checked again where it now lies.
fn restore_from_folder(
    path: &str,
    writer: &Shared,
    reader: &Shared,
    db: &Path,
    folder: &Path,
    now: chrono::DateTime<Utc>,
) -> Result<Restored, CommandError> {
    let file = PathBuf::from(path);
    if !regulars::paths::is_backup_file(&file) {
        let reason = "not in the backups folder".into();
        return Err(regulars::Error::NotABackup { path: path.to_string(), cause: "notInBackups", reason }.into());
    }
    backup::inspect_backup(&file)?;
    let saved = with_closed(writer, reader, db, || backup::restore_backup(&file, db, folder, now))?;
    let restored = backup::inspect_backup(db)?;
    Ok(Restored { restored, saved: saved.display().to_string() })
}

/// Runs `swap` with both connections to `db` closed, then opens them again.
fn with_closed<T>(
    writer: &Shared,
    reader: &Shared,
    db: &Path,
    swap: impl FnOnce() -> regulars::Result<T>,
) -> regulars::Result<T> {
    let unavailable = || regulars::Error::BackupFailed {
        cause: "databaseUnavailable",
        reason: "the database could not be opened".into(),
    };
    let writer = writer.as_ref().as_ref().map_err(|_| unavailable())?;
    let reader = reader.as_ref().as_ref().map_err(|_| unavailable())?;
    // The writer first, as every other path takes one lock at a time.
    let mut writer = writer.lock().map_err(|_| unavailable())?;
    let mut reader = reader.lock().map_err(|_| unavailable())?;
    drop(writer.take());
    drop(reader.take());
    let result = swap();
    *writer = Some(Store::open(db)?);
    *reader = Some(Store::open(db)?);
    result
}

/// The daily backup, on a connection of its own so the window is not kept
/// waiting: at start, then every half hour for a till left running past
/// midnight (a no-op while today's exists). The connection is closed between
/// checks so a restore never finds it open. A failure is logged; the shop
/// works regardless. The first check waits (at most a minute) for the
/// window to report its language, which names the folder.
pub fn daily_backup_in_background(db: PathBuf, language: Language) {
    std::thread::spawn(move || {
        for _ in 0..600 {
            if language_of(&language).is_some() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        loop {
            daily_backup_once(&db, &language);
            std::thread::sleep(std::time::Duration::from_secs(30 * 60));
        }
    });
}

fn daily_backup_once(db: &Path, language: &Language) {
    let folder = folder_for(language, Folder::Backups);
    match Store::open(db).and_then(|store| store.auto_backup(&folder, clock::now())) {
        Ok(Some(b)) => eprintln!("regulars: daily backup written to {}", b.path),
        Ok(None) => {}
        Err(error) => eprintln!("regulars: daily backup failed: {error}"),
    }
}
