//! A file read as a table of text cells: the first non-empty row is the
//! headings, the rest are rows (numbered as a spreadsheet shows them).

use super::encoding;
use crate::error::{Error, Result};
use calamine::{Data, Reader};

/// The cells of a file as text, with the encoding it was read in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    /// Each row with the line a spreadsheet shows it on (the headings are 1).
    pub rows: Vec<(usize, Vec<String>)>,
    /// `UTF-8`, `Big5`, `GBK`, `UTF-16LE` … or `xlsx`/`xls` for a workbook.
    pub encoding: String,
}

/// How a file is read, from its name: a workbook, or text.
fn is_workbook(file_name: &str) -> bool {
    let lower = file_name.to_ascii_lowercase();
    [".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"].iter().any(|e| lower.ends_with(e))
}

/// Reads a file's bytes: an Excel workbook (`.xlsx`, `.xls` …, its first
/// sheet) by its name, otherwise text in `encoding_name` or the encoding
/// found, with commas, tabs or semicolons between cells (whichever the
/// headings use most).
pub fn read_table(bytes: &[u8], file_name: &str, encoding_name: Option<&str>) -> Result<Table> {
    if is_workbook(file_name) || bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return read_workbook(bytes, file_name);
    }
    let enc = match encoding_name {
        Some(name) => encoding::by_name(name)?,
        None => likeliest_encoding(bytes),
    };
    let text = encoding::decode(bytes, enc)?;
    let mut table = read_text(&text)?;
    table.encoding = encoding::name_of(enc).to_string();
    Ok(table)
}

/// The encoding a text file is most likely in: a byte-order mark or valid
/// UTF-8 decides; otherwise, of `chardetng`'s guess and the encodings
/// Chinese shops' files come in (Big5, GBK/GB18030), the one that decodes
/// cleanly and whose headings name the most fields (a file of digits and
/// a few names can fool a statistical guess; its headings cannot).
fn likeliest_encoding(bytes: &[u8]) -> &'static encoding_rs::Encoding {
    let guess = encoding::detect(bytes);
    if encoding_rs::Encoding::for_bom(bytes).is_some()
        || guess == encoding_rs::UTF_8
        || guess.name().starts_with("UTF-16")
    {
        return guess;
    }
    // The headings' line: a line feed is never part of a Big5 or GBK
    // character, so the bytes split there.
    let first = bytes.split(|b| *b == b'\n').find(|l| l.iter().any(|b| !b.is_ascii_whitespace())).unwrap_or(&[]);
    let named = |enc: &'static encoding_rs::Encoding| -> Option<usize> {
        let (text, had_errors) = enc.decode_without_bom_handling(first);
        if had_errors {
            return None;
        }
        let headers = read_text(&text).ok()?.headers;
        Some(headers.iter().filter(|h| super::columns::guess_field(h).is_some()).count())
    };
    let mut best = (named(guess).unwrap_or(0), guess);
    for candidate in [encoding_rs::BIG5, encoding_rs::GBK, encoding_rs::GB18030] {
        if let Some(n) = named(candidate) {
            if n > best.0 {
                best = (n, candidate);
            }
        }
    }
    best.1
}

fn bad(reason: String) -> Error {
    Error::InvalidInput { field: "import file", reason: reason.into() }
}

/// CSV or TSV text (already decoded).
pub fn read_text(text: &str) -> Result<Table> {
    let first_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter =
        [b',', b'\t', b';'].into_iter().max_by_key(|d| first_line.bytes().filter(|b| b == d).count()).unwrap_or(b',');
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut cells = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let record = record.map_err(|e| bad(e.to_string()))?;
        // The row as a spreadsheet numbers it (a row of empty cells counts;
        // a line with nothing at all, which no spreadsheet writes, does not).
        let line = index + 1;
        cells.push((line, record.iter().map(|c| c.trim().to_string()).collect::<Vec<_>>()));
    }
    Ok(into_table(cells, String::new()))
}

fn into_table(cells: Vec<(usize, Vec<String>)>, encoding: String) -> Table {
    let mut rows = cells.into_iter().filter(|(_, r)| r.iter().any(|c| !c.is_empty()));
    let headers = rows.next().map(|(_, h)| h).unwrap_or_default();
    Table { headers, rows: rows.collect(), encoding }
}

fn read_workbook(bytes: &[u8], file_name: &str) -> Result<Table> {
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes.to_vec()))
        .map_err(|e| bad(format!("{file_name} is not a workbook Excel can open: {e}")))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| bad(format!("{file_name} has no sheet")))?
        .map_err(|e| bad(e.to_string()))?;
    let first_row = range.start().map_or(0, |(r, _)| r as usize);
    let cells = range
        .rows()
        .enumerate()
        .map(|(i, row)| (first_row + i + 1, row.iter().map(cell_text).collect::<Vec<_>>()))
        .collect();
    let lower = file_name.to_ascii_lowercase();
    let kind = if lower.ends_with(".xls") { "xls" } else { "xlsx" };
    Ok(into_table(cells, kind.to_string()))
}

/// A cell as the text a person would have typed: whole numbers without
/// `.0`, dates as `YYYY-MM-DD` (Excel's 1900 date system).
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => {
            let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
            let days = d.as_f64().floor() as i64;
            base.checked_add_signed(chrono::Duration::days(days)).map_or_else(String::new, |d| d.to_string())
        }
        Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
        Data::DurationIso(s) => s.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_big5_file_of_digits_is_read_as_big5_by_its_headings() {
        let mut text = String::from("姓名,手機,儲值金\r\n");
        for i in 0..2000 {
            text += &format!("會員{i},09{i:08},{}\r\n", i % 700);
        }
        let (bytes, _, _) = encoding_rs::BIG5.encode(&text);
        let t = read_table(&bytes, "members.csv", None).unwrap();
        assert_eq!((t.encoding.as_str(), t.headers[0].as_str()), ("Big5", "姓名"));
        let simplified = text.replace("會員", "会员").replace("手機", "手机").replace("儲值金", "储值金");
        let (bytes, _, _) = encoding_rs::GBK.encode(&simplified);
        let t = read_table(&bytes, "members.csv", None).unwrap();
        assert_eq!((t.encoding.as_str(), t.headers[1].as_str()), ("GBK", "手机"));
    }

    #[test]
    fn tabs_or_commas_are_found_from_the_headings() {
        let t = read_text("姓名\t手機\n王小明\t0912345678\n\t\n李大華\t0922333444\n").unwrap();
        assert_eq!(t.headers, ["姓名", "手機"]);
        assert_eq!(t.rows[1], (4, vec!["李大華".to_string(), "0922333444".to_string()]));
        let t = read_text("name,phone\nAmy,0912345678\n").unwrap();
        assert_eq!(t.rows, [(2, vec!["Amy".to_string(), "0912345678".to_string()])]);
    }
}
