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
}

/// A tier as the owner enters it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TierInput {
    pub name: String,
    pub min_spend_minor: i64,
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
        if tiers.iter().any(|x| x.name == name) {
            return Err(Error::InvalidInput { field: "tiers", reason: Reason::Taken { value: name.to_string() } });
        }
        if tiers.iter().any(|x| x.min_spend_minor == t.min_spend_minor) {
            return Err(Error::InvalidInput {
                field: "tiers",
                reason: Reason::RepeatedAmount { minor: t.min_spend_minor },
            });
        }
        tiers.push(Tier { name, rank: 0, min_spend_minor: t.min_spend_minor });
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

#[cfg(test)]
mod tests {
    use super::*;

    fn tiers() -> Vec<Tier> {
        let input = |name: &str, min: i64| TierInput { name: name.into(), min_spend_minor: min };
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
        let input = |name: &str, min: i64| TierInput { name: name.into(), min_spend_minor: min };
        assert!(rank_tiers(&[input("a", 0), input("a", 5)]).is_err());
        assert!(rank_tiers(&[input("a", 5), input("b", 5)]).is_err());
        assert!(rank_tiers(&[input(" ", 5)]).is_err());
        assert!(rank_tiers(&[input("a", -1)]).is_err());
    }
}
