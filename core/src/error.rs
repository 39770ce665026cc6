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
    #[error("there is no such day as {value:?} (month {month} has no day {day})")]
    NoSuchDay { value: String, year: Option<i32>, month: u32, day: u32 },
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
    #[error("{field} cannot be negative, got {value}")]
    AmountNegative { field: &'static str, value: i64 },
    #[error("cash tendered {tendered} is less than the {due} due")]
    TenderedTooLow { tendered: i64, due: i64 },
    #[error("unknown payment method {0:?}")]
    UnknownPaymentMethod(String),
    #[error("the payment method {0} is turned off")]
    PaymentMethodOff(String),
    #[error("the payment method {0} is on receipts and stays: turn it off instead")]
    PaymentMethodInUse(String),
    #[error("at least one payment method must stay on")]
    LastPaymentMethod,
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
    #[error("voiding receipt {receipt} would take the stored value below zero (already spent since)")]
    VoidWouldOverdraw { receipt: i64 },
    #[error("the stamps of {program} on receipt {receipt} were redeemed since, on receipt {redemption}: void receipt {redemption} first")]
    StampsRedeemedSince { receipt: i64, program: String, redemption: i64 },
    #[error("the stamps of {program} on receipt {receipt} have expired since and cannot be taken back")]
    StampsExpiredSince { receipt: i64, program: String },
    #[error("the stamps needed of {program} cannot change: {cards} cards have stamps already")]
    StampsNeededLocked { program: String, cards: i64 },
    #[error("the shop already has data (members, programs or products): demo data goes only into a new database")]
    ShopNotEmpty,
    #[error("request id {0} was already used for a different operation")]
    RequestIdReused(String),
    #[error("request id {0} was already used for the same operation with another amount or by another staff member")]
    RequestIdConflict(String),
    #[error("the member {0} is archived")]
    MemberArchived(String),
    #[error("member {0} was erased on their request: the record is kept for its receipts only")]
    MemberErased(String),
    #[error("unknown currency {0:?}")]
    UnknownCurrency(String),
    #[error("the currency cannot change once money has been recorded")]
    CurrencyLocked,
    #[error("unknown time zone {0:?}")]
    UnknownTimeZone(String),
    #[error("invalid value for {field}: {reason}")]
    InvalidInput { field: &'static str, reason: Reason },
    #[error("unknown placeholder {{{name}}} in the message template; use {known}")]
    UnknownPlaceholder { name: String, known: String },
    #[error("the database was written by a newer version of Regulars (schema {found}, this build knows {known})")]
    SchemaTooNew { found: i64, known: i64 },
    #[error("no usable receipt font at {path}: {reason}")]
    FontUnavailable { path: String, reason: String },
    #[error("printing failed: {0}")]
    PrintFailed(String),
    /// The OS's printing system is missing or not running (`system`: "cups"
    /// or "windows"); `reason` is the OS's own words, for logs.
    #[error("cannot print: the printing system ({system}) is not available: {reason}")]
    PrinterUnavailable { system: &'static str, reason: String },
    /// No printer of that name, or no default printer ('' = none chosen).
    #[error("no printer named {printer:?} (or no default printer): {reason}")]
    PrinterNotFound { printer: String, reason: String },
    /// `cause` is a stable key the UI has a sentence for (`notSaved`, or an
    /// [`io_cause`]); `reason` is the OS's own words, for logs.
    #[error("cannot show the file in its folder: {reason}")]
    RevealFailed { cause: &'static str, reason: String },
    /// `cause`: an [`io_cause`] or [`database_cause`], or `databaseUnavailable`.
    #[error("backup failed: {reason}")]
    BackupFailed { cause: &'static str, reason: String },
    /// `cause`: `notFound`, `unreadable`, `notADatabase`, `notRegulars`,
    /// `tooNew`, `damaged` or `notInBackups`.
    #[error("{path} is not a usable Regulars backup: {reason}")]
    NotABackup { path: String, cause: &'static str, reason: String },
    /// `act` is what was refused, `needed` the least role that may, `role`
    /// the signed-in staff member's.
    #[error("a {role} may not do {act}: it needs the {needed} role (a manager's or the owner's PIN can approve it)")]
    PermissionDenied { act: &'static str, needed: &'static str, role: &'static str },
    #[error("a PIN is 4 to 8 digits")]
    InvalidPin,
    #[error("wrong PIN ({left} tries left before the PIN pad locks)")]
    WrongPin { left: i64 },
    /// `until` is UTC milliseconds.
    #[error("too many wrong PINs: the PIN pad is locked until {until}")]
    PinLocked { until: i64 },
    #[error("sign in with a staff PIN first")]
    SignInRequired,
    #[error("that PIN is already used by another staff member: choose another")]
    DuplicatePin,
    #[error("staff member not found: {0}")]
    StaffNotFound(String),
    /// `balance` in minor units.
    #[error("member {member_no} still holds {balance} of stored value: refund it first, or erase with the forfeit confirmed")]
    MemberHoldsStoredValue { member_no: String, balance: i64 },
    #[error("the shop must keep at least one active owner")]
    LastOwner,
    #[error("the shop already has staff: the first owner is made only once")]
    StaffExists,
    #[error("coupon offer not found: {0}")]
    OfferNotFound(String),
    #[error("the coupon offer {0} is paused: no new coupons of it")]
    OfferPaused(String),
    #[error("no coupon has the code {0}")]
    CouponNotFound(String),
    #[error("{0:?} is not a coupon code as printed: check each character (a mistyped code)")]
    CouponMistyped(String),
    #[error("the coupon {0} has been used already")]
    CouponUsed(String),
    #[error("the coupon {code} expired after {until}")]
    CouponExpired { code: String, until: String },
    #[error("the coupon {code} is valid from {from}")]
    CouponNotYetValid { code: String, from: String },
    #[error("the coupon {0} belongs to another member")]
    CouponNotThisMember(String),
    #[error("the coupon {code} needs a spend of {minimum}; the items come to {spend}")]
    CouponMinimumSpend { code: String, minimum: i64, spend: i64 },
    #[error("the coupon {0} does not combine with other coupons on one sale")]
    CouponsDoNotCombine(String),
    #[error("the coupon {code} is for a free item the sale does not have")]
    CouponItemNotInSale { code: String },
    #[error("not enough points: {balance} held, {needed} asked")]
    InsufficientPoints { balance: i64, needed: i64 },
    #[error("the points of receipt {receipt} have been redeemed since and cannot be taken back")]
    PointsSpentSince { receipt: i64 },
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
            Error::NoSuchDay { .. } => "NoSuchDay",
            Error::InvalidEmail(_) => "InvalidEmail",
            Error::EmptyField { .. } => "EmptyField",
            Error::TextTooLong { .. } => "TextTooLong",
            Error::AmountNotPositive { .. } => "AmountNotPositive",
            Error::AmountTooLarge { .. } => "AmountTooLarge",
            Error::InvalidAmount(_) => "InvalidAmount",
            Error::AmountNegative { .. } => "AmountNegative",
            Error::TenderedTooLow { .. } => "TenderedTooLow",
            Error::UnknownPaymentMethod(_) => "UnknownPaymentMethod",
            Error::PaymentMethodOff(_) => "PaymentMethodOff",
            Error::PaymentMethodInUse(_) => "PaymentMethodInUse",
            Error::LastPaymentMethod => "LastPaymentMethod",
            Error::PaymentMismatch { .. } => "PaymentMismatch",
            Error::LinesMismatch { .. } => "LinesMismatch",
            Error::InsufficientBalance { .. } => "InsufficientBalance",
            Error::CardNotFull { .. } => "CardNotFull",
            Error::AlreadyVoided(_) => "AlreadyVoided",
            Error::CannotVoidVoid(_) => "CannotVoidVoid",
            Error::VoidWouldOverdraw { .. } => "VoidWouldOverdraw",
            Error::StampsRedeemedSince { .. } => "StampsRedeemedSince",
            Error::StampsExpiredSince { .. } => "StampsExpiredSince",
            Error::StampsNeededLocked { .. } => "StampsNeededLocked",
            Error::ShopNotEmpty => "ShopNotEmpty",
            Error::RequestIdReused(_) => "RequestIdReused",
            Error::RequestIdConflict(_) => "RequestIdConflict",
            Error::MemberArchived(_) => "MemberArchived",
            Error::MemberErased(_) => "MemberErased",
            Error::UnknownCurrency(_) => "UnknownCurrency",
            Error::CurrencyLocked => "CurrencyLocked",
            Error::UnknownTimeZone(_) => "UnknownTimeZone",
            Error::InvalidInput { .. } => "InvalidInput",
            Error::UnknownPlaceholder { .. } => "UnknownPlaceholder",
            Error::SchemaTooNew { .. } => "SchemaTooNew",
            Error::FontUnavailable { .. } => "FontUnavailable",
            Error::PrintFailed(_) => "PrintFailed",
            Error::PrinterUnavailable { .. } => "PrinterUnavailable",
            Error::PrinterNotFound { .. } => "PrinterNotFound",
            Error::RevealFailed { .. } => "RevealFailed",
            Error::BackupFailed { .. } => "BackupFailed",
            Error::NotABackup { .. } => "NotABackup",
            Error::PermissionDenied { .. } => "PermissionDenied",
            Error::InvalidPin => "InvalidPin",
            Error::WrongPin { .. } => "WrongPin",
            Error::PinLocked { .. } => "PinLocked",
            Error::SignInRequired => "SignInRequired",
            Error::DuplicatePin => "DuplicatePin",
            Error::StaffNotFound(_) => "StaffNotFound",
            Error::LastOwner => "LastOwner",
            Error::MemberHoldsStoredValue { .. } => "MemberHoldsStoredValue",
            Error::StaffExists => "StaffExists",
            Error::OfferNotFound(_) => "OfferNotFound",
            Error::OfferPaused(_) => "OfferPaused",
            Error::CouponNotFound(_) => "CouponNotFound",
            Error::CouponMistyped(_) => "CouponMistyped",
            Error::CouponUsed(_) => "CouponUsed",
            Error::CouponExpired { .. } => "CouponExpired",
            Error::CouponNotYetValid { .. } => "CouponNotYetValid",
            Error::CouponNotThisMember(_) => "CouponNotThisMember",
            Error::CouponMinimumSpend { .. } => "CouponMinimumSpend",
            Error::CouponsDoNotCombine(_) => "CouponsDoNotCombine",
            Error::CouponItemNotInSale { .. } => "CouponItemNotInSale",
            Error::InsufficientPoints { .. } => "InsufficientPoints",
            Error::PointsSpentSince { .. } => "PointsSpentSince",
            Error::Database(_) => "Database",
            Error::Io(_) => "Io",
        }
    }
}

impl Error {
    /// The values a translated message needs, by name (amounts in minor
    /// units), e.g. `balance` and `needed` for `InsufficientBalance`.
    pub fn details(&self) -> Vec<(&'static str, String)> {
        match self {
            Error::MemberNotFound(r) | Error::ReceiptNotFound(r) | Error::ProgramNotFound(r) => {
                vec![("reference", r.clone())]
            }
            Error::DuplicatePhone(p, m) => vec![("phone", p.clone()), ("memberNo", m.clone())],
            Error::DuplicateCardCode(c, m) => vec![("cardCode", c.clone()), ("memberNo", m.clone())],
            Error::InvalidPhone(v) | Error::InvalidDate(v) | Error::InvalidEmail(v) | Error::InvalidAmount(v) => {
                vec![("value", v.clone())]
            }
            Error::NoSuchDay { value, year, month, day } => vec![
                ("value", value.clone()),
                ("year", year.map(|y| y.to_string()).unwrap_or_default()),
                ("month", month.to_string()),
                ("day", day.to_string()),
            ],
            Error::EmptyField { field } => vec![("field", (*field).to_string())],
            Error::TextTooLong { field, len, max } => {
                vec![("field", (*field).to_string()), ("len", len.to_string()), ("max", max.to_string())]
            }
            Error::AmountNotPositive { field, value } | Error::AmountNegative { field, value } => {
                vec![("field", (*field).to_string()), ("value", value.to_string())]
            }
            Error::AmountTooLarge { field, value, max } => {
                vec![("field", (*field).to_string()), ("value", value.to_string()), ("max", max.to_string())]
            }
            Error::TenderedTooLow { tendered, due } => {
                vec![("tendered", tendered.to_string()), ("due", due.to_string())]
            }
            Error::UnknownPaymentMethod(v) | Error::PaymentMethodOff(v) | Error::PaymentMethodInUse(v) => {
                vec![("method", v.clone())]
            }
            Error::PaymentMismatch { paid, total } => vec![("paid", paid.to_string()), ("total", total.to_string())],
            Error::LinesMismatch { lines, total } => vec![("lines", lines.to_string()), ("total", total.to_string())],
            Error::InsufficientBalance { balance, needed } => {
                vec![("balance", balance.to_string()), ("needed", needed.to_string())]
            }
            Error::CardNotFull { program, stamps, needed } => {
                vec![("program", program.clone()), ("stamps", stamps.to_string()), ("needed", needed.to_string())]
            }
            Error::AlreadyVoided(n) | Error::CannotVoidVoid(n) => vec![("number", n.to_string())],
            Error::VoidWouldOverdraw { receipt } => vec![("number", receipt.to_string())],
            Error::StampsRedeemedSince { receipt, program, redemption } => vec![
                ("number", receipt.to_string()),
                ("program", program.clone()),
                ("redemption", redemption.to_string()),
            ],
            Error::StampsExpiredSince { receipt, program } => {
                vec![("number", receipt.to_string()), ("program", program.clone())]
            }
            Error::StampsNeededLocked { program, cards } => {
                vec![("program", program.clone()), ("cards", cards.to_string())]
            }
            Error::RequestIdReused(r) | Error::RequestIdConflict(r) => vec![("requestId", r.clone())],
            Error::MemberArchived(m) | Error::MemberErased(m) => vec![("memberNo", m.clone())],
            Error::UnknownCurrency(v) | Error::UnknownTimeZone(v) => vec![("value", v.clone())],
            Error::InvalidInput { field, reason } => {
                let mut details = vec![("field", (*field).to_string()), ("reason", reason.to_string())];
                details.extend(reason.details());
                details
            }
            Error::UnknownPlaceholder { name, known } => vec![("name", name.clone()), ("known", known.clone())],
            Error::SchemaTooNew { found, known } => vec![("found", found.to_string()), ("known", known.to_string())],
            Error::FontUnavailable { path, reason } => vec![("path", path.clone()), ("reason", reason.clone())],
            Error::PrintFailed(reason) => vec![("reason", reason.clone())],
            Error::RevealFailed { cause, reason } | Error::BackupFailed { cause, reason } => {
                vec![("cause", (*cause).to_string()), ("reason", reason.clone())]
            }
            Error::NotABackup { path, cause, reason } => {
                vec![("path", path.clone()), ("cause", (*cause).to_string()), ("reason", reason.clone())]
            }
            // `cause` picks the sentence saying what to install or check.
            Error::PrinterUnavailable { system, reason } => {
                let cause = if *system == "windows" { "windowsPrinting" } else { "cupsMissing" };
                vec![("system", (*system).to_string()), ("cause", cause.to_string()), ("reason", reason.clone())]
            }
            Error::PrinterNotFound { printer, reason } => {
                let cause = if printer.is_empty() { "noDefaultPrinter" } else { "noSuchPrinter" };
                vec![("printer", printer.clone()), ("cause", cause.to_string()), ("reason", reason.clone())]
            }
            Error::PermissionDenied { act, needed, role } => {
                vec![("act", (*act).to_string()), ("needed", (*needed).to_string()), ("role", (*role).to_string())]
            }
            Error::WrongPin { left } => vec![("left", left.to_string())],
            Error::MemberHoldsStoredValue { member_no, balance } => {
                vec![("memberNo", member_no.clone()), ("balance", balance.to_string())]
            }
            Error::PinLocked { until } => vec![("until", until.to_string())],
            Error::StaffNotFound(r) => vec![("reference", r.clone())],
            Error::OfferNotFound(r) => vec![("reference", r.clone())],
            Error::OfferPaused(name) => vec![("offer", name.clone())],
            Error::CouponNotFound(c)
            | Error::CouponMistyped(c)
            | Error::CouponUsed(c)
            | Error::CouponNotThisMember(c)
            | Error::CouponsDoNotCombine(c)
            | Error::CouponItemNotInSale { code: c } => vec![("code", c.clone())],
            Error::CouponExpired { code, until } => vec![("code", code.clone()), ("until", until.clone())],
            Error::CouponNotYetValid { code, from } => vec![("code", code.clone()), ("from", from.clone())],
            Error::CouponMinimumSpend { code, minimum, spend } => {
                vec![("code", code.clone()), ("minimum", minimum.to_string()), ("spend", spend.to_string())]
            }
            Error::InsufficientPoints { balance, needed } => {
                vec![("balance", balance.to_string()), ("needed", needed.to_string())]
            }
            Error::PointsSpentSince { receipt } => vec![("number", receipt.to_string())],
            Error::Database(e) => vec![("cause", database_cause(e).to_string())],
            Error::Io(e) => vec![("cause", io_cause(e).to_string())],
            Error::CurrencyLocked
            | Error::ShopNotEmpty
            | Error::LastPaymentMethod
            | Error::InvalidPin
            | Error::SignInRequired
            | Error::DuplicatePin
            | Error::LastOwner
            | Error::StaffExists => Vec::new(),
        }
    }
}

/// What went wrong with a file, as a stable key the UI has a sentence for
/// (what to check or do): `permissionDenied`, `diskFull`, `fileLocked`,
/// `notFound`, `readOnly`, or `other`.
pub fn io_cause(e: &std::io::Error) -> &'static str {
    use std::io::ErrorKind;
    // Raw OS codes that `ErrorKind` does not name on every platform:
    // ENOSPC 28 / EDQUOT 122 (Linux), 69 (macOS); Windows ERROR_HANDLE_DISK_FULL 39,
    // ERROR_DISK_FULL 112, ERROR_SHARING_VIOLATION 32, ERROR_LOCK_VIOLATION 33; EROFS 30.
    let raw = e.raw_os_error();
    if cfg!(windows) {
        match raw {
            Some(39 | 112) => return "diskFull",
            Some(32 | 33) => return "fileLocked",
            Some(19) => return "readOnly",
            _ => {}
        }
    } else {
        match raw {
            Some(28 | 122) => return "diskFull",
            Some(69) if cfg!(target_os = "macos") => return "diskFull",
            Some(30) => return "readOnly",
            Some(26) => return "fileLocked",
            _ => {}
        }
    }
    match e.kind() {
        ErrorKind::PermissionDenied => "permissionDenied",
        ErrorKind::NotFound => "notFound",
        ErrorKind::WouldBlock => "fileLocked",
        _ => "other",
    }
}

/// What went wrong with the database, as a stable key the UI has a sentence
/// for: `busy` (another program holds it), `diskFull`, `readOnly`,
/// `permissionDenied`, `corrupt`, `cannotOpen`, `ioFailure`, or `other`.
pub fn database_cause(e: &rusqlite::Error) -> &'static str {
    use rusqlite::ErrorCode;
    match e {
        rusqlite::Error::SqliteFailure(f, _) => match f.code {
            ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => "busy",
            ErrorCode::DiskFull => "diskFull",
            ErrorCode::ReadOnly => "readOnly",
            ErrorCode::PermissionDenied => "permissionDenied",
            ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase => "corrupt",
            ErrorCode::CannotOpen => "cannotOpen",
            ErrorCode::SystemIoFailure => "ioFailure",
            _ => "other",
        },
        _ => "other",
    }
}

/// Why a value was refused, in a form the UI can translate: each kind but
/// [`Reason::Other`] has a stable `rule` and the numbers its message needs;
/// `Display` is the English text for the CLI and logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// Must lie between `min` and `max`, both included.
    Range { min: i64, max: i64 },
    /// Several values that must each be larger than the one before, all
    /// between `min` and `max` (e.g. the S1 < S2 < S3 thresholds).
    Rising { min: i64, max: i64 },
    /// At most `max` entries.
    TooMany { max: i64 },
    /// The name is already used (in the shop, or twice in one request).
    Taken { value: String },
    /// An amount (minor units) that appears twice where each must differ.
    RepeatedAmount { minor: i64 },
    /// Only letters, digits and dashes.
    LettersDigitsDashes,
    /// Control characters (tabs, line breaks) are not allowed.
    ControlCharacters,
    /// The last day of a span is before its first.
    EndsBeforeStart,
    /// Anything else, in English only: programmer errors and CLI syntax
    /// the app's own forms cannot produce.
    Other(String),
}

impl Reason {
    /// The stable identifier the UI translates by; `None` for `Other`.
    pub fn rule(&self) -> Option<&'static str> {
        Some(match self {
            Reason::Range { .. } => "range",
            Reason::Rising { .. } => "rising",
            Reason::TooMany { .. } => "tooMany",
            Reason::Taken { .. } => "taken",
            Reason::RepeatedAmount { .. } => "repeatedAmount",
            Reason::LettersDigitsDashes => "lettersDigitsDashes",
            Reason::ControlCharacters => "controlCharacters",
            Reason::EndsBeforeStart => "endsBeforeStart",
            Reason::Other(_) => return None,
        })
    }

    fn details(&self) -> Vec<(&'static str, String)> {
        let mut out: Vec<(&'static str, String)> = self.rule().map(|r| ("rule", r.to_string())).into_iter().collect();
        match self {
            Reason::Range { min, max } | Reason::Rising { min, max } => {
                out.extend([("min", min.to_string()), ("max", max.to_string())])
            }
            Reason::TooMany { max } => out.push(("max", max.to_string())),
            Reason::Taken { value } => out.push(("value", value.clone())),
            Reason::RepeatedAmount { minor } => out.push(("value", minor.to_string())),
            Reason::LettersDigitsDashes | Reason::ControlCharacters | Reason::EndsBeforeStart | Reason::Other(_) => {}
        }
        out
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::Range { min, max } => write!(f, "between {min} and {max}"),
            Reason::Rising { min, max } => write!(f, "each larger than the one before, between {min} and {max}"),
            Reason::TooMany { max } => write!(f, "at most {max}"),
            Reason::Taken { value } => write!(f, "{value:?} is already used"),
            Reason::RepeatedAmount { minor } => write!(f, "{minor} appears twice"),
            Reason::LettersDigitsDashes => f.write_str("use letters, digits and dashes"),
            Reason::ControlCharacters => f.write_str("control characters are not allowed"),
            Reason::EndsBeforeStart => f.write_str("the last day is before the first"),
            Reason::Other(text) => f.write_str(text),
        }
    }
}

impl From<String> for Reason {
    fn from(text: String) -> Self {
        Reason::Other(text)
    }
}

impl From<&str> for Reason {
    fn from(text: &str) -> Self {
        Reason::Other(text.to_string())
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Error as IoError, ErrorKind};

    #[test]
    fn file_errors_name_their_cause_for_a_translated_sentence() {
        let cause = |e: IoError| Error::Io(e).details();
        assert_eq!(cause(IoError::from(ErrorKind::PermissionDenied)), vec![("cause", "permissionDenied".to_string())]);
        assert_eq!(cause(IoError::from(ErrorKind::NotFound)), vec![("cause", "notFound".to_string())]);
        if cfg!(windows) {
            assert_eq!(io_cause(&IoError::from_raw_os_error(112)), "diskFull");
            assert_eq!(io_cause(&IoError::from_raw_os_error(32)), "fileLocked");
        } else {
            assert_eq!(io_cause(&IoError::from_raw_os_error(28)), "diskFull");
            assert_eq!(io_cause(&IoError::from_raw_os_error(30)), "readOnly");
        }
        assert_eq!(io_cause(&IoError::other("odd")), "other");
    }

    #[test]
    fn a_busy_database_is_told_apart_from_a_damaged_one() {
        let failure = |code: i32| {
            rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), Some("database is locked".into()))
        };
        assert_eq!(database_cause(&failure(rusqlite::ffi::SQLITE_BUSY)), "busy");
        assert_eq!(database_cause(&failure(rusqlite::ffi::SQLITE_FULL)), "diskFull");
        assert_eq!(database_cause(&failure(rusqlite::ffi::SQLITE_CORRUPT)), "corrupt");
        assert_eq!(
            Error::Database(failure(rusqlite::ffi::SQLITE_READONLY)).details(),
            vec![("cause", "readOnly".to_string())]
        );
    }

    #[test]
    fn a_printer_error_says_which_sentence_fits() {
        let cause = |e: Error| e.details().into_iter().find(|(k, _)| *k == "cause").map(|(_, v)| v);
        let missing = Error::PrinterUnavailable { system: "cups", reason: "No such file".into() };
        assert_eq!(cause(missing).as_deref(), Some("cupsMissing"));
        let none = Error::PrinterNotFound { printer: String::new(), reason: String::new() };
        assert_eq!(cause(none).as_deref(), Some("noDefaultPrinter"));
        let named = Error::PrinterNotFound { printer: "Star".into(), reason: String::new() };
        assert_eq!(cause(named).as_deref(), Some("noSuchPrinter"));
    }
}
