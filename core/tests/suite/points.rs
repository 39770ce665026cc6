//! Points (積分) through the store and the CLI: earned on what was paid for
//! sales only, redeemed at checkout as a discount line, lapsing oldest
//! first, and a void giving back both what it earned and what it redeemed.
#![allow(clippy::disallowed_methods)] // Tampers with the file with raw SQL.

use crate::common::*;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use regulars::analytics::tiers::TierInput;
use regulars::points::{Expiring, PointsSettings};
use regulars::{PaymentMethod, SaleRequest, VoidRequest};

const RULES: PointsSettings = PointsSettings {
    earn_per_minor: 10,
    point_value_minor: 1,
    expiry_months: Some(3),
    max_redeem_percent: 100,
    birthday_multiplier_pct: 200,
};

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
    assert_eq!(shop.store.member_points(m, now).unwrap().points, 0, "a top-up earns no points");
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
    assert_eq!(shop.store.member_points(m, now).unwrap().points, 10);
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Noon in Taipei on a shop day.
fn taipei_noon(s: &str) -> DateTime<Utc> {
    at(&format!("{s}T04:00:00Z"))
}

#[test]
fn points_lapse_by_batch_at_the_end_of_the_month_oldest_first() {
    let (mut shop, m, now) = fixture();
    // 10 points on 2026-03-10, 5 on 2026-05-09: usable to 2026-06-30 and 2026-08-31.
    shop.store.record_sale(&points_sale("s-1", m, 100, 0), now).unwrap();
    shop.store.record_sale(&points_sale("s-2", m, 50, 0), now + Duration::days(60)).unwrap();
    let june = shop.store.member_points(m, taipei_noon("2026-06-30")).unwrap();
    assert_eq!(june.points, 15, "usable on the batch's last day");
    assert_eq!(june.next_expiry, Some(Expiring { points: 10, last_day: day("2026-06-30") }));
    let july = taipei_noon("2026-07-01");
    let left = shop.store.member_points(m, july).unwrap();
    assert_eq!(left.points, 5, "the first 10 lapsed");
    assert_eq!(left.next_expiry, Some(Expiring { points: 5, last_day: day("2026-08-31") }));
    let r = shop.store.record_sale(&points_sale("s-3", m, 100, 5), july).unwrap();
    let p = r.points.unwrap();
    assert_eq!((p.before, p.expired, p.redeemed, p.earned, p.after), (15, 10, 5, 9, 9));
    // What the receipt says lapses next: the 9 just earned, at the end of October.
    assert_eq!(p.next_expiry, Some(Expiring { points: 9, last_day: day("2026-10-31") }));
    check_invariants(&shop.store);
}

#[test]
fn points_used_before_their_month_ends_are_the_oldest_ones() {
    let (mut shop, m, now) = fixture();
    shop.store.record_sale(&points_sale("s-1", m, 100, 0), now).unwrap(); // 10, to June
    shop.store.record_sale(&points_sale("s-2", m, 200, 0), taipei_noon("2026-05-02")).unwrap(); // 20, to August
    shop.store.record_sale(&points_sale("s-3", m, 100, 12), taipei_noon("2026-06-01")).unwrap(); // -12, +8
                                                                                                 // The 12 came from March's 10 and 2 of May's: nothing lapses in July.
    let july = shop.store.member_points(m, taipei_noon("2026-07-15")).unwrap();
    assert_eq!(july.points, 26);
    assert_eq!(july.next_expiry, Some(Expiring { points: 18, last_day: day("2026-08-31") }));
    check_invariants(&shop.store);
}

#[test]
fn a_new_expiry_rule_never_re_dates_points_already_earned() {
    let (mut shop, m, now) = fixture();
    shop.store.record_sale(&points_sale("s-1", m, 100, 0), now).unwrap(); // 10 under 3 months: to June
    shop.store.set_points_settings(&PointsSettings { expiry_months: Some(1), ..RULES }, now).unwrap();
    shop.store.record_sale(&points_sale("s-2", m, 50, 0), now).unwrap(); // 5 under 1 month: to April
    let may = shop.store.member_points(m, taipei_noon("2026-05-01")).unwrap();
    assert_eq!(may.points, 10, "April's 5 lapsed, March's 10 kept their June");
    assert_eq!(may.next_expiry, Some(Expiring { points: 10, last_day: day("2026-06-30") }));
    // Turning expiry off does not save points already dated, nor shorten them.
    shop.store.set_points_settings(&PointsSettings { expiry_months: None, ..RULES }, now).unwrap();
    shop.store.record_sale(&points_sale("s-3", m, 70, 0), taipei_noon("2026-05-01")).unwrap(); // 7, never lapse
    let later = shop.store.member_points(m, taipei_noon("2027-01-01")).unwrap();
    assert_eq!((later.points, later.next_expiry), (7, None));
    check_invariants(&shop.store);
}

#[test]
fn tiers_and_the_birthday_month_multiply_the_points_earned() {
    let (mut shop, m, now) = fixture();
    let tier = |name: &str, min: i64, pct: i64| TierInput {
        name: name.into(),
        min_spend_minor: min,
        points_multiplier_pct: pct,
    };
    shop.store.set_tiers(&[tier("會員", 0, 100), tier("金卡", 500, 150)], now).unwrap();
    // A plain member in a month that is not their birthday's: ×1.
    let r = shop.store.record_sale(&points_sale("s-1", m, 600, 0), now).unwrap();
    assert_eq!(r.points.map(|p| p.earned), Some(60));
    assert_eq!(shop.store.member(m).unwrap().tier.as_deref(), Some("金卡"), "the sale reached 金卡");
    // 金卡 ×1.5.
    let r = shop.store.record_sale(&points_sale("s-2", m, 100, 0), now).unwrap();
    assert_eq!(r.points.map(|p| p.earned), Some(15));
    // Born in March, buying in March: 金卡 ×1.5 × birthday ×2 = ×3.
    let edit = regulars::member::MemberPatch { birthday: Some("1990-03-25".into()), ..Default::default() };
    shop.store.edit_member(m, &edit, now).unwrap();
    let r = shop.store.record_sale(&points_sale("s-3", m, 100, 0), now).unwrap();
    assert_eq!(r.points.map(|p| p.earned), Some(30));
    // In April: back to ×1.5.
    let r = shop.store.record_sale(&points_sale("s-4", m, 100, 0), taipei_noon("2026-04-01")).unwrap();
    assert_eq!(r.points.map(|p| p.earned), Some(15));
    // A tier multiplier out of range is refused with nothing changed.
    let err = shop.store.set_tiers(&[tier("會員", 0, 50)], now).unwrap_err();
    assert_eq!(err.code(), "InvalidInput");
    assert_eq!(shop.store.tiers().unwrap().len(), 2);
    check_invariants(&shop.store);
}

#[test]
fn points_pay_at_most_the_shops_share_of_a_bill() {
    let (mut shop, m, now) = fixture();
    shop.store.record_sale(&points_sale("s-1", m, 1_000, 0), now).unwrap(); // 100 points
    shop.store.set_points_settings(&PointsSettings { max_redeem_percent: 30, ..RULES }, now).unwrap();
    let err = shop.store.record_sale(&points_sale("s-2", m, 100, 31), now).unwrap_err();
    assert_eq!(err.code(), "InvalidInput");
    assert!(err.details().iter().any(|(k, v)| *k == "max" && v == "30"), "{:?}", err.details());
    let r = shop.store.record_sale(&points_sale("s-3", m, 100, 30), now).unwrap();
    assert_eq!(r.total_minor, 70);
    check_invariants(&shop.store);
}

#[test]
fn a_file_from_before_dated_batches_keeps_the_days_its_old_rule_gave() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v13.db");
    let before = regulars::store::MIGRATIONS.iter().position(|(n, _)| *n == "0014_points_batches").unwrap();
    let mut old = regulars::Store::open_at_version(&path, before).unwrap();
    let m = register(&mut old, "陳怡君", Some("0912-345-678"), noon()).id;
    drop(old);
    {
        // Schema 13: points lapsed 90 days after they were earned.
        let raw = rusqlite::Connection::open(&path).unwrap();
        raw.execute_batch(
            "PRAGMA foreign_keys = OFF; -- receipts 1 and 2 are left out
             UPDATE points_settings SET earn_per_minor = 10, expiry_days = 90;
             INSERT INTO member_points (member_id, points) SELECT id, 15 FROM members;
             INSERT INTO points_ledger (member_id, receipt_id, kind, delta, created_at)
               SELECT id, 1, 'earn', 10, 1773115200000 FROM members UNION ALL
               SELECT id, 2, 'earn', 5, 1778385600000 FROM members;",
        )
        .unwrap();
    }
    let store = regulars::Store::open(&path).unwrap();
    assert_eq!(store.points_settings().unwrap().expiry_months, Some(3), "90 days read as 3 months");
    // 2026-03-10 + 90 days = 2026-06-08; 2026-05-10 + 90 days = 2026-08-08.
    let p = store.member_points(m, taipei_noon("2026-06-08")).unwrap();
    assert_eq!((p.points, p.next_expiry), (15, Some(Expiring { points: 10, last_day: day("2026-06-08") })));
    assert_eq!(store.member_points(m, taipei_noon("2026-06-09")).unwrap().points, 5);
}

#[test]
fn a_void_gives_back_the_points_redeemed_and_takes_back_those_earned() {
    let (mut shop, m, now) = fixture();
    shop.store.record_sale(&points_sale("s-1", m, 300, 0), now).unwrap(); // 30
    let r = shop.store.record_sale(&points_sale("s-2", m, 100, 30), now).unwrap(); // -30 +7
    assert_eq!(shop.store.member_points(m, now).unwrap().points, 7);
    let v = shop.store.void_receipt(&void(r.number, "v-1"), now).unwrap();
    assert_eq!(v.total_minor, -70);
    assert_eq!(v.points.map(|p| (p.earned, p.redeemed, p.after)), Some((-7, -30, 30)));
    assert_eq!(shop.store.member_points(m, now).unwrap().points, 30);
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
    let rules = shop.json(&[
        "points",
        "settings",
        "--earn-per",
        "10",
        "--value",
        "1",
        "--expiry-months",
        "12",
        "--max-percent",
        "50",
        "--birthday-multiplier",
        "×1.5",
    ]);
    assert_eq!((rules["earnPerMinor"].clone(), rules["maxRedeemPercent"].clone()), (10.into(), 50.into()));
    assert_eq!(rules["birthdayMultiplierPct"], 150);
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
    // 30 + 8 earned in March (usable to the end of June), 20 of them used.
    for (lang, words, lapse) in [
        (regulars::ReceiptLanguage::ZhTw, "積分折抵 20 點", "其中 18 點將於 2026-06-30 到期"),
        (regulars::ReceiptLanguage::ZhCn, "积分抵扣 20 分", "其中 18 分将于 2026-06-30 到期"),
        (regulars::ReceiptLanguage::En, "20 points redeemed", "18 of them lapse after 2026-06-30"),
    ] {
        let pdf = shop.store.receipt_pdf(r.number, None, lang).unwrap();
        let path = shop.dir.path().join(format!("p-{lang:?}.pdf"));
        std::fs::write(&path, &pdf.bytes).unwrap();
        let out = std::process::Command::new("pdftotext").args(["-layout", path.to_str().unwrap(), "-"]).output();
        let text = String::from_utf8(out.expect("pdftotext (poppler-utils) is needed").stdout).unwrap();
        assert!(text.contains(words) && text.contains("-NT$20"), "{words:?} missing in:\n{text}");
        assert!(text.contains(lapse), "{lapse:?} missing in:\n{text}");
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
