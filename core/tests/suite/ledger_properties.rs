//! Random sequences of money and stamp operations across three members,
//! checked after every step against the store's own audit, against books
//! kept from the receipts handed back, and against a small model of what
//! each operation must do.

use crate::common::*;
use chrono::Duration;
use proptest::prelude::*;
use proptest::sample::Index;
use regulars::{
    AdjustRequest, EarnRule, NewStampProgram, PaymentMethod, Receipt, ReceiptKind, RedeemRequest, RefundRequest,
    SaleRequest, Store, TopUpRequest, VoidRequest,
};
use std::collections::BTreeMap;

const PER_ITEM_NEEDED: i64 = 3;
const PER_VISIT_NEEDED: i64 = 2;

#[derive(Debug, Clone)]
enum Op {
    TopUp { member: usize, amount: i64 },
    Sale { member: usize, stored_value: i64, cash: i64, items: i64, redeem: Vec<usize> },
    Redeem { member: usize, program: usize },
    Refund { member: usize, amount: i64, all_paid: bool },
    Adjust { member: usize, paid: i64, bonus: i64 },
    Void { pick: Index, missing: bool },
    Retry { pick: Index },
}

fn op() -> impl Strategy<Value = Op> {
    let member = 0usize..3;
    prop_oneof![
        4 => (member.clone(), 1i64..2500).prop_map(|(member, amount)| Op::TopUp { member, amount }),
        6 => (member.clone(), 0i64..700, 0i64..300, 0i64..4, prop::collection::vec(0usize..2, 0..3))
            .prop_map(|(member, stored_value, cash, items, redeem)| Op::Sale { member, stored_value, cash, items, redeem }),
        2 => (member.clone(), 0usize..2).prop_map(|(member, program)| Op::Redeem { member, program }),
        2 => (member.clone(), 1i64..1500, any::<bool>()).prop_map(|(member, amount, all_paid)| Op::Refund { member, amount, all_paid }),
        2 => (member.clone(), -400i64..400, -150i64..150).prop_map(|(member, paid, bonus)| Op::Adjust { member, paid, bonus }),
        3 => (any::<Index>(), prop::bool::weighted(0.1)).prop_map(|(pick, missing)| Op::Void { pick, missing }),
        1 => any::<Index>().prop_map(|pick| Op::Retry { pick }),
    ]
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

/// What the test expects: wallets (paid, bonus) and stamp cards per member.
#[derive(Debug, Default, Clone)]
struct Model {
    paid: BTreeMap<i64, i64>,
    bonus: BTreeMap<i64, i64>,
    stamps: BTreeMap<(i64, i64), i64>,
    voided: BTreeMap<i64, bool>,
}

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
}

struct World {
    shop: Shop,
    members: Vec<i64>,
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
            Sent::Sale(r) => r.stamp_items.unwrap_or(0) + 1,
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

fn expected_close(effects: &BTreeMap<i64, Effect>, members: i64, closing: (i64, i64)) -> ExpectedClose {
    let mut x = ExpectedClose { new_members: members, ..Default::default() };
    let add = |to: &mut (i64, i64), by: (i64, i64)| {
        to.0 += by.0;
        to.1 += by.1;
    };
    // Float rows: opening, top-ups, spends, refunds, forfeits, adjustments, voids, closing.
    let mut float = [(0, 0); 8];
    for e in effects.values() {
        let cash = e.cash();
        match &e.sent {
            Sent::TopUp(r) => {
                add(&mut x.top_ups, (1, r.paid_minor));
                x.bonus_given += e.bonus;
                x.cash.1 += cash;
                add(&mut float[1], (e.paid, e.bonus));
            }
            Sent::Sale(r) => {
                add(&mut x.sales, (1, r.total_minor));
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
                        add(&mut x.voided_sales, (1, r.total_minor));
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
    World {
        shop,
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
    fn step(&mut self, op: &Op, now: chrono::DateTime<chrono::Utc>) -> Result<(), TestCaseError> {
        let before = snapshot(&self.shop.store, &self.members, now);
        let receipts_before = before.receipts.len() as i64;
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
            Op::Sale { member, stored_value, cash, items, redeem } => {
                let m = self.members[member];
                let mut payments = Vec::new();
                if stored_value > 0 {
                    payments.push((PaymentMethod::StoredValue, stored_value));
                }
                if cash > 0 {
                    payments.push((PaymentMethod::Cash, cash));
                }
                let mut req = sale_req(&self.request_id(), m, &payments);
                req.stamp_items = Some(items);
                req.redeem_program_ids = redeem.iter().map(|i| self.programs[*i].0).collect();
                let total = stored_value + cash;
                let (p, b) = self.model.wallet(m);
                let expect = if total == 0 {
                    Err("AmountNotPositive")
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
            Op::Void { pick, missing } => {
                let n = self.books.receipts.len();
                let number = if missing || n == 0 { n as i64 + 1 } else { pick.index(n) as i64 + 1 };
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
                        next.voided.insert(number, true);
                        if !wallet_ok {
                            Err("VoidWouldOverdraw")
                        } else if !stamps_ok {
                            // No expiry here: only a later redemption can have used them.
                            Err("StampsRedeemedSince")
                        } else {
                            Ok(next)
                        }
                    }
                };
                (Sent::Void(req), expect)
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
                self.books.record(r);
                let (p, b) = (next.wallet(r.member_id).0 - p, next.wallet(r.member_id).1 - b);
                self.effects.insert(r.number, Effect { sent: sent.clone(), paid: p, bonus: b });
                self.model = next;
                self.sent.push((sent.clone(), r.number));
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

        // After every step: the store agrees with itself, with the books
        // summed from receipts, and with the model.
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
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(property_cases()))]

    #[test]
    fn random_operations_keep_every_balance_equal_to_its_receipts(ops in prop::collection::vec(op(), 30..60)) {
        let mut world = setup();
        let start = at("2026-01-05T02:00:00Z");
        for (i, op) in ops.iter().enumerate() {
            world.step(op, start + Duration::minutes(i as i64 * 7))?;
        }
        // The day close and its float report add up to what the sequence did.
        let store = &world.shop.store;
        let day = store.settings().unwrap().local_date(start);
        let closing = world.members.iter().fold((0, 0), |(p, b), m| {
            let w = world.model.wallet(*m);
            (p + w.0, b + w.1)
        });
        let expected = expected_close(&world.effects, world.members.len() as i64, closing);
        let close = store.day_close(day).unwrap();
        prop_assert_eq!(shown_close(&close), expected, "the day close of {}", day);
        prop_assert!(close.float.balances());
        prop_assert_eq!(&store.float_report(day).unwrap(), &close.float);
        // The final books also match what a reopened database shows.
        let reopened = world.shop.open_again();
        check_invariants(&reopened);
        for &m in &world.members {
            let (p, b) = wallet(&reopened, m, start + Duration::days(1));
            prop_assert_eq!((p, b), world.books.wallet(m));
        }
    }
}
