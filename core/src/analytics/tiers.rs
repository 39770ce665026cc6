//! Tiers the owner defines by minimum spend.

use crate::error::{check_len, Error, Reason, Result};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Tier {
    pub name: String,
    /// 1 for the lowest tier.
    pub rank: i64,
    pub min_spend_minor: i64,
    /// Points its members earn, in percent of the usual (100: ×1, 200: ×2).
    pub points_multiplier_pct: i64,
}

/// A tier as the owner enters it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TierInput {
    pub name: String,
    pub min_spend_minor: i64,
    /// 100 (×1) to 1000 (×10).
    #[serde(default = "plain_rate")]
    pub points_multiplier_pct: i64,
}

fn plain_rate() -> i64 {
    100
}

pub const MAX_TIERS: usize = 10;

/// Validates the owner's tiers and ranks them by minimum spend.
pub fn rank_tiers(input: &[TierInput]) -> Result<Vec<Tier>> {
    if input.len() > MAX_TIERS {
        return Err(Error::InvalidInput { field: "tiers", reason: Reason::TooMany { max: MAX_TIERS as i64 } });
    }
    let mut tiers: Vec<Tier> = Vec::new();
    for t in input {
        let name = t.name.trim().to_string();
        if name.is_empty() {
            return Err(Error::EmptyField { field: "tier name" });
        }
        check_len("tier name", &name, 30)?;
        crate::money::non_negative_amount("tier minimum spend", t.min_spend_minor)?;
        crate::points::check_multiplier("tier points multiplier", t.points_multiplier_pct)?;
        if tiers.iter().any(|x| x.name == name) {
            return Err(Error::InvalidInput { field: "tiers", reason: Reason::Taken { value: name.to_string() } });
        }
        if tiers.iter().any(|x| x.min_spend_minor == t.min_spend_minor) {
            return Err(Error::InvalidInput {
                field: "tiers",
                reason: Reason::RepeatedAmount { minor: t.min_spend_minor },
            });
        }
        tiers.push(Tier {
            name,
            rank: 0,
            min_spend_minor: t.min_spend_minor,
            points_multiplier_pct: t.points_multiplier_pct,
        });
    }
    tiers.sort_by_key(|t| t.min_spend_minor);
    for (i, t) in tiers.iter_mut().enumerate() {
        t.rank = i as i64 + 1;
    }
    Ok(tiers)
}

/// The highest tier whose minimum `spend` reaches (tiers ranked ascending).
pub fn tier_for(tiers: &[Tier], spend: i64) -> Option<&Tier> {
    tiers.iter().rev().find(|t| spend >= t.min_spend_minor)
}

/// The rank of a tier by name; 0 for none or a name no longer defined.
pub fn rank_of(tiers: &[Tier], name: Option<&str>) -> i64 {
    name.and_then(|n| tiers.iter().find(|t| t.name == n)).map_or(0, |t| t.rank)
}

/// The tier checkout moves a member to, if any: checkout only upgrades, to
/// the highest tier `spend` reaches; a member already there or higher, or
/// a shop without tiers, stays put.
pub fn checkout_upgrade<'a>(tiers: &'a [Tier], current: Option<&str>, spend: i64) -> Option<&'a Tier> {
    tier_for(tiers, spend).filter(|target| target.rank > rank_of(tiers, current))
}

/// What a void does to the tier its sale's upgrade gave (`from` → `to`):
/// `None` leaves the member as they are (they have since moved off `to`, or
/// still reach it); `Some(next)` takes the upgrade back, to the tier the
/// remaining `spend` reaches but never below `from`. Other downgrades wait
/// for the review.
pub fn void_downgrade(
    tiers: &[Tier],
    from: Option<&str>,
    to: Option<&str>,
    current: Option<&str>,
    spend: i64,
) -> Option<Option<String>> {
    if current != to {
        return None;
    }
    let qualifying = tier_for(tiers, spend).map(|t| t.name.as_str());
    let next = if rank_of(tiers, qualifying) >= rank_of(tiers, from) { qualifying } else { from };
    (rank_of(tiers, next) < rank_of(tiers, current)).then(|| next.map(String::from))
}

/// The tier a review gives: the highest `spend` reaches, and none for a
/// member who never bought (or whose every sale was voided), even at a 0
/// threshold.
pub fn review_tier(tiers: &[Tier], visits: i64, spend: i64) -> Option<&Tier> {
    if visits == 0 {
        None
    } else {
        tier_for(tiers, spend)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkout_only_upgrades() {
        let t = tiers();
        assert_eq!(checkout_upgrade(&t, None, 0).map(|t| t.name.as_str()), Some("會員"));
        assert_eq!(checkout_upgrade(&t, Some("會員"), 3_000).map(|t| t.name.as_str()), Some("銀卡"));
        // A gold member whose window spend fell is not moved down at the till.
        assert_eq!(checkout_upgrade(&t, Some("金卡"), 3_000), None);
        assert_eq!(checkout_upgrade(&t, Some("銀卡"), 3_000), None);
        assert_eq!(checkout_upgrade(&[], None, 50_000), None);
    }

    #[test]
    fn a_void_takes_back_only_the_upgrade_its_sale_gave() {
        let t = tiers();
        // 會員 → 金卡 by the voided sale; what is left reaches 銀卡.
        assert_eq!(void_downgrade(&t, Some("會員"), Some("金卡"), Some("金卡"), 4_000), Some(Some("銀卡".into())));
        // Never below where the member was before that sale.
        assert_eq!(void_downgrade(&t, Some("銀卡"), Some("金卡"), Some("金卡"), 100), Some(Some("銀卡".into())));
        // Still reaching 金卡 without it: stays.
        assert_eq!(void_downgrade(&t, Some("會員"), Some("金卡"), Some("金卡"), 10_000), None);
        // Moved since (a review, a later upgrade): the void leaves it.
        assert_eq!(void_downgrade(&t, Some("會員"), Some("銀卡"), Some("金卡"), 0), None);
        // A first sale's upgrade from no tier goes back to what the rest reaches.
        assert_eq!(void_downgrade(&t, None, Some("銀卡"), Some("銀卡"), 100), Some(Some("會員".into())));
        // Without a 0-threshold tier, to no tier at all.
        let high =
            rank_tiers(&[TierInput { name: "金卡".into(), min_spend_minor: 10_000, points_multiplier_pct: 100 }])
                .unwrap();
        assert_eq!(void_downgrade(&high, None, Some("金卡"), Some("金卡"), 100), Some(None));
    }

    #[test]
    fn a_member_who_never_bought_has_no_tier() {
        let t = tiers();
        assert_eq!(review_tier(&t, 0, 0), None);
        assert_eq!(review_tier(&t, 1, 0).map(|t| t.name.as_str()), Some("會員"));
        assert_eq!(review_tier(&t, 12, 10_000).map(|t| t.name.as_str()), Some("金卡"));
    }

    fn tiers() -> Vec<Tier> {
        let input =
            |name: &str, min: i64| TierInput { name: name.into(), min_spend_minor: min, points_multiplier_pct: 100 };
        rank_tiers(&[input("金卡", 10_000), input("會員", 0), input("銀卡", 3_000)]).unwrap()
    }

    #[test]
    fn the_highest_tier_reached_applies() {
        let t = tiers();
        assert_eq!(t.iter().map(|t| t.rank).collect::<Vec<_>>(), vec![1, 2, 3]);
        assert_eq!(tier_for(&t, 0).unwrap().name, "會員");
        assert_eq!(tier_for(&t, 2_999).unwrap().name, "會員");
        assert_eq!(tier_for(&t, 3_000).unwrap().name, "銀卡");
        assert_eq!(tier_for(&t, 50_000).unwrap().name, "金卡");
        assert_eq!(rank_of(&t, Some("銀卡")), 2);
        assert_eq!(rank_of(&t, Some("gone")), 0);
    }

    #[test]
    fn duplicate_tiers_are_refused() {
        let input =
            |name: &str, min: i64| TierInput { name: name.into(), min_spend_minor: min, points_multiplier_pct: 100 };
        assert!(rank_tiers(&[input("a", 0), input("a", 5)]).is_err());
        assert!(rank_tiers(&[input("a", 5), input("b", 5)]).is_err());
        assert!(rank_tiers(&[input(" ", 5)]).is_err());
        assert!(rank_tiers(&[input("a", -1)]).is_err());
    }
}
