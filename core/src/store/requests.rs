//! What the counter's operations are asked to do: the requests of a sale,
//! a top-up, a redemption, a refund, a correction and a void, as the
//! interfaces send them, and the bounds they are checked against.

use crate::error::{check_len, Error, Reason, Result};
use crate::money::MAX_AMOUNT_MINOR;
pub use crate::receipt::PaymentMethod;
use serde::Deserialize;

/// A wallet may hold at most this much, so sums stay exact in JavaScript too.
pub const MAX_WALLET_MINOR: i64 = 10 * MAX_AMOUNT_MINOR;
pub const MAX_LINES: usize = 500;
pub const MAX_PAYMENTS: usize = 8;

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PaymentInput {
    /// The payment's kind.
    pub method: PaymentMethod,
    /// Which of the shop's methods of that kind; none: the first one that
    /// is on (how the CLI's `cash:100` reads). None for stored value.
    #[serde(default)]
    #[ts(optional)]
    pub method_id: Option<i64>,
    pub amount_minor: i64,
    /// For cash: what the customer handed over, when typed; the receipt
    /// shows it and the change.
    #[serde(default)]
    #[ts(optional)]
    pub tendered_minor: Option<i64>,
}

impl PaymentInput {
    /// A payment of `amount_minor` by the shop's first method of `method`'s kind.
    pub fn new(method: PaymentMethod, amount_minor: i64) -> PaymentInput {
        PaymentInput { method, method_id: None, amount_minor, tendered_minor: None }
    }
}

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LineInput {
    /// The catalogue product this line is, if it came from the catalogue;
    /// its name and price are copied onto the receipt either way.
    #[serde(default)]
    pub product_id: Option<i64>,
    pub description: String,
    pub quantity: i64,
    pub unit_price_minor: i64,
    pub earns_stamps: bool,
}

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SaleRequest {
    pub request_id: String,
    pub member_id: i64,
    /// The items' total before any coupon's discount.
    pub total_minor: i64,
    #[serde(default)]
    pub lines: Vec<LineInput>,
    pub payments: Vec<PaymentInput>,
    /// Items that earn stamps, when the sale has no line items.
    #[serde(default)]
    pub stamp_items: Option<i64>,
    /// Programs whose full card is redeemed with this sale (repeat an id to
    /// redeem two rewards).
    #[serde(default)]
    pub redeem_program_ids: Vec<i64>,
    /// Coupon codes to redeem with the sale, as typed or scanned. With
    /// coupons, `total_minor` is still the items' total before discounts;
    /// the payments cover that total less the discounts.
    #[serde(default)]
    pub coupon_codes: Vec<String>,
    /// Points the customer redeems with this sale (the cashier types how
    /// many); each takes the shop's point value off what is left to pay.
    #[serde(default)]
    pub redeem_points: i64,
    pub cashier: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TopUpRequest {
    pub request_id: String,
    pub member_id: i64,
    pub paid_minor: i64,
    pub method: PaymentMethod,
    /// Which of the shop's methods of that kind (the first one that is on when none).
    #[serde(default)]
    #[ts(optional)]
    pub method_id: Option<i64>,
    pub cashier: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RedeemRequest {
    pub request_id: String,
    pub member_id: i64,
    pub program_id: i64,
    pub cashier: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RefundRequest {
    pub request_id: String,
    pub member_id: i64,
    pub amount_minor: i64,
    pub method: PaymentMethod,
    /// Which of the shop's methods of that kind (the first one that is on when none).
    #[serde(default)]
    #[ts(optional)]
    pub method_id: Option<i64>,
    pub cashier: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AdjustRequest {
    pub request_id: String,
    pub member_id: i64,
    pub paid_delta_minor: i64,
    pub bonus_delta_minor: i64,
    pub reason: String,
    pub cashier: String,
}

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct VoidRequest {
    pub request_id: String,
    pub receipt_number: i64,
    pub reason: String,
    pub cashier: String,
}

/// A sale's line, checked.
pub(crate) struct ValidLine {
    pub(crate) product_id: Option<i64>,
    pub(crate) description: String,
    pub(crate) quantity: i64,
    pub(crate) unit_price_minor: i64,
    pub(crate) amount_minor: i64,
    pub(crate) earns_stamps: bool,
}

/// Checks a sale's lines (also before quoting its coupons).
pub(crate) fn validate_lines(lines: &[LineInput]) -> Result<Vec<ValidLine>> {
    if lines.len() > MAX_LINES {
        return Err(Error::InvalidInput { field: "line items", reason: Reason::TooMany { max: MAX_LINES as i64 } });
    }
    lines
        .iter()
        .map(|l| {
            let description = l.description.trim().to_string();
            if description.is_empty() {
                return Err(Error::EmptyField { field: "item description" });
            }
            check_len("item description", &description, 100)?;
            if !(1..=10_000).contains(&l.quantity) {
                return Err(Error::InvalidInput { field: "quantity", reason: Reason::Range { min: 1, max: 10_000 } });
            }
            crate::money::non_negative_amount("unit price", l.unit_price_minor)?;
            let amount_minor = l.unit_price_minor.checked_mul(l.quantity).filter(|a| *a <= MAX_AMOUNT_MINOR).ok_or(
                Error::AmountTooLarge { field: "line amount", value: l.unit_price_minor, max: MAX_AMOUNT_MINOR },
            )?;
            Ok(ValidLine {
                product_id: l.product_id,
                description,
                quantity: l.quantity,
                unit_price_minor: l.unit_price_minor,
                amount_minor,
                earns_stamps: l.earns_stamps,
            })
        })
        .collect()
}

/// What the coupon rules read of a sale's lines.
pub(crate) fn basket(lines: &[ValidLine]) -> Vec<crate::coupon::BasketLine> {
    lines
        .iter()
        .map(|l| crate::coupon::BasketLine {
            product_id: l.product_id,
            unit_price_minor: l.unit_price_minor,
            quantity: l.quantity,
            earns_stamps: l.earns_stamps,
        })
        .collect()
}
