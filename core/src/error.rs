//! One error type for the core. Every variant has a stable [`Error::code`]
//! that interfaces switch on (the UI translates by code); the `Display`
//! text is the English message used by the CLI and logs.

use thiserror::Error as ThisError;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, ThisError)]
pub enum Error {
    #[error("member not found: {0}")]
    MemberNotFound(String),
    #[error("receipt not found: {0}")]
    ReceiptNotFound(String),
    #[error("stamp program not found: {0}")]
    ProgramNotFound(String),
    #[error("the phone number {0} already belongs to member {1}")]
    DuplicatePhone(String, String),
    #[error("the card code {0} already belongs to member {1}")]
    DuplicateCardCode(String, String),
    #[error("malformed phone number {0:?}: use 6 to 15 digits, optionally with +, spaces, dashes or brackets")]
    InvalidPhone(String),
    #[error("malformed date {0:?}: use MM-DD or YYYY-MM-DD")]
    InvalidDate(String),
    #[error("malformed email address {0:?}")]
    InvalidEmail(String),
    #[error("{field} must not be empty")]
    EmptyField { field: &'static str },
    #[error("{field} is too long ({len} characters, at most {max})")]
    TextTooLong { field: &'static str, len: usize, max: usize },
    #[error("{field} must be a positive amount, got {value}")]
    AmountNotPositive { field: &'static str, value: i64 },
    #[error("{field} is too large ({value}, at most {max})")]
    AmountTooLarge { field: &'static str, value: i64, max: i64 },
    #[error("malformed amount {0:?}")]
    InvalidAmount(String),
    #[error("the payments add up to {paid} but the total is {total}")]
    PaymentMismatch { paid: i64, total: i64 },
    #[error("the line items add up to {lines} but the total is {total}")]
    LinesMismatch { lines: i64, total: i64 },
    #[error("insufficient stored value: balance {balance}, needed {needed}")]
    InsufficientBalance { balance: i64, needed: i64 },
    #[error("the card of {program} has {stamps} of {needed} stamps: not full, no reward to redeem")]
    CardNotFull { program: String, stamps: i64, needed: i64 },
    #[error("receipt {0} has already been voided")]
    AlreadyVoided(i64),
    #[error("receipt {0} is itself a void and cannot be voided")]
    CannotVoidVoid(i64),
    #[error("voiding receipt {receipt} would take {what} below zero (already used since)")]
    VoidWouldOverdraw { receipt: i64, what: String },
    #[error("request id {0} was already used for a different operation")]
    RequestIdReused(String),
    #[error("the member {0} is archived")]
    MemberArchived(String),
    #[error("a member cannot refer themselves")]
    SelfReferral,
    #[error("unknown currency {0:?}")]
    UnknownCurrency(String),
    #[error("the currency cannot change once money has been recorded")]
    CurrencyLocked,
    #[error("unknown time zone {0:?}")]
    UnknownTimeZone(String),
    #[error("invalid value for {field}: {reason}")]
    InvalidInput { field: &'static str, reason: String },
    #[error("the database was written by a newer version of Regulars (schema {found}, this build knows {known})")]
    SchemaTooNew { found: i64, known: i64 },
    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("file error: {0}")]
    Io(#[from] std::io::Error),
}

impl Error {
    /// A stable identifier for the kind of error, for interfaces to switch on
    /// and translate. Never matched by message text.
    pub fn code(&self) -> &'static str {
        match self {
            Error::MemberNotFound(_) => "MemberNotFound",
            Error::ReceiptNotFound(_) => "ReceiptNotFound",
            Error::ProgramNotFound(_) => "ProgramNotFound",
            Error::DuplicatePhone(..) => "DuplicatePhone",
            Error::DuplicateCardCode(..) => "DuplicateCardCode",
            Error::InvalidPhone(_) => "InvalidPhone",
            Error::InvalidDate(_) => "InvalidDate",
            Error::InvalidEmail(_) => "InvalidEmail",
            Error::EmptyField { .. } => "EmptyField",
            Error::TextTooLong { .. } => "TextTooLong",
            Error::AmountNotPositive { .. } => "AmountNotPositive",
            Error::AmountTooLarge { .. } => "AmountTooLarge",
            Error::InvalidAmount(_) => "InvalidAmount",
            Error::PaymentMismatch { .. } => "PaymentMismatch",
            Error::LinesMismatch { .. } => "LinesMismatch",
            Error::InsufficientBalance { .. } => "InsufficientBalance",
            Error::CardNotFull { .. } => "CardNotFull",
            Error::AlreadyVoided(_) => "AlreadyVoided",
            Error::CannotVoidVoid(_) => "CannotVoidVoid",
            Error::VoidWouldOverdraw { .. } => "VoidWouldOverdraw",
            Error::RequestIdReused(_) => "RequestIdReused",
            Error::MemberArchived(_) => "MemberArchived",
            Error::SelfReferral => "SelfReferral",
            Error::UnknownCurrency(_) => "UnknownCurrency",
            Error::CurrencyLocked => "CurrencyLocked",
            Error::UnknownTimeZone(_) => "UnknownTimeZone",
            Error::InvalidInput { .. } => "InvalidInput",
            Error::SchemaTooNew { .. } => "SchemaTooNew",
            Error::Database(_) => "Database",
            Error::Io(_) => "Io",
        }
    }
}

/// Checks a free-text field's length in characters (not bytes).
pub fn check_len(field: &'static str, value: &str, max: usize) -> Result<()> {
    let len = value.chars().count();
    if len > max {
        return Err(Error::TextTooLong { field, len, max });
    }
    Ok(())
}
