//! Coupons the shop issues by itself: a birthday coupon some days before
//! each member's birthday, a welcome coupon at registration and a win-back
//! coupon when a member first sleeps (S1). Pure rules: which birthdays fall
//! in a run's window, and the key that makes each coupon issued once.

use crate::error::{Error, Reason, Result};
use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// What an automatic coupon is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum AutoCouponKind {
    Birthday,
    Welcome,
    WinBack,
}

impl AutoCouponKind {
    pub const ALL: [AutoCouponKind; 3] = [AutoCouponKind::Birthday, AutoCouponKind::Welcome, AutoCouponKind::WinBack];

    pub fn as_db(self) -> &'static str {
        match self {
            AutoCouponKind::Birthday => "birthday",
            AutoCouponKind::Welcome => "welcome",
            AutoCouponKind::WinBack => "winBack",
        }
    }

    pub fn parse(s: &str) -> Result<AutoCouponKind> {
        let folded = crate::input::fold_width(s).trim().to_ascii_lowercase().replace(['-', '_'], "");
        AutoCouponKind::ALL.into_iter().find(|k| k.as_db().to_ascii_lowercase() == folded).ok_or_else(|| {
            Error::InvalidInput { field: "automatic coupon", reason: "use birthday, welcome or win-back".into() }
        })
    }
}

/// The owner's rule for one kind: off until turned on with an offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AutoCouponRule {
    pub kind: AutoCouponKind,
    pub offer_id: Option<i64>,
    pub enabled: bool,
    /// Birthday coupons: issued this many days before the birthday (0: on the day).
    pub days_before: i64,
}

/// The most days before a birthday its coupon may be issued.
pub const MAX_DAYS_BEFORE: i64 = 60;

impl AutoCouponRule {
    pub fn validate(&self) -> Result<()> {
        if self.enabled && self.offer_id.is_none() {
            return Err(Error::EmptyField { field: "automatic coupon offer" });
        }
        if !(0..=MAX_DAYS_BEFORE).contains(&self.days_before) {
            return Err(Error::InvalidInput {
                field: "days before the birthday",
                reason: Reason::Range { min: 0, max: MAX_DAYS_BEFORE },
            });
        }
        Ok(())
    }
}

/// A member's birthday in `year`: 29 February is kept on the 28th in a
/// year without it.
pub fn birthday_in(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
        .or_else(|| (month == 2 && day == 29).then(|| NaiveDate::from_ymd_opt(year, 2, 28)).flatten())
}

/// The birthday a coupon issued on `today` is for, when a birthday on
/// (`month`, `day`) falls in today … today + `days_before`: the coupon is
/// due from `days_before` days ahead until the day itself (a run missed on
/// some days still issues it in time).
pub fn birthday_due(today: NaiveDate, month: u32, day: u32, days_before: i64) -> Option<NaiveDate> {
    let last = today + Duration::days(days_before.clamp(0, MAX_DAYS_BEFORE));
    [today.year(), today.year() + 1]
        .into_iter()
        .filter_map(|y| birthday_in(y, month, day))
        .find(|b| *b >= today && *b <= last)
}

/// Every (month, day) whose birthday falls in today … today + `days_before`,
/// for the query that finds the members (29 February with the 28th in a
/// year without it).
pub fn birthdays_in_window(today: NaiveDate, days_before: i64) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    for offset in 0..=days_before.clamp(0, MAX_DAYS_BEFORE) {
        let d = today + Duration::days(offset);
        out.push((d.month(), d.day()));
        if d.month() == 2 && d.day() == 28 && NaiveDate::from_ymd_opt(d.year(), 2, 29).is_none() {
            out.push((2, 29));
        }
    }
    out
}

/// The key that makes an automatic coupon one per occasion and member.
pub fn birthday_key(birthday: NaiveDate) -> String {
    format!("birthday:{}", birthday.year())
}

pub const WELCOME_KEY: &str = "welcome";

/// One win-back coupon per time a member falls asleep: keyed by the last
/// visit they slept after.
pub fn win_back_key(last_visit: NaiveDate) -> String {
    format!("winBack:{last_visit}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_birthday_coupon_is_due_from_the_days_before_until_the_day() {
        assert_eq!(birthday_due(day("2026-12-01"), 12, 8, 7), Some(day("2026-12-08")));
        assert_eq!(birthday_due(day("2026-11-30"), 12, 8, 7), None, "eight days before");
        assert_eq!(birthday_due(day("2026-12-08"), 12, 8, 7), Some(day("2026-12-08")), "on the day");
        assert_eq!(birthday_due(day("2026-12-09"), 12, 8, 7), None, "a day late");
        // Across the new year: the birthday is next year's.
        assert_eq!(birthday_due(day("2026-12-28"), 1, 2, 7), Some(day("2027-01-02")));
    }

    #[test]
    fn the_29th_of_february_is_kept_on_the_28th_in_other_years() {
        assert_eq!(birthday_due(day("2027-02-25"), 2, 29, 3), Some(day("2027-02-28")));
        assert_eq!(birthday_due(day("2028-02-27"), 2, 29, 3), Some(day("2028-02-29")));
        assert!(birthdays_in_window(day("2027-02-28"), 0).contains(&(2, 29)));
        assert!(!birthdays_in_window(day("2028-02-28"), 0).contains(&(2, 29)));
        assert_eq!(birthdays_in_window(day("2026-12-30"), 3), vec![(12, 30), (12, 31), (1, 1), (1, 2)]);
    }

    #[test]
    fn keys_name_the_occasion() {
        assert_eq!(birthday_key(day("2027-02-28")), "birthday:2027");
        assert_eq!(win_back_key(day("2026-11-02")), "winBack:2026-11-02");
        assert_eq!(AutoCouponKind::parse("win-back").unwrap(), AutoCouponKind::WinBack);
        assert_eq!(AutoCouponKind::parse("Birthday").unwrap(), AutoCouponKind::Birthday);
        assert!(AutoCouponKind::parse("xmas").is_err());
    }

    #[test]
    fn a_rule_turned_on_needs_an_offer() {
        let rule = AutoCouponRule { kind: AutoCouponKind::Welcome, offer_id: None, enabled: true, days_before: 0 };
        assert_eq!(rule.validate().unwrap_err().code(), "EmptyField");
        assert!(AutoCouponRule { enabled: false, ..rule }.validate().is_ok());
        assert!(AutoCouponRule { offer_id: Some(1), days_before: 61, ..rule }.validate().is_err());
    }
}
