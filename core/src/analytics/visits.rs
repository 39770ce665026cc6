//! A member's visit history in compact form: distinct visit days, the
//! gaps between them (the most recent few, for a typical interval), and
//! spend per month (the most recent few, for rolling windows). Kept up to
//! date one sale at a time; rebuilt from the receipts when a sale is
//! voided or arrives out of order.

/// How many of the most recent gaps are kept (the typical interval is
/// their median, so it follows a member's recent habit).
pub const RECENT_GAPS: usize = 12;
/// How many of the most recent months with sales are kept; rolling
/// windows may be at most this long.
pub const RECENT_MONTHS: usize = 24;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VisitSummary {
    /// Distinct days with at least one (unvoided) sale.
    pub visit_days: i64,
    pub first_day: Option<i64>,
    pub last_day: Option<i64>,
    /// Newest first, at most [`RECENT_GAPS`].
    pub recent_gaps: Vec<i64>,
}

impl VisitSummary {
    /// The summary of visits on `days` (any order, repeats allowed).
    pub fn from_days(days: impl IntoIterator<Item = i64>) -> VisitSummary {
        let mut days: Vec<i64> = days.into_iter().collect();
        days.sort_unstable();
        days.dedup();
        let mut s = VisitSummary::default();
        for d in days {
            s.add_day(d);
        }
        s
    }

    /// Adds a visit on `day`. Returns false (and changes nothing) when
    /// `day` is before the last visit: the caller rebuilds from history.
    pub fn add_day(&mut self, day: i64) -> bool {
        match self.last_day {
            Some(last) if day < last => false,
            Some(last) if day == last => true,
            Some(last) => {
                self.recent_gaps.insert(0, day - last);
                self.recent_gaps.truncate(RECENT_GAPS);
                self.visit_days += 1;
                self.last_day = Some(day);
                true
            }
            None => {
                self.visit_days = 1;
                self.first_day = Some(day);
                self.last_day = Some(day);
                true
            }
        }
    }

    /// Total days between first and last visit.
    pub fn gap_sum_days(&self) -> i64 {
        match (self.first_day, self.last_day) {
            (Some(f), Some(l)) => l - f,
            _ => 0,
        }
    }

    /// The member's own typical interval: the median of their recent gaps,
    /// once they have at least `min_visits` visit days.
    pub fn typical_gap(&self, min_visits: i64) -> Option<i64> {
        self.facts().typical_gap(min_visits)
    }

    /// The median of the recent gaps (the lower one of an even count),
    /// stored beside them as `member_stats.median_gap`.
    pub fn median_gap(&self) -> Option<i64> {
        super::median(&self.recent_gaps)
    }

    /// What a standing needs of this summary.
    pub fn facts(&self) -> VisitFacts {
        VisitFacts {
            visit_days: self.visit_days,
            first_day: self.first_day,
            last_day: self.last_day,
            median_gap: self.median_gap(),
        }
    }

    pub fn gaps_text(&self) -> String {
        self.recent_gaps.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
    }

    /// Parses what [`VisitSummary::gaps_text`] wrote (anything malformed is skipped).
    pub fn parse_gaps(text: &str) -> Vec<i64> {
        text.split(',').filter_map(|g| g.trim().parse().ok()).collect()
    }
}

/// The visits and monthly spend a purchase summary brought in by an import
/// stands for (first and last purchase day, purchases, spend), since the
/// single purchases are not known: the purchases spread evenly between the
/// first and the last day (so the typical interval is the span over the
/// gaps; all on one day when the span is nil), and the spend evenly over
/// the months from the first to the last (the remainder in the last).
/// Returns the summary and the `(month, spend)` pairs.
pub fn imported_visits(
    first: chrono::NaiveDate,
    last: chrono::NaiveDate,
    purchases: i64,
    spend_minor: i64,
) -> (VisitSummary, Vec<(i64, i64)>) {
    let (f, l) = (super::day_number(first), super::day_number(last));
    let span = (l - f).max(0);
    let visit_days = if span == 0 { 1 } else { purchases.clamp(2, span + 1) };
    let gap = if visit_days > 1 { span / (visit_days - 1) } else { 0 };
    let visits = VisitSummary {
        visit_days,
        first_day: Some(f),
        last_day: Some(l),
        recent_gaps: vec![gap; usize::try_from(visit_days - 1).unwrap_or(0).min(RECENT_GAPS)],
    };
    let (m0, m1) = (super::month_number(first), super::month_number(last));
    let months: Vec<i64> = {
        let mut out = Vec::new();
        let (mut y, mut m) = (m0 / 100, m0 % 100);
        while y * 100 + m <= m1 {
            out.push(y * 100 + m);
            m += 1;
            if m > 12 {
                m = 1;
                y += 1;
            }
        }
        out
    };
    let n = i64::try_from(months.len()).unwrap_or(1).max(1);
    let each = spend_minor / n;
    let rest = spend_minor - each * n;
    let spread = months
        .iter()
        .enumerate()
        .map(|(i, month)| (*month, if i + 1 == months.len() { each + rest } else { each }))
        .filter(|(_, s)| *s != 0)
        .collect();
    (visits, spread)
}

/// What a member's NES standing needs of their visits, read for every
/// member each time the owner's view opens: the counts and the median gap,
/// no list of gaps to parse and sort.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VisitFacts {
    pub visit_days: i64,
    pub first_day: Option<i64>,
    pub last_day: Option<i64>,
    /// [`VisitSummary::median_gap`].
    pub median_gap: Option<i64>,
}

impl VisitFacts {
    /// The member's own typical interval: the median of their recent gaps,
    /// once they have at least `min_visits` visit days.
    pub fn typical_gap(&self, min_visits: i64) -> Option<i64> {
        if self.visit_days < min_visits.max(2) {
            return None;
        }
        self.median_gap
    }
}

/// Visits and spend in one month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthSpend {
    /// `YYYYMM`.
    pub month: i64,
    pub visits: i64,
    pub spend_minor: i64,
}

/// Spend per month, newest first, at most [`RECENT_MONTHS`] months.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecentMonths(pub Vec<MonthSpend>);

impl RecentMonths {
    /// From `(month, spend)` per sale, any order.
    pub fn from_sales(sales: impl IntoIterator<Item = (i64, i64)>) -> RecentMonths {
        let mut by_month: std::collections::BTreeMap<i64, (i64, i64)> = Default::default();
        for (month, spend) in sales {
            let e = by_month.entry(month).or_default();
            e.0 += 1;
            e.1 += spend;
        }
        RecentMonths(
            by_month
                .into_iter()
                .rev()
                .take(RECENT_MONTHS)
                .map(|(month, (visits, spend_minor))| MonthSpend { month, visits, spend_minor })
                .collect(),
        )
    }

    /// Adds a sale; false (nothing changed) when its month is older than
    /// the newest kept month: the caller rebuilds from history.
    pub fn add_sale(&mut self, month: i64, spend_minor: i64) -> bool {
        match self.0.first_mut() {
            Some(newest) if month < newest.month => false,
            Some(newest) if month == newest.month => {
                newest.visits += 1;
                newest.spend_minor += spend_minor;
                true
            }
            _ => {
                self.0.insert(0, MonthSpend { month, visits: 1, spend_minor });
                self.0.truncate(RECENT_MONTHS);
                true
            }
        }
    }

    /// Spend in the `months` months ending with `current` (`YYYYMM`), inclusive.
    pub fn spend_in_window(&self, current: i64, months: i64) -> i64 {
        let from = super::months_before(current, months - 1);
        self.0.iter().filter(|m| m.month >= from && m.month <= current).map(|m| m.spend_minor).sum()
    }

    /// Visits in the same window.
    pub fn visits_in_window(&self, current: i64, months: i64) -> i64 {
        let from = super::months_before(current, months - 1);
        self.0.iter().filter(|m| m.month >= from && m.month <= current).map(|m| m.visits).sum()
    }

    pub fn to_text(&self) -> String {
        self.0.iter().map(|m| format!("{}:{}:{}", m.month, m.visits, m.spend_minor)).collect::<Vec<_>>().join(",")
    }

    pub fn parse(text: &str) -> RecentMonths {
        RecentMonths(
            text.split(',')
                .filter_map(|part| {
                    let mut it = part.split(':').map(|x| x.trim().parse::<i64>().ok());
                    Some(MonthSpend { month: it.next()??, visits: it.next()??, spend_minor: it.next()?? })
                })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_imported_summary_spreads_its_purchases_and_spend() {
        let d = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
        let (v, months) = imported_visits(d("2026-01-01"), d("2026-03-02"), 7, 3_001);
        assert_eq!(
            (v.visit_days, v.last_day, v.recent_gaps.len()),
            (7, Some(crate::analytics::day_number(d("2026-03-02"))), 6)
        );
        assert_eq!(v.median_gap(), Some(10));
        assert_eq!(months, [(202601, 1_000), (202602, 1_000), (202603, 1_001)]);
        let (one_day, _) = imported_visits(d("2026-01-01"), d("2026-01-01"), 3, 0);
        assert_eq!((one_day.visit_days, one_day.recent_gaps.len()), (1, 0));
    }

    #[test]
    fn one_visit_has_no_typical_gap() {
        let s = VisitSummary::from_days([100]);
        assert_eq!((s.visit_days, s.first_day, s.last_day), (1, Some(100), Some(100)));
        assert_eq!(s.typical_gap(3), None);
    }

    #[test]
    fn repeat_visits_on_one_day_count_once() {
        let s = VisitSummary::from_days([100, 100, 107, 114, 114]);
        assert_eq!(s.visit_days, 3);
        assert_eq!(s.recent_gaps, vec![7, 7]);
        assert_eq!(s.typical_gap(3), Some(7));
        assert_eq!(s.gap_sum_days(), 14);
    }

    #[test]
    fn adding_one_day_at_a_time_equals_building_from_all_days() {
        let days: Vec<i64> = (0..40).map(|i| i * i % 17 + i * 3).collect();
        let mut inc = VisitSummary::default();
        let mut sorted = days.clone();
        sorted.sort_unstable();
        for d in &sorted {
            assert!(inc.add_day(*d));
        }
        assert_eq!(inc, VisitSummary::from_days(days));
        assert_eq!(inc.recent_gaps.len(), RECENT_GAPS);
        assert!(!inc.add_day(0), "an older day asks for a rebuild");
    }

    #[test]
    fn months_round_trip_and_sum_over_a_window() {
        let m = RecentMonths::from_sales([(202601, 100), (202512, 50), (202601, 25), (202503, 7)]);
        assert_eq!(RecentMonths::parse(&m.to_text()), m);
        assert_eq!(m.spend_in_window(202601, 1), 125);
        assert_eq!(m.spend_in_window(202601, 2), 175);
        assert_eq!(m.spend_in_window(202602, 12), 182);
        assert_eq!(m.spend_in_window(202602, 11), 175);
        assert_eq!(m.visits_in_window(202601, 12), 4);
    }
}
