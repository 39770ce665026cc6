//! Phone numbers: shown as entered, searched as digits.

use crate::error::{Error, Result};
use crate::input::{fold_width, truncate_for_message};

/// Normalises a phone number for storage and search: digits only, with
/// the international prefixes of Taiwan, Hong Kong and mainland China
/// folded into the national number, so that `+886 912 345 678` and
/// `0912-345-678` are the same member (`+886` becomes the national 0;
/// `+852 9123 4567` is `91234567`; `+86 138 1234 5678` is `13812345678`).
/// A Taiwan mobile that a spreadsheet stripped of its leading 0
/// (`912345678`: nine digits starting with 9) gets it back.
/// Accepts digits, spaces, dashes, dots, brackets and one leading `+`, in
/// their full-width forms too (`０９２８－７７６－５４３`).
pub fn normalize_phone(input: &str) -> Result<String> {
    let folded = fold_width(input);
    let trimmed = folded.trim();
    let bad = || Error::InvalidPhone(truncate_for_message(trimmed));
    let mut digits = String::with_capacity(trimmed.len());
    for (i, ch) in trimmed.chars().enumerate() {
        match ch {
            '0'..='9' => digits.push(ch),
            '+' if i == 0 => {}
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => return Err(bad()),
        }
    }
    let international = trimmed.starts_with('+');
    let national = if let Some(rest) = digits.strip_prefix("886").filter(|_| international || digits.len() == 12) {
        let rest = rest.strip_prefix('0').unwrap_or(rest);
        format!("0{rest}")
    } else if let Some(rest) = digits.strip_prefix("852").filter(|r| international || r.len() == 8) {
        rest.to_string()
    } else if let Some(rest) =
        digits.strip_prefix("86").filter(|r| international || (r.len() == 11 && r.starts_with('1')))
    {
        rest.to_string()
    } else if digits.len() == 9 && digits.starts_with('9') {
        format!("0{digits}")
    } else {
        digits
    };
    if !(6..=15).contains(&national.len()) {
        return Err(bad());
    }
    Ok(national)
}

/// Masks a phone number for printing on receipts: `0912-***-678`.
pub fn mask_phone(digits: &str) -> String {
    let n = digits.chars().count();
    if n <= 6 {
        return format!("***{}", &digits[n.saturating_sub(3)..]);
    }
    let head: String = digits.chars().take(4).collect();
    let tail: String = digits.chars().skip(n - 3).collect();
    format!("{head}-***-{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taiwan_numbers_in_any_notation_are_the_same() {
        for input in
            ["0912-345-678", "0912 345 678", "+886 912 345 678", "+886-0912345678", "886912345678", "(0912)345678"]
        {
            assert_eq!(normalize_phone(input).unwrap(), "0912345678", "{input}");
        }
    }

    #[test]
    fn numbers_as_shops_type_them_find_the_same_member() {
        for (input, digits) in [
            ("０９１２３４５６７８", "0912345678"),
            ("912345678", "0912345678"),
            ("+852 9123 4567", "91234567"),
            ("852-9123-4567", "91234567"),
            ("+86 138 1234 5678", "13812345678"),
            ("8613812345678", "13812345678"),
            ("(02) 2345-6789", "0223456789"),
        ] {
            assert_eq!(normalize_phone(input).unwrap(), digits, "{input}");
        }
    }

    #[test]
    fn hong_kong_numbers_keep_their_digits() {
        assert_eq!(normalize_phone("9123 4567").unwrap(), "91234567");
    }

    #[test]
    fn malformed_phones_are_refused() {
        for input in [
            "",
            "12345",
            "0912-abc-678",
            "0912345678901234",
            "++886912345678",
            "09123'; DROP TABLE members;--",
            "📞0912345678",
        ] {
            assert_eq!(normalize_phone(input).unwrap_err().code(), "InvalidPhone", "{input}");
        }
    }

    #[test]
    fn masking_keeps_prefix_and_last_three() {
        assert_eq!(mask_phone("0912345678"), "0912-***-678");
    }
}
