//! Where the app keeps its files on each OS, and showing one of them in
//! the OS's file manager: one small OS-specific function each.

use crate::error::{Error, Result};
use crate::language::ReceiptLanguage;
use std::path::{Path, PathBuf};

/// The default database file: the OS's per-user data folder
/// (`%APPDATA%\Regulars` on Windows, `~/Library/Application Support/Regulars`
/// on macOS, `$XDG_DATA_HOME/regulars` on Linux), or the current folder
/// when the OS has none.
pub fn default_db_path() -> PathBuf {
    let folder = if cfg!(any(target_os = "windows", target_os = "macos")) { "Regulars" } else { "regulars" };
    dirs::data_dir().map(|d| d.join(folder)).unwrap_or_else(|| PathBuf::from(".")).join("regulars.db")
}

/// Makes a file or folder readable and writable by the user alone: 0600
/// for a file, 0700 for a folder on Linux and macOS. The shop's database,
/// backups, receipts and lists hold customers' names and phones. Windows'
/// per-user folders already keep other users out: nothing to do there.
pub fn restrict_to_user(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = if path.is_dir() { 0o700 } else { 0o600 };
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(())
    }
}

/// Creates `folder` (and its parents) when missing; a folder this creates
/// is the user's alone ([`restrict_to_user`]); one that was there is left
/// as its owner made it (it may be the current folder, or the documents folder).
pub fn create_private_dir(folder: &Path) -> std::io::Result<()> {
    if folder.as_os_str().is_empty() || folder.is_dir() {
        return Ok(());
    }
    std::fs::create_dir_all(folder)?;
    restrict_to_user(folder)
}

/// Makes `folder` and the files in it (and in its sub-folders) the user's
/// alone, as [`restrict_to_user`] does for new ones: a shop whose receipts,
/// lists and backups were written before files were kept private gets them
/// tightened at the next start. Links are left alone (never followed out of
/// the folder). Returns how many entries were tightened; a missing folder
/// is 0.
pub fn tighten_folder(folder: &Path) -> std::io::Result<usize> {
    let Ok(meta) = std::fs::symlink_metadata(folder) else { return Ok(0) };
    if !meta.is_dir() {
        return Ok(0);
    }
    restrict_to_user(folder)?;
    let mut count = 1;
    for entry in std::fs::read_dir(folder)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            count += tighten_folder(&entry.path())?;
        } else if kind.is_file() {
            restrict_to_user(&entry.path())?;
            count += 1;
        }
    }
    Ok(count)
}

/// [`tighten_folder`] over the receipts, exports and backups folders in
/// every language; each failure named with its folder, so that one folder
/// the user locked differently does not stop the others.
pub fn tighten_app_folders() -> Vec<(PathBuf, std::io::Error)> {
    [Folder::Receipts, Folder::Exports, Folder::Backups]
        .into_iter()
        .flat_map(folders)
        .filter_map(|dir| tighten_folder(&dir).err().map(|e| (dir, e)))
        .collect()
}

/// The folders the app writes for the user, in the user's documents folder
/// (or the home folder, or the current folder), each named in the language
/// the shop works in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Folder {
    /// Saved receipts and day close slips.
    Receipts,
    /// The owner's lists as CSV.
    Exports,
    /// Backups of the database, daily ones and those made by hand, where
    /// the owner can see them and copy them to a USB stick.
    Backups,
}

const LANGUAGES: [ReceiptLanguage; 3] = [ReceiptLanguage::ZhTw, ReceiptLanguage::ZhCn, ReceiptLanguage::En];

impl Folder {
    /// The folder's name in `language`: 熟客收據, 熟客小票, Regulars receipts …
    pub fn name(self, language: ReceiptLanguage) -> &'static str {
        use ReceiptLanguage::{En, ZhCn, ZhTw};
        match (self, language) {
            (Folder::Receipts, ZhTw) => "熟客收據",
            (Folder::Receipts, ZhCn) => "熟客小票",
            (Folder::Receipts, En) => "Regulars receipts",
            (Folder::Exports, ZhTw) => "熟客匯出",
            (Folder::Exports, ZhCn) => "熟客导出",
            (Folder::Exports, En) => "Regulars exports",
            (Folder::Backups, ZhTw) => "熟客備份",
            (Folder::Backups, ZhCn) => "熟客备份",
            (Folder::Backups, En) => "Regulars backups",
        }
    }
}

fn documents_dir() -> PathBuf {
    dirs::document_dir().or_else(dirs::home_dir).unwrap_or_else(|| PathBuf::from("."))
}

/// Where the app writes files of this kind for a shop working in `language`.
pub fn folder(kind: Folder, language: ReceiptLanguage) -> PathBuf {
    documents_dir().join(kind.name(language))
}

/// This kind's folder in every language: a shop that switched language
/// still finds what it saved before (backups above all).
pub fn folders(kind: Folder) -> Vec<PathBuf> {
    LANGUAGES.iter().map(|l| folder(kind, *l)).collect()
}

/// The backups folder a tool without a language (the CLI) uses: the one
/// that holds backups already, the most recently written first, else the
/// English one.
pub fn backups_folder_in_use() -> PathBuf {
    let modified = |dir: &PathBuf| std::fs::metadata(dir).and_then(|m| m.modified()).ok();
    folders(Folder::Backups)
        .into_iter()
        .filter(|dir| dir.is_dir())
        .max_by_key(modified)
        .unwrap_or_else(|| folder(Folder::Backups, ReceiptLanguage::En))
}

/// `name` in `folder`, or `name (2)`, `name (3)` … when taken: a file saved
/// earlier (perhaps still open in Excel or a PDF viewer) is never overwritten.
pub fn free_path(folder: &Path, name: &str) -> PathBuf {
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    let dot = if ext.is_empty() { "" } else { "." };
    std::iter::once(folder.join(name))
        .chain((2..1000).map(|n| folder.join(format!("{stem} ({n}){dot}{ext}"))))
        .find(|p| !p.exists())
        .unwrap_or_else(|| folder.join(name))
}

/// Whether `file` is one the app wrote for the user: inside a receipts,
/// exports or backups folder of any language (after resolving `..` and
/// links), so a request to show a file cannot point the file manager
/// anywhere else.
pub fn is_users_file(file: &Path) -> bool {
    let all: Vec<PathBuf> =
        [Folder::Receipts, Folder::Exports, Folder::Backups].into_iter().flat_map(folders).collect();
    is_inside(file, &all)
}

/// Whether `file` is in a backups folder: the only files a restore takes.
pub fn is_backup_file(file: &Path) -> bool {
    is_inside(file, &folders(Folder::Backups))
}

fn is_inside(file: &Path, folders: &[PathBuf]) -> bool {
    let Ok(file) = file.canonicalize() else { return false };
    folders.iter().filter_map(|dir| dir.canonicalize().ok()).any(|dir| file.starts_with(dir))
}

/// Shows a file the app saved (a receipt or day close PDF, a list export, a
/// backup) in the OS's file manager; any other file is refused
/// (`RevealFailed`, cause `notSaved`), so the screen cannot be used to open
/// folders the app did not write to.
pub fn show_saved_file(path: &str) -> Result<()> {
    let file = PathBuf::from(path);
    if !is_users_file(&file) {
        return Err(Error::RevealFailed { cause: "notSaved", reason: format!("{path} is not a file the app saved") });
    }
    show_in_folder(&file)
}

/// Shows `file` in the OS's file manager: selected in Explorer (Windows) or
/// the Finder (macOS); its folder opened with `xdg-open` elsewhere. Returns
/// once the file manager is started, without waiting for it.
pub fn show_in_folder(file: &Path) -> Result<()> {
    let failed = |e: std::io::Error| Error::RevealFailed { cause: crate::error::io_cause(&e), reason: e.to_string() };
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

/// Windows' own folder (`%WINDIR%`, C:\Windows when unset), where its fonts are.
#[allow(clippy::disallowed_methods)] // paths.rs is where the environment is read.
pub fn windows_folder() -> PathBuf {
    std::env::var_os("WINDIR").map(PathBuf::from).unwrap_or_else(|| PathBuf::from(r"C:\Windows"))
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

    #[test]
    fn a_file_the_app_did_not_save_is_not_shown() {
        let root = tempfile::tempdir().unwrap();
        let elsewhere = root.path().join("elsewhere.csv");
        std::fs::write(&elsewhere, "x").unwrap();
        for path in [elsewhere.display().to_string(), "/etc/passwd".into(), String::new()] {
            let err = show_saved_file(&path).unwrap_err();
            assert_eq!(err.code(), "RevealFailed", "{path}");
            assert!(err.details().contains(&("cause", "notSaved".to_string())), "{path}: {:?}", err.details());
        }
    }

    #[test]
    fn folders_are_named_in_the_shops_language() {
        assert!(folder(Folder::Receipts, ReceiptLanguage::ZhTw).ends_with("熟客收據"));
        assert!(folder(Folder::Exports, ReceiptLanguage::ZhCn).ends_with("熟客导出"));
        assert!(folder(Folder::Backups, ReceiptLanguage::En).ends_with("Regulars backups"));
        assert_eq!(folders(Folder::Backups).len(), 3);
    }

    #[test]
    fn a_saved_file_never_replaces_an_earlier_one() {
        let root = tempfile::tempdir().unwrap();
        assert_eq!(free_path(root.path(), "收據-2.pdf"), root.path().join("收據-2.pdf"));
        std::fs::write(root.path().join("收據-2.pdf"), "x").unwrap();
        assert_eq!(free_path(root.path(), "收據-2.pdf"), root.path().join("收據-2 (2).pdf"));
        std::fs::write(root.path().join("收據-2 (2).pdf"), "x").unwrap();
        assert_eq!(free_path(root.path(), "收據-2.pdf"), root.path().join("收據-2 (3).pdf"));
    }

    #[cfg(unix)]
    #[test]
    fn folders_written_before_files_were_private_are_tightened() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap();
        let receipts = root.path().join("熟客收據");
        let nested = receipts.join("2026-11");
        std::fs::create_dir_all(&nested).unwrap();
        let slip = receipts.join("收據-2.pdf");
        let older = nested.join("收據-1.pdf");
        let outside = root.path().join("elsewhere.pdf");
        for file in [&slip, &older, &outside] {
            std::fs::write(file, "x").unwrap();
            std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
        for dir in [&receipts, &nested] {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        std::os::unix::fs::symlink(&outside, receipts.join("link.pdf")).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;

        assert_eq!(tighten_folder(&receipts).unwrap(), 4, "two folders and two files");
        assert_eq!(mode(&receipts), 0o700);
        assert_eq!(mode(&nested), 0o700);
        assert_eq!(mode(&slip), 0o600);
        assert_eq!(mode(&older), 0o600);
        assert_eq!(mode(&outside), 0o644, "a link's target outside the folder is not touched");
        assert_eq!(tighten_folder(&root.path().join("missing")).unwrap(), 0);
    }
}
