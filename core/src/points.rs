//! Points (積分): earned on what a customer pays for sales, redeemed at
//! checkout for money off, lapsing by the batch they were earned in, oldest
//! first. Pure rules; the store loads the facts and writes the ledger.

use crate::error::{Error, Reason, Result};
use chrono::{Datelike, Months, NaiveDate};
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
    /// Points earned in one month lapse at the end of the month this many
    /// months later (earned 2026-03-15, 12 months: usable to 2027-03-31);
    /// none: never. A change applies to points earned after it.
    #[serde(default)]
    #[ts(optional)]
    pub expiry_months: Option<i64>,
    /// The largest share of a bill (after coupons), in whole percent, points may pay.
    #[serde(default = "hundred")]
    pub max_redeem_percent: i64,
    /// Points earned in the member's birthday month, in percent of the
    /// usual (200: double); it multiplies a tier's multiplier.
    #[serde(default = "hundred")]
    pub birthday_multiplier_pct: i64,
}

fn hundred() -> i64 {
    100
}

/// The most points one sale may redeem or earn.
pub const MAX_POINTS_PER_SALE: i64 = 10_000_000;
/// The largest multiplier, in percent (×10).
pub const MAX_MULTIPLIER_PCT: i64 = 1000;
/// The last usable day of points that never lapse, as the ledger stores it.
pub const NEVER_LAPSES: NaiveDate = NaiveDate::MAX;

/// The ledger's text for a batch's last usable day.
pub fn expires_on_text(day: NaiveDate) -> String {
    if day == NEVER_LAPSES {
        "9999-12-31".into()
    } else {
        day.format("%Y-%m-%d").to_string()
    }
}

/// Reads the ledger's text back; '9999-12-31' (or anything unreadable) is never.
pub fn expires_on_from_text(text: &str) -> NaiveDate {
    match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(d) if d.year() < 9999 => d,
        _ => NEVER_LAPSES,
    }
}

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
        if let Some(m) = self.expiry_months {
            if !(1..=120).contains(&m) {
                return Err(Error::InvalidInput { field: "points expiry", reason: Reason::Range { min: 1, max: 120 } });
            }
        }
        if !(1..=100).contains(&self.max_redeem_percent) {
            return Err(Error::InvalidInput {
                field: "points share of a bill",
                reason: Reason::Range { min: 1, max: 100 },
            });
        }
        check_multiplier("birthday multiplier", self.birthday_multiplier_pct)
    }

    /// Points earned on a sale the customer paid `paid_minor` for (after
    /// every discount, points redeemed included), at `multiplier_pct` of the
    /// usual rate: whole points, rounded down.
    pub fn earned_on(&self, paid_minor: i64, multiplier_pct: i64) -> i64 {
        if self.earn_per_minor <= 0 || paid_minor <= 0 {
            return 0;
        }
        let points =
            i128::from(paid_minor) * i128::from(multiplier_pct.max(0)) / (i128::from(self.earn_per_minor) * 100);
        points.min(i128::from(MAX_POINTS_PER_SALE)) as i64
    }

    /// The multiplier of a sale, in percent: the member's tier's, times the
    /// birthday month's when the sale is in it.
    pub fn multiplier_pct(&self, tier_pct: i64, in_birthday_month: bool) -> i64 {
        let birthday = if in_birthday_month { self.birthday_multiplier_pct } else { 100 };
        tier_pct.clamp(100, MAX_MULTIPLIER_PCT) * birthday.clamp(100, MAX_MULTIPLIER_PCT) / 100
    }

    /// The money `points` take off.
    pub fn value_of(&self, points: i64) -> i64 {
        points.saturating_mul(self.point_value_minor)
    }

    /// The last usable day of points earned on shop day `earned`.
    pub fn expires_on(&self, earned: NaiveDate) -> NaiveDate {
        match self.expiry_months {
            None => NEVER_LAPSES,
            Some(m) => last_day_of_month(
                earned.with_day(1).and_then(|d| d.checked_add_months(Months::new(m as u32))).unwrap_or(NEVER_LAPSES),
            ),
        }
    }
}

/// Checks a multiplier in percent: 100 (none) to 1000 (×10).
pub fn check_multiplier(field: &'static str, pct: i64) -> Result<()> {
    if !(100..=MAX_MULTIPLIER_PCT).contains(&pct) {
        return Err(Error::InvalidInput { field, reason: Reason::Range { min: 100, max: MAX_MULTIPLIER_PCT } });
    }
    Ok(())
}

/// Reads a multiplier as people write it: "2", "×1.5", "x2", "150%", in
/// half- or full-width characters; in percent (1.5 → 150), at most one
/// decimal place, 1 to 10 times.
pub fn parse_multiplier(field: &'static str, text: &str) -> Result<i64> {
    let folded = crate::input::fold_width(text);
    let t = folded.trim().trim_start_matches(['×', 'x', 'X', '*']).trim();
    let pct = if let Some(p) = t.strip_suffix('%') {
        p.trim().parse::<i64>().ok()
    } else {
        match t.split_once('.') {
            None => t.parse::<i64>().ok().and_then(|w| w.checked_mul(100)),
            Some((whole, frac)) if frac.len() == 1 && frac.bytes().all(|b| b.is_ascii_digit()) => whole
                .parse::<i64>()
                .ok()
                .and_then(|w| w.checked_mul(100))
                .map(|w| w + frac.parse::<i64>().unwrap_or(0) * 10),
            _ => None,
        }
    };
    let pct = pct
        .ok_or_else(|| Error::InvalidInput { field, reason: Reason::Other("write it like ×1.5, 2 or 150%".into()) })?;
    check_multiplier(field, pct)?;
    Ok(pct)
}

/// A multiplier in percent as people write it: 150 → "1.5", 200 → "2".
pub fn multiplier_text(pct: i64) -> String {
    if pct % 100 == 0 {
        format!("{}", pct / 100)
    } else if pct % 10 == 0 {
        format!("{}.{}", pct / 100, (pct % 100) / 10)
    } else {
        format!("{}.{:02}", pct / 100, pct % 100)
    }
}

fn last_day_of_month(day: NaiveDate) -> NaiveDate {
    if day == NEVER_LAPSES {
        return day;
    }
    let first = day.with_day(1).unwrap_or(day);
    first.checked_add_months(Months::new(1)).and_then(|d| d.pred_opt()).unwrap_or(day)
}

/// Points that lapse next: how many, and their last usable day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Expiring {
    pub points: i64,
    pub last_day: NaiveDate,
}

/// A member's points on a shop day, from the ledger's batches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PointsState {
    /// What the ledger holds (lapsed points not yet written off included).
    pub held: i64,
    /// Points of `held` whose last day has passed.
    pub lapsed: i64,
    /// The usable points that lapse first, if any ever do.
    pub next: Option<Expiring>,
}

impl PointsState {
    pub fn usable(&self) -> i64 {
        self.held - self.lapsed
    }
}

/// Works out the points of a member on `today`: `batches` are the points
/// added per last usable day (a batch net of its voids), `taken` the points
/// redeemed and written off. What is taken uses the batches oldest first;
/// what is left of a batch past its last day has lapsed.
pub fn points_state(batches: &[(NaiveDate, i64)], taken: i64, today: NaiveDate) -> PointsState {
    let mut sorted: Vec<(NaiveDate, i64)> = batches.to_vec();
    sorted.sort_by_key(|b| b.0);
    // A batch taken below zero (a void of points since used) takes from the rest.
    let mut to_take = taken + sorted.iter().map(|b| (-b.1).max(0)).sum::<i64>();
    let held = sorted.iter().map(|b| b.1).sum::<i64>() - taken;
    let mut lapsed = 0;
    let mut next: Option<Expiring> = None;
    for (day, points) in sorted {
        let points = points.max(0);
        let used = to_take.min(points);
        to_take -= used;
        let left = points - used;
        if left == 0 {
            continue;
        }
        if day < today {
            lapsed += left;
        } else if day != NEVER_LAPSES {
            match &mut next {
                None => next = Some(Expiring { points: left, last_day: day }),
                Some(n) if n.last_day == day => n.points += left,
                Some(_) => {}
            }
        }
    }
    PointsState { held, lapsed, next }
}

/// Checks a redemption of `points` from a balance of `available` on a sale
/// with `left_minor` still to pay: enough points, and no more value than
/// the shop's share of what is left to pay.
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
    let most_value = most_redeemable_value(settings, left_minor);
    if value > most_value {
        let max = most_value / settings.point_value_minor;
        return Err(Error::InvalidInput { field: "points", reason: Reason::Range { min: 0, max } });
    }
    Ok(value)
}

/// The most money points may take off a bill with `left_minor` to pay.
pub fn most_redeemable_value(settings: &PointsSettings, left_minor: i64) -> i64 {
    let left = left_minor.max(0);
    (i128::from(left) * i128::from(settings.max_redeem_percent.clamp(1, 100)) / 100) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: PointsSettings = PointsSettings {
        earn_per_minor: 100,
        point_value_minor: 1,
        expiry_months: Some(12),
        max_redeem_percent: 100,
        birthday_multiplier_pct: 200,
    };

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn points_are_earned_per_whole_amount_paid_rounded_down() {
        assert_eq!(RULES.earned_on(99, 100), 0);
        assert_eq!(RULES.earned_on(250, 100), 2);
        assert_eq!(RULES.earned_on(250, 150), 3, "×1.5 of 2.5 points is 3.75, rounded down");
        assert_eq!(PointsSettings { earn_per_minor: 0, ..RULES }.earned_on(10_000, 100), 0, "off");
    }

    #[test]
    fn a_tier_and_the_birthday_month_multiply() {
        assert_eq!(RULES.multiplier_pct(100, false), 100);
        assert_eq!(RULES.multiplier_pct(150, false), 150);
        assert_eq!(RULES.multiplier_pct(150, true), 300);
        assert_eq!(RULES.multiplier_pct(100, true), 200);
    }

    #[test]
    fn a_redemption_needs_the_points_and_no_more_than_the_shops_share_of_the_bill() {
        assert_eq!(check_redemption(&RULES, 30, 50, 100).unwrap(), 30);
        assert_eq!(check_redemption(&RULES, 60, 50, 100).unwrap_err().code(), "InsufficientPoints");
        assert_eq!(check_redemption(&RULES, 50, 50, 40).unwrap_err().code(), "InvalidInput");
        assert_eq!(check_redemption(&RULES, -1, 50, 40).unwrap_err().code(), "InvalidInput");
        let half = PointsSettings { max_redeem_percent: 50, ..RULES };
        assert_eq!(check_redemption(&half, 50, 80, 100).unwrap(), 50);
        assert_eq!(check_redemption(&half, 51, 80, 100).unwrap_err().code(), "InvalidInput");
    }

    #[test]
    fn points_last_to_the_end_of_the_month_the_rule_names() {
        assert_eq!(RULES.expires_on(day("2026-03-15")), day("2027-03-31"));
        assert_eq!(RULES.expires_on(day("2026-12-07")), day("2027-12-31"));
        let one = PointsSettings { expiry_months: Some(1), ..RULES };
        assert_eq!(one.expires_on(day("2027-01-31")), day("2027-02-28"));
        assert_eq!(one.expires_on(day("2028-01-01")), day("2028-02-29"), "a leap year");
        assert_eq!(PointsSettings { expiry_months: None, ..RULES }.expires_on(day("2026-01-01")), NEVER_LAPSES);
        assert_eq!(expires_on_from_text(&expires_on_text(NEVER_LAPSES)), NEVER_LAPSES);
        assert_eq!(expires_on_from_text("2027-03-31"), day("2027-03-31"));
    }

    #[test]
    fn the_oldest_batches_are_used_first_and_what_is_left_of_a_past_one_lapses() {
        let batches = [(day("2026-03-31"), 100), (day("2026-06-30"), 50), (NEVER_LAPSES, 10)];
        // 30 used: 70 of March's batch are left and lapse in April.
        let s = points_state(&batches, 30, day("2026-04-01"));
        assert_eq!((s.held, s.lapsed, s.usable()), (130, 70, 60));
        assert_eq!(s.next, Some(Expiring { points: 50, last_day: day("2026-06-30") }));
        // On March's last day nothing has lapsed yet and March's 70 lapse next.
        let s = points_state(&batches, 30, day("2026-03-31"));
        assert_eq!((s.lapsed, s.next), (0, Some(Expiring { points: 70, last_day: day("2026-03-31") })));
        // Spent more than the oldest batch: nothing of it is left to lapse.
        let s = points_state(&batches, 120, day("2026-05-01"));
        assert_eq!((s.held, s.lapsed, s.next.map(|n| n.points)), (40, 0, Some(30)));
        // Only never-lapsing points left: nothing is due to lapse.
        let s = points_state(&batches, 150, day("2027-01-01"));
        assert_eq!((s.usable(), s.next), (10, None));
        // A batch voided after being used takes from the others.
        let s = points_state(&[(day("2026-03-31"), -20), (day("2026-06-30"), 50)], 0, day("2026-04-01"));
        assert_eq!((s.held, s.usable(), s.next.map(|n| n.points)), (30, 30, Some(30)));
    }

    #[test]
    fn multipliers_are_read_as_people_write_them() {
        for (text, pct) in [("2", 200), ("×1.5", 150), ("x2", 200), ("１．５", 150), ("150%", 150), ("1", 100)] {
            assert_eq!(parse_multiplier("m", text).unwrap(), pct, "{text}");
        }
        for text in ["0.5", "11", "1.25", "", "two", "-2"] {
            assert_eq!(parse_multiplier("m", text).unwrap_err().code(), "InvalidInput", "{text}");
        }
        assert_eq!(
            (multiplier_text(150), multiplier_text(200), multiplier_text(125)),
            ("1.5".into(), "2".into(), "1.25".into())
        );
    }

    #[test]
    fn rules_out_of_range_are_refused() {
        assert!(PointsSettings { point_value_minor: 0, ..RULES }.validate().is_err());
        assert!(PointsSettings { expiry_months: Some(0), ..RULES }.validate().is_err());
        assert!(PointsSettings { max_redeem_percent: 0, ..RULES }.validate().is_err());
        assert!(PointsSettings { birthday_multiplier_pct: 99, ..RULES }.validate().is_err());
        assert!(RULES.validate().is_ok());
    }
}
