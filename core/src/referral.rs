//! Referral rewards: what the shop gives a member whose referral makes a
//! first sale. Pure rules: the owner's setting and its checks; the store
//! gives and takes back rewards (`store::referrals`).

use crate::error::{Error, Reason, Result};
use crate::points::MAX_POINTS_PER_SALE;
use serde::{Deserialize, Serialize};

/// What a referral brings the referrer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ReferralRewardKind {
    /// Nothing (the default).
    None,
    /// A coupon of `offer_id`.
    Coupon,
    /// `points` points.
    Points,
    /// `stamps` stamps on `program_id`.
    Stamps,
}

impl ReferralRewardKind {
    pub fn as_db(self) -> &'static str {
        match self {
            ReferralRewardKind::None => "none",
            ReferralRewardKind::Coupon => "coupon",
            ReferralRewardKind::Points => "points",
            ReferralRewardKind::Stamps => "stamps",
        }
    }

    pub fn parse(s: &str) -> Result<ReferralRewardKind> {
        match crate::input::fold_width(s).trim().to_ascii_lowercase().as_str() {
            "none" | "off" => Ok(ReferralRewardKind::None),
            "coupon" => Ok(ReferralRewardKind::Coupon),
            "points" => Ok(ReferralRewardKind::Points),
            "stamps" => Ok(ReferralRewardKind::Stamps),
            other => Err(Error::InvalidInput {
                field: "referral reward",
                reason: format!("{other:?}: none, coupon, points or stamps").into(),
            }),
        }
    }
}

/// The shop's referral reward.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReferralSettings {
    pub kind: ReferralRewardKind,
    pub offer_id: Option<i64>,
    pub points: i64,
    pub program_id: Option<i64>,
    pub stamps: i64,
}

/// The most stamps one referral may give.
pub const MAX_REFERRAL_STAMPS: i64 = 100;

impl ReferralSettings {
    pub const NONE: ReferralSettings =
        ReferralSettings { kind: ReferralRewardKind::None, offer_id: None, points: 0, program_id: None, stamps: 0 };

    /// Checks the fields of the kind and clears the others.
    pub fn checked(&self) -> Result<ReferralSettings> {
        Ok(match self.kind {
            ReferralRewardKind::None => ReferralSettings::NONE,
            ReferralRewardKind::Coupon => {
                let offer_id = self.offer_id.ok_or(Error::EmptyField { field: "referral coupon offer" })?;
                ReferralSettings { offer_id: Some(offer_id), ..ReferralSettings::NONE }.with_kind(self.kind)
            }
            ReferralRewardKind::Points => {
                if !(1..=MAX_POINTS_PER_SALE).contains(&self.points) {
                    return Err(Error::InvalidInput {
                        field: "referral points",
                        reason: Reason::Range { min: 1, max: MAX_POINTS_PER_SALE },
                    });
                }
                ReferralSettings { points: self.points, ..ReferralSettings::NONE }.with_kind(self.kind)
            }
            ReferralRewardKind::Stamps => {
                let program_id = self.program_id.ok_or(Error::EmptyField { field: "referral stamp program" })?;
                if !(1..=MAX_REFERRAL_STAMPS).contains(&self.stamps) {
                    return Err(Error::InvalidInput {
                        field: "referral stamps",
                        reason: Reason::Range { min: 1, max: MAX_REFERRAL_STAMPS },
                    });
                }
                ReferralSettings { program_id: Some(program_id), stamps: self.stamps, ..ReferralSettings::NONE }
                    .with_kind(self.kind)
            }
        })
    }

    fn with_kind(self, kind: ReferralRewardKind) -> ReferralSettings {
        ReferralSettings { kind, ..self }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_reward_needs_its_own_fields_and_keeps_only_them() {
        let coupon = ReferralSettings {
            kind: ReferralRewardKind::Coupon,
            offer_id: Some(3),
            points: 50,
            ..ReferralSettings::NONE
        };
        assert_eq!(
            coupon.checked().unwrap(),
            ReferralSettings { kind: ReferralRewardKind::Coupon, offer_id: Some(3), ..ReferralSettings::NONE }
        );
        let no_offer = ReferralSettings { kind: ReferralRewardKind::Coupon, ..ReferralSettings::NONE };
        assert_eq!(no_offer.checked().unwrap_err().code(), "EmptyField");
        let points = ReferralSettings { kind: ReferralRewardKind::Points, points: 0, ..ReferralSettings::NONE };
        assert_eq!(points.checked().unwrap_err().code(), "InvalidInput");
        let stamps = ReferralSettings {
            kind: ReferralRewardKind::Stamps,
            program_id: Some(1),
            stamps: 101,
            ..ReferralSettings::NONE
        };
        assert_eq!(stamps.checked().unwrap_err().code(), "InvalidInput");
        assert_eq!(ReferralRewardKind::parse("ＰＯＩＮＴＳ").unwrap(), ReferralRewardKind::Points);
    }
}
