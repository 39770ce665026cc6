//! Coupons: the owner's offers and the codes issued to members. Pure rules:
//! the code's alphabet and check character, an offer's validity on a shop
//! day, the discount of an offer on a basket, which coupons combine, and
//! what stamps are earned on once coupons apply. The store loads the facts,
//! calls these and writes the results.

use crate::error::{check_len, Error, Reason, Result};
use crate::input::fold_width;
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// The characters of a code: digits and capitals with the look-alikes left
/// out (no 0/O, 1/I/L). 31 of them, a prime, so a weighted sum modulo 31
/// catches every single changed character and every swap of two neighbours.
pub const CODE_ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Random characters in a code; the check character follows them.
pub const CODE_BODY_LEN: usize = 8;

/// What an offer gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum OfferKind {
    /// A fixed amount off the sale.
    AmountOff,
    /// A whole percent off the sale's items, rounded down, up to a cap.
    PercentOff,
    /// One unit of a catalogue product free (the sale must have it).
    FreeItem,
    /// Extra stamps on one stamp program with the sale.
    ExtraStamps,
}

impl OfferKind {
    pub fn as_db(self) -> &'static str {
        match self {
            OfferKind::AmountOff => "amount_off",
            OfferKind::PercentOff => "percent_off",
            OfferKind::FreeItem => "free_item",
            OfferKind::ExtraStamps => "extra_stamps",
        }
    }

    /// The word [`OfferKind::parse`] reads, for the CLI's lines.
    pub fn code(self) -> &'static str {
        match self {
            OfferKind::AmountOff => "amount_off",
            OfferKind::PercentOff => "percent_off",
            OfferKind::FreeItem => "free_item",
            OfferKind::ExtraStamps => "extra_stamps",
        }
    }

    pub fn parse(s: &str) -> Result<OfferKind> {
        match fold_width(s).trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "amount_off" | "amount" => Ok(OfferKind::AmountOff),
            "percent_off" | "percent" => Ok(OfferKind::PercentOff),
            "free_item" | "item" => Ok(OfferKind::FreeItem),
            "extra_stamps" | "stamps" => Ok(OfferKind::ExtraStamps),
            other => Err(Error::InvalidInput {
                field: "offer kind",
                reason: format!("{other:?}: use amount_off, percent_off, free_item or extra_stamps").into(),
            }),
        }
    }
}

/// An offer as the owner enters it (new, or replacing an offer's terms).
/// Exactly the fields of its kind are set; validity is either `valid_days`
/// from the day of issue or the fixed days `valid_from`–`valid_until`
/// (both included, shop time zone).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OfferInput {
    pub name: String,
    pub kind: OfferKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub amount_off_minor: Option<i64>,
    /// Whole percent, 1–100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub percent_off: Option<i64>,
    /// The most a percent-off coupon takes off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub cap_minor: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub product_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub program_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub extra_stamps: Option<i64>,
    /// The items' total (before discounts) a sale needs for the coupon.
    #[serde(default)]
    pub min_spend_minor: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub valid_days: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub valid_from: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub valid_until: Option<NaiveDate>,
    /// Whether the coupon may be used with other coupons on one sale.
    #[serde(default)]
    pub combinable: bool,
}

/// What an offer gives, checked: one variant per kind with its own values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Benefit {
    AmountOff { amount_minor: i64 },
    PercentOff { percent: i64, cap_minor: i64 },
    FreeItem { product_id: i64 },
    ExtraStamps { program_id: i64, stamps: i64 },
}

/// How long a coupon is good for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validity {
    DaysFromIssue(i64),
    Dates { from: NaiveDate, until: NaiveDate },
}

/// The most days a coupon may be valid for from its issue.
pub const MAX_VALID_DAYS: i64 = 3660;

impl OfferInput {
    /// The name trimmed, the benefit and the validity, or why not.
    pub fn validate(&self) -> Result<(String, Benefit, Validity)> {
        let name = fold_width(self.name.trim()).trim().to_string();
        if name.is_empty() {
            return Err(Error::EmptyField { field: "offer name" });
        }
        check_len("offer name", &name, 60)?;
        crate::money::non_negative_amount("minimum spend", self.min_spend_minor)?;
        let need = |v: Option<i64>, field: &'static str| v.ok_or(Error::EmptyField { field });
        let others_empty = |set: &[Option<i64>]| {
            if set.iter().any(Option::is_some) {
                Err(Error::InvalidInput { field: "offer", reason: "set only the values of the offer's kind".into() })
            } else {
                Ok(())
            }
        };
        let benefit = match self.kind {
            OfferKind::AmountOff => {
                others_empty(&[self.percent_off, self.cap_minor, self.product_id, self.program_id, self.extra_stamps])?;
                let amount = crate::money::positive_amount("amount off", need(self.amount_off_minor, "amount off")?)?;
                Benefit::AmountOff { amount_minor: amount.minor() }
            }
            OfferKind::PercentOff => {
                others_empty(&[self.amount_off_minor, self.product_id, self.program_id, self.extra_stamps])?;
                let percent = need(self.percent_off, "percent off")?;
                if !(1..=100).contains(&percent) {
                    return Err(Error::InvalidInput {
                        field: "percent off",
                        reason: Reason::Range { min: 1, max: 100 },
                    });
                }
                let cap = crate::money::positive_amount("discount cap", need(self.cap_minor, "discount cap")?)?;
                Benefit::PercentOff { percent, cap_minor: cap.minor() }
            }
            OfferKind::FreeItem => {
                others_empty(&[
                    self.amount_off_minor,
                    self.percent_off,
                    self.cap_minor,
                    self.program_id,
                    self.extra_stamps,
                ])?;
                Benefit::FreeItem { product_id: need(self.product_id, "free item")? }
            }
            OfferKind::ExtraStamps => {
                others_empty(&[self.amount_off_minor, self.percent_off, self.cap_minor, self.product_id])?;
                let stamps = need(self.extra_stamps, "extra stamps")?;
                if !(1..=crate::program::MAX_STAMPS_PER_SALE).contains(&stamps) {
                    return Err(Error::InvalidInput {
                        field: "extra stamps",
                        reason: Reason::Range { min: 1, max: crate::program::MAX_STAMPS_PER_SALE },
                    });
                }
                Benefit::ExtraStamps { program_id: need(self.program_id, "stamp program")?, stamps }
            }
        };
        let validity = match (self.valid_days, self.valid_from, self.valid_until) {
            (Some(days), None, None) => {
                if !(1..=MAX_VALID_DAYS).contains(&days) {
                    return Err(Error::InvalidInput {
                        field: "valid days",
                        reason: Reason::Range { min: 1, max: MAX_VALID_DAYS },
                    });
                }
                Validity::DaysFromIssue(days)
            }
            (None, Some(from), Some(until)) => {
                if until < from {
                    return Err(Error::InvalidInput { field: "valid until", reason: Reason::EndsBeforeStart });
                }
                Validity::Dates { from, until }
            }
            _ => {
                return Err(Error::InvalidInput {
                    field: "validity",
                    reason: "give either days from issue, or both a first and a last day".into(),
                })
            }
        };
        Ok((name, benefit, validity))
    }
}

/// The first and last shop day (both included) a coupon issued on
/// `issue_day` may be used. Valid `n` days from issue: the day of issue is
/// the first of them.
pub fn validity_window(validity: Validity, issue_day: NaiveDate) -> (NaiveDate, NaiveDate) {
    match validity {
        Validity::DaysFromIssue(days) => (issue_day, issue_day + Duration::days(days - 1)),
        Validity::Dates { from, until } => (from, until),
    }
}

/// Whether a coupon valid `from`–`until` may be used on shop day `day`.
pub fn check_valid_on(code: &str, from: NaiveDate, until: NaiveDate, day: NaiveDate) -> Result<()> {
    if day < from {
        return Err(Error::CouponNotYetValid { code: code.to_string(), from: from.to_string() });
    }
    if day > until {
        return Err(Error::CouponExpired { code: code.to_string(), until: until.to_string() });
    }
    Ok(())
}

fn digit_of(c: u8) -> Option<usize> {
    CODE_ALPHABET.iter().position(|a| *a == c)
}

/// The check character of a code's body: a weighted sum (weights 1, 2, …)
/// of the characters' places in the alphabet, modulo 31.
pub fn check_char(body: &[u8]) -> u8 {
    let sum: usize = body.iter().enumerate().map(|(i, c)| (i + 1) * digit_of(*c).unwrap_or(0)).sum();
    CODE_ALPHABET[(31 - sum % 31) % 31]
}

/// A new code from 64 random bits (the store supplies them): eight
/// characters of the alphabet and the check character.
pub fn code_from_entropy(mut bits: u64) -> String {
    let mut body = Vec::with_capacity(CODE_BODY_LEN + 1);
    for _ in 0..CODE_BODY_LEN {
        body.push(CODE_ALPHABET[(bits % 31) as usize]);
        bits /= 31;
    }
    body.push(check_char(&body));
    String::from_utf8(body).expect("ASCII")
}

/// A code as typed or scanned, in its stored form: width folded (full-width
/// letters from a Chinese input method), upper-cased, spaces and dashes
/// dropped. A wrong length, a character outside the alphabet or a wrong
/// check character is `CouponMistyped`, so a typo is never "unknown".
pub fn parse_code(text: &str) -> Result<String> {
    let folded: String =
        fold_width(text).chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect();
    let bytes = folded.as_bytes();
    let mistyped = || Error::CouponMistyped(text.trim().chars().take(40).collect());
    if bytes.len() != CODE_BODY_LEN + 1 || !bytes.iter().all(|c| digit_of(*c).is_some()) {
        return Err(mistyped());
    }
    if check_char(&bytes[..CODE_BODY_LEN]) != bytes[CODE_BODY_LEN] {
        return Err(mistyped());
    }
    Ok(folded)
}

/// What a coupon slip prints: one coupon, its member, and its offer's terms
/// as they stand now (checkout applies the same terms). The store fills it
/// in (`Store::coupon_slip`); the renderer (`pdf::coupon_slip`) lays it out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouponSlip {
    pub code: String,
    pub member_no: String,
    pub member_name: String,
    pub offer_name: String,
    pub benefit: Benefit,
    /// The free product's name (free item) or the stamp program's name
    /// (extra stamps); empty for money off.
    pub subject: String,
    pub min_spend_minor: i64,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
}

/// A line of the basket a coupon applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BasketLine {
    pub product_id: Option<i64>,
    pub unit_price_minor: i64,
    pub quantity: i64,
    pub earns_stamps: bool,
}

/// The money a coupon takes off a basket whose items total `gross_minor`
/// (before any discount), after its minimum spend is checked on that same
/// total. Percent off is rounded **down** to the minor unit (in the shop's
/// favour: 15 % of NT$55 is NT$8), then held to the cap. A free item takes
/// one unit of the product at its price on the sale. Extra stamps take no
/// money. Never more than `gross_minor`.
pub fn discount_of(
    code: &str,
    benefit: Benefit,
    min_spend_minor: i64,
    gross_minor: i64,
    lines: &[BasketLine],
) -> Result<i64> {
    if gross_minor < min_spend_minor {
        return Err(Error::CouponMinimumSpend { code: code.to_string(), minimum: min_spend_minor, spend: gross_minor });
    }
    let off = match benefit {
        Benefit::AmountOff { amount_minor } => amount_minor,
        Benefit::PercentOff { percent, cap_minor } => {
            // i128: a large total times a percent stays exact.
            let raw = (i128::from(gross_minor) * i128::from(percent)) / 100;
            (raw as i64).min(cap_minor)
        }
        Benefit::FreeItem { product_id } => lines
            .iter()
            .filter(|l| l.product_id == Some(product_id) && l.quantity > 0)
            .map(|l| l.unit_price_minor)
            .max()
            .ok_or_else(|| Error::CouponItemNotInSale { code: code.to_string() })?,
        Benefit::ExtraStamps { .. } => 0,
    };
    Ok(off.clamp(0, gross_minor))
}

/// A sale's coupons together: at most one coupon that does not combine,
/// and then no other; no code twice.
pub fn check_combination(coupons: &[(&str, bool)]) -> Result<()> {
    for (i, (code, _)) in coupons.iter().enumerate() {
        if coupons[..i].iter().any(|(c, _)| c == code) {
            return Err(Error::CouponUsed(code.to_string()));
        }
    }
    if coupons.len() > 1 {
        if let Some((code, _)) = coupons.iter().find(|(_, combinable)| !combinable) {
            return Err(Error::CouponsDoNotCombine(code.to_string()));
        }
    }
    Ok(())
}

/// The most coupons one sale takes.
pub const MAX_COUPONS_PER_SALE: usize = 5;

/// The stamp items a sale earns on once coupons apply: a free item was not
/// paid for, so a unit of it that would earn stamps earns none. Amount-based
/// programs earn on what the customer paid (the sale's total after
/// discounts), which the store passes to `EarnRule::stamps_for`.
pub fn stamp_items_paid_for(qualifying: i64, lines: &[BasketLine], free_products: &[i64]) -> i64 {
    let free_earning = free_products
        .iter()
        .filter(|p| lines.iter().any(|l| l.product_id == Some(**p) && l.earns_stamps && l.quantity > 0))
        .count() as i64;
    (qualifying - free_earning).max(0)
}

/// The most a campaign of `members` coupons of an offer can cost in money:
/// each coupon's largest possible discount (`item_price_minor`: the free
/// item's price now). Extra stamps cost no money.
pub fn most_cost(benefit: Benefit, item_price_minor: i64, members: i64) -> i64 {
    let each = match benefit {
        Benefit::AmountOff { amount_minor } => amount_minor,
        Benefit::PercentOff { cap_minor, .. } => cap_minor,
        Benefit::FreeItem { .. } => item_price_minor,
        Benefit::ExtraStamps { .. } => 0,
    };
    each.saturating_mul(members)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_offer_kind_reads_back_from_the_word_the_cli_prints() {
        for kind in [OfferKind::AmountOff, OfferKind::PercentOff, OfferKind::FreeItem, OfferKind::ExtraStamps] {
            assert_eq!(OfferKind::parse(kind.code()).unwrap(), kind);
        }
        assert_eq!(OfferKind::AmountOff.code(), "amount_off");
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn line(product_id: i64, price: i64, quantity: i64) -> BasketLine {
        BasketLine { product_id: Some(product_id), unit_price_minor: price, quantity, earns_stamps: true }
    }

    #[test]
    fn a_code_has_no_look_alikes_and_its_own_check_character() {
        for bits in [0, 1, 42, u64::MAX, 0x1234_5678_9abc_def0] {
            let code = code_from_entropy(bits);
            assert_eq!(code.len(), CODE_BODY_LEN + 1);
            assert!(!code.contains(['0', 'O', '1', 'I', 'L']), "{code}");
            assert_eq!(parse_code(&code).unwrap(), code);
        }
    }

    #[test]
    fn a_code_is_read_whatever_the_case_width_or_dashes() {
        let code = code_from_entropy(987_654_321);
        let lower = code.to_ascii_lowercase();
        assert_eq!(parse_code(&lower).unwrap(), code);
        let spaced = format!("{}-{} ", &code[..4], &code[4..]);
        assert_eq!(parse_code(&spaced).unwrap(), code);
        let wide: String = code.chars().map(|c| char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap()).collect();
        assert_eq!(parse_code(&wide).unwrap(), code);
    }

    #[test]
    fn every_single_changed_character_and_every_swap_is_mistyped() {
        let code = code_from_entropy(0xdead_beef_cafe);
        let bytes = code.as_bytes();
        for i in 0..bytes.len() {
            for c in CODE_ALPHABET.iter().copied().filter(|c| *c != bytes[i]) {
                let mut typo = bytes.to_vec();
                typo[i] = c;
                let typo = String::from_utf8(typo).unwrap();
                assert_eq!(parse_code(&typo).unwrap_err().code(), "CouponMistyped", "{typo}");
            }
        }
        for i in 0..bytes.len() - 1 {
            if bytes[i] != bytes[i + 1] {
                let mut swapped = bytes.to_vec();
                swapped.swap(i, i + 1);
                let swapped = String::from_utf8(swapped).unwrap();
                assert_eq!(parse_code(&swapped).unwrap_err().code(), "CouponMistyped", "{swapped}");
            }
        }
        for bad in ["", "ABC", "0OOOOOOOO", &format!("{code}2")] {
            assert_eq!(parse_code(bad).unwrap_err().code(), "CouponMistyped", "{bad}");
        }
    }

    #[test]
    fn a_coupon_is_valid_from_its_first_to_its_last_day_included() {
        let (from, until) = validity_window(Validity::DaysFromIssue(7), day("2026-12-01"));
        assert_eq!((from, until), (day("2026-12-01"), day("2026-12-07")));
        assert!(check_valid_on("C", from, until, day("2026-12-07")).is_ok());
        assert_eq!(check_valid_on("C", from, until, day("2026-12-08")).unwrap_err().code(), "CouponExpired");
        let fixed = Validity::Dates { from: day("2027-01-01"), until: day("2027-01-31") };
        let (from, until) = validity_window(fixed, day("2026-12-01"));
        assert_eq!(check_valid_on("C", from, until, day("2026-12-31")).unwrap_err().code(), "CouponNotYetValid");
    }

    #[test]
    fn percent_off_rounds_down_and_stops_at_its_cap() {
        let p = Benefit::PercentOff { percent: 15, cap_minor: 50 };
        assert_eq!(discount_of("C", p, 0, 55, &[]).unwrap(), 8);
        assert_eq!(discount_of("C", p, 0, 1_000, &[]).unwrap(), 50);
        let a = Benefit::AmountOff { amount_minor: 100 };
        assert_eq!(discount_of("C", a, 0, 60, &[]).unwrap(), 60, "never more than the items");
    }

    #[test]
    fn the_minimum_spend_is_on_the_items_before_discounts() {
        let a = Benefit::AmountOff { amount_minor: 20 };
        assert_eq!(discount_of("C", a, 200, 199, &[]).unwrap_err().code(), "CouponMinimumSpend");
        assert_eq!(discount_of("C", a, 200, 200, &[]).unwrap(), 20);
    }

    #[test]
    fn a_free_item_needs_the_item_and_takes_one_unit() {
        let f = Benefit::FreeItem { product_id: 7 };
        assert_eq!(discount_of("C", f, 0, 150, &[line(7, 45, 2), line(8, 60, 1)]).unwrap(), 45);
        assert_eq!(discount_of("C", f, 0, 60, &[line(8, 60, 1)]).unwrap_err().code(), "CouponItemNotInSale");
        assert_eq!(stamp_items_paid_for(3, &[line(7, 45, 2), line(8, 60, 1)], &[7]), 2);
    }

    #[test]
    fn a_coupon_that_does_not_combine_goes_alone() {
        assert!(check_combination(&[("A", false)]).is_ok());
        assert!(check_combination(&[("A", true), ("B", true)]).is_ok());
        assert_eq!(check_combination(&[("A", true), ("B", false)]).unwrap_err().code(), "CouponsDoNotCombine");
        assert_eq!(check_combination(&[("A", true), ("A", true)]).unwrap_err().code(), "CouponUsed");
    }

    #[test]
    fn an_offer_sets_only_its_kinds_values_and_one_validity() {
        let base = OfferInput {
            name: " 生日九折 ".into(),
            kind: OfferKind::PercentOff,
            amount_off_minor: None,
            percent_off: Some(10),
            cap_minor: Some(100),
            product_id: None,
            program_id: None,
            extra_stamps: None,
            min_spend_minor: 0,
            valid_days: Some(30),
            valid_from: None,
            valid_until: None,
            combinable: false,
        };
        let (name, benefit, validity) = base.validate().unwrap();
        assert_eq!(name, "生日九折");
        assert_eq!(benefit, Benefit::PercentOff { percent: 10, cap_minor: 100 });
        assert_eq!(validity, Validity::DaysFromIssue(30));
        assert!(OfferInput { cap_minor: None, ..base.clone() }.validate().is_err(), "a percent needs a cap");
        assert!(OfferInput { amount_off_minor: Some(5), ..base.clone() }.validate().is_err());
        assert!(OfferInput { valid_from: Some(day("2027-01-01")), ..base.clone() }.validate().is_err());
        assert!(OfferInput { percent_off: Some(101), ..base }.validate().is_err());
        assert_eq!(most_cost(Benefit::PercentOff { percent: 10, cap_minor: 100 }, 0, 12), 1_200);
    }
}
