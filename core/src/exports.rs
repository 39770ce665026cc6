//! Everything the shop holds as files (above the store, which hands the
//! rows over one at a time: `Store::export_data`): one `.xlsx` workbook, a
//! sheet per table, or a folder of CSV files (UTF-8 with a BOM, so Excel
//! reads the Chinese right); the whole shop, or one member's data on their
//! request.

use crate::documents::{save_in, WriteFailed};
use crate::error::{Error, Reason, Result};
use crate::language::ReceiptLanguage;
use crate::paths::{self, Folder};
use crate::store::export_all::{ExportEvent, ExportValue};
use crate::Store;
use chrono::{DateTime, Utc};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Rows a sheet holds below its heading (Excel's limit, less the heading);
/// a longer table goes on in a sheet of its own ("receipts (2)").
pub const SHEET_ROWS: u32 = 1_048_575;

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::InvalidInput { field: "workbook", reason: Reason::Other(e.to_string()) }
}

/// The workbook's bytes: a sheet per table, the heading row first, numbers
/// as numbers and text as text.
pub fn workbook(store: &Store, member: Option<i64>, now: DateTime<Utc>) -> Result<Vec<u8>> {
    workbook_with_limit(store, member, now, SHEET_ROWS)
}

/// [`workbook`] with a sheet's rows limited to `sheet_rows` (a test's small limit).
#[doc(hidden)]
pub fn workbook_with_limit(store: &Store, member: Option<i64>, now: DateTime<Utc>, sheet_rows: u32) -> Result<Vec<u8>> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    // The sheet being written: its table's name and columns, its part, the next row.
    let mut current: Option<(&'static str, Vec<&'static str>, u32, u32)> = None;
    let new_sheet =
        |book: &mut rust_xlsxwriter::Workbook, name: &str, part: u32, columns: &[&'static str]| -> Result<()> {
            let sheet = book.add_worksheet();
            let title = if part == 1 { name.to_string() } else { format!("{name} ({part})") };
            sheet.set_name(&title).map_err(xlsx_error)?;
            for (c, column) in columns.iter().enumerate() {
                sheet.write_string_with_format(0, c as u16, *column, &bold).map_err(xlsx_error)?;
            }
            Ok(())
        };
    store.export_data(member, now, &mut |event| {
        match event {
            ExportEvent::Table { name, columns } => {
                new_sheet(&mut book, name, 1, &columns)?;
                current = Some((name, columns, 1, 1));
            }
            ExportEvent::Row(cells) => {
                let Some((name, columns, part, row)) = current.as_mut() else { return Ok(()) };
                if *row > sheet_rows {
                    *part += 1;
                    *row = 1;
                    new_sheet(&mut book, name, *part, columns)?;
                }
                let count = book.worksheets().len();
                let sheet = book.worksheet_from_index(count - 1).map_err(xlsx_error)?;
                for (c, cell) in cells.iter().enumerate() {
                    let col = c as u16;
                    match cell {
                        ExportValue::Empty => {}
                        // Excel keeps numbers as doubles: exact for every amount and id (< 2^53).
                        #[allow(clippy::cast_precision_loss)]
                        ExportValue::Int(v) => {
                            sheet.write_number(*row, col, *v as f64).map_err(xlsx_error)?;
                        }
                        ExportValue::Text(t) => {
                            sheet.write_string(*row, col, t).map_err(xlsx_error)?;
                        }
                    }
                }
                *row += 1;
            }
        }
        Ok(())
    })?;
    book.save_to_buffer().map_err(xlsx_error)
}

/// Writes a CSV file per table into `dir` (made if missing; a file of the
/// same name is replaced); returns the files written, `about.csv` first.
pub fn write_csv_folder(store: &Store, dir: &Path, member: Option<i64>, now: DateTime<Utc>) -> Result<Vec<PathBuf>> {
    paths::create_private_dir(dir).map_err(|error| Error::from(WriteFailed { path: dir.to_path_buf(), error }))?;
    let mut written: Vec<PathBuf> = Vec::new();
    let mut out: Option<csv::Writer<std::io::BufWriter<std::fs::File>>> = None;
    let io = |path: &Path, error: std::io::Error| Error::from(WriteFailed { path: path.to_path_buf(), error });
    store.export_data(member, now, &mut |event| {
        match event {
            ExportEvent::Table { name, columns } => {
                if let Some(mut w) = out.take() {
                    w.flush().map_err(|e| io(written.last().map_or(dir, |p| p.as_path()), e))?;
                }
                let path = dir.join(format!("{name}.csv"));
                let mut file = std::fs::File::create(&path).map_err(|e| io(&path, e))?;
                paths::restrict_to_user(&path).map_err(|e| io(&path, e))?;
                // The BOM tells Excel the file is UTF-8.
                file.write_all("\u{feff}".as_bytes()).map_err(|e| io(&path, e))?;
                let mut w = csv::WriterBuilder::new()
                    .terminator(csv::Terminator::CRLF)
                    .from_writer(std::io::BufWriter::new(file));
                w.write_record(&columns).map_err(|e| io(&path, e.into()))?;
                out = Some(w);
                written.push(path);
            }
            ExportEvent::Row(cells) => {
                if let (Some(w), Some(path)) = (out.as_mut(), written.last()) {
                    let record: Vec<String> = cells
                        .into_iter()
                        .map(|c| match c {
                            ExportValue::Empty => String::new(),
                            ExportValue::Int(v) => v.to_string(),
                            ExportValue::Text(t) => t,
                        })
                        .collect();
                    w.write_record(&record).map_err(|e| io(path, e.into()))?;
                }
            }
        }
        Ok(())
    })?;
    if let (Some(mut w), Some(path)) = (out.take(), written.last()) {
        w.flush().map_err(|e| io(path, e))?;
    }
    Ok(written)
}

/// The workbook's file name in the UI's language: the whole shop, or one
/// member's data.
pub fn workbook_name(language: ReceiptLanguage, member_no: Option<&str>, day: chrono::NaiveDate) -> String {
    match (language, member_no) {
        (ReceiptLanguage::ZhTw, None) => format!("熟客全部資料-{day}.xlsx"),
        (ReceiptLanguage::ZhCn, None) => format!("熟客全部资料-{day}.xlsx"),
        (ReceiptLanguage::En, None) => format!("regulars-all-data-{day}.xlsx"),
        (ReceiptLanguage::ZhTw, Some(no)) => format!("會員資料-{no}-{day}.xlsx"),
        (ReceiptLanguage::ZhCn, Some(no)) => format!("会员资料-{no}-{day}.xlsx"),
        (ReceiptLanguage::En, Some(no)) => format!("member-data-{no}-{day}.xlsx"),
    }
}

/// Saves the workbook in the exports folder of the UI's language, never
/// over an earlier file; its path.
pub fn save_workbook(
    store: &Store,
    member: Option<i64>,
    language: ReceiptLanguage,
    now: DateTime<Utc>,
) -> Result<PathBuf> {
    let bytes = workbook(store, member, now)?;
    let member_no = match member {
        Some(id) => Some(store.member(id)?.member_no),
        None => None,
    };
    let day = store.settings()?.local_date(now);
    let name = workbook_name(language, member_no.as_deref(), day);
    Ok(save_in(&paths::folder(Folder::Exports, language), &name, &bytes)?)
}
