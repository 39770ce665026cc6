//! The day close and the float report: the read models of one shop day's
//! money, as the store reads them from the receipts and ledgers and as the
//! screens, the CLI and the day close slip show them. Plain data beside
//! `receipt.rs`: the store fills them in, the renderer lays them out, and
//! neither depends on the other.

use crate::money::Currency;
use crate::receipt::PaymentMethod;
use chrono::NaiveDate;
use serde::Serialize;

/// Stored value held for customers over one shop day: opening + top-ups +
/// bonus issued − spends − refunds − forfeits ± adjustments ± voids = closing.
/// Paid and bonus parts are reported apart; the paid part is the money the
/// shop owes its customers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FloatReport {
    pub date: NaiveDate,
    pub currency: Currency,
    pub opening: FloatParts,
    pub top_ups: FloatParts,
    pub spends: FloatParts,
    pub refunds: FloatParts,
    pub forfeits: FloatParts,
    pub adjustments: FloatParts,
    pub voids: FloatParts,
    /// Stored value brought in from the shop's old system (opening
    /// balances of an import): held from now on, never money taken.
    pub brought_in: FloatParts,
    pub closing: FloatParts,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FloatParts {
    pub paid_minor: i64,
    pub bonus_minor: i64,
}

impl FloatParts {
    pub fn total(&self) -> i64 {
        self.paid_minor + self.bonus_minor
    }
}

impl FloatReport {
    /// Whether the movements explain the change from opening to closing.
    pub fn balances(&self) -> bool {
        let moves =
            [self.top_ups, self.spends, self.refunds, self.forfeits, self.adjustments, self.voids, self.brought_in];
        let paid: i64 = self.opening.paid_minor + moves.iter().map(|m| m.paid_minor).sum::<i64>();
        let bonus: i64 = self.opening.bonus_minor + moves.iter().map(|m| m.bonus_minor).sum::<i64>();
        paid == self.closing.paid_minor && bonus == self.closing.bonus_minor
    }
}

/// The members' side of one shop day, for closing the till: what each kind
/// of receipt came to, the money taken per payment method (what should be
/// in the drawer or on the card terminal), stamps, new members, and the
/// stored value held. Voids count on the day they are made, against the
/// kind of receipt they undo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DayClose {
    pub date: NaiveDate,
    pub currency: Currency,
    /// Sales made this day (their total, whatever they were paid with).
    pub sales: KindTotal,
    /// Top-ups made this day: the money paid (bonus apart).
    pub top_ups: KindTotal,
    /// Bonus stored value given with this day's top-ups.
    pub bonus_given_minor: i64,
    /// Stored value paid back to customers (a positive amount).
    pub refunds: KindTotal,
    /// Voids made this day of sales and of top-ups (positive amounts:
    /// what was undone).
    pub voided_sales: KindTotal,
    pub voided_top_ups: KindTotal,
    /// Manual corrections of stored value (net, either sign).
    pub adjustments: KindTotal,
    /// Opening balances brought in by an import this day: how many members
    /// and the stored value (both parts) now held for them. No money was
    /// taken: no payment method, cash or drawer counts it.
    pub opening_balances: KindTotal,
    /// Rewards redeemed (receipts of their own or with a sale).
    pub rewards_redeemed: i64,
    pub stamps_given: i64,
    pub new_members: i64,
    /// One row per payment method used this day, in the owner's order,
    /// stored value last.
    pub methods: Vec<MethodTotal>,
    /// The day's cash (every method of the cash kind): what the drawer
    /// should hold beyond its opening float.
    pub cash_minor: i64,
    /// The same money per staff member who took it (named from the staff
    /// table; receipts from before staff accounts by their typed cashier),
    /// by name.
    pub by_staff: Vec<StaffMoney>,
    /// The latest count of the drawer for this day, if it was counted.
    pub drawer: Option<DrawerCount>,
    /// How many times the drawer was counted this day (recounts included).
    pub drawer_counts: i64,
    /// Receipts moved cash after the latest count: count again.
    pub drawer_outdated: bool,
    /// Stored value held for customers: opening, movements, closing.
    pub float: FloatReport,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KindTotal {
    pub count: i64,
    pub amount_minor: i64,
}

/// Money by payment method over the day. `net_minor` = sales + top-ups −
/// refunds − voids: for cash, what the drawer should hold beyond its float.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MethodTotal {
    /// The method's kind.
    pub method: PaymentMethod,
    /// The shop's method (none for stored value).
    pub method_id: Option<i64>,
    /// Its name now; empty: the kind's own word.
    pub name: String,
    pub sales_minor: i64,
    pub top_ups_minor: i64,
    pub refunds_minor: i64,
    pub voids_minor: i64,
    pub net_minor: i64,
}

/// One staff member's money over the day, per payment method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StaffMoney {
    pub staff: String,
    pub staff_id: Option<i64>,
    pub methods: Vec<MethodTotal>,
    /// Every method's net together.
    pub net_minor: i64,
}

impl MethodTotal {
    /// Adds `amount_minor` paid by this method on a receipt of `kind`.
    pub fn add(&mut self, kind: &str, amount_minor: i64) {
        match kind {
            "sale" => self.sales_minor += amount_minor,
            "top_up" => self.top_ups_minor += amount_minor,
            "refund" => self.refunds_minor -= amount_minor,
            "void" => self.voids_minor -= amount_minor,
            _ => {}
        }
        self.net_minor += amount_minor;
    }
}

/// The row of `method` (and the shop's `method_id`) in `methods`, added
/// when missing.
pub fn method_row<'a>(
    methods: &'a mut Vec<MethodTotal>,
    method: PaymentMethod,
    method_id: Option<i64>,
    name: &str,
) -> &'a mut MethodTotal {
    let at = match methods.iter().position(|m| m.method == method && m.method_id == method_id) {
        Some(at) => at,
        None => {
            methods.push(MethodTotal {
                method,
                method_id,
                name: name.to_string(),
                sales_minor: 0,
                top_ups_minor: 0,
                refunds_minor: 0,
                voids_minor: 0,
                net_minor: 0,
            });
            methods.len() - 1
        }
    };
    &mut methods[at]
}

/// One count of the cash drawer at the close of a shop day. Counts are
/// append-only: a recount is a new one, and the latest counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DrawerCount {
    pub id: i64,
    pub date: NaiveDate,
    /// The change float the drawer opened with.
    pub float_minor: i64,
    pub counted_minor: i64,
    /// The float plus the day's cash, as the receipts stood at the count.
    pub expected_minor: i64,
    /// Counted − expected: over (多) when positive, short (短) when negative.
    pub over_short_minor: i64,
    pub cashier: String,
    pub note: String,
    pub counted_at: i64,
}
