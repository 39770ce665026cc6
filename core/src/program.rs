//! Stamp programs ("10 drinks, the 10th free") and how a sale earns stamps.

use crate::error::{check_len, Error, Reason, Result};
use crate::money::positive_amount;
use serde::{Deserialize, Serialize};

/// At most this many stamps are earned in one sale on one card, so a typo in
/// an amount cannot fill a hundred cards.
pub const MAX_STAMPS_PER_SALE: i64 = 1000;

/// How a sale earns stamps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase", tag = "kind")]
#[ts(export)]
pub enum EarnRule {
    /// One stamp per visit (sale), whatever was bought.
    PerVisit,
    /// One stamp per qualifying item (e.g. each drink).
    PerItem,
    /// One stamp per full `amount_minor` spent (e.g. one per NT$100).
    PerAmount { amount_minor: i64 },
}

impl EarnRule {
    pub fn as_db(&self) -> (&'static str, Option<i64>) {
        match self {
            EarnRule::PerVisit => ("per_visit", None),
            EarnRule::PerItem => ("per_item", None),
            EarnRule::PerAmount { amount_minor } => ("per_amount", Some(*amount_minor)),
        }
    }

    pub fn from_db(kind: &str, amount: Option<i64>) -> Result<EarnRule> {
        match (kind, amount) {
            ("per_visit", _) => Ok(EarnRule::PerVisit),
            ("per_item", _) => Ok(EarnRule::PerItem),
            ("per_amount", Some(a)) if a > 0 => Ok(EarnRule::PerAmount { amount_minor: a }),
            _ => Err(Error::InvalidInput { field: "earn rule", reason: kind.to_string().into() }),
        }
    }

    /// Parses the CLI form: `visit`, `item` or `amount:100` (minor units).
    pub fn parse(text: &str) -> Result<EarnRule> {
        let bad = || Error::InvalidInput {
            field: "earn rule",
            reason: format!("{text:?}: use visit, item or amount:<minor units>").into(),
        };
        match text.trim() {
            "visit" => Ok(EarnRule::PerVisit),
            "item" => Ok(EarnRule::PerItem),
            other => {
                let amount = other.strip_prefix("amount:").ok_or_else(bad)?;
                let v: i64 = amount.trim().parse().map_err(|_| bad())?;
                Ok(EarnRule::PerAmount { amount_minor: positive_amount("earn amount", v)?.minor() })
            }
        }
    }

    /// Stamps earned by a sale of `total_minor` with `qualifying_items` items
    /// that earn stamps.
    pub fn stamps_for(&self, total_minor: i64, qualifying_items: i64) -> i64 {
        let n = match self {
            EarnRule::PerVisit => 1,
            EarnRule::PerItem => qualifying_items.max(0),
            EarnRule::PerAmount { amount_minor } => total_minor.max(0) / amount_minor,
        };
        n.min(MAX_STAMPS_PER_SALE)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StampProgram {
    pub id: i64,
    pub name: String,
    pub stamps_needed: i64,
    pub reward_text: String,
    pub earn_rule: EarnRule,
    /// Stamps expire this many days after they were earned (oldest used first).
    pub expiry_days: Option<i64>,
    pub active: bool,
}

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NewStampProgram {
    pub name: String,
    pub stamps_needed: i64,
    pub reward_text: String,
    pub earn_rule: EarnRule,
    pub expiry_days: Option<i64>,
}

impl NewStampProgram {
    pub fn validate(&self) -> Result<()> {
        validate_terms(&self.name, &self.reward_text, self.stamps_needed, self.expiry_days)?;
        if let EarnRule::PerAmount { amount_minor } = self.earn_rule {
            positive_amount("earn amount", amount_minor)?;
        }
        Ok(())
    }
}

/// A change to a program's terms. The name, the reward and the expiry can
/// change at any time (a shorter expiry lapses the older stamps the next
/// time a card is touched); the stamps needed only while no card of the
/// program holds or has held a stamp, so nobody's card changes its goal
/// half-way. The earn rule stays as the program was made.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProgramEdit {
    pub name: String,
    pub stamps_needed: i64,
    pub reward_text: String,
    pub expiry_days: Option<i64>,
}

impl ProgramEdit {
    pub fn validate(&self) -> Result<()> {
        validate_terms(&self.name, &self.reward_text, self.stamps_needed, self.expiry_days)
    }
}

fn validate_terms(name: &str, reward_text: &str, stamps_needed: i64, expiry_days: Option<i64>) -> Result<()> {
    if name.trim().is_empty() {
        return Err(Error::EmptyField { field: "program name" });
    }
    check_len("program name", name, 60)?;
    if reward_text.trim().is_empty() {
        return Err(Error::EmptyField { field: "reward" });
    }
    check_len("reward", reward_text, 120)?;
    if !(1..=1000).contains(&stamps_needed) {
        return Err(Error::InvalidInput { field: "stamps needed", reason: Reason::Range { min: 1, max: 1000 } });
    }
    if let Some(d) = expiry_days {
        if !(1..=3660).contains(&d) {
            return Err(Error::InvalidInput { field: "expiry days", reason: Reason::Range { min: 1, max: 3660 } });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rule_counts_stamps_its_own_way() {
        assert_eq!(EarnRule::PerVisit.stamps_for(150, 2), 1);
        assert_eq!(EarnRule::PerItem.stamps_for(150, 2), 2);
        assert_eq!(EarnRule::PerAmount { amount_minor: 100 }.stamps_for(250, 2), 2);
        assert_eq!(EarnRule::PerAmount { amount_minor: 100 }.stamps_for(99, 2), 0);
        assert_eq!(EarnRule::PerItem.stamps_for(0, 1_000_000), MAX_STAMPS_PER_SALE);
    }

    #[test]
    fn rules_parse_from_cli_text() {
        assert_eq!(EarnRule::parse("amount:100").unwrap(), EarnRule::PerAmount { amount_minor: 100 });
        assert!(EarnRule::parse("amount:-1").is_err());
        assert!(EarnRule::parse("sometimes").is_err());
    }
}
