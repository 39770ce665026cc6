//! Checks every write's request makes before it touches the store: the
//! request id (the idempotency key), the cashier's name, a note. Pure: no
//! database, no clock.

use crate::error::{check_len, Error, Reason, Result};

/// Refuses an empty, oversized or control-character request id.
pub(crate) fn check_request_id(request_id: &str) -> Result<()> {
    if request_id.trim().is_empty() {
        return Err(Error::EmptyField { field: "request id" });
    }
    check_len("request id", request_id, 100)?;
    if request_id.chars().any(char::is_control) {
        return Err(Error::InvalidInput { field: "request id", reason: Reason::ControlCharacters });
    }
    Ok(())
}

/// The cashier's name as written on a receipt: trimmed, at most 40
/// characters, "staff" when left empty.
pub(crate) fn clean_cashier(cashier: &str) -> Result<String> {
    let c = cashier.trim();
    check_len("cashier", c, 40)?;
    Ok(if c.is_empty() { "staff".to_string() } else { c.to_string() })
}

/// A note (a reason, a comment) trimmed, at most 500 characters.
pub(crate) fn clean_note(field: &'static str, note: &str) -> Result<String> {
    check_len(field, note, 500)?;
    Ok(note.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_id_must_be_present_short_and_printable() {
        assert!(check_request_id("till-1-000042").is_ok());
        assert_eq!(check_request_id("  ").unwrap_err().code(), "EmptyField");
        assert_eq!(check_request_id(&"x".repeat(101)).unwrap_err().code(), "TextTooLong");
        assert_eq!(check_request_id("a\u{0}b").unwrap_err().code(), "InvalidInput");
    }

    #[test]
    fn cashier_and_note_are_trimmed_and_bounded() {
        assert_eq!(clean_cashier("  小美 ").unwrap(), "小美");
        assert_eq!(clean_cashier("").unwrap(), "staff");
        assert!(clean_cashier(&"王".repeat(41)).is_err());
        assert_eq!(clean_note("note", " 客人說不要了 ").unwrap(), "客人說不要了");
        assert!(clean_note("note", &"字".repeat(501)).is_err());
    }
}
