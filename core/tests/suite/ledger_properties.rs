//! Random sequences of money, stamp, coupon and points operations across
//! three members (sales redeeming coupons and points, voids, coupons issued
//! alone and as campaigns, the points rules changed, days passing beyond
//! coupons' and points' last days), checked after every step against the
//! store's own audit, against books kept from the receipts handed back,
//! against the file's ledgers read directly, and against a small model of
//! what each operation must do.
#![allow(clippy::disallowed_methods)] // Reads the ledgers with raw SQL on a second connection.

use crate::common::*;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use proptest::prelude::*;
use proptest::sample::Index;
use regulars::coupon::{OfferInput, OfferKind};
use regulars::points::PointsSettings;
use regulars::store::coupons::{CampaignRequest, CouponStatus, IssueCouponRequest};
use regulars::{
    AdjustRequest, EarnRule, LineInput, NewStampProgram, PaymentMethod, Receipt, ReceiptKind, RedeemRequest,
    RefundRequest, SaleRequest, Store, TopUpRequest, VoidRequest,
};
use std::collections::{BTreeMap, BTreeSet};

const PER_ITEM_NEEDED: i64 = 3;
const PER_VISIT_NEEDED: i64 = 2;

#[derive(Debug, Clone)]
enum Op {
    TopUp {
        member: usize,
        amount: i64,
    },
    /// A sale of items worth `stored_value + cash` (before discounts); with
    /// coupons or points the payments are cut to what is left to pay,
    /// stored value first.
    Sale {
        member: usize,
        stored_value: i64,
        cash: i64,
        items: i64,
        redeem: Vec<usize>,
        coupons: Vec<(Index, bool)>,
        points: PointsAsk,
        with_lines: bool,
    },
    IssueCoupon {
        member: usize,
        offer: usize,
    },
    Campaign {
        offer: usize,
        members: Vec<usize>,
    },
    PointsRule {
        earn_per_minor: i64,
        expiry_months: Option<i64>,
    },
    /// Days pass (past coupons' and points' last days).
    Wait {
        days: i64,
    },
    Redeem {
        member: usize,
        program: usize,
    },
    Refund {
        member: usize,
        amount: i64,
        all_paid: bool,
    },
    Adjust {
        member: usize,
        paid: i64,
        bonus: i64,
    },
    /// A receipt voided: any, the latest, or one that does not exist.
    Void {
        pick: Index,
        missing: bool,
        latest: bool,
    },
    Retry {
        pick: Index,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let member = 0usize..3;
    prop_oneof![
        4 => (member.clone(), 1i64..2500).prop_map(|(member, amount)| Op::TopUp { member, amount }),
        12 => (
            (
                member.clone(),
                prop_oneof![Just(0i64), 0i64..700],
                0i64..300,
                0i64..4,
                prop_oneof![4 => Just(Vec::new()), 1 => prop::collection::vec(0usize..2, 1..3)],
            ),
            (
                // Mostly the member's own coupons, now and then anyone's.
                prop::collection::vec((any::<Index>(), prop::bool::weighted(0.85)), 0..3),
                prop_oneof![
                    2 => Just(PointsAsk::None),
                    2 => (1i64..=100).prop_map(PointsAsk::Share),
                    1 => (1i64..200).prop_map(PointsAsk::Exactly),
                ],
                any::<bool>(),
            ),
        )
            .prop_map(|((member, stored_value, cash, items, redeem), (coupons, points, with_lines))| Op::Sale {
                member,
                stored_value,
                cash,
                items,
                redeem,
                coupons,
                points,
                with_lines,
            }),
        3 => (member.clone(), 0usize..OFFERS.len()).prop_map(|(member, offer)| Op::IssueCoupon { member, offer }),
        1 => (0usize..OFFERS.len(), prop::collection::vec(member.clone(), 0..4))
            .prop_map(|(offer, members)| Op::Campaign { offer, members }),
        1 => (prop::sample::select(vec![0i64, 5, 10, 20]), prop::sample::select(vec![None, Some(1i64), Some(2)]))
            .prop_map(|(earn_per_minor, expiry_months)| Op::PointsRule { earn_per_minor, expiry_months }),
        2 => prop_oneof![1i64..4, 20i64..70].prop_map(|days| Op::Wait { days }),
        2 => (member.clone(), 0usize..2).prop_map(|(member, program)| Op::Redeem { member, program }),
        2 => (member.clone(), 1i64..1500, any::<bool>()).prop_map(|(member, amount, all_paid)| Op::Refund { member, amount, all_paid }),
        2 => (member.clone(), -400i64..400, -150i64..150).prop_map(|(member, paid, bonus)| Op::Adjust { member, paid, bonus }),
        3 => (any::<Index>(), prop::bool::weighted(0.1), prop::bool::weighted(0.4))
            .prop_map(|(pick, missing, latest)| Op::Void { pick, missing, latest }),
        1 => any::<Index>().prop_map(|pick| Op::Retry { pick }),
    ]
}

/// Points a sale redeems: none, a share (in percent) of what the member
/// can use, or a number that may be more than they have.
#[derive(Debug, Clone, Copy)]
enum PointsAsk {
    None,
    Share(i64),
    Exactly(i64),
}

/// A request that succeeded, kept so it can be retried.
#[derive(Debug, Clone)]
enum Sent {
    TopUp(TopUpRequest),
    Sale(SaleRequest),
    Redeem(RedeemRequest),
    Refund(RefundRequest),
    Adjust(AdjustRequest),
    Void(VoidRequest),
}

/// The documented bonus rules the test configures, computed independently.
fn expected_bonus(paid: i64) -> i64 {
    if paid >= 2000 {
        paid * 500 / 10_000
    } else if paid >= 1000 {
        100
    } else if paid >= 500 {
        30
    } else {
        0
    }
}

/// The coupon offers the test adds: (what it takes off, combines with others, days valid).
#[derive(Debug, Clone, Copy)]
enum Off {
    Amount(i64),
    /// Percent off, capped.
    Percent(i64, i64),
}

const OFFERS: [(Off, bool, i64); 3] =
    [(Off::Amount(30), true, 3), (Off::Amount(50), false, 10), (Off::Percent(10, 40), true, 5)];

impl Off {
    /// The documented rule, worked out here: never more than the items.
    fn discount(self, gross: i64) -> i64 {
        match self {
            Off::Amount(a) => a.min(gross),
            Off::Percent(p, cap) => (gross * p / 100).min(cap).min(gross),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CouponState {
    Issued,
    /// Redeemed on this receipt number.
    Redeemed(i64),
    /// Used up: a void found it past its last day.
    Expired,
}

#[derive(Debug, Clone)]
struct ModelCoupon {
    code: String,
    member: i64,
    offer: usize,
    until: NaiveDate,
    state: CouponState,
}

/// The shop's points rules as the test sets them (a point is worth 1, up to
/// the whole bill, no multipliers).
#[derive(Debug, Clone, Copy)]
struct PointsRules {
    earn_per_minor: i64,
    expiry_months: Option<i64>,
}

impl PointsRules {
    fn settings(self) -> PointsSettings {
        PointsSettings {
            earn_per_minor: self.earn_per_minor,
            point_value_minor: 1,
            expiry_months: self.expiry_months,
            max_redeem_percent: 100,
            birthday_multiplier_pct: 100,
        }
    }
    fn earned_on(self, paid: i64) -> i64 {
        if self.earn_per_minor == 0 {
            0
        } else {
            paid / self.earn_per_minor
        }
    }
    /// The last usable day of points earned on `day`: the end of the month
    /// `expiry_months` after it.
    fn last_day(self, day: NaiveDate) -> NaiveDate {
        let Some(months) = self.expiry_months else { return NaiveDate::MAX };
        let month0 = day.month0() as i64 + months + 1; // the month after the last one
        let first_after =
            NaiveDate::from_ymd_opt(day.year() + (month0 / 12) as i32, (month0 % 12) as u32 + 1, 1).unwrap();
        first_after.pred_opt().unwrap()
    }
}

/// One member's points: what each batch (by last usable day) holds net of
/// voids, and what redemptions and written-off lapses took.
#[derive(Debug, Default, Clone)]
struct MemberPointsModel {
    batches: BTreeMap<NaiveDate, i64>,
    taken: i64,
}

impl MemberPointsModel {
    /// The ledger's sum.
    fn held(&self) -> i64 {
        self.batches.values().sum::<i64>() - self.taken
    }
    /// Points whose batch's last day is before `today`, after what was
    /// taken used the batches oldest first.
    fn lapsed(&self, today: NaiveDate) -> i64 {
        let mut to_take = self.taken;
        let mut lapsed = 0;
        for (day, points) in &self.batches {
            let used = to_take.min((*points).max(0));
            to_take -= used;
            if *day < today {
                lapsed += points - used;
            }
        }
        lapsed
    }
    fn usable(&self, today: NaiveDate) -> i64 {
        self.held() - self.lapsed(today)
    }
}

/// What the test expects: wallets (paid, bonus), stamp cards, coupons and
/// points per member.
#[derive(Debug, Clone)]
struct Model {
    paid: BTreeMap<i64, i64>,
    bonus: BTreeMap<i64, i64>,
    stamps: BTreeMap<(i64, i64), i64>,
    voided: BTreeMap<i64, bool>,
    coupons: Vec<ModelCoupon>,
    points: BTreeMap<i64, MemberPointsModel>,
    rules: PointsRules,
}

impl Default for Model {
    fn default() -> Self {
        Model {
            paid: BTreeMap::new(),
            bonus: BTreeMap::new(),
            stamps: BTreeMap::new(),
            voided: BTreeMap::new(),
            coupons: Vec::new(),
            points: BTreeMap::new(),
            rules: START_RULES,
        }
    }
}

/// A point for every NT$10 paid, lapsing at the end of the next month.
const START_RULES: PointsRules = PointsRules { earn_per_minor: 10, expiry_months: Some(1) };

impl Model {
    fn wallet(&self, m: i64) -> (i64, i64) {
        (self.paid.get(&m).copied().unwrap_or(0), self.bonus.get(&m).copied().unwrap_or(0))
    }
    fn set_wallet(&mut self, m: i64, w: (i64, i64)) {
        self.paid.insert(m, w.0);
        self.bonus.insert(m, w.1);
    }
    fn card(&self, m: i64, p: i64) -> i64 {
        self.stamps.get(&(m, p)).copied().unwrap_or(0)
    }
    fn member_points(&mut self, m: i64) -> &mut MemberPointsModel {
        self.points.entry(m).or_default()
    }
    fn held(&self, m: i64) -> i64 {
        self.points.get(&m).map_or(0, MemberPointsModel::held)
    }
    fn usable(&self, m: i64, today: NaiveDate) -> i64 {
        self.points.get(&m).map_or(0, |p| p.usable(today))
    }
    fn lapsed(&self, m: i64, today: NaiveDate) -> i64 {
        self.points.get(&m).map_or(0, |p| p.lapsed(today))
    }
}

struct World {
    shop: Shop,
    /// A second connection that reads the ledgers directly.
    raw: rusqlite::Connection,
    members: Vec<i64>,
    /// The offers' ids, in the order of `OFFERS`.
    offers: Vec<i64>,
    /// The float's closing (paid, bonus) on each shop day that had writes.
    closing: BTreeMap<NaiveDate, (i64, i64)>,
    programs: Vec<(i64, i64)>, // (id, stamps needed): per item, per visit
    model: Model,
    books: Books,
    sent: Vec<(Sent, i64)>,
    /// What each receipt did to its member's wallet, by receipt number.
    effects: BTreeMap<i64, Effect>,
    next_request: u64,
}

/// A receipt as the test sent it, with what the model says it did to the
/// member's stored value (paid, bonus): the day close is expected from these.
#[derive(Debug, Clone)]
struct Effect {
    sent: Sent,
    paid: i64,
    bonus: i64,
    /// The receipt's total: for a sale, what is left after its discounts.
    total: i64,
    /// The shop day it was written on.
    day: NaiveDate,
    /// A sale's coupons (indexes into the model's coupons), the points it
    /// redeemed and those it earned with their last usable day.
    coupons: Vec<usize>,
    points_redeemed: i64,
    points_earned: (i64, NaiveDate),
}

impl Effect {
    /// Cash moved into the drawer (a refund pays out).
    fn cash(&self) -> i64 {
        match &self.sent {
            Sent::TopUp(r) => r.paid_minor,
            Sent::Sale(r) => paid_with(r, PaymentMethod::Cash),
            Sent::Refund(r) => -r.amount_minor,
            _ => 0,
        }
    }
    /// Stamps earned: every item on the per-item card, one on the per-visit card.
    fn stamps_earned(&self) -> i64 {
        match &self.sent {
            Sent::Sale(r) if r.lines.is_empty() => r.stamp_items.unwrap_or(0) + 1,
            Sent::Sale(r) => r.lines.iter().filter(|l| l.earns_stamps).map(|l| l.quantity).sum::<i64>() + 1,
            _ => 0,
        }
    }
    fn rewards(&self) -> i64 {
        match &self.sent {
            Sent::Sale(r) => r.redeem_program_ids.len() as i64,
            Sent::Redeem(_) => 1,
            _ => 0,
        }
    }
}

fn paid_with(r: &SaleRequest, method: PaymentMethod) -> i64 {
    r.payments.iter().filter(|p| p.method == method).map(|p| p.amount_minor).sum()
}

/// The day close the test expects from what it sent, worked out here and
/// not read back from the store.
#[derive(Debug, Default, PartialEq, Eq)]
struct ExpectedClose {
    sales: (i64, i64),
    top_ups: (i64, i64),
    bonus_given: i64,
    refunds: (i64, i64),
    voided_sales: (i64, i64),
    voided_top_ups: (i64, i64),
    adjustments: (i64, i64),
    rewards_redeemed: i64,
    stamps_given: i64,
    new_members: i64,
    /// Cash: sales, top-ups, refunds paid out, undone by voids, net.
    cash: (i64, i64, i64, i64, i64),
    /// Stored value spent: sales, undone by voids, net.
    stored_value: (i64, i64, i64),
    /// The float's movements, (paid, bonus) each.
    float: [(i64, i64); 8],
}

/// The day close of shop day `day`, from the effects written that day;
/// the float opens at `opening` and closes at `closing`.
fn expected_close(
    effects: &BTreeMap<i64, Effect>,
    day: NaiveDate,
    members: i64,
    opening: (i64, i64),
    closing: (i64, i64),
) -> ExpectedClose {
    let mut x = ExpectedClose { new_members: members, ..Default::default() };
    let add = |to: &mut (i64, i64), by: (i64, i64)| {
        to.0 += by.0;
        to.1 += by.1;
    };
    // Float rows: opening, top-ups, spends, refunds, forfeits, adjustments, voids, closing.
    let mut float = [(0, 0); 8];
    for e in effects.values().filter(|e| e.day == day) {
        let cash = e.cash();
        match &e.sent {
            Sent::TopUp(r) => {
                add(&mut x.top_ups, (1, r.paid_minor));
                x.bonus_given += e.bonus;
                x.cash.1 += cash;
                add(&mut float[1], (e.paid, e.bonus));
            }
            Sent::Sale(r) => {
                add(&mut x.sales, (1, e.total));
                x.cash.0 += cash;
                x.stored_value.0 += paid_with(r, PaymentMethod::StoredValue);
                add(&mut float[2], (e.paid, e.bonus));
            }
            Sent::Refund(r) => {
                add(&mut x.refunds, (1, r.amount_minor));
                x.cash.2 += r.amount_minor;
                add(&mut float[3], (e.paid, 0));
                add(&mut float[4], (0, e.bonus));
            }
            Sent::Adjust(r) => {
                add(&mut x.adjustments, (1, r.paid_delta_minor + r.bonus_delta_minor));
                add(&mut float[5], (e.paid, e.bonus));
            }
            Sent::Redeem(_) => {}
            Sent::Void(v) => {
                let original = &effects[&v.receipt_number];
                match &original.sent {
                    Sent::Sale(r) => {
                        add(&mut x.voided_sales, (1, original.total));
                        x.stored_value.1 += paid_with(r, PaymentMethod::StoredValue);
                    }
                    Sent::TopUp(r) => add(&mut x.voided_top_ups, (1, r.paid_minor)),
                    _ => {}
                }
                x.cash.3 += original.cash();
                x.stamps_given -= original.stamps_earned();
                x.rewards_redeemed -= original.rewards();
                add(&mut float[6], (e.paid, e.bonus));
            }
        }
        x.stamps_given += e.stamps_earned();
        x.rewards_redeemed += e.rewards();
    }
    x.cash.4 = x.cash.0 + x.cash.1 - x.cash.2 - x.cash.3;
    x.stored_value.2 = x.stored_value.0 - x.stored_value.1;
    float[0] = opening;
    float[7] = closing;
    x.float = float;
    x
}

/// The same figures as the store's day close shows them.
fn shown_close(close: &regulars::day_close::DayClose) -> ExpectedClose {
    let kind = |k: &regulars::day_close::KindTotal| (k.count, k.amount_minor);
    let method = |m: PaymentMethod| close.methods.iter().filter(move |r| r.method == m);
    let sum = |m: PaymentMethod, f: fn(&regulars::day_close::MethodTotal) -> i64| method(m).map(f).sum::<i64>();
    let f = &close.float;
    let parts = |p: &regulars::day_close::FloatParts| (p.paid_minor, p.bonus_minor);
    ExpectedClose {
        sales: kind(&close.sales),
        top_ups: kind(&close.top_ups),
        bonus_given: close.bonus_given_minor,
        refunds: kind(&close.refunds),
        voided_sales: kind(&close.voided_sales),
        voided_top_ups: kind(&close.voided_top_ups),
        adjustments: kind(&close.adjustments),
        rewards_redeemed: close.rewards_redeemed,
        stamps_given: close.stamps_given,
        new_members: close.new_members,
        cash: (
            sum(PaymentMethod::Cash, |m| m.sales_minor),
            sum(PaymentMethod::Cash, |m| m.top_ups_minor),
            sum(PaymentMethod::Cash, |m| m.refunds_minor),
            sum(PaymentMethod::Cash, |m| m.voids_minor),
            close.cash_minor,
        ),
        stored_value: (
            sum(PaymentMethod::StoredValue, |m| m.sales_minor),
            sum(PaymentMethod::StoredValue, |m| m.voids_minor),
            sum(PaymentMethod::StoredValue, |m| m.net_minor),
        ),
        float: [
            parts(&f.opening),
            parts(&f.top_ups),
            parts(&f.spends),
            parts(&f.refunds),
            parts(&f.forfeits),
            parts(&f.adjustments),
            parts(&f.voids),
            parts(&f.closing),
        ],
    }
}

fn setup() -> World {
    let mut shop = new_quick_shop();
    let t0 = at("2026-01-05T01:00:00Z");
    let members = ["陳怡君", "Brian Lee", "王小明"]
        .iter()
        .enumerate()
        .map(|(i, n)| register(&mut shop.store, n, Some(&format!("0912-000-00{i}")), t0).id)
        .collect();
    let per_item = shop
        .store
        .add_program(
            &NewStampProgram {
                name: "飲品集點卡".into(),
                stamps_needed: PER_ITEM_NEEDED,
                reward_text: "任選飲品一杯".into(),
                earn_rule: EarnRule::PerItem,
                expiry_days: None,
            },
            t0,
        )
        .unwrap();
    let per_visit = shop
        .store
        .add_program(
            &NewStampProgram {
                name: "來店禮".into(),
                stamps_needed: PER_VISIT_NEEDED,
                reward_text: "小菜一份".into(),
                earn_rule: EarnRule::PerVisit,
                expiry_days: None,
            },
            t0,
        )
        .unwrap();
    shop.store.set_bonus_rule(500, 30, 0, t0).unwrap();
    shop.store.set_bonus_rule(1000, 100, 0, t0).unwrap();
    shop.store.set_bonus_rule(2000, 0, 500, t0).unwrap();
    shop.store.set_points_settings(&START_RULES.settings(), t0).unwrap();
    let offers = OFFERS
        .iter()
        .enumerate()
        .map(|(i, (off, combinable, days))| {
            let mut input = amount_off_offer(&format!("優惠 {i}"), 1, *combinable);
            input.valid_days = Some(*days);
            match off {
                Off::Amount(a) => input.amount_off_minor = Some(*a),
                Off::Percent(p, cap) => {
                    input = OfferInput {
                        kind: OfferKind::PercentOff,
                        amount_off_minor: None,
                        percent_off: Some(*p),
                        cap_minor: Some(*cap),
                        ..input
                    }
                }
            }
            shop.store.add_offer(&input, t0).unwrap().id
        })
        .collect();
    let raw = rusqlite::Connection::open(&shop.path).unwrap();
    World {
        shop,
        raw,
        offers,
        closing: BTreeMap::new(),
        members,
        programs: vec![(per_item.id, PER_ITEM_NEEDED), (per_visit.id, PER_VISIT_NEEDED)],
        model: Model::default(),
        books: Books::default(),
        sent: Vec::new(),
        effects: BTreeMap::new(),
        next_request: 0,
    }
}

impl World {
    fn request_id(&mut self) -> String {
        self.next_request += 1;
        format!("req-{}", self.next_request)
    }

    fn send(&mut self, s: &Sent, now: chrono::DateTime<chrono::Utc>) -> regulars::Result<Receipt> {
        let st: &mut Store = &mut self.shop.store;
        match s {
            Sent::TopUp(r) => st.top_up(r, now),
            Sent::Sale(r) => st.record_sale(r, now),
            Sent::Redeem(r) => st.redeem_reward(r, now),
            Sent::Refund(r) => st.refund_stored_value(r, now),
            Sent::Adjust(r) => st.adjust_stored_value(r, now),
            Sent::Void(r) => st.void_receipt(r, now),
        }
    }

    /// Runs one op; returns a description of any broken expectation.
    fn step(&mut self, op: &Op, now: DateTime<Utc>) -> Result<(), TestCaseError> {
        let today = shop_day(now);
        match op {
            Op::IssueCoupon { member, offer } => return self.issue_coupon(*member, *offer, now),
            Op::Campaign { offer, members } => return self.issue_campaign(*offer, members, now),
            Op::PointsRule { earn_per_minor, expiry_months } => {
                let rules = PointsRules { earn_per_minor: *earn_per_minor, expiry_months: *expiry_months };
                self.shop
                    .store
                    .set_points_settings(&rules.settings(), now)
                    .map_err(|e| TestCaseError::fail(format!("points rules refused: {e}")))?;
                self.model.rules = rules;
                return self.check(now);
            }
            Op::Wait { .. } => return self.check(now),
            _ => {}
        }
        let before = snapshot(&self.shop.store, &self.members, now);
        let receipts_before = before.receipts.len() as i64;
        // What a receipt must show besides the wallet and stamps.
        let mut extra = Extra::new();
        // Build the request and what the model says must happen.
        let (sent, expect): (Sent, Result<Model, &'static str>) = match op.clone() {
            Op::TopUp { member, amount } => {
                let m = self.members[member];
                let req = TopUpRequest { request_id: self.request_id(), ..top_up_req("", m, amount) };
                let mut next = self.model.clone();
                let (p, b) = next.wallet(m);
                next.set_wallet(m, (p + amount, b + expected_bonus(amount)));
                (Sent::TopUp(req), Ok(next))
            }
            Op::Sale { member, stored_value, cash, items, redeem, coupons, points, with_lines } => {
                let m = self.members[member];
                let points = match points {
                    PointsAsk::None => 0,
                    PointsAsk::Share(pct) => (self.model.usable(m, today) * pct + 99) / 100,
                    PointsAsk::Exactly(n) => n,
                };
                let total = stored_value + cash;
                let own: Vec<usize> =
                    (0..self.model.coupons.len()).filter(|i| self.model.coupons[*i].member == m).collect();
                let picked: Vec<usize> = coupons
                    .iter()
                    .filter_map(|(pick, mine)| match (*mine && !own.is_empty(), self.model.coupons.len()) {
                        (_, 0) => None,
                        (true, _) => Some(own[pick.index(own.len())]),
                        (false, _) if *mine => None,
                        (false, n) => Some(pick.index(n)),
                    })
                    .collect();
                // The refusals in the order checkout checks them: the total,
                // each coupon, the coupons together, the points.
                let mut refusal = (total == 0).then_some("AmountNotPositive");
                for &i in &picked {
                    let c = &self.model.coupons[i];
                    if refusal.is_none() {
                        refusal = if c.member != m {
                            Some("CouponNotThisMember")
                        } else if c.state != CouponState::Issued {
                            Some("CouponUsed")
                        } else if today > c.until {
                            Some("CouponExpired")
                        } else {
                            None
                        };
                    }
                }
                if refusal.is_none() {
                    if picked.iter().collect::<BTreeSet<_>>().len() < picked.len() {
                        refusal = Some("CouponUsed");
                    } else if picked.len() > 1 && picked.iter().any(|i| !OFFERS[self.model.coupons[*i].offer].1) {
                        refusal = Some("CouponsDoNotCombine");
                    }
                }
                let mut offs = Vec::new();
                let mut coupon_off = 0;
                if refusal.is_none() {
                    for &i in &picked {
                        let off = OFFERS[self.model.coupons[i].offer].0.discount(total).min(total - coupon_off);
                        coupon_off += off;
                        offs.push(off);
                    }
                    if points > self.model.usable(m, today) {
                        refusal = Some("InsufficientPoints");
                    } else if points > total - coupon_off {
                        refusal = Some("InvalidInput");
                    }
                }
                let due = total - coupon_off - points;
                let with_discounts = !picked.is_empty() || points != 0;
                // What is left to pay, stored value first.
                let (stored_value, cash) = if with_discounts && refusal.is_none() {
                    let sv = stored_value.min(due);
                    (sv, due - sv)
                } else {
                    (stored_value, cash)
                };
                let mut payments = Vec::new();
                if stored_value > 0 {
                    payments.push((PaymentMethod::StoredValue, stored_value));
                }
                if cash > 0 {
                    payments.push((PaymentMethod::Cash, cash));
                }
                let mut req = sale_req(&self.request_id(), m, &payments);
                req.total_minor = total;
                if with_lines {
                    req.lines = lines_of(total, items);
                } else {
                    req.stamp_items = Some(items);
                }
                req.redeem_program_ids = redeem.iter().map(|i| self.programs[*i].0).collect();
                req.coupon_codes = picked.iter().map(|i| self.model.coupons[*i].code.clone()).collect();
                req.redeem_points = points;
                let (p, b) = self.model.wallet(m);
                let expect = if let Some(code) = refusal {
                    Err(code)
                } else if stored_value > p + b {
                    Err("InsufficientBalance")
                } else {
                    let mut next = self.model.clone();
                    let from_paid = stored_value.min(p);
                    next.set_wallet(m, (p - from_paid, b - (stored_value - from_paid)));
                    let mut full = true;
                    for (i, (pid, needed)) in self.programs.iter().enumerate() {
                        let earned = if i == 0 { items } else { 1 };
                        let redeemed = redeem.iter().filter(|r| **r == i).count() as i64;
                        let available = next.card(m, *pid) + earned;
                        if available < redeemed * needed {
                            full = false;
                        }
                        next.stamps.insert((m, *pid), available - redeemed * needed);
                    }
                    // The coupons are used; lapsed points are written off, the
                    // redeemed ones taken, and what was paid earns a batch.
                    for &i in &picked {
                        next.coupons[i].state = CouponState::Redeemed(receipts_before + 1);
                    }
                    let held = next.held(m);
                    let lapsed = next.lapsed(m, today);
                    let earned = next.rules.earned_on(due);
                    let last_day = next.rules.last_day(today);
                    let mp = next.member_points(m);
                    mp.taken += lapsed + points;
                    if earned > 0 {
                        *mp.batches.entry(last_day).or_default() += earned;
                    }
                    let mut discounts: Vec<(String, i64, i64)> = picked
                        .iter()
                        .zip(&offs)
                        .map(|(i, off)| (self.model.coupons[*i].code.clone(), *off, 0))
                        .collect();
                    if points > 0 {
                        discounts.push((String::new(), points, points));
                    }
                    extra = Extra {
                        total: Some(due),
                        discounts,
                        points_row: (lapsed != 0 || points != 0 || earned != 0).then_some([
                            held,
                            earned,
                            points,
                            lapsed,
                            held - lapsed - points + earned,
                        ]),
                        coupons: picked.clone(),
                        points_redeemed: points,
                        points_earned: (earned, last_day),
                    };
                    if full {
                        Ok(next)
                    } else {
                        Err("CardNotFull")
                    }
                };
                (Sent::Sale(req), expect)
            }
            Op::Redeem { member, program } => {
                let m = self.members[member];
                let (pid, needed) = self.programs[program];
                let req = RedeemRequest {
                    request_id: self.request_id(),
                    member_id: m,
                    program_id: pid,
                    cashier: "店長".into(),
                    note: String::new(),
                };
                let have = self.model.card(m, pid);
                let expect = if have < needed {
                    Err("CardNotFull")
                } else {
                    let mut next = self.model.clone();
                    next.stamps.insert((m, pid), have - needed);
                    Ok(next)
                };
                (Sent::Redeem(req), expect)
            }
            Op::Refund { member, amount, all_paid } => {
                let m = self.members[member];
                let (p, b) = self.model.wallet(m);
                let amount = if all_paid { p } else { amount };
                let req = RefundRequest {
                    request_id: self.request_id(),
                    member_id: m,
                    amount_minor: amount,
                    method: PaymentMethod::Cash,
                    method_id: None,
                    cashier: "店長".into(),
                    note: "客人退卡".into(),
                };
                let expect = if amount <= 0 {
                    Err("AmountNotPositive")
                } else if amount > p {
                    Err("InsufficientBalance")
                } else {
                    let mut next = self.model.clone();
                    next.set_wallet(m, (p - amount, if amount == p { 0 } else { b }));
                    Ok(next)
                };
                (Sent::Refund(req), expect)
            }
            Op::Adjust { member, paid, bonus } => {
                let m = self.members[member];
                let (p, b) = self.model.wallet(m);
                let req = AdjustRequest {
                    request_id: self.request_id(),
                    member_id: m,
                    paid_delta_minor: paid,
                    bonus_delta_minor: bonus,
                    reason: "盤點更正".into(),
                    cashier: "店長".into(),
                };
                let expect = if paid == 0 && bonus == 0 {
                    Err("AmountNotPositive")
                } else if p + paid < 0 || b + bonus < 0 {
                    Err("InsufficientBalance")
                } else {
                    let mut next = self.model.clone();
                    next.set_wallet(m, (p + paid, b + bonus));
                    Ok(next)
                };
                (Sent::Adjust(req), expect)
            }
            Op::Void { pick, missing, latest } => {
                let n = self.books.receipts.len();
                let number = match (missing || n == 0, latest) {
                    (true, _) => n as i64 + 1,
                    (false, true) => n as i64,
                    (false, false) => pick.index(n) as i64 + 1,
                };
                let req = VoidRequest {
                    request_id: self.request_id(),
                    receipt_number: number,
                    reason: "打錯了".into(),
                    cashier: "店長".into(),
                };
                let expect = match self.books.receipts.get(&number) {
                    None => Err("ReceiptNotFound"),
                    Some(r) if r.kind == ReceiptKind::Void => Err("CannotVoidVoid"),
                    Some(r) if self.model.voided.get(&number).copied().unwrap_or(false) => {
                        let _ = r;
                        Err("AlreadyVoided")
                    }
                    Some(r) => {
                        let m = r.member_id;
                        let (p, b) = self.model.wallet(m);
                        let after = (
                            p - (r.wallet_paid_after - r.wallet_paid_before),
                            b - (r.wallet_bonus_after - r.wallet_bonus_before),
                        );
                        let mut next = self.model.clone();
                        next.set_wallet(m, after);
                        let wallet_ok = after.0 >= 0 && after.1 >= 0;
                        let mut stamps_ok = true;
                        for s in &r.stamps {
                            let left = next.card(m, s.program_id) - (s.stamps_after - s.stamps_before);
                            stamps_ok &= left >= 0;
                            next.stamps.insert((m, s.program_id), left);
                        }
                        // The points the sale earned are taken back from their
                        // batch and those it redeemed given back as a batch of
                        // the sale's day by today's rule; its coupons are given
                        // back unless past their last day.
                        let mut points_ok = true;
                        let original = &self.effects[&number];
                        let mut discounts = Vec::new();
                        let mut points_row = None;
                        if let Sent::Sale(_) = original.sent {
                            let held = next.held(m);
                            let (earned, earned_until) = original.points_earned;
                            let net = earned - original.points_redeemed;
                            points_ok = held - net >= 0;
                            let given_back_until = next.rules.last_day(original.day);
                            let mp = next.member_points(m);
                            if earned > 0 {
                                *mp.batches.entry(earned_until).or_default() -= earned;
                            }
                            if original.points_redeemed > 0 {
                                *mp.batches.entry(given_back_until).or_default() += original.points_redeemed;
                            }
                            for &i in &original.coupons {
                                let c = &mut next.coupons[i];
                                prop_assert_eq!(c.state, CouponState::Redeemed(number), "a coupon stays with its sale");
                                c.state = if today > c.until { CouponState::Expired } else { CouponState::Issued };
                            }
                            discounts =
                                r.discounts.iter().map(|d| (d.code.clone(), -d.amount_minor, -d.points)).collect();
                            points_row = r.points.as_ref().map(|p| [held, -p.earned, -p.redeemed, 0, held - net]);
                        }
                        if let Sent::Sale(_) = original.sent {
                            extra = Extra { total: Some(-original.total), discounts, points_row, ..Extra::new() };
                        }
                        next.voided.insert(number, true);
                        if !wallet_ok {
                            Err("VoidWouldOverdraw")
                        } else if !stamps_ok {
                            // No expiry here: only a later redemption can have used them.
                            Err("StampsRedeemedSince")
                        } else if !points_ok {
                            Err("PointsSpentSince")
                        } else {
                            Ok(next)
                        }
                    }
                };
                (Sent::Void(req), expect)
            }
            Op::IssueCoupon { .. } | Op::Campaign { .. } | Op::PointsRule { .. } | Op::Wait { .. } => {
                unreachable!("written no receipt, handled above")
            }
            Op::Retry { pick } => {
                if self.sent.is_empty() {
                    return Ok(());
                }
                let (req, number) = self.sent[pick.index(self.sent.len())].clone();
                let r =
                    self.send(&req, now).map_err(|e| TestCaseError::fail(format!("retry of {req:?} failed: {e}")))?;
                prop_assert_eq!(r.number, number, "a retry returns the first receipt");
                let after = snapshot(&self.shop.store, &self.members, now);
                prop_assert_eq!(&before, &after, "a retry changes nothing");
                return Ok(());
            }
        };

        let result = self.send(&sent, now);
        match (&result, expect) {
            (Ok(r), Ok(next)) => {
                prop_assert_eq!(r.number, receipts_before + 1, "a new receipt takes the next number");
                let (p, b) = self.model.wallet(r.member_id);
                prop_assert_eq!(
                    (r.wallet_paid_before, r.wallet_bonus_before),
                    (p, b),
                    "receipt starts from the balance the card showed"
                );
                if let Sent::Void(v) = &sent {
                    prop_assert_eq!(r.voids_number, Some(v.receipt_number));
                    let original = self.shop.store.receipt(v.receipt_number).unwrap();
                    prop_assert_eq!(original.voided_by_number, Some(r.number));
                }
                if let Some(total) = extra.total {
                    prop_assert_eq!(r.total_minor, total, "the receipt's total is what is left after its discounts");
                    let shown: Vec<(String, i64, i64)> =
                        r.discounts.iter().map(|d| (d.code.clone(), d.amount_minor, d.points)).collect();
                    prop_assert_eq!(&shown, &extra.discounts, "the receipt's discount lines");
                    prop_assert_eq!(r.payments.iter().map(|p| p.amount_minor).sum::<i64>(), total, "payments = total");
                    if let Sent::Sale(req) = &sent {
                        prop_assert_eq!(
                            req.total_minor - r.discount_minor(),
                            r.total_minor,
                            "items − discounts = total"
                        );
                    }
                    let points = r.points.as_ref().map(|p| [p.before, p.earned, p.redeemed, p.expired, p.after]);
                    prop_assert_eq!(
                        points,
                        extra.points_row,
                        "the receipt's points: before, earned, redeemed, lapsed, after"
                    );
                }
                self.books.record(r);
                let (p, b) = (next.wallet(r.member_id).0 - p, next.wallet(r.member_id).1 - b);
                let total = extra.total.unwrap_or(r.total_minor);
                self.effects.insert(
                    r.number,
                    Effect {
                        sent: sent.clone(),
                        paid: p,
                        bonus: b,
                        total,
                        day: today,
                        coupons: extra.coupons,
                        points_redeemed: extra.points_redeemed,
                        points_earned: extra.points_earned,
                    },
                );
                self.model = next;
                self.sent.push((sent.clone(), r.number));
                let float = self.members.iter().fold((0, 0), |(p, b), m| {
                    let w = self.model.wallet(*m);
                    (p + w.0, b + w.1)
                });
                self.closing.insert(today, float);
            }
            (Err(e), Err(code)) => {
                prop_assert_eq!(e.code(), code, "{:?} failed for another reason: {}", op, e);
                let after = snapshot(&self.shop.store, &self.members, now);
                prop_assert_eq!(&before, &after, "a failed {:?} changed something", op);
            }
            (Ok(r), Err(code)) => {
                return Err(TestCaseError::fail(format!("{op:?} should fail with {code} but gave receipt {r:?}")));
            }
            (Err(e), Ok(_)) => {
                return Err(TestCaseError::fail(format!("{op:?} should succeed but failed: {} ({e})", e.code())));
            }
        }

        self.check(now)
    }

    /// After every step: the store agrees with itself, with the books
    /// summed from receipts, with its ledgers read directly, and with the model.
    fn check(&mut self, now: DateTime<Utc>) -> Result<(), TestCaseError> {
        let today = shop_day(now);
        check_books(&self.shop.store);
        for &m in &self.members {
            let card = self.shop.store.member_card(m, now).unwrap();
            prop_assert!(
                card.wallet.paid_minor >= 0 && card.wallet.bonus_minor >= 0,
                "negative balance {:?}",
                card.wallet
            );
            prop_assert_eq!(
                (card.wallet.paid_minor, card.wallet.bonus_minor),
                self.books.wallet(m),
                "wallet = sum of receipt deltas"
            );
            prop_assert_eq!((card.wallet.paid_minor, card.wallet.bonus_minor), self.model.wallet(m), "wallet = model");
            for (pid, _) in &self.programs {
                let shown = card.stamp_cards.iter().find(|c| c.program_id == *pid).map_or(0, |c| c.stamps);
                prop_assert!(shown >= 0);
                prop_assert_eq!(shown, self.books.stamps(m, *pid), "stamps = sum of receipt stamp deltas");
                prop_assert_eq!(shown, self.model.card(m, *pid), "stamps = model");
            }
        }
        for &m in &self.members {
            // Points: never negative, the balance is its ledger's sum, the
            // receipts' points add up to it, and the usable part is the model's.
            let usable = self.shop.store.member_points(m, now).unwrap().points;
            prop_assert!(usable >= 0, "negative usable points {}", usable);
            prop_assert_eq!(usable, self.model.usable(m, today), "usable points = model");
            let (held, ledger): (i64, i64) = self
                .raw
                .query_row(
                    "SELECT COALESCE((SELECT points FROM member_points WHERE member_id = ?1), 0),
                            (SELECT COALESCE(SUM(delta), 0) FROM points_ledger WHERE member_id = ?1)",
                    [m],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .unwrap();
            prop_assert!(held >= 0, "negative points balance {}", held);
            prop_assert_eq!(held, ledger, "points balance = its ledger");
            prop_assert_eq!(held, self.model.held(m), "points balance = model");
            let from_receipts: i64 = self
                .books
                .receipts
                .values()
                .filter(|r| r.member_id == m)
                .filter_map(|r| r.points.as_ref().map(|p| p.after - p.before))
                .sum();
            prop_assert_eq!(held, from_receipts, "points balance = sum of receipt points deltas");
        }
        // Coupons: each is what the model says, as the counter reads it and
        // as its latest ledger row says.
        let mut stmt = self
            .raw
            .prepare_cached(
                "SELECT c.code, c.state,
                        (SELECT l.kind FROM coupon_ledger l WHERE l.coupon_id = c.id ORDER BY l.id DESC LIMIT 1)
                 FROM coupons c ORDER BY c.id",
            )
            .unwrap();
        let rows: BTreeMap<String, (String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        prop_assert_eq!(rows.len(), self.model.coupons.len(), "every coupon issued is in the file once");
        for c in &self.model.coupons {
            let (state, latest) = &rows[&c.code];
            let by_ledger = match latest.as_str() {
                "issued" | "restored" => "issued",
                other => other,
            };
            prop_assert_eq!(state.as_str(), by_ledger, "coupon {}'s state is what its ledger says", c.code);
            let (state_expected, status) = match c.state {
                CouponState::Issued if today > c.until => ("issued", CouponStatus::Expired),
                CouponState::Issued => ("issued", CouponStatus::Usable),
                CouponState::Redeemed(_) => ("redeemed", CouponStatus::Redeemed),
                CouponState::Expired => ("expired", CouponStatus::Expired),
            };
            prop_assert_eq!(state.as_str(), state_expected, "coupon {} = model", c.code);
            let view = self.shop.store.coupon(&c.code, now).unwrap();
            prop_assert_eq!(view.status, status, "coupon {} as the counter shows it", c.code);
            let on = match c.state {
                CouponState::Redeemed(n) => Some(n),
                _ => None,
            };
            prop_assert_eq!(view.redeemed_on, on, "coupon {}'s receipt", c.code);
        }
        // A coupon is redeemed at most once among the sales not voided.
        let twice: Vec<(i64, i64)> = self
            .raw
            .prepare_cached(
                "SELECT d.coupon_id, count(*) FROM receipt_discounts d JOIN receipts r ON r.id = d.receipt_id
                 WHERE r.kind = 'sale' AND d.coupon_id IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM receipts v WHERE v.voids_receipt_id = r.id)
                 GROUP BY d.coupon_id HAVING count(*) > 1",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        prop_assert!(twice.is_empty(), "coupons redeemed on two sales not voided: {:?}", twice);
        // Every sale and void of a sale adds up: lines − discounts = total = payments.
        let sums: Vec<(i64, i64, i64, i64, i64, i64)> = self
            .raw
            .prepare_cached(
                "SELECT r.number, r.total_minor,
                        (SELECT count(*) FROM receipt_lines l WHERE l.receipt_id = r.id),
                        (SELECT COALESCE(SUM(l.amount_minor), 0) FROM receipt_lines l WHERE l.receipt_id = r.id),
                        (SELECT COALESCE(SUM(d.amount_minor), 0) FROM receipt_discounts d WHERE d.receipt_id = r.id),
                        (SELECT COALESCE(SUM(p.amount_minor), 0) FROM receipt_payments p WHERE p.receipt_id = r.id)
                 FROM receipts r LEFT JOIN receipts o ON o.id = r.voids_receipt_id
                 WHERE r.kind = 'sale' OR o.kind = 'sale'",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        for (number, total, line_count, lines, discounts, payments) in sums {
            prop_assert_eq!(payments, total, "receipt {}: payments = total", number);
            if line_count > 0 {
                prop_assert_eq!(lines - discounts, total, "receipt {}: lines − discounts = total", number);
            }
        }
        Ok(())
    }
}

/// What a sale or a void must show besides the wallet and stamps, and what
/// a sale did that its void undoes.
#[derive(Debug, Clone)]
struct Extra {
    total: Option<i64>,
    /// (code, amount, points) per discount line.
    discounts: Vec<(String, i64, i64)>,
    /// before, earned, redeemed, lapsed, after.
    points_row: Option<[i64; 5]>,
    coupons: Vec<usize>,
    points_redeemed: i64,
    points_earned: (i64, NaiveDate),
}

impl Extra {
    fn new() -> Extra {
        Extra {
            total: None,
            discounts: Vec::new(),
            points_row: None,
            coupons: Vec::new(),
            points_redeemed: 0,
            points_earned: (0, NaiveDate::MAX),
        }
    }
}

/// The shop's day: the test's shop is in Taipei (UTC+8, no summer time).
fn shop_day(now: DateTime<Utc>) -> NaiveDate {
    (now + Duration::hours(8)).date_naive()
}

/// Line items worth `total`: `items` drinks that earn stamps and, for what
/// is left, one line that does not.
fn lines_of(total: i64, items: i64) -> Vec<LineInput> {
    let line = |description: &str, quantity: i64, unit_price_minor: i64, earns_stamps: bool| LineInput {
        product_id: None,
        description: description.into(),
        quantity,
        unit_price_minor,
        earns_stamps,
    };
    let mut lines = Vec::new();
    let unit = if items > 0 { total / items } else { 0 };
    if items > 0 {
        lines.push(line("珍珠奶茶", items, unit, true));
    }
    if total - unit * items > 0 || items == 0 {
        lines.push(line("加料", 1, total - unit * items, false));
    }
    lines
}

impl World {
    fn issue_coupon(&mut self, member: usize, offer: usize, now: DateTime<Utc>) -> Result<(), TestCaseError> {
        let m = self.members[member];
        let today = shop_day(now);
        let req = IssueCouponRequest { request_id: self.request_id(), member_id: m, offer_id: self.offers[offer] };
        let v = self
            .shop
            .store
            .issue_coupon(&req, now)
            .map_err(|e| TestCaseError::fail(format!("issuing a coupon failed: {e}")))?;
        let until = today + Duration::days(OFFERS[offer].2 - 1);
        prop_assert_eq!((v.member_id, v.valid_from, v.valid_until, v.status), (m, today, until, CouponStatus::Usable));
        self.model.coupons.push(ModelCoupon { code: v.code, member: m, offer, until, state: CouponState::Issued });
        self.check(now)
    }

    fn issue_campaign(&mut self, offer: usize, members: &[usize], now: DateTime<Utc>) -> Result<(), TestCaseError> {
        let today = shop_day(now);
        let mut ids: Vec<i64> = Vec::new();
        for i in members {
            if !ids.contains(&self.members[*i]) {
                ids.push(self.members[*i]);
            }
        }
        let request_id = self.request_id();
        let req = CampaignRequest {
            request_id: request_id.clone(),
            name: format!("活動 {request_id}"),
            offer_id: self.offers[offer],
            // Listed twice: each member still gets one.
            member_ids: members.iter().map(|i| self.members[*i]).collect(),
            list_name: String::new(),
        };
        let issued = self
            .shop
            .store
            .issue_campaign(&req, now)
            .map_err(|e| TestCaseError::fail(format!("a campaign failed: {e}")))?;
        prop_assert_eq!(issued.issued, ids.len() as i64, "one coupon per member listed");
        let until = today + Duration::days(OFFERS[offer].2 - 1);
        let known: BTreeSet<String> = self.model.coupons.iter().map(|c| c.code.clone()).collect();
        for m in ids {
            let new: Vec<_> = self
                .shop
                .store
                .member_coupons(m, now)
                .unwrap()
                .into_iter()
                .filter(|v| !known.contains(&v.code))
                .collect();
            prop_assert_eq!(new.len(), 1, "member {} got one coupon", m);
            prop_assert_eq!((new[0].valid_from, new[0].valid_until), (today, until));
            let code = new[0].code.clone();
            self.model.coupons.push(ModelCoupon { code, member: m, offer, until, state: CouponState::Issued });
        }
        self.check(now)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(property_cases()))]

    #[test]
    fn random_operations_keep_every_balance_equal_to_its_receipts(ops in prop::collection::vec(op(), 30..60)) {
        let mut world = setup();
        let start = at("2026-01-05T02:00:00Z");
        let mut waited = Duration::zero();
        for (i, op) in ops.iter().enumerate() {
            if let Op::Wait { days } = op {
                waited += Duration::days(*days);
            }
            world.step(op, start + waited + Duration::minutes(i as i64 * 7))?;
        }
        // Each day's close and its float report add up to what the sequence did that day.
        let store = &world.shop.store;
        let registered = shop_day(at("2026-01-05T01:00:00Z"));
        let mut opening = (0, 0);
        for (day, closing) in &world.closing {
            let new_members = if *day == registered { world.members.len() as i64 } else { 0 };
            let expected = expected_close(&world.effects, *day, new_members, opening, *closing);
            let close = store.day_close(*day).unwrap();
            prop_assert_eq!(shown_close(&close), expected, "the day close of {}", day);
            prop_assert!(close.float.balances());
            prop_assert_eq!(&store.float_report(*day).unwrap(), &close.float);
            opening = *closing;
        }
        // The final books also match what a reopened database shows.
        let reopened = world.shop.open_again();
        check_invariants(&reopened);
        for &m in &world.members {
            let (p, b) = wallet(&reopened, m, start + waited + Duration::days(1));
            prop_assert_eq!((p, b), world.books.wallet(m));
        }
    }
}
