//! The campaign report: what each issuance of coupons to a list brought
//! back (the coupons themselves are `coupons.rs`).

use super::coupons::{CampaignReportRow, CAMPAIGN_FOLLOW_DAYS};
use super::Store;
use crate::auto_coupon::AutoCouponKind;
use crate::error::Result;
use crate::staff::Act;

impl Store {
    /// Each campaign's results, newest first: coupons issued and redeemed
    /// (on sales not voided), the rate, the discount given, what the
    /// redeeming members paid on those sales and on their other sales
    /// within 30 days after (each redemption counted on its own).
    pub fn campaign_report(&self) -> Result<Vec<CampaignReportRow>> {
        self.require_read(Act::OwnerLists)?;
        let follow_ms = CAMPAIGN_FOLLOW_DAYS * 86_400_000;
        let mut stmt = self.conn().prepare(
            "WITH redemptions AS (
               SELECT c.campaign_id, c.member_id, l.discount_minor, r.id AS receipt_id, r.total_minor, r.created_at
               FROM coupons c JOIN coupon_ledger l ON l.coupon_id = c.id AND l.kind = 'redeemed'
               JOIN receipts r ON r.id = l.receipt_id
               WHERE c.campaign_id IS NOT NULL
                 AND NOT EXISTS (SELECT 1 FROM receipts v WHERE v.voids_receipt_id = r.id)
             )
             SELECT g.id, g.name, o.name, g.created_at,
                    (SELECT count(*) FROM coupons c WHERE c.campaign_id = g.id),
                    (SELECT count(*) FROM redemptions x WHERE x.campaign_id = g.id),
                    (SELECT COALESCE(SUM(x.discount_minor), 0) FROM redemptions x WHERE x.campaign_id = g.id),
                    (SELECT COALESCE(SUM(x.total_minor), 0) FROM redemptions x WHERE x.campaign_id = g.id),
                    (SELECT COALESCE(SUM(s.total_minor), 0) FROM redemptions x JOIN receipts s
                       ON s.member_id = x.member_id AND s.kind = 'sale' AND s.id <> x.receipt_id
                      AND s.created_at >= x.created_at AND s.created_at < x.created_at + ?1
                      AND NOT EXISTS (SELECT 1 FROM receipts v WHERE v.voids_receipt_id = s.id)
                     WHERE x.campaign_id = g.id),
                    CASE WHEN g.request_id LIKE 'auto:%' THEN g.list_name END
             FROM coupon_campaigns g JOIN coupon_offers o ON o.id = g.offer_id
             ORDER BY g.id DESC",
        )?;
        let rows = stmt.query_map([follow_ms], |r| {
            let issued: i64 = r.get(4)?;
            let redeemed: i64 = r.get(5)?;
            Ok(CampaignReportRow {
                campaign_id: r.get(0)?,
                name: r.get(1)?,
                offer_name: r.get(2)?,
                created_at: r.get(3)?,
                issued,
                redeemed,
                redemption_rate_bp: if issued > 0 { redeemed * 10_000 / issued } else { 0 },
                discount_minor: r.get(6)?,
                redeeming_sales_minor: r.get(7)?,
                spend_30_days_after_minor: r.get(8)?,
                automatic: r.get::<_, Option<String>>(9)?.and_then(|k| AutoCouponKind::parse(&k).ok()),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
