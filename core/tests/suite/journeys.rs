//! A shop's day at the counter, and the failures users report from other
//! membership systems, each as the journey a cashier or owner goes through.

use crate::common::*;
use chrono::{Duration, NaiveDate};
use regulars::day_close::FloatParts;
use regulars::{
    EarnRule, LineInput, NewStampProgram, PaymentMethod, RedeemRequest, RefundRequest, SaleRequest, Store, VoidRequest,
};

pub(crate) fn program(store: &mut Store, name: &str, needed: i64, rule: EarnRule, expiry_days: Option<i64>) -> i64 {
    store
        .add_program(
            &NewStampProgram {
                name: name.into(),
                stamps_needed: needed,
                reward_text: "任選飲品一杯".into(),
                earn_rule: rule,
                expiry_days,
            },
            noon(),
        )
        .unwrap()
        .id
}

pub(crate) fn redeem(request_id: &str, member_id: i64, program_id: i64) -> RedeemRequest {
    RedeemRequest {
        request_id: request_id.into(), member_id, program_id, cashier: "店長".into(), note: String::new()
    }
}

pub(crate) fn void(request_id: &str, receipt_number: i64) -> VoidRequest {
    VoidRequest { request_id: request_id.into(), receipt_number, reason: "打錯了".into(), cashier: "店長".into() }
}

pub(crate) fn refund(request_id: &str, member_id: i64, amount_minor: i64) -> RefundRequest {
    RefundRequest {
        request_id: request_id.into(),
        member_id,
        amount_minor,
        method: PaymentMethod::Cash,
        method_id: None,
        cashier: "店長".into(),
        note: "退卡".into(),
    }
}

pub(crate) fn parts(paid_minor: i64, bonus_minor: i64) -> FloatParts {
    FloatParts { paid_minor, bonus_minor }
}

// ---------------------------------------------------------------- money

#[test]
fn a_negative_tender_or_negative_top_up_can_never_raise_a_balance() {
    let mut shop = new_shop();
    let now = noon();
    let m = register(&mut shop.store, "陳怡君", Some("0912-345-678"), now).id;
    shop.store.top_up(&top_up_req("t", m, 100), now).unwrap();
    let attempts: Vec<regulars::Result<regulars::Receipt>> = vec![
        shop.store.top_up(&top_up_req("neg-top-up", m, -500), now),
        // "Pay" −400 in stored value and 500 in cash for a 100 sale.
        shop.store.record_sale(
            &SaleRequest {
                total_minor: 100,
                ..sale_req("neg-sv", m, &[(PaymentMethod::StoredValue, -400), (PaymentMethod::Cash, 500)])
            },
            now,
        ),
        shop.store.record_sale(
            &SaleRequest {
                total_minor: 100,
                ..sale_req("neg-cash", m, &[(PaymentMethod::Cash, -100), (PaymentMethod::StoredValue, 200)])
            },
            now,
        ),
        shop.store.record_sale(&sale_req("neg-total", m, &[(PaymentMethod::StoredValue, -300)]), now),
        shop.store.refund_stored_value(&refund("neg-refund", m, -300), now),
    ];
    for a in attempts {
        let err = a.expect_err("a negative amount was accepted");
        assert_eq!(err.code(), "AmountNotPositive", "{err}");
        assert_eq!(wallet(&shop.store, m, now), (100, 0));
    }
    check_invariants(&shop.store);
}

#[test]
fn a_sale_retried_with_the_same_request_id_debits_once_and_returns_the_same_receipt() {
    let mut shop = new_shop();
    let now = noon();
    let m = register(&mut shop.store, "林志明", Some("0911-222-333"), now).id;
    shop.store.top_up(&top_up_req("t", m, 500), now).unwrap();
    let first = shop.store.record_sale(&sv_sale("till-1-0042", m, 180), now).unwrap();
    // The till lost the answer and sends the same sale again, a minute later, from a new connection.
    let mut again = shop.open_again();
    let second = again.record_sale(&sv_sale("till-1-0042", m, 180), now + Duration::minutes(1)).unwrap();
    let third = shop.store.record_sale(&sv_sale("till-1-0042", m, 180), now + Duration::minutes(2)).unwrap();
    assert_eq!(first.number, second.number);
    assert_eq!(first, third);
    assert_eq!(wallet(&shop.store, m, now), (320, 0));
    assert_eq!(shop.store.member_card(m, now).unwrap().visit_count, 1);
    assert_eq!(all_receipts(&shop.store).len(), 2);
    check_invariants(&shop.store);
}

#[test]
fn a_void_restores_stored_value_bonus_and_stamps_exactly_once() {
    let mut shop = new_shop();
    let now = noon();
    let drinks = program(&mut shop.store, "飲品集點卡", 10, EarnRule::PerItem, None);
    shop.store.set_bonus_rule(1000, 100, 0, now).unwrap();
    let m = register(&mut shop.store, "張雅婷", Some("0933-333-333"), now).id;
    shop.store.record_sale(&cash_sale_with_items("s1", m, 660, 11), now).unwrap();
    shop.store.top_up(&top_up_req("t1", m, 1000), now).unwrap();
    assert_eq!(wallet(&shop.store, m, now), (1000, 100));
    assert_eq!(stamps(&shop.store, m, drinks, now), 11);
    let card_before = shop.store.member_card(m, now).unwrap();

    // A sale of 1050 from stored value (all the paid part and 50 bonus),
    // 2 drinks earning stamps, and the free drink redeemed.
    let mut req = sv_sale("s2", m, 1050);
    req.lines = vec![
        LineInput {
            product_id: None,
            description: "珍珠奶茶".into(),
            quantity: 2,
            unit_price_minor: 60,
            earns_stamps: true,
        },
        LineInput {
            product_id: None,
            description: "招牌蛋糕".into(),
            quantity: 1,
            unit_price_minor: 930,
            earns_stamps: false,
        },
    ];
    req.redeem_program_ids = vec![drinks];
    let sale = shop.store.record_sale(&req, now).unwrap();
    assert_eq!(wallet(&shop.store, m, now), (0, 50));
    assert_eq!(stamps(&shop.store, m, drinks, now), 3);

    let later = now + Duration::minutes(5);
    let v = shop.store.void_receipt(&void("v1", sale.number), later).unwrap();
    assert_eq!(v.voids_number, Some(sale.number));
    assert_eq!(shop.store.receipt(sale.number).unwrap().voided_by_number, Some(v.number));
    assert_eq!(wallet(&shop.store, m, later), (1000, 100), "paid and bonus both restored");
    assert_eq!(stamps(&shop.store, m, drinks, later), 11, "earned stamps taken back, redeemed stamps given back");
    let card = shop.store.member_card(m, later).unwrap();
    assert_eq!((card.visit_count, card.spend_minor), (card_before.visit_count, card_before.spend_minor));

    // A second void, its retry, and a void of the void.
    let snap = snapshot(&shop.store, &[m], later);
    assert_eq!(shop.store.void_receipt(&void("v2", sale.number), later).unwrap_err().code(), "AlreadyVoided");
    assert_eq!(shop.store.void_receipt(&void("v3", v.number), later).unwrap_err().code(), "CannotVoidVoid");
    assert_eq!(
        shop.store.void_receipt(&void("v1", sale.number), later).unwrap(),
        shop.store.receipt(v.number).unwrap()
    );
    assert_eq!(snapshot(&shop.store, &[m], later), snap);
    check_invariants(&shop.store);
}

#[test]
fn a_top_up_bonus_is_kept_apart_spent_last_and_forfeited_by_a_full_refund() {
    let mut shop = new_shop();
    let now = noon();
    shop.store.set_bonus_rule(1000, 100, 0, now).unwrap();
    let m = register(&mut shop.store, "Brian Lee", Some("0922-000-111"), now).id;
    let t = shop.store.top_up(&top_up_req("t", m, 1000), now).unwrap();
    assert_eq!((t.total_minor, t.bonus_minor), (1000, 100));
    assert_eq!(wallet(&shop.store, m, now), (1000, 100));

    let s = shop.store.record_sale(&sv_sale("s", m, 300), now).unwrap();
    assert_eq!((s.wallet_paid_after, s.wallet_bonus_after), (700, 100), "the paid part is spent first");

    // Cash back for more than the paid part is refused: the bonus is not money.
    assert_eq!(shop.store.refund_stored_value(&refund("r0", m, 750), now).unwrap_err().code(), "InsufficientBalance");
    let r = shop.store.refund_stored_value(&refund("r", m, 700), now).unwrap();
    assert_eq!(r.payments.len(), 1);
    assert_eq!(
        (r.payments[0].method.as_db(), r.payments[0].amount_minor),
        ("cash", -700),
        "only the paid part is paid out"
    );
    assert_eq!((r.total_minor, r.bonus_minor), (-700, -100), "the bonus is forfeited on the same receipt");
    assert_eq!(wallet(&shop.store, m, now), (0, 0));
    check_invariants(&shop.store);
}

#[test]
fn a_partial_refund_keeps_the_bonus() {
    let mut shop = new_shop();
    let now = noon();
    shop.store.set_bonus_rule(1000, 100, 0, now).unwrap();
    let m = register(&mut shop.store, "Chloe Wang", None, now).id;
    shop.store.top_up(&top_up_req("t", m, 1000), now).unwrap();
    let r = shop.store.refund_stored_value(&refund("r", m, 400), now).unwrap();
    assert_eq!((r.total_minor, r.bonus_minor), (-400, 0));
    assert_eq!(wallet(&shop.store, m, now), (600, 100));
    check_invariants(&shop.store);
}

// --------------------------------------------------------------- stamps

#[test]
fn a_reward_cannot_be_redeemed_from_a_card_that_is_not_full_nor_twice() {
    let mut shop = new_shop();
    let now = noon();
    let drinks = program(&mut shop.store, "飲品集點卡", 10, EarnRule::PerItem, None);
    let m = register(&mut shop.store, "黃淑芬", None, now).id;
    shop.store.record_sale(&cash_sale_with_items("s1", m, 540, 9), now).unwrap();
    let err = shop.store.redeem_reward(&redeem("r0", m, drinks), now).unwrap_err();
    assert_eq!(err.code(), "CardNotFull", "{err}");
    shop.store.record_sale(&cash_sale_with_items("s2", m, 60, 1), now).unwrap();
    let card = shop.store.member_card(m, now).unwrap();
    assert!(card.stamp_cards[0].reward_ready);
    let r = shop.store.redeem_reward(&redeem("r1", m, drinks), now).unwrap();
    assert_eq!((r.stamps[0].stamps_before, r.stamps[0].redeemed, r.stamps[0].stamps_after), (10, 1, 0));
    assert_eq!(shop.store.redeem_reward(&redeem("r2", m, drinks), now).unwrap_err().code(), "CardNotFull");
    // Redeeming twice within one sale needs two full cards.
    let mut two = cash_sale_with_items("s3", m, 60, 1);
    two.redeem_program_ids = vec![drinks];
    assert_eq!(shop.store.record_sale(&two, now).unwrap_err().code(), "CardNotFull");
    assert_eq!(stamps(&shop.store, m, drinks, now), 0);
    check_invariants(&shop.store);
}

#[test]
fn extra_stamps_roll_over_after_a_redemption() {
    let mut shop = new_shop();
    let now = noon();
    let drinks = program(&mut shop.store, "飲品集點卡", 10, EarnRule::PerItem, None);
    let m = register(&mut shop.store, "吳佳穎", None, now).id;
    shop.store.record_sale(&cash_sale_with_items("s1", m, 780, 13), now).unwrap();
    assert_eq!(shop.store.member_card(m, now).unwrap().stamp_cards[0].rewards_available, 1);
    shop.store.redeem_reward(&redeem("r1", m, drinks), now).unwrap();
    assert_eq!(stamps(&shop.store, m, drinks, now), 3);
    // 3 left + 14 = 17 on the card; a sale earning 8 redeems two rewards: 17 + 8 − 2 × 10 = 5.
    shop.store.record_sale(&cash_sale_with_items("s2", m, 840, 14), now).unwrap();
    let mut s = cash_sale_with_items("s3", m, 480, 8);
    s.redeem_program_ids = vec![drinks, drinks];
    let r = shop.store.record_sale(&s, now).unwrap();
    assert_eq!(
        (r.stamps[0].stamps_before, r.stamps[0].earned, r.stamps[0].redeemed, r.stamps[0].stamps_after),
        (17, 8, 2, 5)
    );
    assert_eq!(stamps(&shop.store, m, drinks, now), 5);
    check_invariants(&shop.store);
}

#[test]
fn stamps_older_than_the_expiry_no_longer_count_and_the_oldest_are_used_first() {
    let mut shop = new_shop();
    let day0 = at("2026-01-01T04:00:00Z");
    let day = |n: i64| day0 + Duration::days(n);
    let drinks = program(&mut shop.store, "飲品集點卡", 5, EarnRule::PerItem, Some(30));
    let a = register(&mut shop.store, "劉家豪", None, day0).id;
    shop.store.record_sale(&cash_sale_with_items("a1", a, 180, 3), day(0)).unwrap();
    shop.store.record_sale(&cash_sale_with_items("a2", a, 120, 2), day(20)).unwrap();
    assert_eq!(stamps(&shop.store, a, drinks, day(29)), 5);
    assert_eq!(stamps(&shop.store, a, drinks, day(31)), 2, "the 3 stamps of day 0 expired");
    assert_eq!(shop.store.redeem_reward(&redeem("a-r0", a, drinks), day(31)).unwrap_err().code(), "CardNotFull");
    let s = shop.store.record_sale(&cash_sale_with_items("a3", a, 180, 3), day(32)).unwrap();
    assert_eq!(
        (s.stamps[0].stamps_before, s.stamps[0].expired, s.stamps[0].earned, s.stamps[0].stamps_after),
        (5, 3, 3, 5)
    );
    shop.store.redeem_reward(&redeem("a-r1", a, drinks), day(32)).unwrap();
    assert_eq!(stamps(&shop.store, a, drinks, day(32)), 0);

    // Oldest used first: a reward takes the day-0 stamps, so the one left
    // over from day 0 is what expires, not the newer ones.
    let b = register(&mut shop.store, "蔡宗翰", None, day0).id;
    shop.store.record_sale(&cash_sale_with_items("b1", b, 360, 6), day(0)).unwrap();
    shop.store.redeem_reward(&redeem("b-r1", b, drinks), day(10)).unwrap();
    shop.store.record_sale(&cash_sale_with_items("b2", b, 240, 4), day(20)).unwrap();
    assert_eq!(stamps(&shop.store, b, drinks, day(29)), 5);
    assert_eq!(stamps(&shop.store, b, drinks, day(31)), 4);
    assert_eq!(stamps(&shop.store, b, drinks, day(51)), 0);
    check_invariants(&shop.store);
}

#[test]
fn voiding_a_sale_that_wrote_off_expired_stamps_does_not_bring_them_back_to_life() {
    let mut shop = new_shop();
    let day0 = at("2026-01-01T04:00:00Z");
    let day = |n: i64| day0 + Duration::days(n);
    let drinks = program(&mut shop.store, "飲品集點卡", 5, EarnRule::PerItem, Some(30));
    let m = register(&mut shop.store, "楊雅琪", None, day0).id;
    shop.store.record_sale(&cash_sale_with_items("s1", m, 240, 4), day(0)).unwrap();
    assert_eq!(stamps(&shop.store, m, drinks, day(40)), 0, "day-0 stamps have expired by day 40");
    // A sale on day 40 writes the 4 expired stamps off and earns 1; it was keyed in by mistake.
    let s = shop.store.record_sale(&cash_sale_with_items("s2", m, 60, 1), day(40)).unwrap();
    assert_eq!((s.stamps[0].expired, s.stamps[0].stamps_after), (4, 1));
    shop.store.void_receipt(&void("v", s.number), day(40)).unwrap();
    // The card is back where it was before the mistaken sale: nothing usable.
    assert_eq!(stamps(&shop.store, m, drinks, day(40)), 0, "voiding the sale revived the expired stamps");
    assert_eq!(
        shop.store.redeem_reward(&redeem("r", m, drinks), day(40)).map(|r| r.number).unwrap_err().code(),
        "CardNotFull"
    );
    check_invariants(&shop.store);
}

#[test]
fn voided_stamps_do_not_keep_older_stamps_from_expiring() {
    let mut shop = new_shop();
    let day0 = at("2026-01-01T04:00:00Z");
    let day = |n: i64| day0 + Duration::days(n);
    let drinks = program(&mut shop.store, "飲品集點卡", 5, EarnRule::PerItem, Some(30));
    let m = register(&mut shop.store, "許志豪", None, day0).id;
    shop.store.record_sale(&cash_sale_with_items("s1", m, 240, 4), day(0)).unwrap();
    let s = shop.store.record_sale(&cash_sale_with_items("s2", m, 120, 2), day(25)).unwrap();
    shop.store.void_receipt(&void("v", s.number), day(26)).unwrap();
    assert_eq!(stamps(&shop.store, m, drinks, day(26)), 4);
    // Only the 4 day-0 stamps are on the card; by day 40 they have expired.
    assert_eq!(stamps(&shop.store, m, drinks, day(40)), 0, "stamps of a voided sale still count as fresh");
    check_invariants(&shop.store);
}

// ------------------------------------------------------- the shop's day

#[test]
fn the_float_report_for_a_shop_day_balances_with_the_right_figures_in_the_shop_time_zone() {
    let mut shop = new_shop();
    assert_eq!(shop.store.settings().unwrap().time_zone, "Asia/Taipei");
    let setup = at("2026-03-01T00:00:00Z");
    shop.store.set_bonus_rule(500, 30, 0, setup).unwrap();
    shop.store.set_bonus_rule(1000, 100, 0, setup).unwrap();
    let a = register(&mut shop.store, "陳怡君", Some("0912-345-678"), setup).id;
    let b = register(&mut shop.store, "Alice Chen", Some("0955-123-456"), setup).id;

    // The day before (Taipei 9 March, 18:00): a top-up of 1000 with its bonus.
    shop.store.top_up(&top_up_req("d0-t", a, 1000), at("2026-03-09T10:00:00Z")).unwrap();
    // Taipei 10 March, 00:10 (still 9 March in UTC): belongs to the 10th.
    shop.store.top_up(&top_up_req("d1-t1", b, 500), at("2026-03-09T16:10:00Z")).unwrap();
    // Taipei 10 March through the day.
    shop.store.record_sale(&sv_sale("d1-s1", a, 150), at("2026-03-10T02:00:00Z")).unwrap();
    let mistake = shop.store.record_sale(&sv_sale("d1-s2", b, 80), at("2026-03-10T03:00:00Z")).unwrap();
    shop.store.void_receipt(&void("d1-v", mistake.number), at("2026-03-10T03:05:00Z")).unwrap();
    shop.store.refund_stored_value(&refund("d1-r", b, 500), at("2026-03-10T06:00:00Z")).unwrap(); // forfeits 30 bonus
    shop.store
        .adjust_stored_value(
            &regulars::AdjustRequest {
                request_id: "d1-adj".into(),
                member_id: a,
                paid_delta_minor: -50,
                bonus_delta_minor: 20,
                reason: "補登".into(),
                cashier: "店長".into(),
            },
            at("2026-03-10T08:00:00Z"),
        )
        .unwrap();
    // Taipei 23:30 on the 10th is 15:30 UTC.
    shop.store.record_sale(&sv_sale("d1-s3", a, 900), at("2026-03-10T15:30:00Z")).unwrap(); // 800 paid + 100 bonus
                                                                                            // Taipei 00:30 on the 11th (16:30 UTC on the 10th): the next day.
    shop.store.record_sale(&sv_sale("d2-s1", a, 10), at("2026-03-10T16:30:00Z")).unwrap();

    let d9 = shop.store.float_report(NaiveDate::from_ymd_opt(2026, 3, 9).unwrap()).unwrap();
    assert_eq!((d9.opening, d9.top_ups, d9.closing), (parts(0, 0), parts(1000, 100), parts(1000, 100)));
    assert!(d9.balances());

    let d10 = shop.store.float_report(NaiveDate::from_ymd_opt(2026, 3, 10).unwrap()).unwrap();
    assert_eq!(d10.opening, parts(1000, 100));
    assert_eq!(d10.top_ups, parts(500, 30));
    assert_eq!(d10.spends, parts(-(150 + 80 + 800), -100));
    assert_eq!(d10.voids, parts(80, 0));
    assert_eq!(d10.refunds, parts(-500, 0));
    assert_eq!(d10.forfeits, parts(0, -30));
    assert_eq!(d10.adjustments, parts(-50, 20));
    assert_eq!(d10.closing, parts(0, 20));
    assert!(d10.balances(), "opening + movements = closing: {d10:?}");

    let d11 = shop.store.float_report(NaiveDate::from_ymd_opt(2026, 3, 11).unwrap()).unwrap();
    assert_eq!((d11.opening, d11.spends, d11.closing), (d10.closing, parts(0, -10), parts(0, 10)));
    assert!(d11.balances());
    // The last closing is what the members' cards hold.
    let (pa, ba) = wallet(&shop.store, a, at("2026-03-11T04:00:00Z"));
    let (pb, bb) = wallet(&shop.store, b, at("2026-03-11T04:00:00Z"));
    assert_eq!(parts(pa + pb, ba + bb), d11.closing);
    check_invariants(&shop.store);
}
