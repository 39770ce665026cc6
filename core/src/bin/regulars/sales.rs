//! `regulars topup`, `sale`, `redeem`, `refund`, `adjust` and `void`: the
//! counter's operations, each printing the receipt it wrote.

use crate::receipts::show_receipt;
use crate::{till, RequestArgs};
use chrono::{DateTime, Utc};
use clap::Args;
use regulars::money::Currency;
use regulars::{
    AdjustRequest, Error, LineInput, PaymentInput, PaymentMethod, RedeemRequest, RefundRequest, SaleRequest, Store,
    TopUpRequest, VoidRequest,
};

#[derive(Args)]
pub(crate) struct TopUpArgs {
    /// Member number, phone or card code.
    member: String,
    /// Amount paid, e.g. 1000 or 12.50.
    #[arg(allow_hyphen_values = true)]
    amount: String,
    #[arg(long, default_value = "cash")]
    method: String,
    #[arg(long, default_value = "")]
    note: String,
    #[command(flatten)]
    req: RequestArgs,
}

#[derive(Args)]
pub(crate) struct SaleArgs {
    member: String,
    /// Sale total, e.g. 150 or 12.50 (default: the sum of the items).
    #[arg(long)]
    total: Option<String>,
    /// A line item: "description:quantity:unit price", add ":nostamp" for
    /// items that earn no stamps. Repeat for several.
    #[arg(long = "item")]
    items: Vec<String>,
    /// A payment: "method:amount" with method a kind (cash, card, e_wallet,
    /// transfer, stored_value, other), a method's name (LINE Pay) or id
    /// (#4). Repeat to split. Default: the whole total in cash.
    #[arg(long = "pay")]
    payments: Vec<String>,
    /// Cash handed over for the cash payment: the receipt shows the change.
    #[arg(long)]
    tendered: Option<String>,
    /// Items that earn stamps, when no line items are given (default 1, as
    /// the checkout fills in: a typed total earns by each program's rule).
    #[arg(long)]
    stamp_items: Option<i64>,
    /// Redeem a full card of this program id with the sale (repeatable).
    #[arg(long)]
    redeem: Vec<i64>,
    /// A coupon code to redeem with the sale (repeatable). `--total` and
    /// the items are before discounts; the default payment is what is left.
    #[arg(long = "coupon")]
    coupons: Vec<String>,
    /// Points to redeem with the sale (each takes the shop's point value off).
    #[arg(long, default_value_t = 0)]
    points: i64,
    #[arg(long, default_value = "")]
    note: String,
    #[command(flatten)]
    req: RequestArgs,
}

#[derive(Args)]
pub(crate) struct RedeemArgs {
    member: String,
    /// Program id (see `program list`).
    #[arg(long)]
    program: i64,
    #[arg(long, default_value = "")]
    note: String,
    #[command(flatten)]
    req: RequestArgs,
}

#[derive(Args)]
pub(crate) struct RefundArgs {
    member: String,
    #[arg(allow_hyphen_values = true)]
    amount: String,
    #[arg(long, default_value = "cash")]
    method: String,
    #[arg(long, default_value = "")]
    note: String,
    #[command(flatten)]
    req: RequestArgs,
}

#[derive(Args)]
pub(crate) struct AdjustArgs {
    member: String,
    /// Change to the paid part, e.g. -50 or 100.
    #[arg(long, default_value = "0", allow_hyphen_values = true)]
    paid: String,
    /// Change to the bonus part.
    #[arg(long, default_value = "0", allow_hyphen_values = true)]
    bonus: String,
    #[arg(long)]
    reason: String,
    #[command(flatten)]
    req: RequestArgs,
}

#[derive(Args)]
pub(crate) struct VoidArgs {
    number: i64,
    /// Why (required: the day close lists every void with its reason).
    #[arg(long)]
    reason: String,
    #[command(flatten)]
    req: RequestArgs,
}

pub(crate) fn top_up(
    store: &mut Store,
    args: TopUpArgs,
    cashier: String,
    json: bool,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let currency = store.settings()?.currency;
    let TopUpArgs { member, amount, method, note, req } = args;
    let m = store.resolve_member(&member)?;
    let (method, method_id) = till::method_from_text(store, &method)?;
    let r = store.top_up(
        &TopUpRequest {
            request_id: req.id(),
            member_id: m.id,
            paid_minor: currency.parse(&amount)?,
            method,
            method_id,
            cashier,
            note,
        },
        now,
    )?;
    show_receipt(store, &r, json)
}

pub(crate) fn sale(
    store: &mut Store,
    args: SaleArgs,
    cashier: String,
    json: bool,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let currency = store.settings()?.currency;
    let m = store.resolve_member(&args.member)?;
    let lines = args.items.iter().map(|s| parse_item(s, &currency)).collect::<Result<Vec<_>, _>>()?;
    let lines_given = !lines.is_empty();
    let total = match &args.total {
        Some(t) => currency.parse(t)?,
        None if !lines.is_empty() => {
            regulars::money::sum_amounts("total", lines.iter().map(|l| l.unit_price_minor.saturating_mul(l.quantity)))?
        }
        None => return Err(Error::EmptyField { field: "total" }),
    };
    let coupons =
        if args.coupons.is_empty() { 0 } else { store.quote_coupons(m.id, &args.coupons, total, &lines, now)? };
    let discount = coupons.saturating_add(store.points_settings().map_or(0, |p| p.value_of(args.points)));
    let mut payments = if args.payments.is_empty() {
        if total - discount > 0 {
            vec![PaymentInput::new(PaymentMethod::Cash, total - discount)]
        } else {
            Vec::new()
        }
    } else {
        args.payments.iter().map(|p| parse_payment(store, p, &currency)).collect::<Result<Vec<_>, _>>()?
    };
    if let Some(tendered) = &args.tendered {
        let cash = payments.iter_mut().find(|p| p.method == PaymentMethod::Cash).ok_or(Error::InvalidInput {
            field: "cash tendered",
            reason: "only a cash payment has cash tendered".into(),
        })?;
        cash.tendered_minor = Some(currency.parse(tendered)?);
    }
    let r = store.record_sale(
        &SaleRequest {
            request_id: args.req.id(),
            member_id: m.id,
            total_minor: total,
            lines,
            payments,
            stamp_items: if lines_given { args.stamp_items } else { args.stamp_items.or(Some(1)) },
            redeem_program_ids: args.redeem,
            coupon_codes: args.coupons,
            redeem_points: args.points,
            cashier,
            note: args.note,
        },
        now,
    )?;
    show_receipt(store, &r, json)
}

pub(crate) fn redeem(
    store: &mut Store,
    args: RedeemArgs,
    cashier: String,
    json: bool,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let RedeemArgs { member, program, note, req } = args;
    let m = store.resolve_member(&member)?;
    let r = store.redeem_reward(
        &RedeemRequest { request_id: req.id(), member_id: m.id, program_id: program, cashier, note },
        now,
    )?;
    show_receipt(store, &r, json)
}

pub(crate) fn refund(
    store: &mut Store,
    args: RefundArgs,
    cashier: String,
    json: bool,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let currency = store.settings()?.currency;
    let RefundArgs { member, amount, method, note, req } = args;
    let m = store.resolve_member(&member)?;
    let (method, method_id) = till::method_from_text(store, &method)?;
    let r = store.refund_stored_value(
        &RefundRequest {
            request_id: req.id(),
            member_id: m.id,
            amount_minor: currency.parse(&amount)?,
            method,
            method_id,
            cashier,
            note,
        },
        now,
    )?;
    show_receipt(store, &r, json)
}

pub(crate) fn adjust(
    store: &mut Store,
    args: AdjustArgs,
    cashier: String,
    json: bool,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let currency = store.settings()?.currency;
    let signed = |text: &str| -> Result<i64, Error> {
        match text.trim().strip_prefix('-') {
            Some(rest) => Ok(-currency.parse(rest)?),
            None => currency.parse(text.trim().trim_start_matches('+')),
        }
    };
    let AdjustArgs { member, paid, bonus, reason, req } = args;
    let m = store.resolve_member(&member)?;
    let r = store.adjust_stored_value(
        &AdjustRequest {
            request_id: req.id(),
            member_id: m.id,
            paid_delta_minor: signed(&paid)?,
            bonus_delta_minor: signed(&bonus)?,
            reason,
            cashier,
        },
        now,
    )?;
    show_receipt(store, &r, json)
}

pub(crate) fn void(
    store: &mut Store,
    args: VoidArgs,
    cashier: String,
    json: bool,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let VoidArgs { number, reason, req } = args;
    let r = store.void_receipt(&VoidRequest { request_id: req.id(), receipt_number: number, reason, cashier }, now)?;
    show_receipt(store, &r, json)
}

fn parse_item(text: &str, currency: &Currency) -> Result<LineInput, Error> {
    let bad = || Error::InvalidInput {
        field: "item",
        reason: format!("{text:?}: use description:quantity:unit price").into(),
    };
    let mut parts: Vec<&str> = text.rsplitn(4, ':').collect();
    parts.reverse();
    let earns_stamps = parts.last() != Some(&"nostamp");
    if !earns_stamps {
        parts.pop();
        parts = text.trim_end_matches(":nostamp").rsplitn(3, ':').collect();
        parts.reverse();
    } else if parts.len() == 4 {
        parts = text.rsplitn(3, ':').collect();
        parts.reverse();
    }
    let [description, quantity, price] = parts.as_slice() else { return Err(bad()) };
    Ok(LineInput {
        product_id: None,
        description: (*description).to_string(),
        quantity: quantity.trim().parse().map_err(|_| bad())?,
        unit_price_minor: currency.parse(price)?,
        earns_stamps,
    })
}

fn parse_payment(store: &Store, text: &str, currency: &Currency) -> Result<PaymentInput, Error> {
    let (method, amount) = text.rsplit_once(':').ok_or_else(|| Error::InvalidInput {
        field: "payment",
        reason: format!("{text:?}: use method:amount, e.g. stored_value:150").into(),
    })?;
    let (method, method_id) = till::method_from_text(store, method)?;
    Ok(PaymentInput { method_id, ..PaymentInput::new(method, currency.parse(amount)?) })
}
