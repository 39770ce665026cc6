//! Points (積分) through the store and the CLI: earned on what was paid for
//! sales only, redeemed at checkout as a discount line, lapsing oldest
//! first, and a void giving back both what it earned and what it redeemed.
#![allow(clippy::disallowed_methods)] // Tampers with the file with raw SQL.

use crate::common::*;
use chrono::{DateTime, Duration, Utc};
use regulars::points::PointsSettings;
use regulars::{PaymentMethod, SaleRequest, VoidRequest};

const RULES: PointsSettings = PointsSettings { earn_per_minor: 10, point_value_minor: 1, expiry_days: Some(90) };

fn fixture() -> (Shop, i64, DateTime<Utc>) {
    let mut shop = new_shop();
    let now = noon();
    let member = register(&mut shop.store, "陳怡君", Some("0912-345-678"), now).id;
    shop.store.set_points_settings(&RULES, now).unwrap();
    (shop, member, now)
}

/// A cash sale of `total` (items) redeeming `points`, paying the rest.
fn points_sale(request_id: &str, member: i64, total: i64, points: i64) -> SaleRequest {
    let mut r = sale_req(request_id, member, &[(PaymentMethod::Cash, total - points)]);
    r.total_minor = total;
    r.redeem_points = points;
    if total == points {
        r.payments.clear(); // nothing left to pay: no payment at all
    }
    r
}

fn void(number: i64, id: &str) -> VoidRequest {
    VoidRequest {
        request_id: id.into(), receipt_number: number, reason: "客人取消".into(), cashier: "小美".into()
    }
}

#[test]
fn points_are_earned_on_what_was_paid_for_sales_only() {
    let (mut shop, m, now) = fixture();
    shop.store.top_up(&top_up_req("t-1", m, 1_000), now).unwrap();
    assert_eq!(shop.store.member_points(m, now).unwrap(), 0, "a top-up earns no points");
    let r = shop.store.record_sale(&points_sale("s-1", m, 255, 0), now).unwrap();
    assert_eq!(r.points.as_ref().map(|p| (p.earned, p.after)), Some((25, 25)), "rounded down");
    let r = shop.store.record_sale(&points_sale("s-2", m, 100, 20), now).unwrap();
    let p = r.points.clone().unwrap();
    assert_eq!((p.before, p.redeemed, p.earned, p.after), (25, 20, 8, 13), "earned on the 80 paid");
    assert_eq!(r.total_minor, 80);
    let lines_less_discounts = r.total_minor + r.discount_minor();
    assert_eq!(lines_less_discounts, 100);
    assert_eq!(r.discounts[0].points, 20);
    check_invariants(&shop.store);
}

#[test]
fn redeeming_more_points_than_held_is_refused_with_nothing_written() {
    let (mut shop, m, now) = fixture();
    shop.store.record_sale(&points_sale("s-1", m, 100, 0), now).unwrap();
    let err = shop.store.record_sale(&points_sale("s-2", m, 100, 11), now).unwrap_err();
    assert_eq!(err.code(), "InsufficientPoints");
    assert_eq!(all_receipts(&shop.store).len(), 1);
    assert_eq!(shop.store.member_points(m, now).unwrap(), 10);
}

#[test]
fn the_oldest_points_lapse_first_after_the_expiry() {
    let (mut shop, m, now) = fixture();
    shop.store.record_sale(&points_sale("s-1", m, 100, 0), now).unwrap(); // 10 points, day 0
    shop.store.record_sale(&points_sale("s-2", m, 50, 0), now + Duration::days(60)).unwrap(); // 5 points, day 60
    let later = now + Duration::days(100);
    assert_eq!(shop.store.member_points(m, later).unwrap(), 5, "the first 10 lapsed");
    let r = shop.store.record_sale(&points_sale("s-3", m, 100, 5), later).unwrap();
    let p = r.points.unwrap();
    assert_eq!((p.before, p.expired, p.redeemed, p.earned, p.after), (15, 10, 5, 9, 9));
    check_invariants(&shop.store);
}

#[test]
fn a_void_gives_back_the_points_redeemed_and_takes_back_those_earned() {
    let (mut shop, m, now) = fixture();
    shop.store.record_sale(&points_sale("s-1", m, 300, 0), now).unwrap(); // 30
    let r = shop.store.record_sale(&points_sale("s-2", m, 100, 30), now).unwrap(); // -30 +7
    assert_eq!(shop.store.member_points(m, now).unwrap(), 7);
    let v = shop.store.void_receipt(&void(r.number, "v-1"), now).unwrap();
    assert_eq!(v.total_minor, -70);
    assert_eq!(v.points.map(|p| (p.earned, p.redeemed, p.after)), Some((-7, -30, 30)));
    assert_eq!(shop.store.member_points(m, now).unwrap(), 30);
    // Points earned and redeemed since cannot be taken back.
    let first = all_receipts(&shop.store).into_iter().find(|s| s.number == 1).unwrap();
    shop.store.record_sale(&points_sale("s-3", m, 30, 30), now).unwrap();
    let err = shop.store.void_receipt(&void(first.number, "v-2"), now).unwrap_err();
    assert_eq!(err.code(), "PointsSpentSince");
    check_invariants(&shop.store);
}

#[test]
fn the_audit_finds_points_that_disagree_with_their_ledger() {
    let (mut shop, m, now) = fixture();
    shop.store.record_sale(&points_sale("s-1", m, 100, 0), now).unwrap();
    let raw = rusqlite::Connection::open(&shop.path).unwrap();
    raw.execute("UPDATE member_points SET points = 99", []).unwrap();
    assert!(shop.store.audit().unwrap().iter().any(|x| x.what == "points"));
}

#[test]
fn points_end_to_end_through_the_cli() {
    let shop = CliShop::new();
    shop.ok(&["member", "add", "--name", "陳怡君", "--phone", "0912345678"]);
    let rules = shop.json(&["points", "settings", "--earn-per", "10", "--value", "1", "--expiry-days", "365"]);
    assert_eq!(rules["earnPerMinor"], 10);
    shop.json(&["sale", "0912345678", "--total", "200"]);
    assert_eq!(shop.json(&["points", "show", "0912345678"])["points"], 20);
    let r = shop.json(&["sale", "0912345678", "--total", "100", "--points", "15"]);
    assert_eq!(r["totalMinor"], 85);
    assert_eq!(r["points"]["after"], 13);
    assert!(shop.fails(&["sale", "0912345678", "--total", "100", "--points", "50"]).contains("not enough points"));
}

#[test]
fn the_pdf_receipt_shows_the_points_redeemed_as_a_discount_line() {
    let (mut shop, m, now) = fixture();
    shop.store.record_sale(&points_sale("s-1", m, 300, 0), now).unwrap();
    let r = shop.store.record_sale(&points_sale("s-2", m, 100, 20), now).unwrap();
    for (lang, words) in [
        (regulars::ReceiptLanguage::ZhTw, "積分折抵 20 點"),
        (regulars::ReceiptLanguage::ZhCn, "积分抵扣 20 分"),
        (regulars::ReceiptLanguage::En, "20 points redeemed"),
    ] {
        let pdf = shop.store.receipt_pdf(r.number, None, lang).unwrap();
        let path = shop.dir.path().join(format!("p-{lang:?}.pdf"));
        std::fs::write(&path, &pdf.bytes).unwrap();
        let out = std::process::Command::new("pdftotext").args(["-layout", path.to_str().unwrap(), "-"]).output();
        let text = String::from_utf8(out.expect("pdftotext (poppler-utils) is needed").stdout).unwrap();
        assert!(text.contains(words) && text.contains("-NT$20"), "{words:?} missing in:\n{text}");
    }
}

#[test]
fn a_message_names_the_points_held_and_the_coupon_that_runs_out_first() {
    let (mut shop, member, now) = fixture();
    let s = &mut shop.store;
    let other = register(s, "林小美", Some("0922-000-111"), now).id;
    s.record_sale(&points_sale("earn", member, 1_240, 0), now).unwrap();
    // Two coupons: a 30-day one, then a 7-day one issued a day later, which runs out first.
    let month = s.add_offer(&amount_off_offer("回娘家 50 元", 50, true), now).unwrap().id;
    let mut week_input = amount_off_offer("本週 30 元", 30, true);
    week_input.valid_days = Some(7);
    let week = s.add_offer(&week_input, now).unwrap().id;
    let issue = |s: &mut regulars::Store, id: &str, offer: i64, at| {
        let req =
            regulars::store::coupons::IssueCouponRequest { request_id: id.into(), member_id: member, offer_id: offer };
        s.issue_coupon(&req, at).unwrap()
    };
    issue(s, "c-month", month, now);
    let soon = issue(s, "c-week", week, now + Duration::days(1));
    let later = now + Duration::days(2);
    let body = "{name}：積分 {points}[，優惠券 {coupon} 用到 {couponExpiry}]";
    let msgs = s.outreach_messages(&[member, other], body, regulars::ReceiptLanguage::ZhTw, later).unwrap();
    assert_eq!(msgs[0].text, format!("陳怡君：積分 124，優惠券 {} 用到 {}", soon.code, soon.valid_until));
    // No coupon: the bracketed part is left out; no points: 0.
    assert_eq!(msgs[1].text, "林小美：積分 0");
    // Once it has run out, the month's coupon is the one named.
    let after_week = now + Duration::days(10);
    let msgs = s.outreach_messages(&[member], "{coupon}", regulars::ReceiptLanguage::ZhTw, after_week).unwrap();
    assert_ne!(msgs[0].text, soon.code);
    assert_eq!(msgs[0].text.len(), soon.code.len());
}
