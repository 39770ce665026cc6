//! Unusual activity for the owner, per staff member and shop day: large
//! refunds and corrections, top-ups paid "other" (money that never reached
//! the drawer or the terminal), voids made after the day was closed, and a
//! member served more times in a day than a shop normally sees (Square's
//! loyalty fraud alert uses five a day). Pure: the store reads the receipts.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What counts as unusual.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UnusualRules {
    /// A refund or correction moving at least this much (minor units).
    pub amount_minor: i64,
    /// More than this many receipts for one member in one shop day.
    pub per_member_per_day: i64,
}

/// One receipt as the rules need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptFact {
    pub number: i64,
    /// `sale`, `top_up`, `redeem`, `refund`, `adjust`, `void`.
    pub kind: String,
    pub day: NaiveDate,
    pub staff: String,
    pub member_id: i64,
    pub member_no: String,
    /// Total plus bonus, as signed on the receipt.
    pub amount_minor: i64,
    pub paid_other: bool,
    /// For a void: the shop day of the receipt it undoes, and whether that
    /// day's drawer had been counted before the void was made.
    pub voids_closed_day: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum UnusualKind {
    LargeRefund,
    LargeAdjust,
    OtherTopUp,
    VoidAfterClose,
    BusyMember,
}

/// One finding: what, on which day, by whom, and what it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Unusual {
    pub kind: UnusualKind,
    pub day: NaiveDate,
    pub staff: String,
    /// The receipt, for a finding about one.
    #[ts(optional)]
    pub receipt_number: Option<i64>,
    pub member_no: String,
    /// The amount moved (absolute); for a busy member, the sum over the
    /// day's receipts.
    pub amount_minor: i64,
    pub count: i64,
}

/// The findings, by day, then staff member, then kind.
pub fn unusual(facts: &[ReceiptFact], rules: UnusualRules) -> Vec<Unusual> {
    let mut out = Vec::new();
    let one = |f: &ReceiptFact, kind| Unusual {
        kind,
        day: f.day,
        staff: f.staff.clone(),
        receipt_number: Some(f.number),
        member_no: f.member_no.clone(),
        amount_minor: f.amount_minor.abs(),
        count: 1,
    };
    let mut per_member: BTreeMap<(NaiveDate, i64), Vec<&ReceiptFact>> = BTreeMap::new();
    for f in facts {
        match f.kind.as_str() {
            "refund" if f.amount_minor.abs() >= rules.amount_minor => out.push(one(f, UnusualKind::LargeRefund)),
            "adjust" if f.amount_minor.abs() >= rules.amount_minor => out.push(one(f, UnusualKind::LargeAdjust)),
            "top_up" if f.paid_other => out.push(one(f, UnusualKind::OtherTopUp)),
            "void" if f.voids_closed_day => out.push(one(f, UnusualKind::VoidAfterClose)),
            _ => {}
        }
        per_member.entry((f.day, f.member_id)).or_default().push(f);
    }
    for ((day, _), served) in per_member {
        if served.len() as i64 > rules.per_member_per_day {
            // Named after whoever served the member most that day.
            let mut by: BTreeMap<&str, usize> = BTreeMap::new();
            for f in &served {
                *by.entry(f.staff.as_str()).or_default() += 1;
            }
            let staff = by.iter().max_by_key(|(_, n)| **n).map(|(s, _)| s.to_string()).unwrap_or_default();
            out.push(Unusual {
                kind: UnusualKind::BusyMember,
                day,
                staff,
                receipt_number: None,
                member_no: served[0].member_no.clone(),
                amount_minor: served.iter().map(|f| f.amount_minor.abs()).sum(),
                count: served.len() as i64,
            });
        }
    }
    out.sort_by(|a, b| (a.day, &a.staff, a.kind, a.receipt_number).cmp(&(b.day, &b.staff, b.kind, b.receipt_number)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(number: i64, kind: &str, staff: &str, member_id: i64, amount_minor: i64) -> ReceiptFact {
        ReceiptFact {
            number,
            kind: kind.into(),
            day: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            staff: staff.into(),
            member_id,
            member_no: format!("M{member_id:06}"),
            amount_minor,
            paid_other: false,
            voids_closed_day: false,
        }
    }

    const RULES: UnusualRules = UnusualRules { amount_minor: 1_000, per_member_per_day: 5 };

    #[test]
    fn refunds_and_corrections_from_the_threshold_up_are_named() {
        let facts = [
            fact(1, "refund", "小美", 1, -999),
            fact(2, "refund", "小美", 2, -1_000),
            fact(3, "adjust", "阿哲", 3, 1_500),
            fact(4, "adjust", "阿哲", 4, -200),
        ];
        let found: Vec<(UnusualKind, Option<i64>)> =
            unusual(&facts, RULES).iter().map(|u| (u.kind, u.receipt_number)).collect();
        assert_eq!(found, vec![(UnusualKind::LargeRefund, Some(2)), (UnusualKind::LargeAdjust, Some(3))]);
    }

    #[test]
    fn other_top_ups_voids_after_the_close_and_a_sixth_visit_are_named() {
        let mut other = fact(1, "top_up", "小美", 1, 500);
        other.paid_other = true;
        let mut late = fact(2, "void", "阿哲", 2, -80);
        late.voids_closed_day = true;
        let mut facts = vec![other, late, fact(3, "void", "阿哲", 3, -80)];
        facts.extend((10..15).map(|n| fact(n, "sale", "小美", 9, 50)));
        assert!(unusual(&facts, RULES).iter().all(|u| u.kind != UnusualKind::BusyMember), "five is not unusual");
        facts.push(fact(15, "redeem", "阿哲", 9, 0));
        let found = unusual(&facts, RULES);
        let kinds: Vec<UnusualKind> = found.iter().map(|u| u.kind).collect();
        assert_eq!(kinds, vec![UnusualKind::OtherTopUp, UnusualKind::BusyMember, UnusualKind::VoidAfterClose]);
        let busy = found.iter().find(|u| u.kind == UnusualKind::BusyMember).unwrap();
        assert_eq!((busy.count, busy.staff.as_str(), busy.member_no.as_str()), (6, "小美", "M000009"));
    }
}
