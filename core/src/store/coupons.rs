//! Coupons in the store: the owner's offers, issuing coupons (one, or a
//! campaign to a list), reading a coupon by its code, applying coupons at
//! checkout (`plan_coupons`, `write_redemptions`) and giving them back on a
//! void (`restore_on_void`); the rows they write are `coupon_rows.rs`, the
//! campaign report is `campaigns.rs`. Every change of a
//! coupon is a `coupon_ledger` row written in the operation's own
//! transaction; `coupons.state` is what the latest row says.

use super::coupon_rows::{
    check_offer_refs, finish_offer, insert_coupon, insert_coupon_keyed, ledger_row, offer_from_row, offer_row,
    write_offer_columns, CouponSlot, OFFER_COLUMNS,
};
pub(crate) use super::coupon_rows::{load_offer, load_view};
pub use super::coupon_rows::{CouponOffer, CouponStatus, CouponView};
use super::{load_settings, Store};
use crate::auto_coupon::AutoCouponKind;
use crate::coupon::{
    check_combination, check_valid_on, discount_of, most_cost, parse_code, validity_window, BasketLine, Benefit,
    OfferInput, MAX_COUPONS_PER_SALE,
};
use crate::error::{Error, Reason, Result};
use crate::receipt::Receipt;
use crate::request::check_request_id;
use crate::staff::Act;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct IssueCouponRequest {
    pub request_id: String,
    pub member_id: i64,
    pub offer_id: i64,
}

/// Coupons of one offer to a list of members (the interfaces take the list
/// from the owner's lists: lapsed, birthdays, VIP …), as one named campaign.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CampaignRequest {
    pub request_id: String,
    pub name: String,
    pub offer_id: i64,
    pub member_ids: Vec<i64>,
    /// Which list the members came from, for the report.
    #[serde(default)]
    pub list_name: String,
}

/// What a campaign would issue: how many coupons and the most they can cost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CampaignPreview {
    pub offer_id: i64,
    pub members: i64,
    /// Every coupon used at its largest discount (a free item at today's price).
    pub most_cost_minor: i64,
    /// Extra stamps the coupons can give in all (extra-stamp offers).
    pub most_stamps: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CampaignIssued {
    pub campaign_id: i64,
    pub name: String,
    pub offer_id: i64,
    pub issued: i64,
}

/// One campaign's results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CampaignReportRow {
    pub campaign_id: i64,
    pub name: String,
    pub offer_name: String,
    pub created_at: i64,
    pub issued: i64,
    /// Coupons redeemed on sales not voided.
    pub redeemed: i64,
    /// redeemed / issued in basis points (10000 = all), rounded down.
    pub redemption_rate_bp: i64,
    pub discount_minor: i64,
    /// What the redeeming members paid on the sales the coupons were used on.
    pub redeeming_sales_minor: i64,
    /// What they spent on their other sales in the 30 days after redeeming.
    pub spend_30_days_after_minor: i64,
    /// The standing campaign of an automatic coupon (birthday, welcome,
    /// win-back), which the shop issues by itself; none for the owner's.
    pub automatic: Option<AutoCouponKind>,
}

/// What coupons do to a sale, as the counter previews it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CouponsQuote {
    pub discount_minor: i64,
    /// Stamp-earning items the coupons give free: they earn no stamps.
    pub free_stamp_items: i64,
    /// Stamps the coupons add, per program.
    pub extra_stamps: Vec<ProgramStamps>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProgramStamps {
    pub program_id: i64,
    pub stamps: i64,
}

/// Days after a redemption whose sales the campaign report counts.
pub const CAMPAIGN_FOLLOW_DAYS: i64 = 30;

/// A coupon a sale will redeem: what it takes off and the stamps it adds.
pub(crate) struct AppliedCoupon {
    pub(crate) coupon_id: i64,
    pub(crate) code: String,
    pub(crate) description: String,
    pub(crate) discount_minor: i64,
    pub(crate) benefit: Benefit,
}

/// Checks the sale's coupon codes against the database and the rules
/// (belongs to this member, not used, valid on the shop's day, minimum
/// spend on the items' total, combinability) and works out each discount.
/// Writes nothing.
pub(crate) fn plan_coupons(
    tx: &Connection,
    member_id: i64,
    codes: &[String],
    gross_minor: i64,
    lines: &[BasketLine],
    now: DateTime<Utc>,
) -> Result<Vec<AppliedCoupon>> {
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    if codes.len() > MAX_COUPONS_PER_SALE {
        return Err(Error::InvalidInput {
            field: "coupons",
            reason: Reason::TooMany { max: MAX_COUPONS_PER_SALE as i64 },
        });
    }
    let today = load_settings(tx)?.local_date(now);
    let mut found = Vec::new();
    for typed in codes {
        let code = parse_code(typed)?;
        let (id, owner, offer_id, from, until, state): (i64, i64, i64, String, String, String) = tx
            .query_row(
                "SELECT id, member_id, offer_id, valid_from, valid_until, state FROM coupons WHERE code = ?1",
                [&code],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
            )
            .optional()?
            .ok_or_else(|| Error::CouponNotFound(code.clone()))?;
        if owner != member_id {
            return Err(Error::CouponNotThisMember(code));
        }
        if state != "issued" {
            return Err(Error::CouponUsed(code));
        }
        let parse = |s: &str| s.parse::<NaiveDate>().unwrap_or(NaiveDate::MIN);
        check_valid_on(&code, parse(&from), parse(&until), today)?;
        found.push((id, code, offer_row(tx, offer_id)?));
    }
    let pairs: Vec<(&str, bool)> = found.iter().map(|(_, c, o)| (c.as_str(), o.combinable)).collect();
    check_combination(&pairs)?;
    let mut applied = Vec::new();
    let mut total_off = 0i64;
    for (coupon_id, code, offer) in found {
        let off = discount_of(&code, offer.benefit, offer.min_spend_minor, gross_minor, lines)?;
        // Several coupons never take more than the items' total.
        let off = off.min(gross_minor - total_off);
        total_off += off;
        applied.push(AppliedCoupon {
            coupon_id,
            code,
            description: offer.name,
            discount_minor: off,
            benefit: offer.benefit,
        });
    }
    Ok(applied)
}

/// Marks the sale's coupons redeemed: a guarded UPDATE that changes the
/// row only while it is still `issued` (so two tills applying one coupon at
/// once cannot both succeed), its `redeemed` ledger row, and the
/// receipt's discount lines.
pub(crate) fn write_redemptions(
    tx: &Connection,
    receipt_id: i64,
    applied: &[AppliedCoupon],
    now_ms: i64,
) -> Result<()> {
    for (i, c) in applied.iter().enumerate() {
        let changed =
            tx.execute("UPDATE coupons SET state = 'redeemed' WHERE id = ?1 AND state = 'issued'", [c.coupon_id])?;
        if changed != 1 {
            return Err(Error::CouponUsed(c.code.clone()));
        }
        ledger_row(tx, c.coupon_id, "redeemed", Some(receipt_id), c.discount_minor, now_ms)?;
        let extra = match c.benefit {
            Benefit::ExtraStamps { stamps, .. } => stamps,
            _ => 0,
        };
        tx.execute(
            "INSERT INTO receipt_discounts (receipt_id, line_no, coupon_id, code, description, amount_minor, extra_stamps)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![receipt_id, i as i64 + 1, c.coupon_id, c.code, c.description, c.discount_minor, extra],
        )?;
    }
    Ok(())
}

/// A void of a sale with coupons (or points redeemed): each coupon is given back (`restored`)
/// while its last day has not passed on the shop's calendar; one past it
/// stays used up and is marked `expired`. The void's discount lines
/// reverse the original's.
pub(crate) fn restore_on_void(
    tx: &Connection,
    original: &Receipt,
    void_receipt_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    if original.discounts.is_empty() {
        return Ok(());
    }
    let today = load_settings(tx)?.local_date(now);
    let now_ms = now.timestamp_millis();
    for i in 0..original.discounts.len() {
        tx.execute(
            "INSERT INTO receipt_discounts (receipt_id, line_no, coupon_id, code, description, amount_minor, extra_stamps, points)
             SELECT ?1, ?2, coupon_id, code, description, -amount_minor, -extra_stamps, -points
             FROM receipt_discounts WHERE receipt_id = ?3 AND line_no = ?4",
            params![void_receipt_id, i as i64 + 1, original.id, i as i64 + 1],
        )?;
        let Some((id, until)): Option<(i64, String)> = tx
            .query_row(
                "SELECT c.id, c.valid_until FROM receipt_discounts d JOIN coupons c ON c.id = d.coupon_id
                 WHERE d.receipt_id = ?1 AND d.line_no = ?2",
                params![original.id, i as i64 + 1],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
        else {
            continue;
        };
        let expired = until.parse::<NaiveDate>().is_ok_and(|u| today > u);
        let (state, kind) = if expired { ("expired", "expired") } else { ("issued", "restored") };
        let changed =
            tx.execute("UPDATE coupons SET state = ?2 WHERE id = ?1 AND state = 'redeemed'", params![id, state])?;
        if changed == 1 {
            ledger_row(tx, id, kind, Some(void_receipt_id), 0, now_ms)?;
        }
    }
    Ok(())
}

/// The state a coupon's ledger leaves it in (`Store::audit` compares).
pub(crate) fn ledger_mismatches(conn: &Connection) -> Result<Vec<(i64, String, String)>> {
    if !super::has_coupon_schema(conn)? {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare(
        "SELECT c.id, c.state,
                COALESCE((SELECT CASE l.kind WHEN 'redeemed' THEN 'redeemed' WHEN 'expired' THEN 'expired' ELSE 'issued' END
                          FROM coupon_ledger l WHERE l.coupon_id = c.id ORDER BY l.id DESC LIMIT 1), 'none')
         FROM coupons c",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (id, state, ledger): (i64, String, String) = row?;
        if state != ledger {
            out.push((id, state, ledger));
        }
    }
    Ok(out)
}

impl Store {
    /// Adds a coupon offer (the owner's).
    pub fn add_offer(&mut self, input: &OfferInput, now: DateTime<Utc>) -> Result<CouponOffer> {
        let (name, benefit, _) = input.validate()?;
        self.write(Act::CouponOffers, now, |tx, _| {
            check_offer_refs(tx, benefit)?;
            let id = write_offer_columns(tx, None, input, &name, now.timestamp_millis())?;
            load_offer(tx, id)
        })
    }

    /// Changes an offer's terms. Coupons already issued keep their days;
    /// their discount follows the offer as it is when they are used.
    pub fn edit_offer(&mut self, id: i64, input: &OfferInput, now: DateTime<Utc>) -> Result<CouponOffer> {
        let (name, benefit, _) = input.validate()?;
        self.write(Act::CouponOffers, now, |tx, guard| {
            guard.set("before", load_offer(tx, id)?);
            check_offer_refs(tx, benefit)?;
            write_offer_columns(tx, Some(id), input, &name, now.timestamp_millis())?;
            load_offer(tx, id)
        })
    }

    /// Pauses an offer: no new coupons of it; those issued stay good.
    /// Offers are never deleted.
    pub fn pause_offer(&mut self, id: i64, now: DateTime<Utc>) -> Result<CouponOffer> {
        self.write(Act::CouponOffers, now, |tx, guard| set_offer_active(tx, guard, id, false, now))
    }

    /// Starts a paused offer again.
    pub fn resume_offer(&mut self, id: i64, now: DateTime<Utc>) -> Result<CouponOffer> {
        self.write(Act::CouponOffers, now, |tx, guard| set_offer_active(tx, guard, id, true, now))
    }

    /// Every offer, newest first.
    pub fn offers(&self) -> Result<Vec<CouponOffer>> {
        let mut stmt = self.conn().prepare(&format!("SELECT {OFFER_COLUMNS} FROM coupon_offers ORDER BY id DESC"))?;
        let rows = stmt.query_map([], offer_from_row)?;
        rows.map(|r| finish_offer(r?)).collect()
    }

    /// Issues one coupon of an active offer to one member (a cashier may).
    /// Repeating the request id returns the same coupon.
    pub fn issue_coupon(&mut self, req: &IssueCouponRequest, now: DateTime<Utc>) -> Result<CouponView> {
        check_request_id(&req.request_id)?;
        self.write(Act::IssueCoupon, now, |tx, guard| {
            let today = load_settings(tx)?.local_date(now);
            let earlier: Option<(String, i64, i64)> = tx
                .query_row(
                    "SELECT code, member_id, offer_id FROM coupons WHERE request_id = ?1",
                    [&req.request_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            if let Some((code, member, offer)) = earlier {
                if member != req.member_id || offer != req.offer_id {
                    return Err(Error::RequestIdReused(req.request_id.clone()));
                }
                guard.replayed();
                return load_view(tx, &code, today);
            }
            if distinct_active(tx, &[req.member_id])?.is_empty() {
                let no: String =
                    tx.query_row("SELECT member_no FROM members WHERE id = ?1", [req.member_id], |r| r.get(0))?;
                return Err(Error::MemberArchived(no));
            }
            let offer = offer_row(tx, req.offer_id)?;
            if !offer.active {
                return Err(Error::OfferPaused(offer.name));
            }
            guard.member(req.member_id);
            guard.request(&req.request_id);
            let window = validity_window(offer.validity, today);
            let (_, code) = insert_coupon(
                tx,
                req.offer_id,
                req.member_id,
                None,
                Some(&req.request_id),
                window,
                now.timestamp_millis(),
            )?;
            load_view(tx, &code, today)
        })
    }

    /// How many coupons a campaign to `member_ids` would issue (active
    /// members, each once) and the most they could cost.
    pub fn campaign_preview(&self, offer_id: i64, member_ids: &[i64]) -> Result<CampaignPreview> {
        self.require_read(Act::CouponCampaign)?;
        let offer = offer_row(self.conn(), offer_id)?;
        let members = distinct_active(self.conn(), member_ids)?.len() as i64;
        let item_price = match offer.benefit {
            Benefit::FreeItem { product_id } => super::catalogue::load_product(self.conn(), product_id)?.price_minor,
            _ => 0,
        };
        let most_stamps = match offer.benefit {
            Benefit::ExtraStamps { stamps, .. } => stamps.saturating_mul(members),
            _ => 0,
        };
        Ok(CampaignPreview {
            offer_id,
            members,
            most_cost_minor: most_cost(offer.benefit, item_price, members),
            most_stamps,
        })
    }

    /// Issues one coupon of the offer to each listed member (active ones,
    /// each once) as a named campaign, in one transaction. Repeating the
    /// request id issues nothing more and returns the first result.
    pub fn issue_campaign(&mut self, req: &CampaignRequest, now: DateTime<Utc>) -> Result<CampaignIssued> {
        check_request_id(&req.request_id)?;
        // Kept as typed (full-width brackets are part of a Chinese name), only trimmed.
        let name = req.name.trim().to_string();
        if name.is_empty() {
            return Err(Error::EmptyField { field: "campaign name" });
        }
        crate::error::check_len("campaign name", &name, 60)?;
        let list_name = crate::request::clean_note("list", &req.list_name)?;
        self.write(Act::CouponCampaign, now, |tx, guard| {
            let earlier: Option<(i64, String, i64)> = tx
                .query_row(
                    "SELECT id, name, offer_id FROM coupon_campaigns WHERE request_id = ?1",
                    [&req.request_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            if let Some((id, name, offer_id)) = earlier {
                if offer_id != req.offer_id {
                    return Err(Error::RequestIdReused(req.request_id.clone()));
                }
                let issued: i64 =
                    tx.query_row("SELECT count(*) FROM coupons WHERE campaign_id = ?1", [id], |r| r.get(0))?;
                guard.replayed();
                return Ok(CampaignIssued { campaign_id: id, name, offer_id, issued });
            }
            let offer = offer_row(tx, req.offer_id)?;
            if !offer.active {
                return Err(Error::OfferPaused(offer.name));
            }
            guard.request(&req.request_id);
            let now_ms = now.timestamp_millis();
            tx.execute(
                "INSERT INTO coupon_campaigns (request_id, name, offer_id, list_name, staff_id, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![req.request_id, name, req.offer_id, list_name, guard.staff_id(), now_ms],
            )?;
            let campaign_id = tx.last_insert_rowid();
            let window = validity_window(offer.validity, load_settings(tx)?.local_date(now));
            let members = distinct_active(tx, &req.member_ids)?;
            for m in &members {
                insert_coupon(tx, req.offer_id, *m, Some(campaign_id), None, window, now_ms)?;
            }
            Ok(CampaignIssued { campaign_id, name, offer_id: req.offer_id, issued: members.len() as i64 })
        })
    }

    /// What the coupons would take off a sale of `lines` (or of a typed
    /// items' total `gross_minor` without lines) for a member, checked as
    /// checkout checks them; writes nothing. The counter shows it before
    /// the customer pays.
    pub fn quote_coupons(
        &self,
        member_id: i64,
        codes: &[String],
        gross_minor: i64,
        lines: &[super::requests::LineInput],
        now: DateTime<Utc>,
    ) -> Result<i64> {
        Ok(self.quote_coupons_in_full(member_id, codes, gross_minor, lines, now)?.discount_minor)
    }

    /// [`Store::quote_coupons`] with what the coupons do to the stamps: the
    /// stamp-earning items they give free (no stamps) and the extra stamps
    /// they add, per program, so the counter's stamps preview is right.
    pub fn quote_coupons_in_full(
        &self,
        member_id: i64,
        codes: &[String],
        gross_minor: i64,
        lines: &[super::requests::LineInput],
        now: DateTime<Utc>,
    ) -> Result<CouponsQuote> {
        let basket = super::requests::basket(&super::requests::validate_lines(lines)?);
        let applied = plan_coupons(self.conn(), member_id, codes, gross_minor, &basket, now)?;
        let free: Vec<i64> = applied
            .iter()
            .filter_map(|c| match c.benefit {
                Benefit::FreeItem { product_id } => Some(product_id),
                _ => None,
            })
            .collect();
        let earning: i64 = basket.iter().filter(|l| l.earns_stamps).map(|l| l.quantity).sum();
        let mut extra_stamps: Vec<ProgramStamps> = Vec::new();
        for c in &applied {
            if let Benefit::ExtraStamps { program_id, stamps } = c.benefit {
                match extra_stamps.iter_mut().find(|e| e.program_id == program_id) {
                    Some(e) => e.stamps += stamps,
                    None => extra_stamps.push(ProgramStamps { program_id, stamps }),
                }
            }
        }
        Ok(CouponsQuote {
            discount_minor: applied.iter().map(|c| c.discount_minor).sum(),
            free_stamp_items: earning - crate::coupon::stamp_items_paid_for(earning, &basket, &free),
            extra_stamps,
        })
    }

    /// A coupon by its code as typed or scanned.
    pub fn coupon(&self, typed: &str, now: DateTime<Utc>) -> Result<CouponView> {
        let code = parse_code(typed)?;
        load_view(self.conn(), &code, self.settings()?.local_date(now))
    }

    /// A member's coupons, usable ones first, then newest first.
    pub fn member_coupons(&self, member_id: i64, now: DateTime<Utc>) -> Result<Vec<CouponView>> {
        let today = self.settings()?.local_date(now);
        let mut stmt = self.conn().prepare("SELECT code FROM coupons WHERE member_id = ?1 ORDER BY id DESC")?;
        let codes: Vec<String> = stmt.query_map([member_id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        let mut views = codes.iter().map(|c| load_view(self.conn(), c, today)).collect::<Result<Vec<_>>>()?;
        views.sort_by_key(|v| v.status != CouponStatus::Usable);
        Ok(views)
    }
}

fn set_offer_active(
    tx: &Connection,
    guard: &mut super::audit::Guard,
    id: i64,
    active: bool,
    now: DateTime<Utc>,
) -> Result<CouponOffer> {
    guard.set("before", load_offer(tx, id)?);
    tx.execute(
        "UPDATE coupon_offers SET active = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, active, now.timestamp_millis()],
    )?;
    load_offer(tx, id)
}

/// The listed members who are active, each once, in the order given.
fn distinct_active(conn: &Connection, member_ids: &[i64]) -> Result<Vec<i64>> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    let mut stmt = conn.prepare_cached("SELECT archived FROM members WHERE id = ?1")?;
    for id in member_ids {
        if !seen.insert(*id) {
            continue;
        }
        let archived: Option<bool> = stmt.query_row([id], |r| r.get(0)).optional()?;
        match archived {
            None => return Err(Error::MemberNotFound(id.to_string())),
            Some(true) => {}
            Some(false) => out.push(*id),
        }
    }
    Ok(out)
}

/// Whether an offer exists, is active and can be issued (its product or
/// program still there): automatic coupons skip one that cannot.
pub(crate) fn offer_is_usable(conn: &Connection, offer_id: i64) -> Result<bool> {
    let Ok(offer) = offer_row(conn, offer_id) else { return Ok(false) };
    Ok(offer.active && check_offer_refs(conn, offer.benefit).is_ok())
}

/// The standing campaign automatic coupons of one kind and offer belong
/// to, made on first use (no staff member: the app's own work).
fn auto_campaign(tx: &Connection, kind: AutoCouponKind, offer_id: i64, now_ms: i64) -> Result<i64> {
    let request_id = format!("auto:{}:{offer_id}", kind.as_db());
    if let Some(id) =
        tx.query_row("SELECT id FROM coupon_campaigns WHERE request_id = ?1", [&request_id], |r| r.get(0)).optional()?
    {
        return Ok(id);
    }
    let name = offer_row(tx, offer_id)?.name;
    tx.execute(
        "INSERT INTO coupon_campaigns (request_id, name, offer_id, list_name, staff_id, created_at)
         VALUES (?1, ?2, ?3, ?4, NULL, ?5)",
        params![request_id, name, offer_id, kind.as_db(), now_ms],
    )?;
    Ok(tx.last_insert_rowid())
}

/// Issues an automatic coupon of `offer_id` to an active member for the
/// occasion `key`, once: `None` when the member already has it or is
/// archived. Its validity starts on the shop's day at `now`.
pub(crate) fn insert_auto_coupon(
    tx: &Connection,
    kind: AutoCouponKind,
    offer_id: i64,
    member_id: i64,
    key: &str,
    now: DateTime<Utc>,
) -> Result<Option<String>> {
    let has: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM coupons WHERE member_id = ?1 AND auto_key = ?2)",
        params![member_id, key],
        |r| r.get(0),
    )?;
    if has || distinct_active(tx, &[member_id])?.is_empty() {
        return Ok(None);
    }
    let offer = offer_row(tx, offer_id)?;
    let now_ms = now.timestamp_millis();
    let campaign = auto_campaign(tx, kind, offer_id, now_ms)?;
    let window = validity_window(offer.validity, load_settings(tx)?.local_date(now));
    let slot = CouponSlot { campaign_id: Some(campaign), request_id: None, auto_key: Some(key), issued_on: None };
    let (_, code) = insert_coupon_keyed(tx, offer_id, member_id, &slot, window, now_ms)?;
    Ok(Some(code))
}

/// Gives a coupon of `offer_id` to a member on a receipt of its own (a
/// referral reward): its `issued` ledger row names the receipt, which
/// prints the code. The coupon's id and code.
pub(crate) fn give_coupon(
    tx: &Connection,
    offer_id: i64,
    member_id: i64,
    receipt_id: i64,
    now: DateTime<Utc>,
) -> Result<(i64, String)> {
    let offer = offer_row(tx, offer_id)?;
    let window = validity_window(offer.validity, load_settings(tx)?.local_date(now));
    let slot = CouponSlot { campaign_id: None, request_id: None, auto_key: None, issued_on: Some(receipt_id) };
    insert_coupon_keyed(tx, offer_id, member_id, &slot, window, now.timestamp_millis())
}

/// Takes back an unused coupon given on `original` (its receipt voided):
/// written off as expired on the void's receipt; refused when it was used.
pub(crate) fn take_back_given(
    tx: &Connection,
    original: &Receipt,
    void_receipt_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    if !super::has_coupon_schema(tx)? {
        return Ok(());
    }
    let mut stmt = tx.prepare(
        "SELECT c.id, c.code, c.state FROM coupon_ledger l JOIN coupons c ON c.id = l.coupon_id
         WHERE l.receipt_id = ?1 AND l.kind = 'issued'",
    )?;
    let given: Vec<(i64, String, String)> =
        stmt.query_map([original.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<_>>()?;
    for (id, code, state) in given {
        match state.as_str() {
            "redeemed" => return Err(Error::CouponUsed(code)),
            "expired" => {}
            _ => {
                tx.execute("UPDATE coupons SET state = 'expired' WHERE id = ?1", [id])?;
                ledger_row(tx, id, "expired", Some(void_receipt_id), 0, now.timestamp_millis())?;
            }
        }
    }
    Ok(())
}

/// The member's usable coupon that runs out first (a message reminds of it).
pub(crate) fn soonest_usable_coupon(conn: &Connection, member_id: i64, today: NaiveDate) -> Result<Option<CouponView>> {
    let mut stmt = conn.prepare_cached("SELECT code FROM coupons WHERE member_id = ?1 ORDER BY id")?;
    let codes: Vec<String> = stmt.query_map([member_id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    let mut usable = Vec::new();
    for code in &codes {
        let view = load_view(conn, code, today)?;
        if view.status == CouponStatus::Usable {
            usable.push(view);
        }
    }
    Ok(usable.into_iter().min_by_key(|v| v.valid_until))
}
