//! Stored value: top-up bonuses and which part of a balance a spend draws.
//!
//! A balance has two parts kept apart: the **paid** part (money the customer
//! handed over, which the shop owes them) and the **bonus** part (value the
//! shop gave away with a top-up). The documented rule:
//! - a spend draws the paid part first, then the bonus part;
//! - a refund (cash back) pays out only the paid part; when it empties the
//!   paid part, the remaining bonus is forfeited on the same receipt.

use serde::{Deserialize, Serialize};

/// A top-up bonus: paying at least `min_paid_minor` earns `bonus_minor`
/// plus `bonus_bp` basis points (1/100 of a percent) of what was paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BonusRule {
    pub id: i64,
    pub min_paid_minor: i64,
    pub bonus_minor: i64,
    pub bonus_bp: i64,
}

/// The bonus for a top-up of `paid`: the rule with the highest threshold the
/// payment reaches applies (rules do not stack). Rounds down.
pub fn bonus_for(rules: &[BonusRule], paid: i64) -> i64 {
    rules
        .iter()
        .filter(|r| paid >= r.min_paid_minor)
        .max_by_key(|r| r.min_paid_minor)
        .map(|r| r.bonus_minor + (i128::from(paid) * i128::from(r.bonus_bp) / 10_000) as i64)
        .unwrap_or(0)
}

/// Splits a spend of `amount` into (from paid, from bonus), paid first.
/// Returns `None` when the balance does not cover it.
pub fn split_spend(paid: i64, bonus: i64, amount: i64) -> Option<(i64, i64)> {
    if amount > paid.checked_add(bonus)? {
        return None;
    }
    let from_paid = amount.min(paid);
    Some((from_paid, amount - from_paid))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(min: i64, bonus: i64, bp: i64) -> BonusRule {
        BonusRule { id: 0, min_paid_minor: min, bonus_minor: bonus, bonus_bp: bp }
    }

    #[test]
    fn the_highest_reached_threshold_applies() {
        let rules = [rule(500, 30, 0), rule(1000, 100, 0), rule(2000, 300, 0)];
        assert_eq!(bonus_for(&rules, 499), 0);
        assert_eq!(bonus_for(&rules, 500), 30);
        assert_eq!(bonus_for(&rules, 1000), 100);
        assert_eq!(bonus_for(&rules, 1999), 100);
        assert_eq!(bonus_for(&rules, 5000), 300);
    }

    #[test]
    fn percentage_bonuses_round_down() {
        assert_eq!(bonus_for(&[rule(100, 0, 1000)], 1234), 123);
    }

    #[test]
    fn spends_draw_paid_first() {
        assert_eq!(split_spend(100, 50, 120), Some((100, 20)));
        assert_eq!(split_spend(100, 50, 80), Some((80, 0)));
        assert_eq!(split_spend(100, 50, 151), None);
    }
}
