//! What a coupon slip needs from the database: the coupon by its code, its
//! member, and its offer's terms with the free product's or the stamp
//! program's name. Reads only; the slip is rendered above the store
//! (`documents::coupon_slip`).

use super::coupons::{load_offer, load_view, CouponStatus};
use super::Store;
use crate::coupon::{parse_code, Benefit, CouponSlip};
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};

impl Store {
    /// The slip of the coupon `typed` (as typed or scanned: any case, width,
    /// spaces or dashes), read on the shop's day of `now`. A slip is a
    /// promise the customer takes away, so a coupon already used is refused
    /// (`CouponUsed`) and one past its last day too (`CouponExpired`); one
    /// whose first day is still to come gets its slip (handed out ahead,
    /// its dates printed). An unknown code is `CouponNotFound`, a mistyped
    /// one `CouponMistyped`.
    pub fn coupon_slip(&self, typed: &str, now: DateTime<Utc>) -> Result<CouponSlip> {
        let code = parse_code(typed)?;
        let view = load_view(self.conn(), &code, self.settings()?.local_date(now))?;
        match view.status {
            CouponStatus::Redeemed => return Err(Error::CouponUsed(view.code)),
            CouponStatus::Expired => {
                return Err(Error::CouponExpired { code: view.code, until: view.valid_until.to_string() })
            }
            CouponStatus::Usable | CouponStatus::NotYetValid => {}
        }
        let offer = load_offer(self.conn(), view.offer_id)?;
        let (_, benefit, _) = offer.terms.validate()?;
        let subject = match benefit {
            Benefit::FreeItem { product_id } => super::catalogue::load_product(self.conn(), product_id)?.name,
            Benefit::ExtraStamps { program_id, .. } => super::programs::load_program(self.conn(), program_id)?.name,
            Benefit::AmountOff { .. } | Benefit::PercentOff { .. } => String::new(),
        };
        Ok(CouponSlip {
            code: view.code,
            member_no: view.member_no,
            member_name: view.member_name,
            offer_name: view.offer_name,
            benefit,
            subject,
            min_spend_minor: offer.terms.min_spend_minor,
            valid_from: view.valid_from,
            valid_until: view.valid_until,
        })
    }
}
