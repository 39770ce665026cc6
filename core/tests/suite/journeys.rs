//! A shop's day at the counter, and the failures users report from other
//! membership systems, each as the journey a cashier or owner goes through.

use crate::common::*;
use chrono::{Duration, NaiveDate};
use regulars::day_close::FloatParts;
use regulars::settings::SettingsPatch;
use regulars::store::MIGRATIONS;
use regulars::{
    EarnRule, LineInput, MatchKind, NewMember, NewStampProgram, PaymentMethod, ReceiptLanguage, RedeemRequest,
    RefundRequest, SaleRequest, Store, VoidRequest,
};

fn program(store: &mut Store, name: &str, needed: i64, rule: EarnRule, expiry_days: Option<i64>) -> i64 {
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

fn redeem(request_id: &str, member_id: i64, program_id: i64) -> RedeemRequest {
    RedeemRequest {
        request_id: request_id.into(), member_id, program_id, cashier: "店長".into(), note: String::new()
    }
}

fn void(request_id: &str, receipt_number: i64) -> VoidRequest {
    VoidRequest { request_id: request_id.into(), receipt_number, reason: "打錯了".into(), cashier: "店長".into() }
}

fn refund(request_id: &str, member_id: i64, amount_minor: i64) -> RefundRequest {
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

fn parts(paid_minor: i64, bonus_minor: i64) -> FloatParts {
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

// --------------------------------------------------------------- lookup

#[test]
fn the_cashier_finds_members_by_phone_number_card_code_and_name() {
    let mut shop = new_shop();
    let now = noon();
    let mut add = |name: &str, phone: Option<&str>, card: Option<&str>| {
        shop.store
            .add_member(
                &NewMember {
                    name: name.into(),
                    phone: phone.map(Into::into),
                    card_code: card.map(Into::into),
                    ..Default::default()
                },
                &format!("r-{name}"),
                now,
            )
            .unwrap()
    };
    let wang = add("王小明", Some("0912-345-678"), None);
    let chen = add("陳小明", Some("0922-555-123"), None);
    let ouyang = add("歐陽明華子", Some("0935-000-567"), None);
    let alice = add("Alice Chen", Some("+886 955 123 456"), Some("vip-001"));
    let bob = add("Bob Chenault", Some("0966-770-002"), None);
    let ids = |q: &str| shop.store.find_members(q, 20).unwrap().hits.into_iter().map(|h| h.id).collect::<Vec<_>>();
    let sorted = |q: &str| {
        let mut v = ids(q);
        v.sort();
        v
    };

    for q in [
        "0912345678",
        "0912-345-678",
        "0912 345 678",
        "+886 912 345 678",
        "+886-912-345-678",
        "886912345678",
        "(0912) 345-678",
    ] {
        let hits = shop.store.find_members(q, 20).unwrap().hits;
        assert_eq!(
            hits.first().map(|h| (h.id, h.match_kind)),
            Some((wang.id, MatchKind::Exact)),
            "phone {q}: {hits:?}"
        );
    }
    assert_eq!(ids("5678"), vec![wang.id], "last 4 digits");
    assert_eq!(ids("0567"), vec![ouyang.id]);
    assert_eq!(ids("3456"), vec![alice.id]);
    assert_eq!(ids(&chen.member_no), vec![chen.id]);
    assert_eq!(ids(&chen.member_no.to_lowercase()), vec![chen.id]);
    assert_eq!(ids(&ouyang.card_code), vec![ouyang.id], "default card code");
    assert_eq!(ids("VIP-001"), vec![alice.id]);
    assert_eq!(ids("vip-001"), vec![alice.id]);

    // Chinese names: surname, given name, any part of three or more characters.
    assert_eq!(sorted("王"), vec![wang.id]);
    assert_eq!(sorted("明"), vec![wang.id, chen.id]);
    assert_eq!(sorted("小明"), vec![wang.id, chen.id]);
    assert_eq!(sorted("王小"), vec![wang.id]);
    assert_eq!(sorted("歐陽"), vec![ouyang.id]);
    assert_eq!(sorted("陽明華"), vec![ouyang.id]);
    assert_eq!(sorted("明華子"), vec![ouyang.id]);
    assert_eq!(sorted("王小明"), vec![wang.id]);
    // Latin names, any case.
    assert_eq!(sorted("alice"), vec![alice.id]);
    assert_eq!(sorted("ALICE CHEN"), vec![alice.id]);
    assert_eq!(sorted("chen"), vec![alice.id, bob.id]);
    assert_eq!(sorted("Ault"), vec![bob.id]);
    assert!(ids("nobody").is_empty());

    // Four bare digits are the end of a phone, never a member number:
    // "0002" is Bob's phone (0966-770-002), not member M000002 (Chen).
    shop.store.record_sale(&cash_sale_with_items("bob-visit", bob.id, 50, 1), now).unwrap();
    let hits = shop.store.find_members("0002", 20).unwrap().hits;
    assert_eq!(hits.iter().map(|h| (h.id, h.match_kind)).collect::<Vec<_>>(), vec![(bob.id, MatchKind::PhoneSuffix)]);
    // The member number with its M is exact; as bare digits, only the whole number.
    for (q, kind) in [
        ("M000002", MatchKind::Exact),
        ("m2", MatchKind::Exact),
        ("ｍ０００００２", MatchKind::Exact),
        ("000002", MatchKind::MemberNumber),
    ] {
        let hits = shop.store.find_members(q, 20).unwrap().hits;
        assert_eq!(hits.first().map(|h| (h.id, h.match_kind)), Some((chen.id, kind)), "{q}");
    }
    // A whole name ranks before names merely containing it.
    let hits = shop.store.find_members("alice chen", 20).unwrap().hits;
    assert_eq!(hits[0].id, alice.id);
}

#[test]
fn archived_members_are_found_only_by_an_exact_match_and_flagged() {
    let mut shop = new_shop();
    let now = noon();
    let m = register(&mut shop.store, "王小華", Some("0911-000-999"), now).id;
    let hits = shop.store.find_members("王小華", 10).unwrap().hits;
    assert_eq!((hits.len(), hits[0].archived), (1, false));
    shop.store.set_member_archived(m, true, now).unwrap();
    for q in ["王", "小華", "王小", "0999", "0911"] {
        assert!(shop.store.find_members(q, 10).unwrap().hits.is_empty(), "{q} found an archived member");
    }
    // The whole phone number, member number or name still opens the card, to restore it.
    for q in ["0911000999", "0911-000-999", "M000001", "王小華"] {
        let hits = shop.store.find_members(q, 10).unwrap().hits;
        assert_eq!(hits.iter().map(|h| (h.id, h.archived)).collect::<Vec<_>>(), [(m, true)], "{q}");
    }
    assert_eq!(shop.store.member_count().unwrap(), 0);
    shop.store.set_member_archived(m, false, now).unwrap();
    let hits = shop.store.find_members("0999", 10).unwrap().hits;
    assert_eq!((hits.len(), hits[0].archived), (1, false));
}

#[test]
fn the_same_phone_in_another_notation_is_a_duplicate() {
    let mut shop = new_shop();
    let now = noon();
    let first = register(&mut shop.store, "鄭美玲", Some("0912-345-678"), now);
    let err = shop.store.add_member(&new_member("鄭美玲", Some("+886 912 345 678")), "again", now).unwrap_err();
    assert_eq!(err.code(), "DuplicatePhone", "{err}");
    assert!(err.to_string().contains(&first.member_no), "the message names the member who has the number: {err}");
    assert_eq!(shop.store.member_count().unwrap(), 1);
}

// ------------------------------------------------------------- birthdays

#[test]
fn birthday_today_follows_the_shop_time_zone() {
    let mut shop = new_shop();
    let m = shop
        .store
        .add_member(
            &NewMember { name: "謝宜庭".into(), birthday: Some("1995-03-15".into()), ..Default::default() },
            "b",
            noon(),
        )
        .unwrap()
        .id;
    let today = |s: &Store, t: &str| s.member_card(m, at(t)).unwrap().birthday_today;
    // Taipei is UTC+8: 15 March starts at 16:00 UTC on the 14th.
    assert!(!today(&shop.store, "2026-03-14T15:59:00Z"));
    assert!(today(&shop.store, "2026-03-14T16:00:00Z"));
    assert!(today(&shop.store, "2026-03-15T15:59:00Z"));
    assert!(!today(&shop.store, "2026-03-15T16:00:00Z"));
    assert!(shop.store.member_card(m, at("2026-03-02T00:00:00Z")).unwrap().birthday_this_month);
    shop.store
        .update_settings(&SettingsPatch { time_zone: Some("America/New_York".into()), ..Default::default() }, noon())
        .unwrap();
    assert!(!today(&shop.store, "2026-03-15T03:00:00Z"), "23:00 on the 14th in New York");
    assert!(today(&shop.store, "2026-03-15T05:00:00Z"));
}

#[test]
fn a_feb_29_birthday_is_celebrated_on_feb_28_in_common_years() {
    let mut shop = new_shop();
    let m = shop
        .store
        .add_member(
            &NewMember { name: "洪詩涵".into(), birthday: Some("02-29".into()), ..Default::default() },
            "b",
            noon(),
        )
        .unwrap()
        .id;
    let today = |t: &str| shop.store.member_card(m, at(t)).unwrap().birthday_today;
    assert!(today("2027-02-28T04:00:00Z"));
    assert!(!today("2027-03-01T04:00:00Z"));
    assert!(!today("2028-02-28T04:00:00Z"));
    assert!(today("2028-02-29T04:00:00Z"));
    assert!(!today("2028-03-01T04:00:00Z"));
}

// ------------------------------------------------------ demo and schema

#[test]
fn the_demo_shop_speaks_the_language_chosen_at_first_start() {
    let now = at("2026-11-26T04:00:00Z");
    let has_cjk = |t: &str| t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    let mut english = new_shop();
    let n = english.store.seed_demo_data(ReceiptLanguage::En, now).unwrap();
    let s = &english.store;
    assert_eq!(s.settings().unwrap().name, "Regulars Tea (demo)");
    let programs: Vec<String> = s.programs().unwrap().into_iter().map(|p| p.name).collect();
    assert_eq!(programs, ["Drinks card", "Cake card"]);
    let tiers: Vec<String> = s.tiers().unwrap().into_iter().map(|t| t.name).collect();
    assert_eq!(tiers, ["Member", "Silver", "Gold", "VIP"]);
    let products: Vec<String> = s.products(true).unwrap().into_iter().map(|p| p.name).collect();
    assert!(products.contains(&"Pearl milk tea".to_string()), "{products:?}");
    let tags: Vec<String> = s.tags_in_use().unwrap().into_iter().map(|t| t.tag).collect();
    for text in programs.iter().chain(&tiers).chain(&products).chain(&tags) {
        assert!(!has_cjk(text), "{text} in the English demo");
    }
    check_invariants(s);

    // The same customers and history in any language; only the words differ.
    let mut simplified = new_shop();
    assert_eq!(simplified.store.seed_demo_data(ReceiptLanguage::ZhCn, now).unwrap(), n);
    assert_eq!(simplified.store.settings().unwrap().name, "熟客茶饮 示范店");
    let sold = |s: &Store| all_receipts(s).iter().map(|r| (r.kind, r.total_minor)).collect::<Vec<_>>();
    assert_eq!(sold(&simplified.store), sold(&english.store));
}

#[test]
fn demo_data_fills_an_empty_shop_once_and_passes_the_audit() {
    let mut shop = new_shop();
    let now = at("2026-11-26T04:00:00Z");
    let n = shop.store.seed_demo_data(ReceiptLanguage::ZhTw, now).unwrap();
    assert!((24..=60).contains(&n), "a few dozen members, got {n}");
    assert_eq!(shop.store.member_count().unwrap(), n as i64);
    let receipts = all_receipts(&shop.store);
    assert!(receipts.len() > n, "the demo has history: {} receipts", receipts.len());
    check_invariants(&shop.store);
    let ids: Vec<i64> = (1..=n as i64).collect();
    let before = snapshot(&shop.store, &ids, now);
    let settings = shop.store.settings().unwrap();
    let err = shop.store.seed_demo_data(ReceiptLanguage::ZhTw, now).unwrap_err();
    assert_eq!(err.code(), "ShopNotEmpty", "{err}");
    assert_eq!(snapshot(&shop.store, &ids, now), before);
    assert_eq!(shop.store.settings().unwrap(), settings);
}

#[test]
fn demo_data_is_refused_when_the_shop_has_only_archived_members() {
    let mut shop = new_shop();
    let now = noon();
    let m = register(&mut shop.store, "蘇怡萱", Some("0912-000-001"), now).id;
    shop.store.top_up(&top_up_req("t", m, 500), now).unwrap();
    shop.store.set_member_archived(m, true, now).unwrap();
    let err = shop
        .store
        .seed_demo_data(ReceiptLanguage::ZhTw, now)
        .map(|_| ())
        .expect_err("demo data mixed into a real shop's books");
    assert_eq!(err.code(), "ShopNotEmpty");
    assert_eq!(all_receipts(&shop.store).len(), 1);
}

#[test]
fn a_refused_demo_seeding_leaves_the_shop_settings_alone() {
    // The owner set up the shop and a stamp program, but has no members yet.
    let mut shop = new_shop();
    let now = noon();
    shop.store
        .update_settings(
            &SettingsPatch {
                name: Some("阿婆豆花".into()),
                currency: Some("HKD".into()),
                time_zone: Some("Asia/Hong_Kong".into()),
                ..Default::default()
            },
            now,
        )
        .unwrap();
    program(&mut shop.store, "飲品集點卡", 8, EarnRule::PerVisit, None);
    let settings = shop.store.settings().unwrap();
    let programs = shop.store.programs().unwrap();
    let result = shop.store.seed_demo_data(ReceiptLanguage::ZhTw, now);
    if result.is_err() {
        assert_eq!(shop.store.settings().unwrap(), settings, "a failed seeding overwrote the shop's settings");
        assert_eq!(shop.store.programs().unwrap(), programs);
        assert_eq!(shop.store.member_count().unwrap(), 0);
    }
    check_invariants(&shop.store);
}

#[test]
fn a_database_from_every_earlier_schema_version_upgrades_to_the_latest() {
    for k in 0..=MIGRATIONS.len() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("v{k}.db"));
        {
            let old = Store::open_at_version(&path, k).unwrap();
            assert_eq!(old.schema_version().unwrap(), k as i64);
        }
        let mut store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64, "from version {k}");
        assert_eq!(store.integrity_check().unwrap(), "ok");
        let m = register(&mut store, "周欣怡", Some("0912-111-000"), noon()).id;
        store.top_up(&top_up_req("t", m, 300), noon()).unwrap();
        // Migrating again, to the latest or to an earlier count, changes nothing.
        for j in 0..=MIGRATIONS.len() {
            store.migrate_to(j).unwrap();
            assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
        }
        drop(store);
        let store = Store::open(&path).unwrap();
        assert_eq!(wallet(&store, m, noon()), (300, 0));
        check_invariants(&store);
    }
}

#[test]
fn a_database_written_by_a_newer_version_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("newer.db");
    {
        let mut store = Store::open(&path).unwrap();
        register(&mut store, "賴冠宇", None, noon());
    }
    // Closing the last connection checkpoints the WAL into the file; then
    // set the header's user_version (bytes 60..64, big-endian) as a newer
    // build would have.
    assert!(
        !dir.path().join("newer.db-wal").exists()
            || std::fs::metadata(dir.path().join("newer.db-wal")).unwrap().len() == 0
    );
    let mut bytes = std::fs::read(&path).unwrap();
    assert_eq!(&bytes[..16], b"SQLite format 3\0");
    assert_eq!(i32::from_be_bytes(bytes[60..64].try_into().unwrap()) as usize, MIGRATIONS.len());
    let newer = MIGRATIONS.len() as i32 + 1;
    bytes[60..64].copy_from_slice(&newer.to_be_bytes());
    std::fs::write(&path, &bytes).unwrap();

    let err = Store::open(&path).map(|_| ()).unwrap_err();
    assert_eq!(err.code(), "SchemaTooNew", "{err}");
    let after = std::fs::read(&path).unwrap();
    assert_eq!(i32::from_be_bytes(after[60..64].try_into().unwrap()), newer, "the newer database was not downgraded");
    assert_eq!(Store::open(&path).map(|_| ()).unwrap_err().code(), "SchemaTooNew");
}

// ---------------------------------------------------------------- voids, programs, first start

#[test]
fn a_void_without_a_reason_is_refused_and_writes_nothing() {
    let mut shop = new_shop();
    let now = noon();
    let m = register(&mut shop.store, "林美玲", Some("0912-111-222"), now).id;
    let sale = shop.store.record_sale(&cash_sale_with_items("s", m, 120, 1), now).unwrap();
    let before = snapshot(&shop.store, &[m], now);
    for reason in ["", "   ", "\n"] {
        let err = shop
            .store
            .void_receipt(&VoidRequest { reason: reason.into(), ..void("v-empty", sale.number) }, now)
            .unwrap_err();
        assert_eq!(err.code(), "EmptyField", "reason {reason:?}");
        assert!(err.details().contains(&("field", "reason".to_string())));
    }
    assert_eq!(snapshot(&shop.store, &[m], now), before);
    assert_eq!(shop.store.receipt(sale.number).unwrap().voided_by_number, None);
}

#[test]
fn a_void_of_a_sale_whose_stamps_were_redeemed_names_the_redemption_to_void_first() {
    let mut shop = new_shop();
    let now = noon();
    let drinks = program(&mut shop.store, "飲料卡", 5, EarnRule::PerItem, None);
    let m = register(&mut shop.store, "王小明", Some("0933-123-456"), now).id;
    let sale = shop.store.record_sale(&cash_sale_with_items("s1", m, 300, 5), now).unwrap();
    let reward = shop.store.redeem_reward(&redeem("r1", m, drinks), now + Duration::minutes(1)).unwrap();
    let later = now + Duration::minutes(5);

    let err = shop.store.void_receipt(&void("v1", sale.number), later).unwrap_err();
    assert_eq!(err.code(), "StampsRedeemedSince");
    let details = err.details();
    assert!(details.contains(&("number", sale.number.to_string())), "{details:?}");
    assert!(details.contains(&("redemption", reward.number.to_string())), "{details:?}");
    assert!(details.contains(&("program", "飲料卡".to_string())), "{details:?}");
    assert_eq!(stamps(&shop.store, m, drinks, later), 0, "nothing was written");

    // The way forward: void the redemption, then the sale.
    shop.store.void_receipt(&void("v2", reward.number), later).unwrap();
    shop.store.void_receipt(&void("v3", sale.number), later).unwrap();
    assert_eq!(stamps(&shop.store, m, drinks, later), 0);
    check_invariants(&shop.store);
}

#[test]
fn a_void_of_a_sale_whose_stamps_expired_says_so_rather_than_naming_a_redemption() {
    let mut shop = new_shop();
    let now = noon();
    let drinks = program(&mut shop.store, "飲料卡", 10, EarnRule::PerItem, Some(30));
    let m = register(&mut shop.store, "張家豪", Some("0955-222-333"), now).id;
    let sale = shop.store.record_sale(&cash_sale_with_items("s1", m, 120, 2), now).unwrap();
    // Forty days on, another sale lapses the two old stamps on the card.
    let later = now + Duration::days(40);
    shop.store.record_sale(&cash_sale_with_items("s2", m, 60, 1), later).unwrap();
    assert_eq!(stamps(&shop.store, m, drinks, later), 1);
    let err = shop.store.void_receipt(&void("v1", sale.number), later).unwrap_err();
    assert_eq!(err.code(), "StampsExpiredSince", "{err}");
}

#[test]
fn a_programs_name_reward_and_expiry_can_change_but_its_stamps_needed_only_before_any_card_started() {
    let mut shop = new_shop();
    let now = noon();
    let drinks = program(&mut shop.store, "飲料卡", 10, EarnRule::PerItem, None);
    let edit = |name: &str, needed: i64, expiry: Option<i64>| regulars::ProgramEdit {
        name: name.into(),
        stamps_needed: needed,
        reward_text: "任選大杯飲品".into(),
        expiry_days: expiry,
    };
    // No card yet: everything may change.
    let p = shop.store.edit_program(drinks, &edit("茶飲卡", 8, Some(180))).unwrap();
    assert_eq!(
        (p.name.as_str(), p.stamps_needed, p.reward_text.as_str(), p.expiry_days),
        ("茶飲卡", 8, "任選大杯飲品", Some(180))
    );

    let m = register(&mut shop.store, "陳怡君", Some("0912-345-678"), now).id;
    let sale = shop.store.record_sale(&cash_sale_with_items("s1", m, 60, 1), now).unwrap();
    // A card has started: the goal stays, with a translated reason.
    let err = shop.store.edit_program(drinks, &edit("茶飲卡", 6, Some(180))).unwrap_err();
    assert_eq!(err.code(), "StampsNeededLocked");
    assert!(err.details().contains(&("cards", "1".to_string())));
    assert_eq!(shop.store.programs().unwrap()[0].stamps_needed, 8, "nothing was written");
    // The rest still changes, and the member's card shows the new words.
    shop.store.edit_program(drinks, &edit("四季茶飲卡", 8, None)).unwrap();
    let card = shop.store.member_card(m, now).unwrap();
    assert_eq!(card.stamp_cards[0].program_name, "四季茶飲卡");
    assert_eq!(card.stamp_cards[0].reward_text, "任選大杯飲品");
    // The receipt keeps the words it was written with; a new one has the new name.
    assert_eq!(shop.store.receipt(sale.number).unwrap().stamps[0].program_name, "茶飲卡");
    let later = shop.store.record_sale(&cash_sale_with_items("s2", m, 60, 1), now).unwrap();
    assert_eq!(later.stamps[0].program_name, "四季茶飲卡");
    let void = shop.store.void_receipt(&void("v1", sale.number), now).unwrap();
    assert_eq!(void.stamps[0].program_name, "茶飲卡", "a void reverses the original in its words");

    // Bad input is refused the same way as when adding a program.
    let other = program(&mut shop.store, "蛋糕卡", 8, EarnRule::PerVisit, None);
    assert_eq!(shop.store.edit_program(other, &edit("四季茶飲卡", 8, None)).unwrap_err().code(), "InvalidInput");
    assert_eq!(shop.store.edit_program(other, &edit("  ", 8, None)).unwrap_err().code(), "EmptyField");
    assert_eq!(shop.store.edit_program(999, &edit("新卡", 8, None)).unwrap_err().code(), "ProgramNotFound");
}

#[test]
fn a_new_database_is_not_set_up_until_the_welcome_finishes_and_stays_set_up_after_reopening() {
    let mut shop = new_shop();
    let now = noon();
    assert!(!shop.store.is_set_up().unwrap(), "a new database shows the welcome");
    // A first member or saved settings alone do not finish the setup (the
    // setup's steps save settings as they go); the app marks it when they end.
    register(&mut shop.store, "第一位", Some("0911-222-333"), now);
    shop.store.update_settings(&SettingsPatch { name: Some("阿明茶飲".into()), ..Default::default() }, now).unwrap();
    assert!(!shop.store.is_set_up().unwrap());
    shop.store.mark_set_up(now).unwrap();
    assert_eq!(shop.store.set_up_at().unwrap(), Some(now.timestamp_millis()));
    // Marking again keeps the first time.
    shop.store.mark_set_up(now + Duration::days(1)).unwrap();
    assert_eq!(shop.store.set_up_at().unwrap(), Some(now.timestamp_millis()));
    drop(shop.store);
    let again = Store::open(&shop.path).unwrap();
    assert!(again.is_set_up().unwrap(), "set up survives a restart");
}

#[test]
fn loading_demo_data_sets_the_shop_up_and_is_refused_in_a_shop_already_in_use() {
    let mut shop = new_shop();
    let now = noon();
    shop.store.seed_demo_data(ReceiptLanguage::ZhTw, now).unwrap();
    assert!(shop.store.is_set_up().unwrap());
    let err = shop.store.seed_demo_data(ReceiptLanguage::ZhTw, now).unwrap_err();
    assert_eq!(err.code(), "ShopNotEmpty");
}

#[test]
fn a_shop_in_use_before_the_setup_flag_existed_counts_as_set_up() {
    let shop = new_shop();
    let path = shop.path.clone();
    drop(shop.store);
    // A database from before the flag's migration, with a member in it.
    let dir = tempfile::tempdir().unwrap();
    let old_path = dir.path().join("old.db");
    let flag = MIGRATIONS.iter().position(|(name, _)| name.ends_with("_setup")).unwrap();
    let mut old = Store::open_at_version(&old_path, flag).unwrap();
    register(&mut old, "老顧客", Some("0911-000-111"), noon());
    drop(old);
    assert!(Store::open(&old_path).unwrap().is_set_up().unwrap());
    // …while an untouched new one is not.
    assert!(!Store::open(&path).unwrap().is_set_up().unwrap());
}
