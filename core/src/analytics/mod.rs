//! Pure rules of the owner's view (segments, RFM, tiers, birthdays, due
//! back, Pareto, outreach text and CSV), given member histories and
//! `today`. No SQL and no clock here: the store (`store::owner`) feeds
//! these functions.
//!
//! Days are shop-local calendar days numbered as
//! [`chrono::Datelike::num_days_from_ce`] (so differences are whole days,
//! whatever daylight saving does to the hours); months are `YYYYMM`.

pub mod export;
pub mod pareto;
pub mod rfm;
pub mod segments;
pub mod tiers;
pub mod unusual;
pub mod visits;

use chrono::{Datelike, NaiveDate};

/// A shop-local date as a day number (see the module docs).
pub fn day_number(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce())
}

/// The date of a day number.
pub fn date_of_day(day: i64) -> Option<NaiveDate> {
    i32::try_from(day).ok().and_then(NaiveDate::from_num_days_from_ce_opt)
}

/// `YYYYMM` of a date.
pub fn month_number(date: NaiveDate) -> i64 {
    i64::from(date.year()) * 100 + i64::from(date.month())
}

/// The month `back` months before `month` (`YYYYMM`).
pub fn months_before(month: i64, back: i64) -> i64 {
    let index = (month / 100) * 12 + (month % 100 - 1) - back;
    (index / 12) * 100 + index % 12 + 1
}

/// The Monday starting the week that holds `date`.
pub fn week_start(date: NaiveDate) -> NaiveDate {
    date - chrono::Duration::days(i64::from(date.weekday().num_days_from_monday()))
}

/// Median of whole days (the lower middle of an even count, so the value
/// is one that happened).
pub fn median(values: &[i64]) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_unstable();
    Some(v[(v.len() - 1) / 2])
}

/// `part / whole` in basis points (0..=10000), 0 when `whole` is 0.
pub fn share_bp(part: i64, whole: i64) -> i64 {
    if whole <= 0 {
        return 0;
    }
    i64::try_from(i128::from(part) * 10_000 / i128::from(whole)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_count_back_across_years() {
        assert_eq!(months_before(202603, 0), 202603);
        assert_eq!(months_before(202603, 2), 202601);
        assert_eq!(months_before(202603, 3), 202512);
        assert_eq!(months_before(202603, 11), 202504);
        assert_eq!(months_before(202612, 12), 202512);
    }

    #[test]
    fn the_median_of_an_even_count_is_the_lower_middle() {
        assert_eq!(median(&[9, 1, 7, 3]), Some(3));
        assert_eq!(median(&[5]), Some(5));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn day_numbers_round_trip() {
        let d = NaiveDate::from_ymd_opt(2028, 2, 29).unwrap();
        assert_eq!(date_of_day(day_number(d)), Some(d));
        assert_eq!(week_start(d), NaiveDate::from_ymd_opt(2028, 2, 28).unwrap());
    }
}
