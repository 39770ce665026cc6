//! NES segments by repurchase recency: N (new), E0 (active), S1/S2/S3
//! (sleeping, increasingly long since the last visit), measured against
//! the member's own typical interval once they have enough history, and
//! against the shop's defaults before.

use super::visits::VisitFacts;
use crate::error::{Error, Reason, Result};
use serde::{Deserialize, Serialize};

/// The owner's thresholds and choices, stored in `owner_settings`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OwnerSettings {
    /// A member whose first visit was fewer than this many days ago is new (N).
    pub new_days: i64,
    /// Days since the last visit past which a member without enough history
    /// is S1, S2, S3.
    pub s1_days: i64,
    pub s2_days: i64,
    pub s3_days: i64,
    /// With enough history: percentages of the member's typical interval
    /// past which they are S1, S2, S3 (200 = twice their usual gap).
    pub s1_pct: i64,
    pub s2_pct: i64,
    pub s3_pct: i64,
    /// A typical interval shorter than this counts as this long (a daily
    /// regular is not asleep after two days away).
    pub min_gap_days: i64,
    /// Visit days needed before a member's own interval is used.
    pub min_history_visits: i64,
    pub tier_basis: TierBasis,
    /// Months in the rolling window (this month and the ones before).
    pub tier_window_months: i64,
    pub birthday_template: String,
}

impl Default for OwnerSettings {
    fn default() -> Self {
        OwnerSettings {
            new_days: 30,
            s1_days: 30,
            s2_days: 60,
            s3_days: 120,
            s1_pct: 200,
            s2_pct: 300,
            s3_pct: 500,
            min_gap_days: 7,
            min_history_visits: 3,
            tier_basis: TierBasis::Rolling,
            tier_window_months: 12,
            birthday_template: "{name} 生日快樂！生日當月來店，送您一杯招牌飲品。".into(),
        }
    }
}

/// What a tier's minimum spend is measured over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum TierBasis {
    /// Spend in the rolling window of `tier_window_months` calendar months.
    Rolling,
    /// Spend since the member joined.
    Total,
}

impl TierBasis {
    pub fn as_db(self) -> &'static str {
        match self {
            TierBasis::Rolling => "rolling",
            TierBasis::Total => "total",
        }
    }

    pub fn from_db(s: &str) -> TierBasis {
        if s == "total" {
            TierBasis::Total
        } else {
            TierBasis::Rolling
        }
    }
}

/// A change to the owner's settings; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OwnerSettingsPatch {
    pub new_days: Option<i64>,
    pub s1_days: Option<i64>,
    pub s2_days: Option<i64>,
    pub s3_days: Option<i64>,
    pub s1_pct: Option<i64>,
    pub s2_pct: Option<i64>,
    pub s3_pct: Option<i64>,
    pub min_gap_days: Option<i64>,
    pub min_history_visits: Option<i64>,
    pub tier_basis: Option<TierBasis>,
    pub tier_window_months: Option<i64>,
    pub birthday_template: Option<String>,
}

impl OwnerSettingsPatch {
    pub fn apply(&self, cur: &OwnerSettings) -> Result<OwnerSettings> {
        let next = OwnerSettings {
            new_days: self.new_days.unwrap_or(cur.new_days),
            s1_days: self.s1_days.unwrap_or(cur.s1_days),
            s2_days: self.s2_days.unwrap_or(cur.s2_days),
            s3_days: self.s3_days.unwrap_or(cur.s3_days),
            s1_pct: self.s1_pct.unwrap_or(cur.s1_pct),
            s2_pct: self.s2_pct.unwrap_or(cur.s2_pct),
            s3_pct: self.s3_pct.unwrap_or(cur.s3_pct),
            min_gap_days: self.min_gap_days.unwrap_or(cur.min_gap_days),
            min_history_visits: self.min_history_visits.unwrap_or(cur.min_history_visits),
            tier_basis: self.tier_basis.unwrap_or(cur.tier_basis),
            tier_window_months: self.tier_window_months.unwrap_or(cur.tier_window_months),
            birthday_template: self.birthday_template.clone().unwrap_or_else(|| cur.birthday_template.clone()),
        };
        next.validate()?;
        Ok(next)
    }
}

impl OwnerSettings {
    pub fn validate(&self) -> Result<()> {
        let bad = |field: &'static str, reason: Reason| Err(Error::InvalidInput { field, reason });
        let range = |field: &'static str, value: i64, min: i64, max: i64| {
            if (min..=max).contains(&value) {
                Ok(())
            } else {
                bad(field, Reason::Range { min, max })
            }
        };
        range("new days", self.new_days, 1, 3650)?;
        if !(1 <= self.s1_days && self.s1_days < self.s2_days && self.s2_days < self.s3_days && self.s3_days <= 3650) {
            return bad("sleeping days", Reason::Rising { min: 1, max: 3650 });
        }
        if !(100 <= self.s1_pct && self.s1_pct < self.s2_pct && self.s2_pct < self.s3_pct && self.s3_pct <= 10_000) {
            return bad("sleeping percentages", Reason::Rising { min: 100, max: 10_000 });
        }
        range("minimum gap", self.min_gap_days, 1, 365)?;
        range("history visits", self.min_history_visits, 2, 100)?;
        range("tier window", self.tier_window_months, 1, super::visits::RECENT_MONTHS as i64)?;
        crate::error::check_len("birthday template", &self.birthday_template, 500)?;
        super::export::check_template(&self.birthday_template)?;
        Ok(())
    }
}

/// NES segment of a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub enum Nes {
    /// First visit within the last `new_days` days.
    #[serde(rename = "N")]
    New,
    /// Coming back as usual.
    #[serde(rename = "E0")]
    Active,
    #[serde(rename = "S1")]
    Sleeping1,
    #[serde(rename = "S2")]
    Sleeping2,
    #[serde(rename = "S3")]
    Sleeping3,
    /// Registered, never bought anything (not counted in NES proper).
    #[serde(rename = "none")]
    NoVisit,
}

impl Nes {
    pub const ALL: [Nes; 6] = [Nes::New, Nes::Active, Nes::Sleeping1, Nes::Sleeping2, Nes::Sleeping3, Nes::NoVisit];

    pub fn code(self) -> &'static str {
        match self {
            Nes::New => "N",
            Nes::Active => "E0",
            Nes::Sleeping1 => "S1",
            Nes::Sleeping2 => "S2",
            Nes::Sleeping3 => "S3",
            Nes::NoVisit => "none",
        }
    }

    pub fn parse(s: &str) -> Result<Nes> {
        Nes::ALL.into_iter().find(|n| n.code().eq_ignore_ascii_case(s.trim())).ok_or_else(|| Error::InvalidInput {
            field: "segment",
            reason: format!("{s:?}: use N, E0, S1, S2, S3 or none").into(),
        })
    }

    /// Past the sleeping threshold: on the win-back list.
    pub fn is_lapsed(self) -> bool {
        matches!(self, Nes::Sleeping1 | Nes::Sleeping2 | Nes::Sleeping3)
    }
}

/// A member's NES standing on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NesStanding {
    pub segment: Nes,
    /// Whole shop-local days since the last visit.
    pub days_since: Option<i64>,
    /// The member's own typical interval, when they have enough history.
    pub typical_gap: Option<i64>,
    /// Days since the last visit past which the member is S1, S2, S3.
    pub thresholds: [i64; 3],
}

/// The member's NES segment on `today` (a day number).
pub fn nes_standing(v: &VisitFacts, today: i64, cfg: &OwnerSettings) -> NesStanding {
    let typical_gap = v.typical_gap(cfg.min_history_visits);
    let thresholds = match typical_gap {
        Some(gap) => {
            let g = gap.max(cfg.min_gap_days);
            // Rounded up: a weekly regular (7 days, 150 %) is S1 after 11 days away, not 10.
            [cfg.s1_pct, cfg.s2_pct, cfg.s3_pct].map(|p| (g * p + 99) / 100)
        }
        None => [cfg.s1_days, cfg.s2_days, cfg.s3_days],
    };
    let (Some(first), Some(last)) = (v.first_day, v.last_day) else {
        return NesStanding { segment: Nes::NoVisit, days_since: None, typical_gap, thresholds };
    };
    let days_since = (today - last).max(0);
    let segment = if days_since > thresholds[2] {
        Nes::Sleeping3
    } else if days_since > thresholds[1] {
        Nes::Sleeping2
    } else if days_since > thresholds[0] {
        Nes::Sleeping1
    } else if today - first < cfg.new_days {
        Nes::New
    } else {
        Nes::Active
    };
    NesStanding { segment, days_since: Some(days_since), typical_gap, thresholds }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::visits::VisitSummary;

    fn standing(days: &[i64], today: i64) -> NesStanding {
        nes_standing(&VisitSummary::from_days(days.iter().copied()).facts(), today, &OwnerSettings::default())
    }

    #[test]
    fn members_without_history_use_the_shop_defaults() {
        // One visit 100 days after day 0: new for 30 days, then active, then S1 after 30 days away.
        assert_eq!(standing(&[100], 110).segment, Nes::New);
        assert_eq!(standing(&[100], 130).segment, Nes::Active);
        assert_eq!(standing(&[100], 131).segment, Nes::Sleeping1);
        assert_eq!(standing(&[100], 161).segment, Nes::Sleeping2);
        assert_eq!(standing(&[100], 221).segment, Nes::Sleeping3);
        assert_eq!(standing(&[], 221).segment, Nes::NoVisit);
    }

    #[test]
    fn regulars_are_measured_against_their_own_interval() {
        // Every 10 days: S1 past 20 days away, S2 past 30, S3 past 50.
        let days = [0, 10, 20, 30, 40, 50];
        let s = standing(&days, 70);
        assert_eq!((s.segment, s.typical_gap, s.thresholds), (Nes::Active, Some(10), [20, 30, 50]));
        assert_eq!(standing(&days, 71).segment, Nes::Sleeping1);
        assert_eq!(standing(&days, 81).segment, Nes::Sleeping2);
        assert_eq!(standing(&days, 101).segment, Nes::Sleeping3);
    }

    /// The segment on each of `days_away` after the last of `visits`, as
    /// (days away, segment) pairs, under `cfg`.
    fn segments_on(visits: &[i64], days_away: &[i64], cfg: &OwnerSettings) -> Vec<(i64, Nes)> {
        let v = VisitSummary::from_days(visits.iter().copied()).facts();
        let last = *visits.last().unwrap();
        days_away.iter().map(|d| (*d, nes_standing(&v, last + d, cfg).segment)).collect()
    }

    #[test]
    fn a_weekly_regulars_thresholds_at_non_whole_percentages_round_up_to_whole_days() {
        // Every 7 days; 150 / 250 / 350 % of 7 are 10.5 / 17.5 / 24.5 days,
        // rounded up to 11 / 18 / 25: a member is S1 once more than 11 whole
        // days away, never earlier than 150 % of their cycle.
        let cfg = OwnerSettings { s1_pct: 150, s2_pct: 250, s3_pct: 350, ..OwnerSettings::default() };
        let visits = [0, 7, 14, 21, 28];
        let v = VisitSummary::from_days(visits).facts();
        let s = nes_standing(&v, 28 + 10, &cfg);
        assert_eq!((s.typical_gap, s.thresholds), (Some(7), [11, 18, 25]));
        let seen = segments_on(&visits, &[10, 11, 12, 17, 18, 19, 24, 25, 26], &cfg);
        let expected = [
            (10, Nes::Active),
            (11, Nes::Active),
            (12, Nes::Sleeping1),
            (17, Nes::Sleeping1),
            (18, Nes::Sleeping1),
            (19, Nes::Sleeping2),
            (24, Nes::Sleeping2),
            (25, Nes::Sleeping2),
            (26, Nes::Sleeping3),
        ];
        assert_eq!(seen, expected);
    }

    #[test]
    fn on_a_threshold_a_member_stays_in_the_better_segment_and_a_day_past_it_moves() {
        // Without enough history: the shop's 30 / 60 / 120 days.
        let cfg = OwnerSettings::default();
        let seen = segments_on(&[100], &[29, 30, 31, 59, 60, 61, 119, 120, 121], &cfg);
        let expected = [
            (29, Nes::New),
            (30, Nes::Active),
            (31, Nes::Sleeping1),
            (59, Nes::Sleeping1),
            (60, Nes::Sleeping1),
            (61, Nes::Sleeping2),
            (119, Nes::Sleeping2),
            (120, Nes::Sleeping2),
            (121, Nes::Sleeping3),
        ];
        assert_eq!(seen, expected);
        // With their own cycle of 10 days: 200 / 300 / 500 % are whole days.
        let seen = segments_on(&[0, 10, 20, 30, 40], &[20, 21, 30, 31, 50, 51], &cfg);
        let expected = [
            (20, Nes::Active),
            (21, Nes::Sleeping1),
            (30, Nes::Sleeping1),
            (31, Nes::Sleeping2),
            (50, Nes::Sleeping2),
            (51, Nes::Sleeping3),
        ];
        assert_eq!(seen, expected);
    }

    #[test]
    fn a_daily_regular_is_not_asleep_after_a_weekend() {
        let days: Vec<i64> = (0..40).collect();
        let s = standing(&days, 42);
        assert_eq!(s.thresholds, [14, 21, 35]);
        assert_eq!(s.segment, Nes::Active);
    }

    #[test]
    fn settings_are_checked() {
        let bad = OwnerSettingsPatch { s2_days: Some(10), ..Default::default() };
        let err = bad.apply(&OwnerSettings::default()).unwrap_err();
        assert_eq!(err.code(), "InvalidInput");
        // What the UI translates: which field, which rule, and its bounds.
        let details = err.details();
        for pair in [("field", "sleeping days"), ("rule", "rising"), ("min", "1"), ("max", "3650")] {
            assert!(details.contains(&(pair.0, pair.1.to_string())), "{pair:?} in {details:?}");
        }
        let bad = OwnerSettingsPatch { min_history_visits: Some(1), ..Default::default() };
        let details = bad.apply(&OwnerSettings::default()).unwrap_err().details();
        for pair in [("field", "history visits"), ("rule", "range"), ("min", "2"), ("max", "100")] {
            assert!(details.contains(&(pair.0, pair.1.to_string())), "{pair:?} in {details:?}");
        }
        let bad = OwnerSettingsPatch { birthday_template: Some("{nmae}".into()), ..Default::default() };
        assert_eq!(bad.apply(&OwnerSettings::default()).unwrap_err().code(), "UnknownPlaceholder");
        assert_eq!(Nes::parse("s2").unwrap(), Nes::Sleeping2);
    }
}
