//! E-receipts: the immutable record of every movement of money or stamps.

use crate::error::{Error, Result};
use crate::money::Currency;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ReceiptKind {
    Sale,
    TopUp,
    Redeem,
    Refund,
    Adjust,
    Void,
    /// A referral reward to the member who brought a new one (no money).
    Reward,
    /// The stored value, stamps and points a member brought from the shop's
    /// old system when it moved in: their ledgers' first rows. No money
    /// changed hands at this till.
    Opening,
}

impl ReceiptKind {
    pub fn as_db(self) -> &'static str {
        match self {
            ReceiptKind::Sale => "sale",
            ReceiptKind::TopUp => "top_up",
            ReceiptKind::Redeem => "redeem",
            ReceiptKind::Refund => "refund",
            ReceiptKind::Adjust => "adjust",
            ReceiptKind::Void => "void",
            ReceiptKind::Reward => "reward",
            ReceiptKind::Opening => "opening",
        }
    }

    pub fn from_db(s: &str) -> Result<ReceiptKind> {
        Ok(match s {
            "sale" => ReceiptKind::Sale,
            "top_up" => ReceiptKind::TopUp,
            "redeem" => ReceiptKind::Redeem,
            "refund" => ReceiptKind::Refund,
            "adjust" => ReceiptKind::Adjust,
            "void" => ReceiptKind::Void,
            "reward" => ReceiptKind::Reward,
            "opening" => ReceiptKind::Opening,
            other => return Err(Error::InvalidInput { field: "receipt kind", reason: other.to_string().into() }),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReceiptLine {
    pub product_id: Option<i64>,
    pub description: String,
    pub quantity: i64,
    pub unit_price_minor: i64,
    pub amount_minor: i64,
    pub earns_stamps: bool,
}

/// The kind of a payment: how the money changed hands. The shop names its
/// own methods, each of one kind (LINE Pay and 街口支付 are e-wallets);
/// stored value is the member's balance and no method of the shop's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum PaymentMethod {
    Cash,
    Card,
    EWallet,
    Transfer,
    StoredValue,
    Other,
}

impl PaymentMethod {
    /// The kinds a shop's own payment method can be, in the order offered.
    pub const SHOP_KINDS: [PaymentMethod; 5] = [
        PaymentMethod::Cash,
        PaymentMethod::Card,
        PaymentMethod::EWallet,
        PaymentMethod::Transfer,
        PaymentMethod::Other,
    ];

    pub fn as_db(self) -> &'static str {
        match self {
            PaymentMethod::Cash => "cash",
            PaymentMethod::Card => "card",
            PaymentMethod::EWallet => "e_wallet",
            PaymentMethod::Transfer => "transfer",
            PaymentMethod::StoredValue => "stored_value",
            PaymentMethod::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Result<PaymentMethod> {
        match s.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "cash" => Ok(PaymentMethod::Cash),
            "card" => Ok(PaymentMethod::Card),
            "e_wallet" | "ewallet" => Ok(PaymentMethod::EWallet),
            "transfer" => Ok(PaymentMethod::Transfer),
            "stored_value" | "sv" | "wallet" => Ok(PaymentMethod::StoredValue),
            "other" => Ok(PaymentMethod::Other),
            _ => Err(Error::UnknownPaymentMethod(s.to_string())),
        }
    }
}

/// One payment on a receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReceiptPayment {
    /// The payment's kind.
    pub method: PaymentMethod,
    /// The shop's payment method it was made with (none for stored value).
    pub method_id: Option<i64>,
    /// The method's name when it was paid; empty: the kind's own word.
    pub method_name: String,
    pub amount_minor: i64,
    /// Cash handed over for a cash payment, when the cashier typed it.
    pub tendered_minor: Option<i64>,
    /// The change given back: tendered − amount.
    pub change_minor: Option<i64>,
}

/// A stamp card's movement on one receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReceiptStamp {
    pub program_id: i64,
    pub program_name: String,
    pub stamps_needed: i64,
    pub reward_text: String,
    pub stamps_before: i64,
    pub earned: i64,
    /// Rewards redeemed on this receipt (each used `stamps_needed` stamps).
    pub redeemed: i64,
    pub expired: i64,
    pub stamps_after: i64,
}

/// A discount on a receipt, its own line: a coupon redeemed with the sale
/// (a void's are negative, as its lines). The receipt's total is its lines
/// less its discounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReceiptDiscount {
    pub code: String,
    /// The offer's name when the coupon was used.
    pub description: String,
    pub amount_minor: i64,
    /// Stamps an extra-stamps coupon added (they are in `stamps` too).
    pub extra_stamps: i64,
    /// Points redeemed for this discount (a points line has no code).
    pub points: i64,
}

/// A coupon given on a receipt: its code is printed on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct GivenCoupon {
    pub code: String,
    pub offer_name: String,
    pub valid_until: chrono::NaiveDate,
}

/// A member's points on one receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReceiptPoints {
    pub before: i64,
    pub earned: i64,
    pub redeemed: i64,
    pub expired: i64,
    pub after: i64,
    /// The points that lapse next as the member's points stood after this
    /// receipt ("其中 120 點將於 2027-03-31 到期").
    pub next_expiry: Option<crate::points::Expiring>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Receipt {
    pub id: i64,
    pub number: i64,
    pub kind: ReceiptKind,
    pub request_id: String,
    pub member_id: i64,
    pub member_no: String,
    pub member_name: String,
    pub member_phone: Option<String>,
    /// Who wrote it: the staff member's name (receipts from before staff
    /// accounts keep the name typed then).
    pub cashier: String,
    /// The staff account that wrote it, when one did.
    pub staff_id: Option<i64>,
    /// The manager or owner whose PIN approved it, when one did.
    pub approved_by: Option<String>,
    pub currency: Currency,
    pub total_minor: i64,
    pub bonus_minor: i64,
    pub wallet_paid_before: i64,
    pub wallet_bonus_before: i64,
    pub wallet_paid_after: i64,
    pub wallet_bonus_after: i64,
    pub lines: Vec<ReceiptLine>,
    /// Coupons' discounts: total = lines − discounts = payments.
    pub discounts: Vec<ReceiptDiscount>,
    pub payments: Vec<ReceiptPayment>,
    pub stamps: Vec<ReceiptStamp>,
    /// Points earned, redeemed and lapsed, when the receipt moved any.
    pub points: Option<ReceiptPoints>,
    /// Coupons given on this receipt (a referral reward's).
    pub coupons_given: Vec<GivenCoupon>,
    /// For a void: the number of the receipt it reverses.
    pub voids_number: Option<i64>,
    /// The number of the void that reversed this receipt, if any.
    pub voided_by_number: Option<i64>,
    pub note: String,
    pub created_at: i64,
}

impl Receipt {
    pub fn wallet_before(&self) -> i64 {
        self.wallet_paid_before + self.wallet_bonus_before
    }

    pub fn wallet_after(&self) -> i64 {
        self.wallet_paid_after + self.wallet_bonus_after
    }

    /// The discounts' sum (negative on a void).
    pub fn discount_minor(&self) -> i64 {
        self.discounts.iter().map(|d| d.amount_minor).sum()
    }
}

/// One line of a member's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReceiptSummary {
    pub number: i64,
    pub kind: ReceiptKind,
    pub member_id: i64,
    pub member_name: String,
    pub created_at: i64,
    pub total_minor: i64,
    pub voided: bool,
    pub voids_number: Option<i64>,
}
