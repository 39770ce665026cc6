//! Money as integer minor units of one currency. Never floats.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// The largest amount one operation may carry, in minor units. Far beyond any
/// shop's single sale, and far below both i64 overflow and JavaScript's
/// 2^53 − 1, so sums of many such amounts stay exact everywhere.
pub const MAX_AMOUNT_MINOR: i64 = 100_000_000_000;

/// An amount in minor units (cents, or whole dollars for TWD as shops use it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default, ts_rs::TS)]
#[ts(export)]
pub struct Money(pub i64);

impl Money {
    pub const ZERO: Money = Money(0);

    pub fn minor(self) -> i64 {
        self.0
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money)
    }
}

/// Validates an amount entered for `field`: positive and not absurdly large.
pub fn positive_amount(field: &'static str, value: i64) -> Result<Money> {
    if value <= 0 {
        return Err(Error::AmountNotPositive { field, value });
    }
    if value > MAX_AMOUNT_MINOR {
        return Err(Error::AmountTooLarge { field, value, max: MAX_AMOUNT_MINOR });
    }
    Ok(Money(value))
}

/// Validates an amount that may be zero (e.g. a free sale) but not negative.
pub fn non_negative_amount(field: &'static str, value: i64) -> Result<Money> {
    if value < 0 {
        return Err(Error::AmountNotPositive { field, value });
    }
    if value > MAX_AMOUNT_MINOR {
        return Err(Error::AmountTooLarge { field, value, max: MAX_AMOUNT_MINOR });
    }
    Ok(Money(value))
}

/// Sums amounts, failing on overflow or a total beyond [`MAX_AMOUNT_MINOR`].
pub fn sum_amounts(field: &'static str, values: impl IntoIterator<Item = i64>) -> Result<i64> {
    let mut total: i64 = 0;
    for v in values {
        total = total.checked_add(v).filter(|t| *t <= MAX_AMOUNT_MINOR).ok_or(Error::AmountTooLarge {
            field,
            value: v,
            max: MAX_AMOUNT_MINOR,
        })?;
    }
    Ok(total)
}

/// A currency the shop keeps its books in, with the number of decimal
/// digits shops actually use (TWD: 0, as prices are whole dollars).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Currency {
    pub code: String,
    pub minor_digits: u8,
}

const CURRENCIES: &[(&str, u8, &str)] = &[
    ("TWD", 0, "NT$"),
    ("HKD", 2, "HK$"),
    ("CNY", 2, "¥"),
    ("MOP", 2, "MOP$"),
    ("SGD", 2, "S$"),
    ("MYR", 2, "RM"),
    ("JPY", 0, "¥"),
    ("KRW", 0, "₩"),
    ("USD", 2, "$"),
    ("EUR", 2, "€"),
    ("GBP", 2, "£"),
    ("AUD", 2, "A$"),
    ("CAD", 2, "C$"),
];

impl Currency {
    pub fn from_code(code: &str) -> Result<Currency> {
        let upper = code.trim().to_ascii_uppercase();
        CURRENCIES
            .iter()
            .find(|(c, _, _)| *c == upper)
            .map(|(c, d, _)| Currency { code: (*c).to_string(), minor_digits: *d })
            .ok_or_else(|| Error::UnknownCurrency(code.to_string()))
    }

    pub fn supported() -> impl Iterator<Item = &'static str> {
        CURRENCIES.iter().map(|(c, _, _)| *c)
    }

    pub fn symbol(&self) -> &'static str {
        CURRENCIES.iter().find(|(c, _, _)| *c == self.code).map(|(_, _, s)| *s).unwrap_or("")
    }

    /// Formats minor units for people: `NT$1,100`, `HK$12.50`, `-HK$0.05`.
    pub fn format(&self, minor: i64) -> String {
        let sign = if minor < 0 { "-" } else { "" };
        let abs = minor.unsigned_abs();
        let scale = 10u64.pow(u32::from(self.minor_digits));
        let major = group_thousands(abs / scale);
        if self.minor_digits == 0 {
            format!("{sign}{}{major}", self.symbol())
        } else {
            let frac = abs % scale;
            format!("{sign}{}{major}.{frac:0width$}", self.symbol(), width = usize::from(self.minor_digits))
        }
    }

    /// Parses a typed amount such as `1000`, `1,000`, `12.5` or `12.50` into
    /// minor units, exactly (no floats). Rejects more decimals than the
    /// currency has, signs, and anything else.
    pub fn parse(&self, text: &str) -> Result<i64> {
        let bad = || Error::InvalidAmount(text.to_string());
        // Full-width digits, comma and dot from a Chinese input method, and the
        // ideographic full stop some of them type for a decimal point.
        let t: String = crate::input::fold_width(text)
            .trim()
            .chars()
            .map(|c| if c == '。' { '.' } else { c })
            .filter(|c| *c != ',' && *c != '_')
            .collect();
        if t.is_empty() || t.len() > 20 {
            return Err(bad());
        }
        let (int_part, frac_part) = match t.split_once('.') {
            Some((i, f)) => (i, f),
            None => (t.as_str(), ""),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(bad());
        }
        if !int_part.chars().all(|c| c.is_ascii_digit()) || !frac_part.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        let digits = usize::from(self.minor_digits);
        if frac_part.len() > digits {
            return Err(bad());
        }
        let int: i64 = if int_part.is_empty() { 0 } else { int_part.parse().map_err(|_| bad())? };
        let frac: i64 = if frac_part.is_empty() {
            0
        } else {
            let padded = format!("{frac_part:0<digits$}");
            padded.parse().map_err(|_| bad())?
        };
        let scale = 10i64.pow(u32::from(self.minor_digits));
        int.checked_mul(scale).and_then(|v| v.checked_add(frac)).ok_or_else(bad)
    }
}

/// A count with thousands separators: 1240 → "1,240", -5 → "-5".
pub fn group_count(n: i64) -> String {
    let digits = group_thousands(n.unsigned_abs());
    if n < 0 {
        format!("-{digits}")
    } else {
        digits
    }
}

fn group_thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twd_has_no_decimals_and_hkd_two() {
        let twd = Currency::from_code("twd").unwrap();
        let hkd = Currency::from_code("HKD").unwrap();
        assert_eq!(twd.format(1100), "NT$1,100");
        assert_eq!(hkd.format(1250), "HK$12.50");
        assert_eq!(hkd.format(-5), "-HK$0.05");
        assert_eq!(twd.format(1_234_567), "NT$1,234,567");
    }

    #[test]
    fn parsing_is_exact_and_strict() {
        let hkd = Currency::from_code("HKD").unwrap();
        let twd = Currency::from_code("TWD").unwrap();
        assert_eq!(hkd.parse("12.5").unwrap(), 1250);
        assert_eq!(hkd.parse("0.05").unwrap(), 5);
        assert_eq!(hkd.parse("1,000").unwrap(), 100_000);
        assert_eq!(twd.parse("1000").unwrap(), 1000);
        for bad in ["", "-5", "1.2.3", "12.345", "abc", "1e3", "99999999999999999999"] {
            assert!(hkd.parse(bad).is_err(), "{bad} should be rejected");
        }
        assert!(twd.parse("10.5").is_err());
    }

    #[test]
    fn amounts_typed_in_full_width_are_read() {
        let hkd = Currency::from_code("HKD").unwrap();
        let twd = Currency::from_code("TWD").unwrap();
        assert_eq!(twd.parse("１，０００").unwrap(), 1000);
        assert_eq!(twd.parse("５００").unwrap(), 500);
        assert_eq!(hkd.parse("１２．５").unwrap(), 1250);
        assert_eq!(hkd.parse("12。5").unwrap(), 1250);
        assert_eq!(twd.parse("－５").unwrap_err().code(), "InvalidAmount");
    }

    #[test]
    fn amounts_must_be_positive_and_bounded() {
        assert!(positive_amount("amount", 0).is_err());
        assert!(positive_amount("amount", -1).is_err());
        assert!(positive_amount("amount", MAX_AMOUNT_MINOR + 1).is_err());
        assert_eq!(positive_amount("amount", 5).unwrap(), Money(5));
        assert!(sum_amounts("total", [MAX_AMOUNT_MINOR, 1]).is_err());
    }

    #[test]
    fn unknown_currency_is_refused() {
        assert_eq!(Currency::from_code("XYZ").unwrap_err().code(), "UnknownCurrency");
    }
}
