//! Points (積分): earned on what a customer pays for sales, redeemed at
//! checkout for money off, lapsing oldest first after the shop's expiry.
//! Pure rules; the store loads the facts and writes the ledger.

use crate::error::{Error, Reason, Result};
use serde::{Deserialize, Serialize};

/// The shop's points rules. `earn_per_minor` 0: points are off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PointsSettings {
    /// One point for each whole this-many minor units paid (100: a point per NT$100).
    pub earn_per_minor: i64,
    /// What one point takes off at checkout, in minor units.
    pub point_value_minor: i64,
    /// Points lapse this many days after they were earned (oldest first); none: never.
    #[serde(default)]
    #[ts(optional)]
    pub expiry_days: Option<i64>,
}

/// The most points one sale may redeem or earn.
pub const MAX_POINTS_PER_SALE: i64 = 10_000_000;

impl PointsSettings {
    pub fn validate(&self) -> Result<()> {
        if !(0..=crate::money::MAX_AMOUNT_MINOR).contains(&self.earn_per_minor) {
            return Err(Error::InvalidInput {
                field: "points earn rate",
                reason: Reason::Range { min: 0, max: crate::money::MAX_AMOUNT_MINOR },
            });
        }
        if !(1..=1_000_000).contains(&self.point_value_minor) {
            return Err(Error::InvalidInput { field: "point value", reason: Reason::Range { min: 1, max: 1_000_000 } });
        }
        if let Some(d) = self.expiry_days {
            if !(1..=3660).contains(&d) {
                return Err(Error::InvalidInput {
                    field: "points expiry",
                    reason: Reason::Range { min: 1, max: 3660 },
                });
            }
        }
        Ok(())
    }

    /// Points earned on a sale the customer paid `paid_minor` for (after
    /// every discount, points redeemed included): whole points, rounded down.
    pub fn earned_on(&self, paid_minor: i64) -> i64 {
        if self.earn_per_minor <= 0 || paid_minor <= 0 {
            return 0;
        }
        (paid_minor / self.earn_per_minor).min(MAX_POINTS_PER_SALE)
    }

    /// The money `points` take off.
    pub fn value_of(&self, points: i64) -> i64 {
        points.saturating_mul(self.point_value_minor)
    }
}

/// Points of a balance `held` that have lapsed, when only `fresh` of them
/// were earned within the expiry window: the oldest are used first, so the
/// balance may keep at most what was earned recently.
pub fn expired_points(held: i64, fresh: i64) -> i64 {
    (held - fresh.max(0)).max(0)
}

/// Checks a redemption of `points` from a balance of `available` on a sale
/// with `left_minor` still to pay: enough points, and no more value than
/// is left to pay.
pub fn check_redemption(settings: &PointsSettings, points: i64, available: i64, left_minor: i64) -> Result<i64> {
    if !(0..=MAX_POINTS_PER_SALE).contains(&points) {
        return Err(Error::InvalidInput {
            field: "points",
            reason: Reason::Range { min: 0, max: MAX_POINTS_PER_SALE },
        });
    }
    if points > available {
        return Err(Error::InsufficientPoints { balance: available, needed: points });
    }
    let value = settings.value_of(points);
    if value > left_minor {
        let max = left_minor / settings.point_value_minor;
        return Err(Error::InvalidInput { field: "points", reason: Reason::Range { min: 0, max } });
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: PointsSettings = PointsSettings { earn_per_minor: 100, point_value_minor: 1, expiry_days: Some(365) };

    #[test]
    fn points_are_earned_per_whole_amount_paid_rounded_down() {
        assert_eq!(RULES.earned_on(99), 0);
        assert_eq!(RULES.earned_on(250), 2);
        assert_eq!(PointsSettings { earn_per_minor: 0, ..RULES }.earned_on(10_000), 0, "off");
    }

    #[test]
    fn a_redemption_needs_the_points_and_no_more_value_than_is_left() {
        assert_eq!(check_redemption(&RULES, 30, 50, 100).unwrap(), 30);
        assert_eq!(check_redemption(&RULES, 60, 50, 100).unwrap_err().code(), "InsufficientPoints");
        assert_eq!(check_redemption(&RULES, 50, 50, 40).unwrap_err().code(), "InvalidInput");
        assert_eq!(check_redemption(&RULES, -1, 50, 40).unwrap_err().code(), "InvalidInput");
    }

    #[test]
    fn the_oldest_points_lapse_first() {
        assert_eq!(expired_points(100, 30), 70);
        assert_eq!(expired_points(20, 30), 0, "spent points were the oldest");
        assert!(PointsSettings { point_value_minor: 0, ..RULES }.validate().is_err());
        assert!(RULES.validate().is_ok());
    }
}
