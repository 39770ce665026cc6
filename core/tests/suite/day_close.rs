//! Closing the till: one shop day's figures, on the shop's clock.

use crate::common::*;
use chrono::NaiveDate;
use regulars::PaymentMethod::{Card, Cash, StoredValue};
use regulars::{AdjustRequest, RefundRequest, SettingsPatch, VoidRequest};

#[test]
fn the_day_close_adds_up_what_the_drawer_and_the_terminal_should_hold() {
    let mut shop = new_shop();
    let s = &mut shop.store;
    // 08:00 Taipei on 10 March is 00:00 UTC: the day runs 9 Mar 16:00Z – 10 Mar 16:00Z.
    s.update_settings(
        &SettingsPatch { time_zone: Some("Asia/Taipei".into()), ..Default::default() },
        at("2026-03-01T00:00:00Z"),
    )
    .unwrap();
    s.set_bonus_rule(1000, 100, 0, at("2026-03-01T00:00:00Z")).unwrap();
    let program = regulars::NewStampProgram {
        name: "飲品集點卡".into(),
        stamps_needed: 10,
        reward_text: "任選飲品一杯".into(),
        earn_rule: regulars::EarnRule::PerItem,
        expiry_days: None,
    };
    s.add_program(&program, at("2026-03-01T00:00:00Z")).unwrap();
    let old = register(s, "老客人", Some("0912-000-001"), at("2026-03-01T02:00:00Z")).id;
    // The evening before (23:30 Taipei on 9 March): not in the day.
    s.record_sale(&cash_sale_with_items("eve", old, 999, 1), at("2026-03-09T15:30:00Z")).unwrap();
    // 00:30 Taipei on 10 March (still 9 March in UTC): in the day.
    let fresh = register(s, "新客人", Some("0912-000-002"), at("2026-03-09T16:30:00Z")).id;
    s.record_sale(&cash_sale_with_items("s1", fresh, 120, 2), at("2026-03-09T16:35:00Z")).unwrap();
    let card = s.record_sale(&sale_req("s2", old, &[(Card, 200)]), at("2026-03-10T02:00:00Z")).unwrap();
    s.top_up(&top_up_req("t1", old, 1000), at("2026-03-10T03:00:00Z")).unwrap();
    s.record_sale(&sv_sale("s3", old, 60), at("2026-03-10T03:05:00Z")).unwrap();
    let refund = RefundRequest {
        request_id: "r1".into(),
        member_id: old,
        amount_minor: 300,
        method: Cash,
        method_id: None,
        cashier: "小美".into(),
        note: String::new(),
    };
    s.refund_stored_value(&refund, at("2026-03-10T05:00:00Z")).unwrap();
    let void = VoidRequest {
        request_id: "v1".into(),
        receipt_number: card.number,
        reason: "刷錯卡".into(),
        cashier: "小美".into(),
    };
    s.void_receipt(&void, at("2026-03-10T06:00:00Z")).unwrap();
    // 00:10 Taipei on 11 March: the next day.
    s.record_sale(&cash_sale_with_items("next", old, 50, 1), at("2026-03-10T16:10:00Z")).unwrap();

    let day = s.day_close(NaiveDate::from_ymd_opt(2026, 3, 10).unwrap()).unwrap();
    assert_eq!((day.sales.count, day.sales.amount_minor), (3, 120 + 200 + 60));
    assert_eq!((day.top_ups.count, day.top_ups.amount_minor, day.bonus_given_minor), (1, 1000, 100));
    assert_eq!((day.refunds.count, day.refunds.amount_minor), (1, 300));
    assert_eq!((day.voided_sales.count, day.voided_sales.amount_minor), (1, 200));
    assert_eq!(day.voided_top_ups.count, 0);
    assert_eq!(day.new_members, 1);
    assert_eq!(day.stamps_given, 2);

    let method = |m| day.methods.iter().find(|t| t.method == m).cloned().unwrap_or_else(|| panic!("{m:?} in {day:?}"));
    let cash = method(Cash);
    assert_eq!((cash.sales_minor, cash.top_ups_minor, cash.refunds_minor, cash.voids_minor), (120, 1000, 300, 0));
    assert_eq!(cash.net_minor, 820, "cash to find in the drawer");
    let card = method(Card);
    assert_eq!((card.sales_minor, card.voids_minor, card.net_minor), (200, 200, 0));
    assert_eq!(method(StoredValue).net_minor, 60);
    assert_eq!(day.methods.iter().map(|m| m.method).collect::<Vec<_>>(), [Cash, Card, StoredValue]);

    // Stored value: 1000 paid + 100 bonus in, 60 spent, 300 refunded.
    assert!(day.float.balances());
    assert_eq!(day.float.opening.paid_minor + day.float.opening.bonus_minor, 0);
    assert_eq!(day.float.closing.paid_minor + day.float.closing.bonus_minor, 1100 - 60 - 300);

    // A day with nothing in it is all zeros, with the float carried over.
    let quiet = s.day_close(NaiveDate::from_ymd_opt(2026, 3, 12).unwrap()).unwrap();
    assert_eq!((quiet.sales.count, quiet.methods.len(), quiet.new_members), (0, 0, 0));
    assert_eq!(quiet.float.opening, day.float.closing);

    // A correction of −100 paid and +50 bonus moves stored value by −50,
    // in the receipts' count as in the float; no money changes hands.
    let fix = AdjustRequest {
        request_id: "a1".into(),
        member_id: old,
        paid_delta_minor: -100,
        bonus_delta_minor: 50,
        reason: "多記了".into(),
        cashier: "店長".into(),
    };
    s.adjust_stored_value(&fix, at("2026-03-12T04:00:00Z")).unwrap();
    let fixed = s.day_close(NaiveDate::from_ymd_opt(2026, 3, 12).unwrap()).unwrap();
    assert_eq!((fixed.adjustments.count, fixed.adjustments.amount_minor), (1, -50));
    assert_eq!((fixed.float.adjustments.paid_minor, fixed.float.adjustments.bonus_minor), (-100, 50));
    assert!(fixed.methods.is_empty() && fixed.float.balances());
}

fn count(request_id: &str, date: NaiveDate, float_minor: i64, counted_minor: i64) -> regulars::DrawerCountRequest {
    regulars::DrawerCountRequest {
        request_id: request_id.into(),
        date,
        float_minor,
        counted_minor,
        cashier: "小美".into(),
        note: String::new(),
    }
}

#[test]
fn a_counted_drawer_records_its_over_or_short_against_the_float_and_the_days_cash() {
    let mut shop = new_shop();
    let s = &mut shop.store;
    s.update_settings(&SettingsPatch { time_zone: Some("Asia/Taipei".into()), ..Default::default() }, noon()).unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
    let m = register(s, "老客人", Some("0912-000-001"), at("2026-03-10T01:00:00Z")).id;
    s.record_sale(&sale_req("s1", m, &[(Cash, 135)]), at("2026-03-10T02:00:00Z")).unwrap();
    s.record_sale(&sale_req("s2", m, &[(Card, 200)]), at("2026-03-10T03:00:00Z")).unwrap();
    s.top_up(&top_up_req("t1", m, 1000), at("2026-03-10T04:00:00Z")).unwrap();
    assert_eq!(s.day_close(day).unwrap().drawer, None, "not counted yet");

    // Float 2,000 + cash 1,135 = 3,135 expected; 3,100 counted is 35 short.
    let close = s.count_drawer(&count("c1", day, 2000, 3100), at("2026-03-10T12:00:00Z")).unwrap();
    let d = close.drawer.clone().expect("the count is on the close");
    assert_eq!((d.float_minor, d.expected_minor, d.counted_minor, d.over_short_minor), (2000, 3135, 3100, -35));
    assert_eq!((close.cash_minor, close.drawer_counts, close.drawer_outdated), (1135, 1, false));

    // Repeating the request changes nothing; a recount is a new row and the latest counts.
    s.count_drawer(&count("c1", day, 2000, 3100), at("2026-03-10T12:01:00Z")).unwrap();
    let recount = s.count_drawer(&count("c2", day, 2000, 3145), at("2026-03-10T12:05:00Z")).unwrap();
    assert_eq!(recount.drawer.as_ref().map(|d| d.over_short_minor), Some(10), "10 over");
    assert_eq!(recount.drawer_counts, 2);
    let all = s.drawer_counts(day).unwrap();
    assert_eq!(all.iter().map(|c| c.over_short_minor).collect::<Vec<_>>(), [-35, 10], "the first count is kept");

    // Cash after the count: the close says to count again.
    s.record_sale(&sale_req("s3", m, &[(Cash, 60)]), at("2026-03-10T13:00:00Z")).unwrap();
    assert!(s.day_close(day).unwrap().drawer_outdated);

    // Another day 20 short: over the two days the drawer is 10 short, each
    // day by its latest count.
    let next = day.succ_opt().unwrap();
    s.count_drawer(&count("c3", next, 2000, 1980), at("2026-03-11T12:00:00Z")).unwrap();
    assert_eq!(s.drawer_over_short(day, next).unwrap(), 10 - 20);
    assert_eq!(s.drawer_over_short(next, next).unwrap(), -20);

    // The slip says it, in each language.
    let slip = |lang| {
        let pdf = s.day_close_pdf(day, None, lang, at("2026-03-10T14:00:00Z")).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.pdf");
        std::fs::write(&path, &pdf.bytes).unwrap();
        let out = std::process::Command::new("pdftotext").args(["-layout"]).arg(&path).arg("-").output().unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let zh = slip(regulars::ReceiptLanguage::ZhTw);
    assert!(
        zh.contains("實點現金") && zh.contains("多") && zh.contains("+NT$10") && zh.contains("第 2 次點鈔"),
        "{zh}"
    );
    let en = slip(regulars::ReceiptLanguage::En);
    assert!(en.contains("Cash counted") && en.contains("Over") && en.contains("count again"), "{en}");
    check_invariants(s);
}

#[test]
fn a_bad_drawer_count_is_refused_and_writes_nothing() {
    let mut shop = new_shop();
    let s = &mut shop.store;
    let day = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
    let cases = [
        ("negative counted cash", count("a", day, 0, -1), "AmountNegative"),
        ("negative float", count("b", day, -500, 100), "AmountNegative"),
        ("an absurd amount", count("c", day, 0, i64::MAX), "AmountTooLarge"),
        ("no request id", count(" ", day, 0, 100), "EmptyField"),
    ];
    for (what, req, code) in cases {
        let e = s.count_drawer(&req, noon()).unwrap_err();
        assert_eq!(e.code(), code, "{what}");
    }
    s.count_drawer(&count("d", day, 0, 100), noon()).unwrap();
    let reused = s.count_drawer(&count("d", day.succ_opt().unwrap(), 0, 100), noon()).unwrap_err();
    assert_eq!(reused.code(), "RequestIdReused");
    assert_eq!(s.drawer_counts(day).unwrap().len(), 1);
    assert!(s.drawer_counts(day.succ_opt().unwrap()).unwrap().is_empty());
}
