//! What the shop hands to people or keeps on paper: a receipt, a coupon's
//! slip or the day close slip as a PDF, an owner's list as CSV. This module sits above the
//! store (which reads the figures) and the renderer (`pdf`, which lays them
//! out): it renders a document, saves it in the app's folders under one rule
//! (a saved file never replaces an earlier one, [`paths::free_path`]) and
//! prints it ([`printing::print_pdf`]). The desktop app's commands and the
//! CLI call it; neither writes nor prints a document on its own.
//!
//! `Store::receipt_pdf` and `Store::day_close_pdf` are defined here too,
//! not in `store/`: the store only reads, so it needs no renderer.

use crate::error::{Error, Result};
use crate::language::ReceiptLanguage;
use crate::paths::{self, Folder};
use crate::pdf::{self, RenderedReceipt};
use crate::printing;
use crate::settings::PaperSize;
use crate::store::owner_export::CsvExport;
use crate::Store;
use chrono::{DateTime, NaiveDate, Utc};
use std::io::Write;
use std::path::{Path, PathBuf};

/// A receipt, a coupon slip or a day close slip rendered as a PDF, with
/// what saving and printing it need.
#[derive(Debug, Clone)]
pub struct PdfDocument {
    pub rendered: RenderedReceipt,
    /// The paper it was laid out for (the printer is told the same).
    pub paper: PaperSize,
    /// The shop's printer ('' = the system's default printer).
    pub printer: String,
    /// Its name in the receipts folder, in its language: `收據-12.pdf`,
    /// `日結單-2026-03-10.pdf`, `receipt-12.pdf` …
    pub file_name: String,
    pub language: ReceiptLanguage,
}

/// Receipt `number` on `paper` (the shop's paper when `None`), labelled in
/// `language`, with the shop's receipt font (found on the system when not
/// configured; parsed once per process).
pub fn receipt(store: &Store, number: i64, paper: Option<PaperSize>, language: ReceiptLanguage) -> Result<PdfDocument> {
    let receipt = store.receipt(number)?;
    let settings = store.settings()?;
    let font = pdf::receipt_font(&settings.receipt_font_path)?;
    let paper = paper.unwrap_or(settings.receipt_paper);
    let rendered = pdf::render_receipt(&receipt, &settings, paper, language, &font);
    let file_name = match language {
        ReceiptLanguage::ZhTw => format!("收據-{number}.pdf"),
        ReceiptLanguage::ZhCn => format!("小票-{number}.pdf"),
        ReceiptLanguage::En => format!("receipt-{number}.pdf"),
    };
    Ok(PdfDocument { rendered, paper, printer: settings.printer_name, file_name, language })
}

/// The close of the shop day `date` as a slip on `paper` (the shop's paper
/// when `None`), labelled in `language`, stamped with `now` as the time it
/// was printed so a reprint can be told from the first.
pub fn day_close(
    store: &Store,
    date: NaiveDate,
    paper: Option<PaperSize>,
    language: ReceiptLanguage,
    now: DateTime<Utc>,
) -> Result<PdfDocument> {
    let day = store.day_close(date)?;
    let settings = store.settings()?;
    let paper = paper.unwrap_or(settings.receipt_paper);
    let font = pdf::receipt_font(&settings.receipt_font_path)?;
    let rendered = pdf::day_close::render_day_close(&day, &settings, paper, language, &font, now);
    let file_name = match language {
        ReceiptLanguage::ZhTw => format!("日結單-{date}.pdf"),
        ReceiptLanguage::ZhCn => format!("日结单-{date}.pdf"),
        ReceiptLanguage::En => format!("day-close-{date}.pdf"),
    };
    Ok(PdfDocument { rendered, paper, printer: settings.printer_name, file_name, language })
}

/// The slip of the coupon `code` (as typed or scanned) on `paper` (the
/// shop's paper when `None`), labelled in `language`, read on the shop's day
/// of `now`: a coupon already used or past its last day gets none
/// (`Store::coupon_slip` says why).
pub fn coupon_slip(
    store: &Store,
    code: &str,
    paper: Option<PaperSize>,
    language: ReceiptLanguage,
    now: DateTime<Utc>,
) -> Result<PdfDocument> {
    let slip = store.coupon_slip(code, now)?;
    let settings = store.settings()?;
    let paper = paper.unwrap_or(settings.receipt_paper);
    let font = pdf::receipt_font(&settings.receipt_font_path)?;
    let rendered = pdf::coupon_slip::render_coupon_slip(&slip, &settings, paper, language, &font);
    let file_name = match language {
        ReceiptLanguage::ZhTw => format!("優惠券-{}.pdf", slip.code),
        ReceiptLanguage::ZhCn => format!("优惠券-{}.pdf", slip.code),
        ReceiptLanguage::En => format!("coupon-{}.pdf", slip.code),
    };
    Ok(PdfDocument { rendered, paper, printer: settings.printer_name, file_name, language })
}

impl PdfDocument {
    /// Saves it in the receipts folder named in its language, never over an
    /// earlier file (a reprint is a new file); returns the file's path.
    pub fn save(&self) -> Result<PathBuf, WriteFailed> {
        save_in(&paths::folder(Folder::Receipts, self.language), &self.file_name, &self.rendered.bytes)
    }

    /// Writes it to `path`, a file the user named (the CLI's `--output`),
    /// replacing what is there as any command line tool does.
    pub fn write_to(&self, path: &Path) -> Result<()> {
        Ok(std::fs::write(path, &self.rendered.bytes)?)
    }

    /// Prints it on the shop's printer, on the paper it was laid out for.
    pub fn print(&self) -> Result<()> {
        self.print_on(&self.printer)
    }

    /// Prints it on `printer` ('' = the system's default printer).
    pub fn print_on(&self, printer: &str) -> Result<()> {
        printing::print_pdf(&self.rendered.bytes, printer, self.paper, self.rendered.height_mm)
    }
}

/// Saves an owner's list (the CSV the store wrote) in the exports folder
/// named in `language`, never over an earlier file; returns the file's path.
pub fn save_owner_list(export: &CsvExport, language: ReceiptLanguage) -> Result<PathBuf, WriteFailed> {
    save_in(&paths::folder(Folder::Exports, language), &export.file_name, &export.bytes)
}

/// A file or folder the app could not write: which, and the OS's error.
#[derive(Debug)]
pub struct WriteFailed {
    pub path: PathBuf,
    pub error: std::io::Error,
}

impl From<WriteFailed> for Error {
    fn from(failed: WriteFailed) -> Error {
        Error::Io(failed.error)
    }
}

/// The one rule for saving a document: `bytes` as `name` in `folder`
/// (created when missing), or as `name (2)`, `name (3)` … when taken, so a
/// file saved earlier (perhaps still open in a PDF viewer or Excel) is never
/// replaced, not even by another save racing this one.
pub fn save_in(folder: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf, WriteFailed> {
    paths::create_private_dir(folder).map_err(|error| WriteFailed { path: folder.to_path_buf(), error })?;
    let mut attempts = 0;
    let (path, mut file) = loop {
        let path = paths::free_path(folder, name);
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(file) => {
                paths::restrict_to_user(&path).map_err(|error| WriteFailed { path: path.clone(), error })?;
                break (path, file);
            }
            // Another save took this name between the look and the open: look again.
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists && attempts < 3 => attempts += 1,
            Err(error) => return Err(WriteFailed { path, error }),
        }
    };
    file.write_all(bytes).map_err(|error| WriteFailed { path: path.clone(), error })?;
    Ok(path)
}

impl Store {
    /// Renders receipt `number` as a PDF on `paper` (the shop's setting when
    /// `None`), with the shop's receipt font (found on the system when not
    /// configured; parsed once per process).
    pub fn receipt_pdf(&self, number: i64, paper: Option<PaperSize>, lang: ReceiptLanguage) -> Result<RenderedReceipt> {
        Ok(receipt(self, number, paper, lang)?.rendered)
    }

    /// The day close as a PDF for `paper` (the shop's receipt paper when
    /// `None`), in `lang`, stamped with the time it was printed.
    pub fn day_close_pdf(
        &self,
        date: NaiveDate,
        paper: Option<PaperSize>,
        lang: ReceiptLanguage,
        now: DateTime<Utc>,
    ) -> Result<RenderedReceipt> {
        Ok(day_close(self, date, paper, lang, now)?.rendered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saving_twice_keeps_both_files() {
        let root = tempfile::tempdir().unwrap();
        let folder = root.path().join("熟客收據");
        let first = save_in(&folder, "收據-7.pdf", b"first").unwrap();
        let second = save_in(&folder, "收據-7.pdf", b"second").unwrap();
        assert_eq!(first, folder.join("收據-7.pdf"));
        assert_eq!(second, folder.join("收據-7 (2).pdf"));
        assert_eq!(std::fs::read(&first).unwrap(), b"first");
        assert_eq!(std::fs::read(&second).unwrap(), b"second");
    }

    #[test]
    fn a_folder_that_cannot_be_made_is_named_in_the_failure() {
        let root = tempfile::tempdir().unwrap();
        let blocker = root.path().join("not a folder");
        std::fs::write(&blocker, "x").unwrap();
        let failed = save_in(&blocker.join("exports"), "list.csv", b"a,b").unwrap_err();
        assert_eq!(failed.path, blocker.join("exports"));
        assert_eq!(Error::from(failed).code(), "Io");
    }
}
