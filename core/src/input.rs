//! What people type, read the way Chinese shops type it. One place for
//! every interface (the app, the CLI, imports): full-width forms from a
//! Chinese input method fold to ASCII before anything is parsed, and dates
//! are read in the notations used in Taiwan, Hong Kong and mainland China,
//! including Republic-of-China years (民國).

use crate::error::{Error, Result};
use chrono::NaiveDate;

/// Folds the full-width forms a Chinese input method types to their ASCII
/// equivalents (NFKC for the characters that matter here): full-width
/// digits, Latin letters and punctuation (U+FF01–U+FF5E), the ideographic
/// space, and the dashes and minus signs people type between digits.
/// Everything else (Han characters, the ideographic full stop) is kept.
pub fn fold_width(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

fn fold_char(ch: char) -> char {
    match ch {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(ch as u32 - 0xFF01 + 0x21).unwrap_or(ch),
        '\u{3000}' => ' ',
        // Hyphen, non-breaking hyphen, figure dash, en dash, em dash,
        // horizontal bar, minus sign, small hyphen-minus.
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE63}' => '-',
        _ => ch,
    }
}

/// A date as typed: a day and month, and the year when one was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TypedDate {
    pub year: Option<i32>,
    pub month: u32,
    pub day: u32,
}

impl TypedDate {
    /// The calendar date, when the year was given.
    pub fn to_date(self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year?, self.month, self.day)
    }
}

/// The ROC (民國) calendar counts years from 1912: ROC 1 = 1912.
const ROC_OFFSET: i32 = 1911;

/// Reads a date as a shop types it:
/// - `1990-07-08`, `1990/7/8`, `1990.07.08`, `1990年7月8日`, `19900708`;
/// - a year of one to three digits is a Republic-of-China year:
///   `79/03/15`, `79.03.15`, `民國79年3月15日`, `民國 79/03/15`, `0790315`;
/// - no year: `03-15`, `3/15`, `3月15日`, `0315`;
/// - full-width digits and separators as a Chinese input method types them.
///
/// A month above 12 or a form not listed is [`Error::InvalidDate`]; a day
/// that does not exist in its month (02-30, 2023-02-29, 04-31) is
/// [`Error::NoSuchDay`], so the cashier is told which. Without a year,
/// Feb 29 exists.
pub fn parse_date(text: &str) -> Result<TypedDate> {
    let bad = || Error::InvalidDate(truncate_for_message(text.trim()));
    let folded = fold_width(text);
    let mut t = folded.trim();
    let roc = ["民國", "民国"].iter().find_map(|p| t.strip_prefix(p));
    if let Some(rest) = roc {
        t = rest.trim_start();
    }
    // 年 and 月 separate like dashes; a trailing 日 (or 號/号) ends the day.
    // Spaces separate only when nothing else does ("1990 7 8", but
    // "1990 / 07 / 08" is "1990/07/08").
    let t = t.trim_start_matches("--").trim_end_matches(['日', '號', '号']).trim();
    let has_separator = t.contains(['年', '月', '/', '.', '-']);
    let normalized: String = t
        .chars()
        .filter(|c| !(has_separator && c.is_whitespace()))
        .map(|c| if matches!(c, '年' | '月' | '/' | '.' | '-') || c.is_whitespace() { '-' } else { c })
        .collect();
    let parts: Vec<&str> = normalized.split('-').filter(|p| !p.is_empty()).collect();
    if parts.iter().any(|p| !p.chars().all(|c| c.is_ascii_digit())) || normalized.contains("--") {
        return Err(bad());
    }
    let (year_text, month_text, day_text) = match parts.as_slice() {
        [y, m, d] => (Some(*y), *m, *d),
        [m, d] => (None, *m, *d),
        [compact] => match compact.len() {
            4 => (None, &compact[..2], &compact[2..]),
            7 => (Some(&compact[..3]), &compact[3..5], &compact[5..]),
            8 => (Some(&compact[..4]), &compact[4..6], &compact[6..]),
            _ => return Err(bad()),
        },
        _ => return Err(bad()),
    };
    if month_text.len() > 2 || day_text.len() > 2 {
        return Err(bad());
    }
    let year = match year_text {
        None if roc.is_some() => return Err(bad()),
        None => None,
        Some(y) if y.len() == 4 && roc.is_none() => Some(y.parse::<i32>().map_err(|_| bad())?),
        Some(y) if (1..=3).contains(&y.len()) => {
            let roc_year: i32 = y.parse().map_err(|_| bad())?;
            if roc_year < 1 {
                return Err(bad());
            }
            Some(roc_year + ROC_OFFSET)
        }
        Some(_) => return Err(bad()),
    };
    let month: u32 = month_text.parse().map_err(|_| bad())?;
    let day: u32 = day_text.parse().map_err(|_| bad())?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return Err(bad());
    }
    // Without a year, check against a leap year so Feb 29 is a day.
    if NaiveDate::from_ymd_opt(year.unwrap_or(2000), month, day).is_none() {
        return Err(Error::NoSuchDay { value: truncate_for_message(text.trim()), year, month, day });
    }
    Ok(TypedDate { year, month, day })
}

/// Reads a calendar date (a year is required), e.g. the day of a report.
pub fn parse_full_date(text: &str) -> Result<NaiveDate> {
    let typed = parse_date(text)?;
    typed.to_date().ok_or_else(|| Error::InvalidDate(truncate_for_message(text.trim())))
}

/// A typed value shortened to 40 characters for an error message.
pub(crate) fn truncate_for_message(s: &str) -> String {
    if s.chars().count() > 40 {
        let mut t: String = s.chars().take(40).collect();
        t.push('…');
        t
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, year: Option<i32>, month: u32, day: u32) {
        assert_eq!(parse_date(input).unwrap(), TypedDate { year, month, day }, "{input}");
    }

    #[test]
    fn full_width_forms_fold_to_ascii() {
        assert_eq!(fold_width("０９１２３４５６７８"), "0912345678");
        assert_eq!(fold_width("０９２８－７７６－５４３"), "0928-776-543");
        assert_eq!(fold_width("１９９０／０７／０８"), "1990/07/08");
        assert_eq!(fold_width("ＶＩＰ－００１"), "VIP-001");
        assert_eq!(fold_width("ｍ０００００２"), "m000002");
        assert_eq!(fold_width("林\u{3000}２３４５"), "林 2345");
        assert_eq!(fold_width("１，２００．５"), "1,200.5");
        assert_eq!(fold_width("0912\u{2013}345\u{2212}678"), "0912-345-678");
        // Han text is left alone, as is the ideographic full stop.
        assert_eq!(fold_width("王小明。"), "王小明。");
    }

    #[test]
    fn dates_are_read_in_every_common_notation() {
        check("1990/07/08", Some(1990), 7, 8);
        check("1990-7-8", Some(1990), 7, 8);
        check("1990.07.08", Some(1990), 7, 8);
        check("1990年7月8日", Some(1990), 7, 8);
        check("19900708", Some(1990), 7, 8);
        check("１９９０／０７／０８", Some(1990), 7, 8);
        check(" 1990 7 8 ", Some(1990), 7, 8);
        check("1990 / 07 / 08", Some(1990), 7, 8);
        check("03-15", None, 3, 15);
        check("3/15", None, 3, 15);
        check("3月15日", None, 3, 15);
        check("0315", None, 3, 15);
        check("０３１５", None, 3, 15);
        check("--03-15", None, 3, 15);
    }

    #[test]
    fn republic_of_china_years_are_counted_from_1912() {
        check("79/03/15", Some(1990), 3, 15);
        check("79.03.15", Some(1990), 3, 15);
        check("民國79年3月15日", Some(1990), 3, 15);
        check("民國 79/03/15", Some(1990), 3, 15);
        check("民国79年3月15日", Some(1990), 3, 15);
        check("115/12/02", Some(2026), 12, 2);
        check("0790315", Some(1990), 3, 15);
        check("1150315", Some(2026), 3, 15);
        check("民國１１５年１２月２日", Some(2026), 12, 2);
    }

    #[test]
    fn a_day_that_does_not_exist_is_named_as_such() {
        for input in ["02-30", "2023-02-29", "04-31", "民國112年2月29日", "１１／３１"] {
            let err = parse_date(input).unwrap_err();
            assert_eq!(err.code(), "NoSuchDay", "{input}");
        }
        let err = parse_date("02-30").unwrap_err();
        let details = err.details();
        assert!(details.contains(&("month", "2".to_string())) && details.contains(&("day", "30".to_string())));
        // Feb 29 exists in leap years and when no year is given.
        check("02-29", None, 2, 29);
        check("2024-02-29", Some(2024), 2, 29);
    }

    #[test]
    fn malformed_dates_are_refused() {
        for input in [
            "",
            "13-01",
            "00-10",
            "03-00",
            "03-32",
            "tomorrow",
            "1990-02",
            "1-2-3-4",
            "12345",
            "民國03-15",
            "1990--07-08",
        ] {
            assert_eq!(parse_date(input).unwrap_err().code(), "InvalidDate", "{input:?}");
        }
        assert_eq!(parse_date("民國 1990/07/08").unwrap_err().code(), "InvalidDate");
        assert_eq!(parse_date("0/03/15").unwrap_err().code(), "InvalidDate");
    }

    #[test]
    fn a_full_date_needs_its_year() {
        assert_eq!(parse_full_date("2026/11/2").unwrap(), NaiveDate::from_ymd_opt(2026, 11, 2).unwrap());
        assert_eq!(parse_full_date("11-02").unwrap_err().code(), "InvalidDate");
    }
}
