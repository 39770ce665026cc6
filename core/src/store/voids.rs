//! Voids: a receipt undone by a reversing receipt of its own, line for line
//! and by the very payment methods of the original; refused, with the way
//! forward named, when the stamps it gave are gone.

use super::audit::Signature;
use super::ops::*;
use super::receipts::load_receipt_by_number;
use super::stamps::{set_card, stamp_row};
use super::Store;
use crate::error::{Error, Result};
use crate::receipt::{Receipt, ReceiptKind};
use crate::request::{check_request_id, clean_note};
use crate::staff::Act;
use crate::staff::Attempt;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

/// Why a void cannot take back the stamps `original` earned: a redemption
/// on the same card used them (named, so it can be voided first), or, with
/// none left to void, they have expired since. Stamps on a card are not
/// told apart: a redemption before `original` counts too, when an earlier
/// void took back stamps it had used and the card now holds fewer than
/// `original` gave (the latest redemption is named).
pub(super) fn stamps_gone(tx: &Connection, original: &Receipt, stamp: &crate::receipt::ReceiptStamp) -> Result<Error> {
    let redemption: Option<i64> = tx
        .query_row(
            "SELECT r.number FROM stamp_ledger l JOIN receipts r ON r.id = l.receipt_id
             WHERE l.member_id = ?1 AND l.program_id = ?2 AND l.kind = 'redeem' AND l.receipt_id <> ?3
               AND NOT EXISTS (SELECT 1 FROM receipts v WHERE v.voids_receipt_id = r.id)
             ORDER BY r.id DESC LIMIT 1",
            params![original.member_id, stamp.program_id, original.id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(match redemption {
        Some(redemption) => {
            Error::StampsRedeemedSince { receipt: original.number, program: stamp.program_name.clone(), redemption }
        }
        None => Error::StampsExpiredSince { receipt: original.number, program: stamp.program_name.clone() },
    })
}

impl Store {
    /// Voids a receipt: writes a reversing receipt that restores stored
    /// value (paid and bonus) and stamps exactly. The original stays as it
    /// was; a receipt can be voided once; a void cannot be voided.
    pub fn void_receipt(&mut self, req: &VoidRequest, now: DateTime<Utc>) -> Result<Receipt> {
        check_request_id(&req.request_id)?;
        let reason = clean_note("reason", &req.reason)?;
        if reason.is_empty() {
            // A void undoes money and stamps: the day close shows why.
            return Err(Error::EmptyField { field: "reason" });
        }
        let now_ms = now.timestamp_millis();
        self.write(Act::Void, now, |tx, guard| {
            if let Some(r) = replay(
                tx,
                &req.request_id,
                ReceiptKind::Void,
                None,
                Same { staff_id: guard.staff_id(), ..Same::default() },
            )? {
                if r.voids_number == Some(req.receipt_number) {
                    guard.replayed();
                    return Ok(r);
                }
                return Err(Error::RequestIdReused(req.request_id.clone()));
            }
            let original = load_receipt_by_number(tx, req.receipt_number)?;
            if original.kind == ReceiptKind::Void {
                return Err(Error::CannotVoidVoid(original.number));
            }
            if original.kind == ReceiptKind::Opening {
                // What a member brought in is corrected by an adjustment,
                // which says why; the import's report stays as it was.
                return Err(Error::InvalidInput {
                    field: "receipt",
                    reason: "an opening balance is corrected by an adjustment, not voided".into(),
                });
            }
            if original.voided_by_number.is_some() {
                return Err(Error::AlreadyVoided(original.number));
            }
            guard.require(Attempt::Void {
                own: original.staff_id.is_some() && original.staff_id == guard.staff_id(),
                age_minutes: (now_ms - original.created_at) / 60_000,
                amount_minor: original.total_minor.saturating_abs(),
            })?;
            let by = guard.signature(&req.cashier)?;
            let number = write_void(tx, &original, &req.request_id, &reason, &by, now)?;
            // The referral reward a first sale gave goes with it, while unused.
            if let Some(reward) = super::referrals::reward_to_take_back(tx, &original)? {
                let number: i64 = tx.query_row("SELECT number FROM receipts WHERE id = ?1", [reward], |r| r.get(0))?;
                let reward = load_receipt_by_number(tx, number)?;
                write_void(tx, &reward, &format!("{}:referral", req.request_id), &reason, &by, now)?;
            }
            let receipt = load_receipt_by_number(tx, number)?;
            guard.receipt(&receipt);
            Ok(receipt)
        })
    }
}

/// Writes the receipt that voids `original` (checked by the caller): its
/// lines, payments, stored value, stamps, coupons and points reversed;
/// the void's number.
fn write_void(
    tx: &Connection,
    original: &Receipt,
    request_id: &str,
    reason: &str,
    by: &Signature,
    now: DateTime<Utc>,
) -> Result<i64> {
    let now_ms = now.timestamp_millis();
    let member_id = original.member_id;
    let m = member_state(tx, member_id)?;
    let (paid, bonus): (i64, i64) = tx.query_row(
        "SELECT COALESCE(SUM(paid_delta_minor), 0), COALESCE(SUM(bonus_delta_minor), 0) FROM wallet_ledger WHERE receipt_id = ?1",
        [original.id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let after = (m.paid - paid, m.bonus - bonus);
    if after.0 < 0 || after.1 < 0 {
        return Err(Error::VoidWouldOverdraw { receipt: original.number });
    }
    let mut card_moves = Vec::new();
    for s in &original.stamps {
        let net: i64 = tx.query_row(
            // Stamps that expired on the original stay expired: a void
            // reverses what was earned and redeemed, not the calendar.
            "SELECT COALESCE(SUM(delta), 0) FROM stamp_ledger
             WHERE receipt_id = ?1 AND program_id = ?2 AND kind IN ('earn', 'redeem')",
            [original.id, s.program_id],
            |r| r.get(0),
        )?;
        let before = card_stamps(tx, member_id, s.program_id)?;
        if before - net < 0 {
            return Err(stamps_gone(tx, original, s)?);
        }
        card_moves.push((s.clone(), net, before));
    }
    let void_request = request_id;
    let (receipt_id, number) = insert_receipt(
        tx,
        &Draft {
            kind: ReceiptKind::Void,
            request_id: void_request,
            member_id,
            by,
            total_minor: -original.total_minor,
            bonus_minor: -original.bonus_minor,
            wallet_before: (m.paid, m.bonus),
            wallet_after: after,
            voids_receipt_id: Some(original.id),
            note: reason,
            now_ms,
        },
    )?;
    {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO receipt_lines (receipt_id, line_no, description, quantity, unit_price_minor, amount_minor,
               earns_stamps, product_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for (i, l) in original.lines.iter().enumerate() {
            stmt.execute(params![
                receipt_id,
                i as i64 + 1,
                l.description,
                -l.quantity,
                l.unit_price_minor,
                -l.amount_minor,
                l.earns_stamps,
                l.product_id
            ])?;
        }
    }
    super::coupons::restore_on_void(tx, original, receipt_id, now)?;
    // A coupon given on the receipt (a referral reward's) is taken back.
    super::coupons::take_back_given(tx, original, receipt_id, now)?;
    super::points::void_points(tx, original, receipt_id, now)?;
    let payments: Vec<(PaymentMethod, i64)> =
        original.payments.iter().map(|p| Ok((p.method, -p.amount_minor))).collect::<Result<_>>()?;
    write_payments(tx, receipt_id, &payments)?;
    move_wallet(tx, member_id, receipt_id, "void", -paid, -bonus, now_ms)?;
    for (s, net, before) in card_moves {
        stamp_row(tx, member_id, s.program_id, receipt_id, "void", -net, now_ms)?;
        set_card(tx, member_id, s.program_id, before - net)?;
        tx.execute(
            "INSERT INTO receipt_stamps (receipt_id, program_id, stamps_before, earned, redeemed, expired, stamps_after,
               program_name, reward_text)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            // The void reverses what the original gave, in its words.
            params![
                receipt_id,
                s.program_id,
                before,
                -s.earned,
                -s.redeemed,
                0,
                before - net,
                s.program_name,
                s.reward_text
            ],
        )?;
    }
    if original.kind == ReceiptKind::Sale {
        tx.execute(
            "UPDATE members SET visit_count = visit_count - 1, spend_minor = spend_minor - ?2,
               first_visit_at = (SELECT MIN(r.created_at) FROM receipts r WHERE r.member_id = ?1 AND r.kind = 'sale'
                                  AND r.id <> ?3 AND NOT EXISTS (SELECT 1 FROM receipts v WHERE v.voids_receipt_id = r.id)),
               last_visit_at = (SELECT MAX(r.created_at) FROM receipts r WHERE r.member_id = ?1 AND r.kind = 'sale'
                                  AND r.id <> ?3 AND NOT EXISTS (SELECT 1 FROM receipts v WHERE v.voids_receipt_id = r.id))
             WHERE id = ?1",
            params![member_id, original.total_minor, original.id],
        )?;
    }
    super::owner::hooks::after_void(tx, member_id, original.id, receipt_id, now)?;
    Ok(number)
}
