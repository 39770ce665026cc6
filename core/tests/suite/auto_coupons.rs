//! Coupons the shop issues by itself: birthday coupons some days before
//! each birthday (29 February included), a welcome coupon at registration
//! and a win-back coupon when a member first sleeps; each off until the
//! owner turns it on, each issued once per occasion, however often the
//! app runs.

use crate::common::*;
use chrono::{DateTime, Utc};
use regulars::auto_coupon::{AutoCouponKind, AutoCouponRule};
use regulars::member::MemberPatch;
use regulars::store::coupons::CouponStatus;
use regulars::store::owner::{ContactChannel, ContactOutcome, ContactRequest};
use regulars::{Act, AuditFilter, PaymentMethod, Store};

/// Noon in Taipei on a shop day.
fn taipei_noon(day: &str) -> DateTime<Utc> {
    at(&format!("{day}T04:00:00Z"))
}

fn rule(kind: AutoCouponKind, offer: i64, days_before: i64) -> AutoCouponRule {
    AutoCouponRule { kind, offer_id: Some(offer), enabled: true, days_before }
}

fn born(store: &mut Store, name: &str, phone: &str, birthday: &str, now: DateTime<Utc>) -> i64 {
    let id = register(store, name, Some(phone), now).id;
    store.edit_member(id, &MemberPatch { birthday: Some(birthday.into()), ..Default::default() }, now).unwrap();
    id
}

fn auto_rows(store: &Store) -> usize {
    store.audit_log(&AuditFilter { kind: Some(Act::AutoCoupons), ..Default::default() }).unwrap().len()
}

#[test]
fn automatic_coupons_are_off_until_the_owner_turns_them_on() {
    let mut shop = new_shop();
    let now = taipei_noon("2026-12-01");
    born(&mut shop.store, "陳怡君", "0912-345-678", "1990-12-03", now);
    assert!(shop.store.auto_coupon_rules().unwrap().iter().all(|r| !r.enabled));
    let run = shop.store.issue_automatic_coupons(now).unwrap();
    assert_eq!((run.birthday, run.win_back), (0, 0));
    assert_eq!(auto_rows(&shop.store), 0, "a run with nothing to issue leaves no audit row");
    // Turning one on needs an offer.
    let no_offer = AutoCouponRule { kind: AutoCouponKind::Birthday, offer_id: None, enabled: true, days_before: 7 };
    assert_eq!(shop.store.set_auto_coupon_rule(&no_offer, now).unwrap_err().code(), "EmptyField");
}

#[test]
fn a_birthday_coupon_comes_the_set_days_before_the_birthday_once() {
    let mut shop = new_shop();
    let now = taipei_noon("2026-12-01");
    let s = &mut shop.store;
    let soon = born(s, "陳怡君", "0912-345-678", "1990-12-08", now);
    let later = born(s, "林小美", "0922-111-222", "1988-12-20", now);
    let gift = s.add_offer(&amount_off_offer("生日禮 100 元", 100, false), now).unwrap().id;
    s.set_auto_coupon_rule(&rule(AutoCouponKind::Birthday, gift, 7), now).unwrap();

    let run = s.issue_automatic_coupons(now).unwrap();
    assert_eq!(run.birthday, 1, "only the birthday within 7 days");
    let coupons = s.member_coupons(soon, now).unwrap();
    assert_eq!(coupons.len(), 1);
    assert_eq!((coupons[0].offer_name.as_str(), coupons[0].status), ("生日禮 100 元", CouponStatus::Usable));
    assert!(s.member_coupons(later, now).unwrap().is_empty());
    // Every later run that day, and the next days up to the birthday, issues nothing more.
    for day in ["2026-12-01", "2026-12-04", "2026-12-08"] {
        assert_eq!(s.issue_automatic_coupons(taipei_noon(day)).unwrap().birthday, 0, "{day}");
    }
    assert_eq!(s.member_coupons(soon, now).unwrap().len(), 1);
    // 林小美's comes on the 13th, by the app's own work.
    assert_eq!(s.issue_automatic_coupons(taipei_noon("2026-12-13")).unwrap().birthday, 1);
    let log = s.audit_log(&AuditFilter { kind: Some(Act::AutoCoupons), ..Default::default() }).unwrap();
    assert_eq!(log.iter().filter(|e| e.staff_name == "system").count(), 2, "the two runs that issued");
    assert_eq!(log.len(), 3, "and the owner's rule");
    // Next year brings next year's coupon.
    assert_eq!(s.issue_automatic_coupons(taipei_noon("2027-12-05")).unwrap().birthday, 1);
    assert_eq!(s.member_coupons(soon, taipei_noon("2027-12-05")).unwrap().len(), 2);
    check_invariants(s);
}

#[test]
fn a_29_february_birthday_gets_its_coupon_in_a_year_without_one() {
    let mut shop = new_shop();
    let now = taipei_noon("2027-02-20");
    let s = &mut shop.store;
    let leap = born(s, "周欣怡", "0933-000-229", "2000-02-29", now);
    let gift = s.add_offer(&amount_off_offer("生日禮", 100, false), now).unwrap().id;
    s.set_auto_coupon_rule(&rule(AutoCouponKind::Birthday, gift, 3), now).unwrap();
    assert_eq!(s.issue_automatic_coupons(taipei_noon("2027-02-24")).unwrap().birthday, 0, "four days before the 28th");
    assert_eq!(s.issue_automatic_coupons(taipei_noon("2027-02-25")).unwrap().birthday, 1);
    assert_eq!(s.issue_automatic_coupons(taipei_noon("2027-02-28")).unwrap().birthday, 0);
    assert_eq!(s.member_coupons(leap, now).unwrap().len(), 1);
}

#[test]
fn a_new_member_gets_the_welcome_coupon_once() {
    let mut shop = new_shop();
    let now = taipei_noon("2026-12-01");
    let s = &mut shop.store;
    let welcome = s.add_offer(&amount_off_offer("新會員 30 元", 30, false), now).unwrap().id;
    let before = register(s, "老顧客", Some("0911-000-111"), now).id;
    s.set_auto_coupon_rule(&rule(AutoCouponKind::Welcome, welcome, 0), now).unwrap();
    let m = register(s, "陳怡君", Some("0912-345-678"), now).id;
    assert_eq!(s.member_coupons(m, now).unwrap().len(), 1);
    assert!(s.member_coupons(before, now).unwrap().is_empty(), "members registered before get none");
    // The registration repeated (a double tap) adds no second member or coupon.
    let again = s.add_member(&new_member("陳怡君", Some("0912-345-678")), "reg-陳怡君-0912-345-678", now).unwrap();
    assert_eq!(again.id, m);
    assert_eq!(s.member_coupons(m, now).unwrap().len(), 1);
    // A paused offer issues nothing; the registration still goes through.
    s.pause_offer(welcome, now).unwrap();
    let n = register(s, "林小美", Some("0922-111-222"), now).id;
    assert!(s.member_coupons(n, now).unwrap().is_empty());
    check_invariants(s);
}

#[test]
fn a_member_who_first_sleeps_gets_a_win_back_coupon_and_the_report_says_it_brought_them_back() {
    let mut shop = new_shop();
    let s = &mut shop.store;
    let first = taipei_noon("2026-10-01");
    let m = register(s, "陳怡君", Some("0912-345-678"), first).id;
    s.record_sale(&sale_req("s-1", m, &[(PaymentMethod::Cash, 120)]), first).unwrap();
    let offer = s.add_offer(&amount_off_offer("好久不見 50 元", 50, false), first).unwrap().id;
    s.set_auto_coupon_rule(&rule(AutoCouponKind::WinBack, offer, 0), first).unwrap();
    // 20 days away: not asleep yet (the shop's 30 days for a member without history).
    assert_eq!(s.issue_automatic_coupons(taipei_noon("2026-10-21")).unwrap().win_back, 0);
    // 35 days away: S1, a coupon; again later the same sleep: none.
    let asleep = taipei_noon("2026-11-05");
    assert_eq!(s.issue_automatic_coupons(asleep).unwrap().win_back, 1);
    assert_eq!(s.issue_automatic_coupons(taipei_noon("2026-11-10")).unwrap().win_back, 0);
    let code = s.member_coupons(m, asleep).unwrap()[0].code.clone();
    // The owner called her; she came back with the coupon.
    let call = ContactRequest {
        request_id: "c-1".into(),
        member_id: m,
        channel: ContactChannel::Phone,
        outcome: ContactOutcome::PromisedVisit,
        note: String::new(),
        cashier: "老闆".into(),
    };
    s.record_contact(&call, asleep).unwrap();
    let back = taipei_noon("2026-11-12");
    let mut sale = sale_req("s-2", m, &[(PaymentMethod::Cash, 70)]);
    sale.total_minor = 120;
    sale.coupon_codes = vec![code.clone()];
    s.record_sale(&sale, back).unwrap();
    let report = s.win_back(back.date_naive() - chrono::Duration::days(30), back.date_naive(), 30).unwrap();
    assert_eq!((report.came_back, report.came_back_with_coupon), (1, 1));
    assert_eq!(report.rows[0].coupon_code.as_deref(), Some(code.as_str()));
    // The standing campaign of win-back coupons shows it redeemed.
    let campaigns = s.campaign_report().unwrap();
    let auto = campaigns.iter().find(|c| c.automatic == Some(AutoCouponKind::WinBack)).unwrap();
    assert_eq!((auto.issued, auto.redeemed, auto.discount_minor), (1, 1, 50));
    // Asleep again after this visit: a new coupon for the new sleep.
    assert_eq!(s.issue_automatic_coupons(taipei_noon("2026-12-20")).unwrap().win_back, 1);
    check_invariants(s);
}

#[test]
fn automatic_coupons_and_tier_multipliers_through_the_cli() {
    let shop = CliShop::new();
    shop.ok(&["coupon", "offer", "add", "--name", "生日禮", "--kind", "amount_off", "--amount", "100", "--days", "30"]);
    assert!(shop.fails(&["coupon", "auto", "set", "birthday", "--on"]).contains("offer"), "on without an offer");
    let rule = shop.json(&["coupon", "auto", "set", "birthday", "--offer", "1", "--days-before", "10", "--on"]);
    assert_eq!((rule["enabled"].as_bool(), rule["daysBefore"].as_i64()), (Some(true), Some(10)));
    let rules = shop.json(&["coupon", "auto", "list"]);
    assert_eq!(rules.as_array().unwrap().iter().filter(|r| r["enabled"] == true).count(), 1);
    let run = shop.json(&["coupon", "auto", "run"]);
    assert_eq!(run["birthday"], 0, "no member has a birthday");
    let tiers = shop.json(&["report", "tiers", "set", "會員:0", "金卡:10000:×1.5"]);
    let gold = tiers["tiers"].as_array().and_then(|t| t.iter().find(|t| t["name"] == "金卡")).cloned();
    assert_eq!(gold.map(|g| g["pointsMultiplierPct"].clone()), Some(150.into()), "{tiers}");
}

#[test]
fn a_birthday_coupon_is_due_by_the_shops_day_not_by_utcs_across_midnight_and_once_a_year() {
    let mut shop = new_shop();
    let s = &mut shop.store;
    assert_eq!(s.settings().unwrap().time_zone, "Asia/Taipei", "a Taipei shop, UTC+8");
    let set_up = taipei_noon("2026-11-20");
    let m = born(s, "陳怡君", "0912-345-678", "1990-12-15", set_up);
    let gift = s.add_offer(&amount_off_offer("生日禮 100 元", 100, false), set_up).unwrap().id;
    s.set_auto_coupon_rule(&rule(AutoCouponKind::Birthday, gift, 7), set_up).unwrap();

    // 23:30 on 12-07 in Taipei: the birthday is 8 days away, not yet due,
    // though the UTC date (12-07) is the same either side of midnight.
    let before_midnight = at("2026-12-07T15:30:00Z");
    assert_eq!(s.issue_automatic_coupons(before_midnight).unwrap().birthday, 0, "23:30 on 12-07 in Taipei");
    assert!(s.member_coupons(m, before_midnight).unwrap().is_empty());
    // 00:30 on 12-08 in Taipei (still 12-07 in UTC): 7 days before, due.
    let after_midnight = at("2026-12-07T16:30:00Z");
    assert_eq!(s.issue_automatic_coupons(after_midnight).unwrap().birthday, 1, "00:30 on 12-08 in Taipei");
    let coupons = s.member_coupons(m, after_midnight).unwrap();
    assert_eq!(coupons.len(), 1);
    let first_day: chrono::NaiveDate = "2026-12-08".parse().unwrap();
    assert_eq!(coupons[0].valid_from, first_day, "valid from the shop's day, not UTC's 12-07");
    assert_eq!(coupons[0].status, CouponStatus::Usable);

    // Once per member per year: later runs up to and past the birthday issue nothing.
    for now in [
        after_midnight,
        at("2026-12-07T23:59:00Z"),
        taipei_noon("2026-12-10"),
        at("2026-12-14T16:00:00Z"), // 00:00 on the birthday in Taipei
        taipei_noon("2026-12-15"),
    ] {
        assert_eq!(s.issue_automatic_coupons(now).unwrap().birthday, 0, "{now}");
    }
    assert_eq!(s.member_coupons(m, after_midnight).unwrap().len(), 1);
    // Next year's comes at the same shop-day boundary, once.
    assert_eq!(s.issue_automatic_coupons(at("2027-12-07T15:30:00Z")).unwrap().birthday, 0);
    assert_eq!(s.issue_automatic_coupons(at("2027-12-07T16:30:00Z")).unwrap().birthday, 1);
    assert_eq!(s.issue_automatic_coupons(at("2027-12-08T16:30:00Z")).unwrap().birthday, 0);
    assert_eq!(s.member_coupons(m, at("2027-12-08T16:30:00Z")).unwrap().len(), 2);
    check_invariants(s);
}
