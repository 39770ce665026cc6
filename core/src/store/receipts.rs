//! Reading receipts and history.

use super::Store;
use crate::error::{Error, Result};
use crate::money::Currency;
use crate::receipt::{
    Receipt, ReceiptDiscount, ReceiptKind, ReceiptLine, ReceiptPayment, ReceiptPoints, ReceiptStamp, ReceiptSummary,
};
use rusqlite::{params, Connection, OptionalExtension};

pub(crate) fn load_receipt_by_number(conn: &Connection, number: i64) -> Result<Receipt> {
    // NULLs in a file an upgrade test keeps at a schema from before staff accounts.
    let staff = if super::has_staff_schema(conn)? { "r.staff_id, r.approver_name" } else { "NULL, NULL" };
    let mut receipt = conn
        .query_row(
            &format!("SELECT r.id, r.number, r.kind, r.request_id, r.member_id, m.member_no, m.name, m.phone, r.cashier, r.currency,
                    r.total_minor, r.bonus_minor, r.wallet_paid_before, r.wallet_bonus_before, r.wallet_paid_after,
                    r.wallet_bonus_after, o.number, v.number, r.note, r.created_at, {staff}
             FROM receipts r
             JOIN members m ON m.id = r.member_id
             LEFT JOIN receipts o ON o.id = r.voids_receipt_id
             LEFT JOIN receipts v ON v.voids_receipt_id = r.id
             WHERE r.number = ?1"),
            [number],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(9)?,
                    Receipt {
                        id: r.get(0)?,
                        number: r.get(1)?,
                        kind: ReceiptKind::Sale,
                        request_id: r.get(3)?,
                        member_id: r.get(4)?,
                        member_no: r.get(5)?,
                        member_name: r.get(6)?,
                        member_phone: r.get(7)?,
                        cashier: r.get(8)?,
                        staff_id: r.get(20)?,
                        approved_by: r.get(21)?,
                        currency: Currency { code: String::new(), minor_digits: 0 },
                        total_minor: r.get(10)?,
                        bonus_minor: r.get(11)?,
                        wallet_paid_before: r.get(12)?,
                        wallet_bonus_before: r.get(13)?,
                        wallet_paid_after: r.get(14)?,
                        wallet_bonus_after: r.get(15)?,
                        lines: Vec::new(),
                        discounts: Vec::new(),
                        payments: Vec::new(),
                        stamps: Vec::new(),
                        points: None,
                        coupons_given: Vec::new(),
                        voids_number: r.get(16)?,
                        voided_by_number: r.get(17)?,
                        note: r.get(18)?,
                        created_at: r.get(19)?,
                    },
                ))
            },
        )
        .optional()?
        .ok_or_else(|| Error::ReceiptNotFound(number.to_string()))
        .and_then(|(id, kind, currency, mut receipt)| {
            receipt.kind = ReceiptKind::from_db(&kind)?;
            receipt.currency = Currency::from_code(&currency)?;
            receipt.id = id;
            Ok(receipt)
        })?;
    let id = receipt.id;
    let mut stmt = conn.prepare_cached(
        "SELECT description, quantity, unit_price_minor, amount_minor, earns_stamps, product_id
         FROM receipt_lines WHERE receipt_id = ?1 ORDER BY line_no",
    )?;
    receipt.lines = stmt
        .query_map([id], |r| {
            Ok(ReceiptLine {
                product_id: r.get(5)?,
                description: r.get(0)?,
                quantity: r.get(1)?,
                unit_price_minor: r.get(2)?,
                amount_minor: r.get(3)?,
                earns_stamps: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    if super::has_coupon_schema(conn)? {
        let mut stmt = conn.prepare_cached(
            &format!(
                "SELECT code, description, amount_minor, extra_stamps, {} FROM receipt_discounts WHERE receipt_id = ?1 ORDER BY line_no",
                if super::has_points_schema(conn)? { "points" } else { "0" }
            ),
        )?;
        receipt.discounts = stmt
            .query_map([id], |r| {
                Ok(ReceiptDiscount {
                    code: r.get(0)?,
                    description: r.get(1)?,
                    amount_minor: r.get(2)?,
                    extra_stamps: r.get(3)?,
                    points: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
    }
    if super::has_points_schema(conn)? {
        receipt.points = conn
            .query_row(
                "SELECT points_before, earned, redeemed, expired, points_after, expiring_points, expiring_on
                 FROM receipt_points WHERE receipt_id = ?1",
                [id],
                |r| {
                    Ok(ReceiptPoints {
                        before: r.get(0)?,
                        earned: r.get(1)?,
                        redeemed: r.get(2)?,
                        expired: r.get(3)?,
                        after: r.get(4)?,
                        next_expiry: r.get::<_, Option<String>>(6)?.map(|day| crate::points::Expiring {
                            points: r.get(5).unwrap_or(0),
                            last_day: crate::points::expires_on_from_text(&day),
                        }),
                    })
                },
            )
            .optional()?;
    }
    if super::has_coupon_schema(conn)? {
        let mut given = conn.prepare_cached(
            "SELECT c.code, o.name, c.valid_until FROM coupon_ledger l JOIN coupons c ON c.id = l.coupon_id
             JOIN coupon_offers o ON o.id = c.offer_id
             WHERE l.receipt_id = ?1 AND l.kind = 'issued' ORDER BY l.id",
        )?;
        receipt.coupons_given = given
            .query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?
            .map(|row| {
                let (code, offer_name, until) = row?;
                Ok(crate::receipt::GivenCoupon {
                    code,
                    offer_name,
                    valid_until: until.parse().map_err(|_| Error::InvalidInput {
                        field: "coupon validity",
                        reason: crate::error::Reason::Other(until.clone()),
                    })?,
                })
            })
            .collect::<Result<_>>()?;
    }
    let mut stmt = conn.prepare_cached(
        "SELECT method, method_id, method_name, amount_minor, tendered_minor, change_minor
         FROM receipt_payments WHERE receipt_id = ?1 ORDER BY line_no",
    )?;
    receipt.payments = stmt
        .query_map([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                ReceiptPayment {
                    method: crate::receipt::PaymentMethod::Other,
                    method_id: r.get(1)?,
                    method_name: r.get(2)?,
                    amount_minor: r.get(3)?,
                    tendered_minor: r.get(4)?,
                    change_minor: r.get(5)?,
                },
            ))
        })?
        .map(|row| {
            let (method, payment) = row?;
            Ok(ReceiptPayment { method: crate::receipt::PaymentMethod::parse(&method)?, ..payment })
        })
        .collect::<Result<_>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT s.program_id, COALESCE(s.program_name, p.name), p.stamps_needed, COALESCE(s.reward_text, p.reward_text), s.stamps_before, s.earned, s.redeemed, s.expired, s.stamps_after
         FROM receipt_stamps s JOIN stamp_programs p ON p.id = s.program_id WHERE s.receipt_id = ?1 ORDER BY s.program_id",
    )?;
    receipt.stamps = stmt
        .query_map([id], |r| {
            Ok(ReceiptStamp {
                program_id: r.get(0)?,
                program_name: r.get(1)?,
                stamps_needed: r.get(2)?,
                reward_text: r.get(3)?,
                stamps_before: r.get(4)?,
                earned: r.get(5)?,
                redeemed: r.get(6)?,
                expired: r.get(7)?,
                stamps_after: r.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(receipt)
}

pub(crate) fn history(
    conn: &Connection,
    member_id: Option<i64>,
    limit: i64,
    before_number: Option<i64>,
) -> Result<Vec<ReceiptSummary>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.number, r.kind, r.member_id, m.name, r.created_at, r.total_minor,
                EXISTS (SELECT 1 FROM receipts v WHERE v.voids_receipt_id = r.id), o.number
         FROM receipts r
         JOIN members m ON m.id = r.member_id
         LEFT JOIN receipts o ON o.id = r.voids_receipt_id
         WHERE (?1 IS NULL OR r.member_id = ?1) AND (?3 IS NULL OR r.number < ?3)
         ORDER BY r.number DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![member_id, limit, before_number], |r| {
        Ok((
            r.get::<_, String>(1)?,
            ReceiptSummary {
                number: r.get(0)?,
                kind: ReceiptKind::Sale,
                member_id: r.get(2)?,
                member_name: r.get(3)?,
                created_at: r.get(4)?,
                total_minor: r.get(5)?,
                voided: r.get(6)?,
                voids_number: r.get(7)?,
            },
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (kind, mut summary) = row?;
        summary.kind = ReceiptKind::from_db(&kind)?;
        out.push(summary);
    }
    Ok(out)
}

impl Store {
    pub fn receipt(&self, number: i64) -> Result<Receipt> {
        load_receipt_by_number(self.conn(), number)
    }

    /// Receipts, newest first: of one member, or of the whole shop.
    pub fn history(
        &self,
        member_id: Option<i64>,
        limit: i64,
        before_number: Option<i64>,
    ) -> Result<Vec<ReceiptSummary>> {
        if let Some(id) = member_id {
            super::members::load_member(self.conn(), id)?;
        }
        history(self.conn(), member_id, limit.clamp(1, 1000), before_number)
    }
}
