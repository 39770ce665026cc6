//! Where the app keeps its data on each OS. The one OS-specific function.

use std::path::PathBuf;

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
