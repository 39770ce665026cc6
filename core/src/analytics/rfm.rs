//! RFM: recency, frequency and monetary scores 1–5 by quintile among the
//! members who have visited, and the usual named segments.

use serde::{Deserialize, Serialize};

/// One member's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RfmInput {
    pub days_since: i64,
    pub visits: i64,
    pub spend_minor: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RfmScore {
    pub r: u8,
    pub f: u8,
    pub m: u8,
    pub segment: RfmSegment,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum RfmSegment {
    Champions,
    Loyal,
    PotentialLoyalist,
    New,
    Promising,
    NeedAttention,
    AboutToSleep,
    AtRisk,
    CannotLose,
    Hibernating,
    Lost,
}

impl RfmSegment {
    pub const ALL: [RfmSegment; 11] = [
        RfmSegment::Champions,
        RfmSegment::Loyal,
        RfmSegment::PotentialLoyalist,
        RfmSegment::New,
        RfmSegment::Promising,
        RfmSegment::NeedAttention,
        RfmSegment::AboutToSleep,
        RfmSegment::AtRisk,
        RfmSegment::CannotLose,
        RfmSegment::Hibernating,
        RfmSegment::Lost,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RfmSegment::Champions => "champions",
            RfmSegment::Loyal => "loyal",
            RfmSegment::PotentialLoyalist => "potentialLoyalist",
            RfmSegment::New => "new",
            RfmSegment::Promising => "promising",
            RfmSegment::NeedAttention => "needAttention",
            RfmSegment::AboutToSleep => "aboutToSleep",
            RfmSegment::AtRisk => "atRisk",
            RfmSegment::CannotLose => "cannotLose",
            RfmSegment::Hibernating => "hibernating",
            RfmSegment::Lost => "lost",
        }
    }

    pub fn parse(s: &str) -> crate::Result<RfmSegment> {
        let key: String = s.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
        RfmSegment::ALL.into_iter().find(|x| x.code().to_ascii_lowercase() == key).ok_or_else(|| {
            crate::Error::InvalidInput { field: "RFM segment", reason: format!("{s:?} is not a segment").into() }
        })
    }

    /// The segment of recency `r` and the rounded-up mean `fm` of frequency
    /// and monetary scores (the common R × FM grid; every cell is named).
    pub fn of(r: u8, fm: u8) -> RfmSegment {
        match (r, fm) {
            (5, 4..=5) => RfmSegment::Champions,
            (3..=4, 4..=5) => RfmSegment::Loyal,
            (4..=5, 2..=3) => RfmSegment::PotentialLoyalist,
            (5, _) => RfmSegment::New,
            (4, _) => RfmSegment::Promising,
            (3, 3) => RfmSegment::NeedAttention,
            (3, _) => RfmSegment::AboutToSleep,
            (1..=2, 5) => RfmSegment::CannotLose,
            (1..=2, 3) | (1..=2, 4) => RfmSegment::AtRisk,
            (1, 1) => RfmSegment::Lost,
            _ => RfmSegment::Hibernating,
        }
    }
}

/// Quintile scores 1–5 of `values` (higher value, higher score). Ties get
/// the same score, from their mid-rank, so identical members score alike.
pub fn quintiles(values: &[i64]) -> Vec<u8> {
    let n = values.len() as i64;
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    values
        .iter()
        .map(|v| {
            let less = sorted.partition_point(|x| x < v) as i64;
            let equal = sorted.partition_point(|x| x <= v) as i64 - less;
            let score = (2 * less + equal) * 5 / (2 * n);
            (score.clamp(0, 4) + 1) as u8
        })
        .collect()
}

/// Scores every member (all of whom have visited).
pub fn rfm_scores(inputs: &[RfmInput]) -> Vec<RfmScore> {
    let r = quintiles(&inputs.iter().map(|i| -i.days_since).collect::<Vec<_>>());
    let f = quintiles(&inputs.iter().map(|i| i.visits).collect::<Vec<_>>());
    let m = quintiles(&inputs.iter().map(|i| i.spend_minor).collect::<Vec<_>>());
    (0..inputs.len())
        .map(|i| {
            let fm = (f[i] + m[i]).div_ceil(2);
            RfmScore { r: r[i], f: f[i], m: m[i], segment: RfmSegment::of(r[i], fm) }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_values_fall_into_even_quintiles() {
        let values: Vec<i64> = (0..10).collect();
        assert_eq!(quintiles(&values), vec![1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    }

    #[test]
    fn ties_share_a_score_and_a_lone_member_is_in_the_middle() {
        assert_eq!(quintiles(&[7, 7, 7]), vec![3, 3, 3]);
        assert_eq!(quintiles(&[42]), vec![3]);
        assert_eq!(quintiles(&[1, 1, 1, 1, 9]), vec![3, 3, 3, 3, 5]);
    }

    #[test]
    fn every_cell_of_the_grid_has_a_segment() {
        assert_eq!(RfmSegment::of(5, 5), RfmSegment::Champions);
        assert_eq!(RfmSegment::of(5, 1), RfmSegment::New);
        assert_eq!(RfmSegment::of(4, 1), RfmSegment::Promising);
        assert_eq!(RfmSegment::of(3, 3), RfmSegment::NeedAttention);
        assert_eq!(RfmSegment::of(3, 2), RfmSegment::AboutToSleep);
        assert_eq!(RfmSegment::of(2, 4), RfmSegment::AtRisk);
        assert_eq!(RfmSegment::of(1, 5), RfmSegment::CannotLose);
        assert_eq!(RfmSegment::of(2, 2), RfmSegment::Hibernating);
        assert_eq!(RfmSegment::of(1, 1), RfmSegment::Lost);
        let mut seen = std::collections::BTreeSet::new();
        for r in 1..=5 {
            for fm in 1..=5 {
                seen.insert(RfmSegment::of(r, fm));
            }
        }
        assert_eq!(seen.len(), 11, "all eleven segments occur");
        assert_eq!(RfmSegment::parse("can't lose").unwrap_err().code(), "InvalidInput");
        assert_eq!(RfmSegment::parse("cannot-lose").unwrap(), RfmSegment::CannotLose);
    }
}
