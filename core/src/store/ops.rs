//! The business operations that move money or stamps. Each runs in one
//! IMMEDIATE transaction that writes the receipt, its ledger rows and the
//! derived balances together, and each is idempotent by request id.

use super::coupons::{plan_coupons, write_redemptions};
use super::payment_methods::{resolve_payment_method, ResolvedMethod};
use super::points::{plan_points, write_points};
use super::programs::{load_bonus_rules, load_program, load_programs};
use super::receipts::load_receipt_by_number;
pub use super::requests::*;
pub(super) use super::writes::*;
use super::{existing_request, Store};
use crate::coupon::{stamp_items_paid_for, Benefit};
use crate::error::{Error, Reason, Result};
use crate::money::{positive_amount, sum_amounts, MAX_AMOUNT_MINOR};
use crate::program::MAX_STAMPS_PER_SALE;
use crate::receipt::{Receipt, ReceiptKind};
use crate::request::{check_request_id, clean_note};
use crate::staff::Act;
use crate::staff::Attempt;
use crate::wallet::{bonus_for, split_spend};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::BTreeMap;

/// What an operation found when it started: either the receipt of an
/// earlier identical request, or nothing. A request id used for another
/// kind of operation or member is `RequestIdReused`; for the same one with
/// another total or by another staff member, `RequestIdConflict` (as a
/// payment service refuses an idempotency key sent with other content).
pub(super) fn replay(
    tx: &Connection,
    request_id: &str,
    kind: ReceiptKind,
    member_id: Option<i64>,
    same: Same,
) -> Result<Option<Receipt>> {
    match existing_request(tx, request_id)? {
        None => Ok(None),
        Some((number, k, m)) if k == kind.as_db() && member_id.is_none_or(|id| id == m) => {
            let earlier = load_receipt_by_number(tx, number)?;
            // A sale's request carries the items' total, before its coupons.
            let total_differs = same.total_minor.is_some_and(|t| t != earlier.total_minor + earlier.discount_minor());
            let bonus_differs = same.bonus_minor.is_some_and(|b| b != earlier.bonus_minor);
            if total_differs || bonus_differs || same.staff_id != earlier.staff_id {
                return Err(Error::RequestIdConflict(request_id.to_string()));
            }
            Ok(Some(earlier))
        }
        Some(_) => Err(Error::RequestIdReused(request_id.to_string())),
    }
}

/// What a repeated request must share with the receipt its id made.
#[derive(Default)]
pub(super) struct Same {
    pub(super) total_minor: Option<i64>,
    pub(super) bonus_minor: Option<i64>,
    pub(super) staff_id: Option<i64>,
}

/// Appends a wallet ledger row and moves the member's balance by the same
/// amounts. The guarded UPDATE refuses to take either part below zero.
pub(super) fn move_wallet(
    tx: &Connection,
    member_id: i64,
    receipt_id: i64,
    kind: &str,
    paid: i64,
    bonus: i64,
    now_ms: i64,
) -> Result<()> {
    if paid == 0 && bonus == 0 {
        return Ok(());
    }
    let changed = tx.execute(
        "UPDATE members SET wallet_paid_minor = wallet_paid_minor + ?2, wallet_bonus_minor = wallet_bonus_minor + ?3
         WHERE id = ?1 AND wallet_paid_minor + ?2 >= 0 AND wallet_bonus_minor + ?3 >= 0
           AND wallet_paid_minor + wallet_bonus_minor + ?2 + ?3 <= ?4",
        params![member_id, paid, bonus, MAX_WALLET_MINOR],
    )?;
    if changed != 1 {
        let m = member_state(tx, member_id)?;
        if m.paid + m.bonus + paid + bonus > MAX_WALLET_MINOR {
            return Err(Error::AmountTooLarge {
                field: "stored value balance",
                value: m.paid + m.bonus + paid + bonus,
                max: MAX_WALLET_MINOR,
            });
        }
        return Err(Error::InsufficientBalance { balance: m.paid + m.bonus, needed: -(paid + bonus) });
    }
    tx.execute(
        "INSERT INTO wallet_ledger (member_id, receipt_id, kind, paid_delta_minor, bonus_delta_minor, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![member_id, receipt_id, kind, paid, bonus, now_ms],
    )?;
    Ok(())
}

/// A payment checked and resolved to one of the shop's methods, ready to write.
pub(super) struct PaymentRow {
    pub(super) method: ResolvedMethod,
    pub(super) amount_minor: i64,
    pub(super) tendered_minor: Option<i64>,
}

pub(super) fn write_payment_rows(tx: &Connection, receipt_id: i64, payments: &[PaymentRow]) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO receipt_payments (receipt_id, line_no, method, method_id, method_name, amount_minor, tendered_minor, change_minor)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for (i, p) in payments.iter().enumerate() {
        stmt.execute(params![
            receipt_id,
            i as i64 + 1,
            p.method.kind.as_db(),
            p.method.id,
            p.method.name,
            p.amount_minor,
            p.tendered_minor,
            p.tendered_minor.map(|t| t - p.amount_minor)
        ])?;
    }
    Ok(())
}

/// The reversing payments of a void, line for line: each is paid back by
/// the very method (and name) of the voided receipt's same line.
pub(super) fn write_payments(tx: &Connection, receipt_id: i64, payments: &[(PaymentMethod, i64)]) -> Result<()> {
    let mut rows = Vec::with_capacity(payments.len());
    for (i, (method, amount)) in payments.iter().enumerate() {
        let original: Option<(Option<i64>, String)> = tx
            .query_row(
                "SELECT p.method_id, p.method_name FROM receipts v JOIN receipt_payments p ON p.receipt_id = v.voids_receipt_id
                 WHERE v.id = ?1 AND p.line_no = ?2 AND p.method = ?3",
                params![receipt_id, i as i64 + 1, method.as_db()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let resolved = match original {
            Some((id, name)) => ResolvedMethod { kind: *method, id, name },
            None => resolve_payment_method(tx, *method, None)?,
        };
        rows.push(PaymentRow { method: resolved, amount_minor: *amount, tendered_minor: None });
    }
    write_payment_rows(tx, receipt_id, &rows)
}

pub(super) fn validate_payments(payments: &[PaymentInput], total: i64) -> Result<Vec<&PaymentInput>> {
    if payments.is_empty() {
        return Err(Error::PaymentMismatch { paid: 0, total });
    }
    if payments.len() > MAX_PAYMENTS {
        return Err(Error::InvalidInput { field: "payments", reason: Reason::TooMany { max: MAX_PAYMENTS as i64 } });
    }
    for p in payments {
        positive_amount("payment", p.amount_minor)?;
        if let Some(tendered) = p.tendered_minor {
            if p.method != PaymentMethod::Cash {
                return Err(Error::InvalidInput {
                    field: "cash tendered",
                    reason: "only a cash payment has cash tendered".into(),
                });
            }
            if tendered < 0 {
                return Err(Error::AmountNegative { field: "cash tendered", value: tendered });
            }
            crate::money::non_negative_amount("cash tendered", tendered)?;
            if tendered < p.amount_minor {
                return Err(Error::TenderedTooLow { tendered, due: p.amount_minor });
            }
        }
    }
    let paid = sum_amounts("payments", payments.iter().map(|p| p.amount_minor))?;
    if paid != total {
        return Err(Error::PaymentMismatch { paid, total });
    }
    Ok(payments.iter().collect())
}

/// Resolves checked payments to the shop's methods inside the operation's transaction.
pub(super) fn resolve_payments(tx: &Connection, payments: &[&PaymentInput]) -> Result<Vec<PaymentRow>> {
    payments
        .iter()
        .map(|p| {
            Ok(PaymentRow {
                method: resolve_payment_method(tx, p.method, p.method_id)?,
                amount_minor: p.amount_minor,
                tendered_minor: p.tendered_minor,
            })
        })
        .collect()
}

impl Store {
    /// Records a sale to a member: payments (stored value debited, paid part
    /// first), stamps earned by every active program, rewards redeemed.
    pub fn record_sale(&mut self, req: &SaleRequest, now: DateTime<Utc>) -> Result<Receipt> {
        check_request_id(&req.request_id)?;
        let total = positive_amount("total", req.total_minor)?.minor();
        let lines = validate_lines(&req.lines)?;
        if !lines.is_empty() {
            let line_total = sum_amounts("line items", lines.iter().map(|l| l.amount_minor))?;
            if line_total != total {
                return Err(Error::LinesMismatch { lines: line_total, total });
            }
        }
        // Coupons and points change what is due, known only inside the write.
        let with_coupons = !req.coupon_codes.is_empty() || req.redeem_points != 0;
        if !with_coupons {
            // Checked before the write: without coupons nothing in the
            // database changes what is due.
            validate_payments(&req.payments, total)?;
        }
        let basket = basket(&lines);
        let qualifying = if lines.is_empty() {
            let n = req.stamp_items.unwrap_or(0);
            if !(0..=MAX_STAMPS_PER_SALE).contains(&n) {
                return Err(Error::InvalidInput {
                    field: "stamp items",
                    reason: Reason::Range { min: 0, max: MAX_STAMPS_PER_SALE },
                });
            }
            n
        } else {
            lines.iter().filter(|l| l.earns_stamps).map(|l| l.quantity).sum()
        };
        let note = clean_note("note", &req.note)?;
        let mut redeem: BTreeMap<i64, i64> = BTreeMap::new();
        for id in &req.redeem_program_ids {
            *redeem.entry(*id).or_default() += 1;
        }
        let stored_value: i64 =
            req.payments.iter().filter(|p| p.method == PaymentMethod::StoredValue).map(|p| p.amount_minor).sum();
        let now_ms = now.timestamp_millis();

        self.write(Act::Sale, now, |tx, guard| {
            if let Some(r) = replay(tx, &req.request_id, ReceiptKind::Sale, Some(req.member_id), Same { total_minor: Some(total), bonus_minor: None, staff_id: guard.staff_id() })? {
                guard.replayed();
                return Ok(r);
            }
            let m = active_member(tx, req.member_id)?;
            let coupons = plan_coupons(tx, req.member_id, &req.coupon_codes, total, &basket, now)?;
            let coupon_discount: i64 = coupons.iter().map(|c| c.discount_minor).sum();
            // Points are redeemed on what the coupons leave to pay.
            let points = plan_points(tx, req.member_id, req.redeem_points, total - coupon_discount, now)?;
            // What the customer pays: the items less the coupons' and the points' discounts.
            let due = total - coupon_discount - points.value_minor;
            let payments: Vec<&PaymentInput> = if !with_coupons {
                req.payments.iter().collect()
            } else if due == 0 && req.payments.is_empty() {
                Vec::new()
            } else {
                validate_payments(&req.payments, due)?
            };
            let payments = resolve_payments(tx, &payments)?;
            let (from_paid, from_bonus) = split_spend(m.paid, m.bonus, stored_value)
                .ok_or(Error::InsufficientBalance { balance: m.paid + m.bonus, needed: stored_value })?;
            // Stamps are earned on what the customer paid (crate::coupon::stamp_items_paid_for):
            // by amount on `due`, by item on the items not given free; an
            // extra-stamps coupon adds its stamps to its program.
            let free: Vec<i64> = coupons
                .iter()
                .filter_map(|c| match c.benefit {
                    Benefit::FreeItem { product_id } => Some(product_id),
                    _ => None,
                })
                .collect();
            let qualifying = stamp_items_paid_for(qualifying, &basket, &free);
            let mut plans = Vec::new();
            for program in load_programs(tx, false)? {
                let extra: i64 = coupons
                    .iter()
                    .map(|c| match c.benefit {
                        Benefit::ExtraStamps { program_id, stamps } if program_id == program.id => stamps,
                        _ => 0,
                    })
                    .sum();
                let earned = if program.active { program.earn_rule.stamps_for(due, qualifying) } else { 0 } + extra;
                let redeemed = redeem.remove(&program.id).unwrap_or(0);
                if earned > 0 || redeemed > 0 {
                    plans.push(plan_card(tx, req.member_id, program, earned, redeemed, now_ms)?);
                }
            }
            if let Some((id, _)) = redeem.into_iter().next() {
                return Err(Error::ProgramNotFound(id.to_string()));
            }
            let after = (m.paid - from_paid, m.bonus - from_bonus);
            let by = guard.signature(&req.cashier)?;
            let (receipt_id, number) = insert_receipt(
                tx,
                &Draft {
                    kind: ReceiptKind::Sale,
                    request_id: &req.request_id,
                    member_id: req.member_id,
                    by: &by,
                    total_minor: due,
                    bonus_minor: 0,
                    wallet_before: (m.paid, m.bonus),
                    wallet_after: after,
                    voids_receipt_id: None,
                    note: &note,
                    now_ms,
                },
            )?;
            {
                let mut stmt = tx.prepare_cached(
                    "INSERT INTO receipt_lines (receipt_id, line_no, description, quantity, unit_price_minor, amount_minor,
                       earns_stamps, product_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )?;
                for (i, l) in lines.iter().enumerate() {
                    if let Some(pid) = l.product_id {
                        super::catalogue::load_product(tx, pid)?;
                    }
                    stmt.execute(params![
                        receipt_id,
                        i as i64 + 1,
                        l.description,
                        l.quantity,
                        l.unit_price_minor,
                        l.amount_minor,
                        l.earns_stamps,
                        l.product_id
                    ])?;
                }
            }
            write_redemptions(tx, receipt_id, &coupons, now_ms)?;
            // Points are earned on what the customer paid, on sales only.
            write_points(tx, req.member_id, receipt_id, &points, points.earned_on(due), coupons.len() as i64 + 1, now_ms)?;
            write_payment_rows(tx, receipt_id, &payments)?;
            move_wallet(tx, req.member_id, receipt_id, "spend", -from_paid, -from_bonus, now_ms)?;
            for plan in &plans {
                write_card(tx, req.member_id, receipt_id, plan, now_ms)?;
            }
            tx.execute(
                "UPDATE members SET visit_count = visit_count + 1, spend_minor = spend_minor + ?2,
                   first_visit_at = COALESCE(MIN(first_visit_at, ?3), ?3), last_visit_at = COALESCE(MAX(last_visit_at, ?3), ?3)
                 WHERE id = ?1",
                params![req.member_id, due, now_ms],
            )?;
            super::owner::hooks::after_sale(tx, req.member_id, receipt_id, now)?;
            // A referred member's first sale brings the referrer their reward.
            super::referrals::after_sale(tx, req.member_id, receipt_id, &req.request_id, &by, now)?;
            let receipt = load_receipt_by_number(tx, number)?;
            guard.receipt(&receipt);
            Ok(receipt)
        })
    }

    /// Tops up a member's stored value; the shop's bonus rule adds a bonus,
    /// kept apart from the paid part.
    pub fn top_up(&mut self, req: &TopUpRequest, now: DateTime<Utc>) -> Result<Receipt> {
        check_request_id(&req.request_id)?;
        let paid = positive_amount("top-up amount", req.paid_minor)?.minor();
        if req.method == PaymentMethod::StoredValue {
            return Err(Error::InvalidInput {
                field: "payment method",
                reason: "stored value cannot pay for a top-up".into(),
            });
        }
        let note = clean_note("note", &req.note)?;
        let now_ms = now.timestamp_millis();
        self.write(Act::TopUp, now, |tx, guard| {
            if let Some(r) = replay(
                tx,
                &req.request_id,
                ReceiptKind::TopUp,
                Some(req.member_id),
                Same { total_minor: Some(paid), bonus_minor: None, staff_id: guard.staff_id() },
            )? {
                guard.replayed();
                return Ok(r);
            }
            let m = active_member(tx, req.member_id)?;
            let method = resolve_payment_method(tx, req.method, req.method_id)?;
            let bonus = bonus_for(&load_bonus_rules(tx)?, paid);
            let (receipt_id, number) = insert_receipt(
                tx,
                &Draft {
                    kind: ReceiptKind::TopUp,
                    request_id: &req.request_id,
                    member_id: req.member_id,
                    by: &guard.signature(&req.cashier)?,
                    total_minor: paid,
                    bonus_minor: bonus,
                    wallet_before: (m.paid, m.bonus),
                    wallet_after: (m.paid + paid, m.bonus + bonus),
                    voids_receipt_id: None,
                    note: &note,
                    now_ms,
                },
            )?;
            write_payment_rows(tx, receipt_id, &[PaymentRow { method, amount_minor: paid, tendered_minor: None }])?;
            move_wallet(tx, req.member_id, receipt_id, "top_up", paid, bonus, now_ms)?;
            let receipt = load_receipt_by_number(tx, number)?;
            guard.receipt(&receipt);
            Ok(receipt)
        })
    }

    /// Redeems one reward from a full card; extra stamps stay on the card.
    pub fn redeem_reward(&mut self, req: &RedeemRequest, now: DateTime<Utc>) -> Result<Receipt> {
        check_request_id(&req.request_id)?;
        let note = clean_note("note", &req.note)?;
        let now_ms = now.timestamp_millis();
        self.write(Act::Redeem, now, |tx, guard| {
            if let Some(r) = replay(
                tx,
                &req.request_id,
                ReceiptKind::Redeem,
                Some(req.member_id),
                Same { staff_id: guard.staff_id(), ..Same::default() },
            )? {
                guard.replayed();
                return Ok(r);
            }
            let m = active_member(tx, req.member_id)?;
            let program = load_program(tx, req.program_id)?;
            let plan = plan_card(tx, req.member_id, program, 0, 1, now_ms)?;
            let (receipt_id, number) = insert_receipt(
                tx,
                &Draft {
                    kind: ReceiptKind::Redeem,
                    request_id: &req.request_id,
                    member_id: req.member_id,
                    by: &guard.signature(&req.cashier)?,
                    total_minor: 0,
                    bonus_minor: 0,
                    wallet_before: (m.paid, m.bonus),
                    wallet_after: (m.paid, m.bonus),
                    voids_receipt_id: None,
                    note: &note,
                    now_ms,
                },
            )?;
            write_card(tx, req.member_id, receipt_id, &plan, now_ms)?;
            let receipt = load_receipt_by_number(tx, number)?;
            guard.receipt(&receipt);
            Ok(receipt)
        })
    }

    /// Pays stored value back to the customer. Only the paid part is paid
    /// out; when it reaches zero the remaining bonus is forfeited.
    pub fn refund_stored_value(&mut self, req: &RefundRequest, now: DateTime<Utc>) -> Result<Receipt> {
        check_request_id(&req.request_id)?;
        let amount = positive_amount("refund amount", req.amount_minor)?.minor();
        if req.method == PaymentMethod::StoredValue {
            return Err(Error::InvalidInput {
                field: "payment method",
                reason: "a refund is paid out in cash, card or other".into(),
            });
        }
        let note = clean_note("note", &req.note)?;
        let now_ms = now.timestamp_millis();
        self.write(Act::Refund, now, |tx, guard| {
            if let Some(r) = replay(
                tx,
                &req.request_id,
                ReceiptKind::Refund,
                Some(req.member_id),
                Same { total_minor: Some(-amount), bonus_minor: None, staff_id: guard.staff_id() },
            )? {
                guard.replayed();
                return Ok(r);
            }
            let m = unerased_member(tx, req.member_id)?;
            let method = resolve_payment_method(tx, req.method, req.method_id)?;
            if amount > m.paid {
                return Err(Error::InsufficientBalance { balance: m.paid, needed: amount });
            }
            let forfeit = if amount == m.paid { m.bonus } else { 0 };
            let (receipt_id, number) = insert_receipt(
                tx,
                &Draft {
                    kind: ReceiptKind::Refund,
                    request_id: &req.request_id,
                    member_id: req.member_id,
                    by: &guard.signature(&req.cashier)?,
                    total_minor: -amount,
                    bonus_minor: -forfeit,
                    wallet_before: (m.paid, m.bonus),
                    wallet_after: (m.paid - amount, m.bonus - forfeit),
                    voids_receipt_id: None,
                    note: &note,
                    now_ms,
                },
            )?;
            write_payment_rows(tx, receipt_id, &[PaymentRow { method, amount_minor: -amount, tendered_minor: None }])?;
            move_wallet(tx, req.member_id, receipt_id, "refund", -amount, 0, now_ms)?;
            move_wallet(tx, req.member_id, receipt_id, "forfeit", 0, -forfeit, now_ms)?;
            let receipt = load_receipt_by_number(tx, number)?;
            guard.receipt(&receipt);
            Ok(receipt)
        })
    }

    /// A manual correction of stored value, with a reason, as its own receipt.
    pub fn adjust_stored_value(&mut self, req: &AdjustRequest, now: DateTime<Utc>) -> Result<Receipt> {
        check_request_id(&req.request_id)?;
        for (field, v) in [("paid adjustment", req.paid_delta_minor), ("bonus adjustment", req.bonus_delta_minor)] {
            if v.checked_abs().is_none_or(|a| a > MAX_AMOUNT_MINOR) {
                return Err(Error::AmountTooLarge { field, value: v, max: MAX_AMOUNT_MINOR });
            }
        }
        if req.paid_delta_minor == 0 && req.bonus_delta_minor == 0 {
            return Err(Error::AmountNotPositive { field: "adjustment", value: 0 });
        }
        let reason = clean_note("reason", &req.reason)?;
        if reason.is_empty() {
            return Err(Error::EmptyField { field: "reason" });
        }
        let now_ms = now.timestamp_millis();
        self.write(Act::Adjust, now, |tx, guard| {
            if let Some(r) = replay(
                tx,
                &req.request_id,
                ReceiptKind::Adjust,
                Some(req.member_id),
                Same {
                    total_minor: Some(req.paid_delta_minor),
                    bonus_minor: Some(req.bonus_delta_minor),
                    staff_id: guard.staff_id(),
                },
            )? {
                guard.replayed();
                return Ok(r);
            }
            guard.require(Attempt::Adjust {
                amount_minor: req
                    .paid_delta_minor
                    .saturating_abs()
                    .saturating_add(req.bonus_delta_minor.saturating_abs()),
            })?;
            let m = unerased_member(tx, req.member_id)?;
            let after = (m.paid + req.paid_delta_minor, m.bonus + req.bonus_delta_minor);
            if after.0 < 0 || after.1 < 0 {
                return Err(Error::InsufficientBalance {
                    balance: m.paid + m.bonus,
                    needed: -(req.paid_delta_minor + req.bonus_delta_minor),
                });
            }
            let (receipt_id, number) = insert_receipt(
                tx,
                &Draft {
                    kind: ReceiptKind::Adjust,
                    request_id: &req.request_id,
                    member_id: req.member_id,
                    by: &guard.signature(&req.cashier)?,
                    total_minor: req.paid_delta_minor,
                    bonus_minor: req.bonus_delta_minor,
                    wallet_before: (m.paid, m.bonus),
                    wallet_after: after,
                    voids_receipt_id: None,
                    note: &reason,
                    now_ms,
                },
            )?;
            move_wallet(tx, req.member_id, receipt_id, "adjust", req.paid_delta_minor, req.bonus_delta_minor, now_ms)?;
            let receipt = load_receipt_by_number(tx, number)?;
            guard.receipt(&receipt);
            Ok(receipt)
        })
    }
}
