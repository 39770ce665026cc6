//! Referral rewards: a member who brings another gets the shop's reward
//! (points, a coupon or stamps) on a receipt of its own when the member
//! they brought first buys; voiding that first sale before the reward is
//! used takes it back; the owner sees who brought whom.

use crate::common::*;
use regulars::member::NewMember;
use regulars::receipt::ReceiptKind;
use regulars::referral::{ReferralRewardKind, ReferralSettings};
use regulars::{EarnRule, NewStampProgram, PaymentMethod, Store, VoidRequest};

fn referred(store: &mut Store, name: &str, phone: &str, by: &str) -> i64 {
    let new = NewMember { referred_by: Some(by.into()), ..new_member(name, Some(phone)) };
    store.add_member(&new, &format!("reg-{phone}"), noon()).unwrap().id
}

fn cash_sale(store: &mut Store, id: &str, member: i64, amount: i64) -> regulars::Receipt {
    store.record_sale(&sale_req(id, member, &[(PaymentMethod::Cash, amount)]), noon()).unwrap()
}

fn void(store: &mut Store, number: i64, id: &str) -> Result<regulars::Receipt, regulars::Error> {
    let req = VoidRequest {
        request_id: id.into(),
        receipt_number: number,
        reason: "客人退貨".into(),
        cashier: "小美".into(),
    };
    store.void_receipt(&req, noon())
}

/// The referral reward's receipt, in full.
fn reward_receipt(store: &Store) -> regulars::Receipt {
    let summary = all_receipts(store).into_iter().find(|r| r.kind == ReceiptKind::Reward).expect("a reward receipt");
    store.receipt(summary.number).unwrap()
}

fn points_rules() -> regulars::points::PointsSettings {
    regulars::points::PointsSettings {
        earn_per_minor: 100,
        point_value_minor: 1,
        expiry_months: None,
        max_redeem_percent: 100,
        birthday_multiplier_pct: 100,
    }
}

#[test]
fn the_referrer_gets_points_on_a_receipt_of_their_own_when_the_new_member_first_buys() {
    let mut shop = new_shop();
    let s = &mut shop.store;
    let now = noon();
    s.set_points_settings(&points_rules(), now).unwrap();
    let reward = ReferralSettings { kind: ReferralRewardKind::Points, points: 50, ..ReferralSettings::NONE };
    s.set_referral_settings(&reward, now).unwrap();
    let amy = register(s, "陳怡君", Some("0912-345-678"), now);
    let ben = referred(s, "林小美", "0922-111-222", &amy.member_no);
    assert_eq!(s.member(ben).unwrap().referred_by, Some(amy.id));

    let first = cash_sale(s, "s-1", ben, 120);
    let given = reward_receipt(s);
    assert_eq!((given.member_id, given.total_minor), (amy.id, 0));
    assert!(given.note.contains("林小美"), "{}", given.note);
    assert_eq!(given.points.as_ref().map(|p| (p.earned, p.after)), Some((50, 50)));
    assert_eq!(s.member_points(amy.id, now).unwrap().points, 50);
    // A second sale brings nothing more; a repeated first sale neither.
    cash_sale(s, "s-2", ben, 80);
    cash_sale(s, "s-1", ben, 120);
    assert_eq!(all_receipts(s).iter().filter(|r| r.kind == ReceiptKind::Reward).count(), 1);
    // The first sale voided while the points are unused: they are taken back.
    void(s, first.number, "v-1").unwrap();
    assert_eq!(s.member_points(amy.id, now).unwrap().points, 0);
    assert!(reward_receipt(s).voided_by_number.is_some(), "the reward's receipt is voided");
    check_invariants(s);
}

#[test]
fn a_coupon_reward_is_printed_on_its_receipt_and_stays_once_used() {
    let mut shop = new_shop();
    let s = &mut shop.store;
    let now = noon();
    let offer = s.add_offer(&amount_off_offer("推薦禮 50 元", 50, false), now).unwrap().id;
    s.set_referral_settings(
        &ReferralSettings { kind: ReferralRewardKind::Coupon, offer_id: Some(offer), ..ReferralSettings::NONE },
        now,
    )
    .unwrap();
    let amy = register(s, "陳怡君", Some("0912-345-678"), now);
    let ben = referred(s, "林小美", "0922-111-222", "0912345678");
    let first = cash_sale(s, "s-1", ben, 120);
    let reward = reward_receipt(s);
    assert_eq!(reward.coupons_given.len(), 1);
    let code = reward.coupons_given[0].code.clone();
    assert_eq!(reward.coupons_given[0].offer_name, "推薦禮 50 元");
    let pdf = s.receipt_pdf(reward.number, None, regulars::ReceiptLanguage::ZhTw).unwrap();
    let path = shop.dir.path().join("reward.pdf");
    std::fs::write(&path, &pdf.bytes).unwrap();
    let out = std::process::Command::new("pdftotext").args(["-layout", path.to_str().unwrap(), "-"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("推薦獎勵") && text.contains(&code), "{text}");
    // Amy uses it; voiding Ben's first sale leaves her reward alone.
    let mut sale = sale_req("s-amy", amy.id, &[(PaymentMethod::Cash, 70)]);
    sale.total_minor = 120;
    sale.coupon_codes = vec![code.clone()];
    s.record_sale(&sale, now).unwrap();
    void(s, first.number, "v-1").unwrap();
    let reward = reward_receipt(s);
    assert_eq!(reward.voided_by_number, None, "a used reward stays");
    // Voiding the reward's receipt by hand is refused while its coupon is used.
    assert_eq!(void(s, reward.number, "v-2").unwrap_err().code(), "CouponUsed");
    check_invariants(s);
}

#[test]
fn a_stamps_reward_goes_on_the_referrers_card() {
    let mut shop = new_shop();
    let s = &mut shop.store;
    let now = noon();
    let program = s
        .add_program(
            &NewStampProgram {
                name: "飲料卡".into(),
                stamps_needed: 10,
                reward_text: "任選飲品一杯".into(),
                earn_rule: EarnRule::PerVisit,
                expiry_days: None,
            },
            now,
        )
        .unwrap()
        .id;
    let reward = ReferralSettings {
        kind: ReferralRewardKind::Stamps,
        program_id: Some(program),
        stamps: 2,
        ..ReferralSettings::NONE
    };
    s.set_referral_settings(&reward, now).unwrap();
    let amy = register(s, "陳怡君", Some("0912-345-678"), now);
    let ben = referred(s, "林小美", "0922-111-222", &amy.member_no);
    cash_sale(s, "s-1", ben, 120);
    let given = reward_receipt(s);
    assert_eq!(given.stamps.iter().map(|x| (x.earned, x.stamps_after)).collect::<Vec<_>>(), vec![(2, 2)]);
    check_invariants(s);
}

#[test]
fn no_reward_without_a_referrer_or_with_the_reward_off() {
    let mut shop = new_shop();
    let s = &mut shop.store;
    let now = noon();
    s.set_points_settings(&points_rules(), now).unwrap();
    let amy = register(s, "陳怡君", Some("0912-345-678"), now);
    let ben = referred(s, "林小美", "0922-111-222", &amy.member_no);
    cash_sale(s, "s-1", ben, 120); // the reward is off (the default)
    let solo = register(s, "張雅婷", Some("0933-000-111"), now).id;
    s.set_referral_settings(
        &ReferralSettings { kind: ReferralRewardKind::Points, points: 50, ..ReferralSettings::NONE },
        now,
    )
    .unwrap();
    cash_sale(s, "s-2", solo, 120);
    cash_sale(s, "s-3", ben, 120); // not Ben's first any more
    assert!(all_receipts(s).iter().all(|r| r.kind != ReceiptKind::Reward));
    let bad = ReferralSettings { kind: ReferralRewardKind::Coupon, offer_id: Some(99), ..ReferralSettings::NONE };
    assert_eq!(s.set_referral_settings(&bad, now).unwrap_err().code(), "OfferNotFound");
}

#[test]
fn the_owner_sees_who_brought_whom_and_what_they_spend() {
    let mut shop = new_shop();
    let s = &mut shop.store;
    let now = noon();
    s.set_points_settings(&points_rules(), now).unwrap();
    s.set_referral_settings(
        &ReferralSettings { kind: ReferralRewardKind::Points, points: 50, ..ReferralSettings::NONE },
        now,
    )
    .unwrap();
    let amy = register(s, "陳怡君", Some("0912-345-678"), now);
    let ben = referred(s, "林小美", "0922-111-222", &amy.member_no);
    let _cat = referred(s, "王大明", "0933-222-333", &amy.member_no);
    let dan = register(s, "張雅婷", Some("0944-000-111"), now);
    let eve = referred(s, "李小華", "0955-111-000", &dan.member_no);
    cash_sale(s, "s-1", ben, 120);
    cash_sale(s, "s-2", ben, 80);
    cash_sale(s, "s-3", eve, 300);
    let report = s.referral_report(10).unwrap();
    assert_eq!((report.referred, report.referred_spend_minor), (3, 500));
    let rows: Vec<_> = report
        .rows
        .iter()
        .map(|r| (r.name.as_str(), r.referred, r.referred_buying, r.referred_spend_minor, r.rewards))
        .collect();
    assert_eq!(rows, vec![("陳怡君", 2, 1, 200, 1), ("張雅婷", 1, 1, 300, 1)]);
}

#[test]
fn referrals_through_the_cli() {
    let shop = CliShop::new();
    shop.ok(&["points", "settings", "--earn-per", "100"]);
    let settings = shop.json(&["referral", "settings", "--points", "30"]);
    assert_eq!((settings["kind"].as_str(), settings["points"].as_i64()), (Some("points"), Some(30)));
    shop.ok(&["member", "add", "--name", "陳怡君", "--phone", "0912345678"]);
    shop.ok(&["member", "add", "--name", "林小美", "--phone", "0922111222", "--referred-by", "0912345678"]);
    shop.json(&["sale", "0922111222", "--total", "120"]);
    assert_eq!(shop.json(&["points", "show", "0912345678"])["points"], 30);
    let report = shop.json(&["report", "referrals"]);
    assert_eq!(report["rows"][0]["name"], "陳怡君");
    assert_eq!(report["rows"][0]["rewards"], 1);
}
