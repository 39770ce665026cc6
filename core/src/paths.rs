//! Where the app keeps its files on each OS, and showing one of them in
//! the OS's file manager: one small OS-specific function each.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// The default database file: the OS's per-user data folder
/// (`%APPDATA%\Regulars` on Windows, `~/Library/Application Support/Regulars`
/// on macOS, `$XDG_DATA_HOME/regulars` on Linux), or the current folder
/// when the OS has none.
pub fn default_db_path() -> PathBuf {
    let folder = if cfg!(any(target_os = "windows", target_os = "macos")) { "Regulars" } else { "regulars" };
    dirs::data_dir().map(|d| d.join(folder)).unwrap_or_else(|| PathBuf::from(".")).join("regulars.db")
}

/// Where "Save PDF" puts receipts: `Regulars receipts` in the user's
/// documents folder (or the home folder, or the current folder).
pub fn receipts_dir() -> PathBuf {
    dirs::document_dir().or_else(dirs::home_dir).unwrap_or_else(|| PathBuf::from(".")).join("Regulars receipts")
}

/// Where the owner's list exports go: `Regulars exports` next to the
/// receipts, in the user's documents folder.
pub fn exports_dir() -> PathBuf {
    receipts_dir().with_file_name("Regulars exports")
}

/// Where backups of the database go, daily ones and those made by hand:
/// `Regulars backups` beside the receipts, where the owner can see them and
/// copy them to a USB stick (and where a synced Documents folder carries
/// them off the machine).
pub fn backups_dir() -> PathBuf {
    receipts_dir().with_file_name("Regulars backups")
}

/// Whether `file` is one the app wrote for the user: inside the receipts,
/// exports or backups folder (after resolving `..` and links), so a request
/// to show a file cannot point the file manager anywhere else.
pub fn is_users_file(file: &Path) -> bool {
    is_inside(file, &[receipts_dir(), exports_dir(), backups_dir()])
}

/// Whether `file` is in the backups folder: the only files a restore takes.
pub fn is_backup_file(file: &Path) -> bool {
    is_inside(file, &[backups_dir()])
}

fn is_inside(file: &Path, folders: &[PathBuf]) -> bool {
    let Ok(file) = file.canonicalize() else { return false };
    folders.iter().filter_map(|dir| dir.canonicalize().ok()).any(|dir| file.starts_with(dir))
}

/// Shows `file` in the OS's file manager: selected in Explorer (Windows) or
/// the Finder (macOS); its folder opened with `xdg-open` elsewhere. Returns
/// once the file manager is started, without waiting for it.
pub fn show_in_folder(file: &Path) -> Result<()> {
    let failed = |e: std::io::Error| Error::RevealFailed(e.to_string());
    let mut command = if cfg!(target_os = "windows") {
        let mut c = std::process::Command::new("explorer");
        select_arg(&mut c, file);
        c
    } else if cfg!(target_os = "macos") {
        let mut c = std::process::Command::new("open");
        c.arg("-R").arg(file);
        c
    } else {
        let mut c = std::process::Command::new("xdg-open");
        c.arg(file.parent().unwrap_or(file));
        c
    };
    command
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(failed)?;
    Ok(())
}

/// Explorer wants `/select,"C:\path with spaces\file"` exactly: the quotes
/// around the path only, which the usual argument quoting does not give.
#[cfg(windows)]
fn select_arg(command: &mut std::process::Command, file: &Path) {
    use std::os::windows::process::CommandExt;
    command.raw_arg(format!("/select,\"{}\"", file.display()));
}

#[cfg(not(windows))]
fn select_arg(command: &mut std::process::Command, file: &Path) {
    command.arg(format!("/select,{}", file.display()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_inside_the_apps_folders_count() {
        let root = tempfile::tempdir().unwrap();
        let exports = root.path().join("Regulars exports");
        std::fs::create_dir_all(&exports).unwrap();
        let inside = exports.join("流失預警-2026-11-26.csv");
        let outside = root.path().join("elsewhere.csv");
        std::fs::write(&inside, "x").unwrap();
        std::fs::write(&outside, "x").unwrap();
        let folders = [exports.clone()];
        assert!(is_inside(&inside, &folders));
        assert!(!is_inside(&outside, &folders));
        assert!(!is_inside(&exports.join("..").join("elsewhere.csv"), &folders), "no way out by ..");
        assert!(!is_inside(&exports.join("missing.csv"), &folders), "a file that is not there");
    }
}
