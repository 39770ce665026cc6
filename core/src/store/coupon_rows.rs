//! The rows of coupons, below the operations that use them (`coupons.rs`,
//! `auto_coupons.rs`, `referrals.rs`, `coupon_slips.rs`): an offer read and
//! written, a coupon inserted with its `issued` ledger row, a ledger row,
//! and a coupon read as the counter shows it.

use crate::coupon::{code_from_entropy, Benefit, OfferInput, OfferKind, Validity};
use crate::error::{Error, Reason, Result};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use std::hash::{BuildHasher, Hasher};

/// An offer as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CouponOffer {
    pub id: i64,
    #[serde(flatten)]
    #[ts(flatten)]
    pub terms: OfferInput,
    pub active: bool,
    pub created_at: i64,
}

/// Where a coupon stands: `expired` also for an issued coupon whose last
/// day has passed (the ledger records an expiry only when a void finds it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum CouponStatus {
    Usable,
    NotYetValid,
    Redeemed,
    Expired,
}

/// A coupon by its code, as the counter and the CLI show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CouponView {
    pub code: String,
    pub member_id: i64,
    pub member_no: String,
    pub member_name: String,
    pub offer_id: i64,
    pub offer_name: String,
    pub kind: OfferKind,
    pub campaign: Option<String>,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub status: CouponStatus,
    pub issued_at: i64,
    /// The receipt it was last redeemed on, while it stays redeemed.
    pub redeemed_on: Option<i64>,
}

/// A checked offer row.
pub(super) struct OfferRow {
    pub(super) name: String,
    pub(super) benefit: Benefit,
    pub(super) validity: Validity,
    pub(super) min_spend_minor: i64,
    pub(super) combinable: bool,
    pub(super) active: bool,
}

pub(super) const OFFER_COLUMNS: &str =
    "id, name, kind, amount_off_minor, percent_off, cap_minor, product_id, program_id, extra_stamps,
    min_spend_minor, valid_days, valid_from, valid_until, combinable, active, created_at";

pub(super) fn offer_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(CouponOffer, String)> {
    let date = |i: usize| -> rusqlite::Result<Option<NaiveDate>> {
        Ok(r.get::<_, Option<String>>(i)?.and_then(|s| s.parse().ok()))
    };
    Ok((
        CouponOffer {
            id: r.get(0)?,
            terms: OfferInput {
                name: r.get(1)?,
                kind: OfferKind::AmountOff,
                amount_off_minor: r.get(3)?,
                percent_off: r.get(4)?,
                cap_minor: r.get(5)?,
                product_id: r.get(6)?,
                program_id: r.get(7)?,
                extra_stamps: r.get(8)?,
                min_spend_minor: r.get(9)?,
                valid_days: r.get(10)?,
                valid_from: date(11)?,
                valid_until: date(12)?,
                combinable: r.get(13)?,
            },
            active: r.get(14)?,
            created_at: r.get(15)?,
        },
        r.get(2)?,
    ))
}

pub(super) fn finish_offer((mut offer, kind): (CouponOffer, String)) -> Result<CouponOffer> {
    offer.terms.kind = OfferKind::parse(&kind)?;
    Ok(offer)
}

pub(crate) fn load_offer(conn: &Connection, id: i64) -> Result<CouponOffer> {
    conn.query_row(&format!("SELECT {OFFER_COLUMNS} FROM coupon_offers WHERE id = ?1"), [id], offer_from_row)
        .optional()?
        .ok_or_else(|| Error::OfferNotFound(id.to_string()))
        .and_then(finish_offer)
}

pub(super) fn offer_row(conn: &Connection, id: i64) -> Result<OfferRow> {
    let offer = load_offer(conn, id)?;
    let (name, benefit, validity) = offer.terms.validate()?;
    Ok(OfferRow {
        name,
        benefit,
        validity,
        min_spend_minor: offer.terms.min_spend_minor,
        combinable: offer.terms.combinable,
        active: offer.active,
    })
}

/// The offer's product or program exists (a coupon must be usable).
pub(super) fn check_offer_refs(tx: &Connection, benefit: Benefit) -> Result<()> {
    match benefit {
        Benefit::FreeItem { product_id } => {
            super::catalogue::load_product(tx, product_id)?;
        }
        Benefit::ExtraStamps { program_id, .. } => {
            super::programs::load_program(tx, program_id)?;
        }
        Benefit::AmountOff { .. } | Benefit::PercentOff { .. } => {}
    }
    Ok(())
}

pub(super) fn write_offer_columns(
    tx: &Connection,
    id: Option<i64>,
    input: &OfferInput,
    name: &str,
    now_ms: i64,
) -> Result<i64> {
    let from = input.valid_from.map(|d| d.to_string());
    let until = input.valid_until.map(|d| d.to_string());
    let values: [&dyn rusqlite::ToSql; 14] = [
        &name,
        &input.kind.as_db(),
        &input.amount_off_minor,
        &input.percent_off,
        &input.cap_minor,
        &input.product_id,
        &input.program_id,
        &input.extra_stamps,
        &input.min_spend_minor,
        &input.valid_days,
        &from,
        &until,
        &input.combinable,
        &now_ms,
    ];
    match id {
        None => {
            tx.execute(
                "INSERT INTO coupon_offers (name, kind, amount_off_minor, percent_off, cap_minor, product_id, program_id,
                   extra_stamps, min_spend_minor, valid_days, valid_from, valid_until, combinable, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14)",
                values.as_slice(),
            )?;
            Ok(tx.last_insert_rowid())
        }
        Some(id) => {
            let mut with_id = values.to_vec();
            with_id.push(&id);
            let changed = tx.execute(
                "UPDATE coupon_offers SET name = ?1, kind = ?2, amount_off_minor = ?3, percent_off = ?4, cap_minor = ?5,
                   product_id = ?6, program_id = ?7, extra_stamps = ?8, min_spend_minor = ?9, valid_days = ?10,
                   valid_from = ?11, valid_until = ?12, combinable = ?13, updated_at = ?14
                 WHERE id = ?15",
                with_id.as_slice(),
            )?;
            if changed != 1 {
                return Err(Error::OfferNotFound(id.to_string()));
            }
            Ok(id)
        }
    }
}

/// 64 bits nobody can predict, from the OS's randomness that seeds the
/// standard library's hash maps (no extra dependency), mixed with the
/// request and the attempt.
fn entropy(request_id: &str, member_id: i64, attempt: u32) -> u64 {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write(request_id.as_bytes());
    h.write_i64(member_id);
    h.write_u32(attempt);
    h.finish()
}

/// Writes one coupon and its `issued` ledger row; a code already taken is
/// drawn again.
pub(super) fn insert_coupon(
    tx: &Connection,
    offer_id: i64,
    member_id: i64,
    campaign_id: Option<i64>,
    request_id: Option<&str>,
    window: (NaiveDate, NaiveDate),
    now_ms: i64,
) -> Result<(i64, String)> {
    let slot = CouponSlot { campaign_id, request_id, auto_key: None, issued_on: None };
    insert_coupon_keyed(tx, offer_id, member_id, &slot, window, now_ms)
}

/// Where a new coupon belongs: its campaign, its own request id (one
/// issued at the counter), the occasion of an automatic one, the receipt
/// that gave it (a referral reward's).
pub(super) struct CouponSlot<'a> {
    pub(super) campaign_id: Option<i64>,
    pub(super) request_id: Option<&'a str>,
    pub(super) auto_key: Option<&'a str>,
    pub(super) issued_on: Option<i64>,
}

/// [`insert_coupon`] with the coupon's place ([`CouponSlot`]).
pub(super) fn insert_coupon_keyed(
    tx: &Connection,
    offer_id: i64,
    member_id: i64,
    slot: &CouponSlot<'_>,
    window: (NaiveDate, NaiveDate),
    now_ms: i64,
) -> Result<(i64, String)> {
    let (campaign_id, request_id, auto_key) = (slot.campaign_id, slot.request_id, slot.auto_key);
    for attempt in 0..16 {
        let code = code_from_entropy(entropy(request_id.or(auto_key).unwrap_or(""), member_id, attempt));
        let taken: bool =
            tx.query_row("SELECT EXISTS (SELECT 1 FROM coupons WHERE code = ?1)", [&code], |r| r.get(0))?;
        if taken {
            continue;
        }
        if let Some(key) = auto_key {
            tx.execute(
                "INSERT INTO coupons (code, offer_id, member_id, campaign_id, request_id, valid_from, valid_until, state,
                   issued_at, auto_key)
                 VALUES (?1, ?2, ?3, ?4, NULL, ?5, ?6, 'issued', ?7, ?8)",
                params![code, offer_id, member_id, campaign_id, window.0.to_string(), window.1.to_string(), now_ms, key],
            )?;
        } else {
            tx.execute(
                "INSERT INTO coupons (code, offer_id, member_id, campaign_id, request_id, valid_from, valid_until, state, issued_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'issued', ?8)",
                params![code, offer_id, member_id, campaign_id, request_id, window.0.to_string(), window.1.to_string(), now_ms],
            )?;
        }
        let id = tx.last_insert_rowid();
        ledger_row(tx, id, "issued", slot.issued_on, 0, now_ms)?;
        return Ok((id, code));
    }
    Err(Error::InvalidInput { field: "coupon code", reason: "no free code found; try again".into() })
}

pub(super) fn ledger_row(
    tx: &Connection,
    coupon_id: i64,
    kind: &str,
    receipt_id: Option<i64>,
    discount_minor: i64,
    now_ms: i64,
) -> Result<()> {
    tx.execute(
        "INSERT INTO coupon_ledger (coupon_id, kind, receipt_id, discount_minor, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![coupon_id, kind, receipt_id, discount_minor, now_ms],
    )?;
    Ok(())
}

pub(crate) fn load_view(conn: &Connection, code: &str, today: NaiveDate) -> Result<CouponView> {
    let row = conn
        .query_row(
            "SELECT c.code, c.member_id, m.member_no, m.name, c.offer_id, o.name, o.kind, g.name, c.valid_from,
                    c.valid_until, c.state, c.issued_at,
                    (SELECT r.number FROM coupon_ledger l JOIN receipts r ON r.id = l.receipt_id
                     WHERE l.coupon_id = c.id AND l.kind = 'redeemed' ORDER BY l.id DESC LIMIT 1)
             FROM coupons c JOIN members m ON m.id = c.member_id JOIN coupon_offers o ON o.id = c.offer_id
             LEFT JOIN coupon_campaigns g ON g.id = c.campaign_id
             WHERE c.code = ?1",
            [code],
            |r| {
                Ok((
                    (r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?),
                    (
                        r.get::<_, i64>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, String>(6)?,
                        r.get::<_, Option<String>>(7)?,
                    ),
                    (r.get::<_, String>(8)?, r.get::<_, String>(9)?, r.get::<_, String>(10)?, r.get::<_, i64>(11)?),
                    r.get::<_, Option<i64>>(12)?,
                ))
            },
        )
        .optional()?
        .ok_or_else(|| Error::CouponNotFound(code.to_string()))?;
    let (
        (code, member_id, member_no, member_name),
        (offer_id, offer_name, kind, campaign),
        (from, until, state, at),
        on,
    ) = row;
    let day = |s: &str| {
        s.parse::<NaiveDate>()
            .map_err(|_| Error::InvalidInput { field: "coupon validity", reason: Reason::Other(s.to_string()) })
    };
    let (valid_from, valid_until) = (day(&from)?, day(&until)?);
    let status = match state.as_str() {
        "redeemed" => CouponStatus::Redeemed,
        "expired" => CouponStatus::Expired,
        _ if today > valid_until => CouponStatus::Expired,
        _ if today < valid_from => CouponStatus::NotYetValid,
        _ => CouponStatus::Usable,
    };
    Ok(CouponView {
        code,
        member_id,
        member_no,
        member_name,
        offer_id,
        offer_name,
        kind: OfferKind::parse(&kind)?,
        campaign,
        valid_from,
        valid_until,
        status,
        issued_at: at,
        redeemed_on: if status == CouponStatus::Redeemed { on } else { None },
    })
}
