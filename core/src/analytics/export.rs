//! Outreach text from templates, and CSV that Excel opens correctly.

use crate::error::{Error, Result};

/// The placeholders a message template may use.
pub const PLACEHOLDERS: &[&str] = &["name", "balance", "stamps", "memberNo", "lastVisit", "tier", "shop"];

/// The values for one member's message (already formatted for people).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateValues {
    pub name: String,
    pub balance: String,
    pub stamps: String,
    pub member_no: String,
    pub last_visit: String,
    pub tier: String,
    pub shop: String,
}

impl TemplateValues {
    fn get(&self, key: &str) -> Option<&str> {
        Some(match key {
            "name" => &self.name,
            "balance" => &self.balance,
            "stamps" => &self.stamps,
            "memberNo" => &self.member_no,
            "lastVisit" => &self.last_visit,
            "tier" => &self.tier,
            "shop" => &self.shop,
            _ => return None,
        })
    }
}

/// Splits a template into literal text and `{placeholder}` names. Braces
/// around anything that is not a word stay literal text.
fn pieces(template: &str) -> Vec<(bool, &str)> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if close > 0 && after[..close].chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
                out.push((false, &rest[..open]));
                out.push((true, &after[..close]));
                rest = &after[close + 1..];
            }
            _ => {
                out.push((false, &rest[..=open]));
                rest = after;
            }
        }
    }
    out.push((false, rest));
    out
}

/// Refuses a template with an unknown `{placeholder}` (a typo would
/// otherwise go out to every customer).
pub fn check_template(template: &str) -> Result<()> {
    for (is_key, text) in pieces(template) {
        if is_key && !PLACEHOLDERS.contains(&text) {
            return Err(Error::InvalidInput {
                field: "template",
                reason: format!("unknown placeholder {{{text}}}; use {}", PLACEHOLDERS.join(", ")),
            });
        }
    }
    Ok(())
}

/// The personalised text (the template must have passed [`check_template`];
/// unknown placeholders are left as written).
pub fn render(template: &str, values: &TemplateValues) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    for (is_key, text) in pieces(template) {
        match (is_key, values.get(text)) {
            (true, Some(v)) => out.push_str(v),
            (true, None) => {
                out.push('{');
                out.push_str(text);
                out.push('}');
            }
            (false, _) => out.push_str(text),
        }
    }
    out
}

/// One CSV cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Int(i64),
    /// Minor units, written as a plain decimal (`1200`, `12.50`) that
    /// spreadsheets read as a number.
    Money(i64),
    Empty,
}

impl Cell {
    pub fn opt_text(v: Option<impl ToString>) -> Cell {
        v.map_or(Cell::Empty, |v| Cell::Text(v.to_string()))
    }

    pub fn opt_int(v: Option<i64>) -> Cell {
        v.map_or(Cell::Empty, Cell::Int)
    }
}

/// A plain decimal of minor units: `decimal(1250, 2)` is `12.50`.
pub fn decimal(minor: i64, digits: u8) -> String {
    if digits == 0 {
        return minor.to_string();
    }
    let scale = 10u64.pow(u32::from(digits));
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!("{sign}{}.{:0width$}", abs / scale, abs % scale, width = usize::from(digits))
}

/// Rows a list can be exported as.
pub trait CsvRow {
    fn csv_header() -> Vec<&'static str>;
    fn csv_cells(&self) -> Vec<Cell>;
}

/// CSV of `rows`: UTF-8 with a byte-order mark (so Excel reads Chinese
/// correctly), CRLF line ends, fields quoted when needed, and text that a
/// spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) prefixed
/// with an apostrophe.
pub fn to_csv<R: CsvRow>(rows: &[R], minor_digits: u8) -> Vec<u8> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(&mut out);
        // Writing to a Vec cannot fail.
        let _ = w.write_record(R::csv_header());
        for r in rows {
            let cells: Vec<String> = r
                .csv_cells()
                .into_iter()
                .map(|c| match c {
                    Cell::Text(t) if t.starts_with(['=', '+', '-', '@', '\t', '\r']) => format!("'{t}"),
                    Cell::Text(t) => t,
                    Cell::Int(i) => i.to_string(),
                    Cell::Money(m) => decimal(m, minor_digits),
                    Cell::Empty => String::new(),
                })
                .collect();
            let _ = w.write_record(&cells);
        }
        let _ = w.flush();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_and_typos_refused() {
        let v = TemplateValues { name: "王小明".into(), balance: "NT$1,100".into(), ..Default::default() };
        assert_eq!(render("{name} 您好，儲值餘額 {balance}。{ 不是 }", &v), "王小明 您好，儲值餘額 NT$1,100。{ 不是 }");
        assert!(check_template("{name}{balance}{stamps}{memberNo}{lastVisit}{tier}{shop} {} {x y}").is_ok());
        assert_eq!(check_template("Hi {nmae}").unwrap_err().code(), "InvalidInput");
    }

    struct Row(&'static str, i64);
    impl CsvRow for Row {
        fn csv_header() -> Vec<&'static str> {
            vec!["name", "spend"]
        }
        fn csv_cells(&self) -> Vec<Cell> {
            vec![Cell::Text(self.0.into()), Cell::Money(self.1)]
        }
    }

    #[test]
    fn csv_has_a_bom_quotes_and_no_formulas() {
        let bytes = to_csv(&[Row("陳, \"阿\"明", 1250), Row("=HYPERLINK(\"x\")", -5)], 2);
        assert_eq!(&bytes[..3], b"\xef\xbb\xbf");
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert_eq!(text, "name,spend\r\n\"陳, \"\"阿\"\"明\",12.50\r\n\"'=HYPERLINK(\"\"x\"\")\",-0.05\r\n");
    }
}
