//! Coupons through the store and the CLI: issuing, redeeming at checkout
//! (once; from two tills at once in `concurrency.rs`), a void giving a coupon back, the
//! refusals that write nothing, campaigns and their report, the receipt's
//! discount line on paper.
#![allow(clippy::disallowed_methods)] // Reads and tampers with the file with raw SQL.

use crate::common::*;
use chrono::{DateTime, Duration, Utc};
use regulars::coupon::{OfferInput, OfferKind};
use regulars::store::catalogue::ProductInput;
use regulars::store::coupons::{CampaignRequest, CouponStatus, IssueCouponRequest};
use regulars::{EarnRule, LineInput, NewStampProgram, PaymentMethod, ReceiptLanguage, SaleRequest, Store, VoidRequest};

struct Fixture {
    shop: Shop,
    member: i64,
    other: i64,
    /// NT$20 off, valid 30 days, alone.
    offer: i64,
    now: DateTime<Utc>,
}

fn fixture() -> Fixture {
    let mut shop = new_shop();
    let now = noon();
    let member = register(&mut shop.store, "陳怡君", Some("0912-345-678"), now).id;
    let other = register(&mut shop.store, "林小明", Some("0922-111-222"), now).id;
    let offer = shop.store.add_offer(&amount_off_offer("開幕折20", 20, false), now).unwrap().id;
    Fixture { shop, member, other, offer, now }
}

fn issue(store: &mut Store, request_id: &str, member: i64, offer: i64, now: DateTime<Utc>) -> String {
    store
        .issue_coupon(&IssueCouponRequest { request_id: request_id.into(), member_id: member, offer_id: offer }, now)
        .unwrap()
        .code
}

/// A cash sale of `total` (items, before discounts) paying `paid`, with coupons.
fn coupon_sale(request_id: &str, member: i64, total: i64, paid: i64, codes: &[&str]) -> SaleRequest {
    let mut r = sale_req(request_id, member, &[(PaymentMethod::Cash, paid)]);
    r.total_minor = total;
    r.coupon_codes = codes.iter().map(|c| c.to_string()).collect();
    r
}

/// What a refused sale must leave alone.
fn coupon_rows(path: &std::path::Path) -> String {
    let raw = rusqlite::Connection::open(path).unwrap();
    raw.query_row(
        "SELECT (SELECT count(*) FROM receipts) || '/' || (SELECT count(*) FROM coupon_ledger) || '/'
                || (SELECT group_concat(state) FROM coupons) || '/' || (SELECT count(*) FROM receipt_discounts)",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

#[test]
fn a_coupon_takes_its_discount_once_and_cannot_be_used_twice() {
    let mut f = fixture();
    let code = issue(&mut f.shop.store, "c-1", f.member, f.offer, f.now);
    let r = f.shop.store.record_sale(&coupon_sale("s-1", f.member, 100, 80, &[&code]), f.now).unwrap();
    assert_eq!(r.total_minor, 80);
    assert_eq!(r.discounts.len(), 1);
    assert_eq!(r.discounts[0].amount_minor, 20);
    assert_eq!(f.shop.store.coupon(&code, f.now).unwrap().status, CouponStatus::Redeemed);
    let again = f.shop.store.record_sale(&coupon_sale("s-2", f.member, 100, 80, &[&code]), f.now).unwrap_err();
    assert_eq!(again.code(), "CouponUsed");
    // Repeating the first sale's request returns it and changes nothing.
    let replay = f.shop.store.record_sale(&coupon_sale("s-1", f.member, 100, 80, &[&code]), f.now).unwrap();
    assert_eq!(replay.number, r.number);
    check_invariants(&f.shop.store);
}

#[test]
fn a_void_gives_the_coupon_back_but_not_an_expired_one() {
    let mut f = fixture();
    let code = issue(&mut f.shop.store, "c-1", f.member, f.offer, f.now);
    let sale = f.shop.store.record_sale(&coupon_sale("s-1", f.member, 100, 80, &[&code]), f.now).unwrap();
    let void = |n: i64, id: &str| VoidRequest {
        request_id: id.into(),
        receipt_number: n,
        reason: "客人取消".into(),
        cashier: "小美".into(),
    };
    let v = f.shop.store.void_receipt(&void(sale.number, "v-1"), f.now).unwrap();
    assert_eq!(v.total_minor, -80);
    assert_eq!(v.discount_minor(), -20, "the void reverses the discount line");
    assert_eq!(f.shop.store.coupon(&code, f.now).unwrap().status, CouponStatus::Usable);
    // Used again, then voided after its last day: it stays used up, as expired.
    let again = f.shop.store.record_sale(&coupon_sale("s-2", f.member, 100, 80, &[&code]), f.now).unwrap();
    let later = f.now + Duration::days(40);
    f.shop.store.void_receipt(&void(again.number, "v-2"), later).unwrap();
    assert_eq!(f.shop.store.coupon(&code, later).unwrap().status, CouponStatus::Expired);
    let refused = f.shop.store.record_sale(&coupon_sale("s-3", f.member, 100, 80, &[&code]), later).unwrap_err();
    assert_eq!(refused.code(), "CouponUsed");
    let raw = rusqlite::Connection::open(&f.shop.path).unwrap();
    let kinds: String = raw
        .query_row("SELECT group_concat(kind, ',') FROM (SELECT kind FROM coupon_ledger ORDER BY id)", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kinds, "issued,redeemed,restored,redeemed,expired");
    check_invariants(&f.shop.store);
}

#[test]
fn an_unused_coupon_past_its_last_day_is_refused_as_expired() {
    let mut f = fixture();
    let code = issue(&mut f.shop.store, "c-1", f.member, f.offer, f.now);
    let later = f.now + Duration::days(30);
    let err = f.shop.store.record_sale(&coupon_sale("s-1", f.member, 100, 80, &[&code]), later).unwrap_err();
    assert_eq!(err.code(), "CouponExpired");
}

#[test]
fn a_code_with_one_character_changed_is_mistyped_not_unknown() {
    let mut f = fixture();
    let code = issue(&mut f.shop.store, "c-1", f.member, f.offer, f.now);
    let mut typo = code.clone().into_bytes();
    typo[3] = if typo[3] == b'A' { b'B' } else { b'A' };
    let typo = String::from_utf8(typo).unwrap();
    let before = coupon_rows(&f.shop.path);
    let err = f.shop.store.record_sale(&coupon_sale("s-1", f.member, 100, 80, &[&typo]), f.now).unwrap_err();
    assert_eq!(err.code(), "CouponMistyped");
    assert_eq!(f.shop.store.coupon(&typo, f.now).unwrap_err().code(), "CouponMistyped");
    assert_eq!(coupon_rows(&f.shop.path), before);
    // Lower case and full width are the same code.
    let wide: String = code.to_lowercase().chars().map(|c| char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap()).collect();
    assert_eq!(f.shop.store.coupon(&wide, f.now).unwrap().code, code);
}

#[test]
fn minimum_spend_combinability_and_another_members_coupon_are_refused_with_nothing_written() {
    let mut f = fixture();
    let now = f.now;
    let mut min_offer = amount_off_offer("滿200折30", 30, true);
    min_offer.min_spend_minor = 200;
    let min_offer = f.shop.store.add_offer(&min_offer, now).unwrap().id;
    let combines = f.shop.store.add_offer(&amount_off_offer("加購折5", 5, true), now).unwrap().id;
    let alone = issue(&mut f.shop.store, "c-alone", f.member, f.offer, now);
    let with_min = issue(&mut f.shop.store, "c-min", f.member, min_offer, now);
    let extra = issue(&mut f.shop.store, "c-extra", f.member, combines, now);
    let others = issue(&mut f.shop.store, "c-other", f.other, combines, now);
    let before = coupon_rows(&f.shop.path);
    let refused = |store: &mut Store, req: SaleRequest| store.record_sale(&req, now).unwrap_err().code();
    assert_eq!(refused(&mut f.shop.store, coupon_sale("s-1", f.member, 199, 169, &[&with_min])), "CouponMinimumSpend");
    assert_eq!(
        refused(&mut f.shop.store, coupon_sale("s-2", f.member, 300, 275, &[&alone, &extra])),
        "CouponsDoNotCombine"
    );
    assert_eq!(refused(&mut f.shop.store, coupon_sale("s-3", f.member, 300, 295, &[&others])), "CouponNotThisMember");
    assert_eq!(refused(&mut f.shop.store, coupon_sale("s-4", f.member, 300, 300, &[&extra])), "PaymentMismatch");
    assert_eq!(coupon_rows(&f.shop.path), before, "a refused sale writes nothing");
    // Two that combine go together, each its own line.
    let r = f.shop.store.record_sale(&coupon_sale("s-5", f.member, 200, 165, &[&with_min, &extra]), now).unwrap();
    assert_eq!(r.discounts.iter().map(|d| d.amount_minor).collect::<Vec<_>>(), vec![30, 5]);
    check_invariants(&f.shop.store);
}

#[test]
fn the_receipts_total_is_its_lines_less_discounts_and_equals_its_payments() {
    let mut f = fixture();
    let now = f.now;
    let tea = f
        .shop
        .store
        .add_product(
            &ProductInput {
                name: "紅茶".into(),
                price_minor: 45,
                earns_stamps: true,
                category: String::new(),
                sort_order: 0,
            },
            now,
        )
        .unwrap()
        .id;
    let program = f
        .shop
        .store
        .add_program(
            &NewStampProgram {
                name: "消費集點".into(),
                stamps_needed: 10,
                reward_text: "一杯".into(),
                earn_rule: EarnRule::PerAmount { amount_minor: 50 },
                expiry_days: None,
            },
            now,
        )
        .unwrap()
        .id;
    let percent = OfferInput {
        name: "九折".into(),
        kind: OfferKind::PercentOff,
        amount_off_minor: None,
        percent_off: Some(10),
        cap_minor: Some(100),
        combinable: true,
        ..amount_off_offer("x", 1, true)
    };
    let percent = f.shop.store.add_offer(&percent, now).unwrap().id;
    let free = OfferInput {
        name: "紅茶一杯".into(),
        kind: OfferKind::FreeItem,
        amount_off_minor: None,
        product_id: Some(tea),
        combinable: true,
        ..amount_off_offer("x", 1, true)
    };
    let free = f.shop.store.add_offer(&free, now).unwrap().id;
    let p = issue(&mut f.shop.store, "c-p", f.member, percent, now);
    let fr = issue(&mut f.shop.store, "c-f", f.member, free, now);
    let mut req = coupon_sale("s-1", f.member, 0, 0, &[&p, &fr]);
    req.lines = vec![LineInput {
        product_id: Some(tea),
        description: "紅茶".into(),
        quantity: 3,
        unit_price_minor: 45,
        earns_stamps: true,
    }];
    req.total_minor = 135;
    let quoted = f.shop.store.quote_coupons(f.member, &req.coupon_codes, 135, &req.lines, now).unwrap();
    assert_eq!(quoted, 13 + 45, "10 % of 135 rounded down, and one tea");
    // The counter's preview learns the free tea earns no stamp.
    let full = f.shop.store.quote_coupons_in_full(f.member, &req.coupon_codes, 135, &req.lines, now).unwrap();
    assert_eq!((full.discount_minor, full.free_stamp_items, full.extra_stamps.len()), (58, 1, 0));
    req.payments[0].amount_minor = 135 - quoted;
    let r = f.shop.store.record_sale(&req, now).unwrap();
    let lines: i64 = r.lines.iter().map(|l| l.amount_minor).sum();
    let paid: i64 = r.payments.iter().map(|p| p.amount_minor).sum();
    assert_eq!(lines - r.discount_minor(), r.total_minor);
    assert_eq!(r.total_minor, paid);
    assert_eq!(r.total_minor, 77);
    // Stamps by amount are earned on what was paid: 77 / 50 = 1, not 135 / 50 = 2.
    assert_eq!(r.stamps.iter().find(|s| s.program_id == program).map(|s| s.earned), Some(1));
    check_invariants(&f.shop.store);
}

#[test]
fn an_extra_stamps_coupon_adds_its_stamps_and_a_void_takes_them_back() {
    let mut f = fixture();
    let now = f.now;
    let program = f
        .shop
        .store
        .add_program(
            &NewStampProgram {
                name: "飲料卡".into(),
                stamps_needed: 10,
                reward_text: "一杯".into(),
                earn_rule: EarnRule::PerVisit,
                expiry_days: None,
            },
            now,
        )
        .unwrap()
        .id;
    let offer = OfferInput {
        name: "雙倍點數".into(),
        kind: OfferKind::ExtraStamps,
        amount_off_minor: None,
        program_id: Some(program),
        extra_stamps: Some(3),
        ..amount_off_offer("x", 1, true)
    };
    let offer = f.shop.store.add_offer(&offer, now).unwrap().id;
    let code = issue(&mut f.shop.store, "c-1", f.member, offer, now);
    let full = f.shop.store.quote_coupons_in_full(f.member, std::slice::from_ref(&code), 100, &[], now).unwrap();
    assert_eq!(full.extra_stamps, vec![regulars::store::coupons::ProgramStamps { program_id: program, stamps: 3 }]);
    let r = f.shop.store.record_sale(&coupon_sale("s-1", f.member, 100, 100, &[&code]), now).unwrap();
    assert_eq!(r.stamps[0].earned, 4);
    assert_eq!(r.discounts[0].extra_stamps, 3);
    let void =
        VoidRequest { request_id: "v-1".into(), receipt_number: r.number, reason: "錯".into(), cashier: "x".into() };
    f.shop.store.void_receipt(&void, now).unwrap();
    assert_eq!(stamps(&f.shop.store, f.member, program, now), 0);
    check_invariants(&f.shop.store);
}

#[test]
fn a_campaign_to_a_list_issues_one_coupon_per_member_and_repeating_it_issues_nothing_more() {
    let mut f = fixture();
    let now = f.now;
    let third = register(&mut f.shop.store, "王大同", Some("0933-000-111"), now).id;
    let members = vec![f.member, f.other, third, f.member];
    let preview = f.shop.store.campaign_preview(f.offer, &members).unwrap();
    assert_eq!((preview.members, preview.most_cost_minor), (3, 60));
    let req = CampaignRequest {
        request_id: "camp-1".into(),
        name: " 春季回流（流失預警） ".into(),
        offer_id: f.offer,
        member_ids: members,
        list_name: "lapsed".into(),
    };
    let first = f.shop.store.issue_campaign(&req, now).unwrap();
    assert_eq!(first.issued, 3);
    assert_eq!(first.name, "春季回流（流失預警）", "trimmed, its Chinese brackets kept");
    let again = f.shop.store.issue_campaign(&req, now).unwrap();
    assert_eq!(again, first);
    let raw = rusqlite::Connection::open(&f.shop.path).unwrap();
    let count: i64 = raw.query_row("SELECT count(*) FROM coupons", [], |r| r.get(0)).unwrap();
    assert_eq!(count, 3);
    for m in [f.member, f.other, third] {
        assert_eq!(f.shop.store.member_coupons(m, now).unwrap().len(), 1);
    }
}

#[test]
fn the_campaign_report_counts_a_redemption_its_discount_and_the_spend_after() {
    let mut f = fixture();
    let now = f.now;
    let req = CampaignRequest {
        request_id: "camp-1".into(),
        name: "生日禮".into(),
        offer_id: f.offer,
        member_ids: vec![f.member, f.other],
        list_name: "birthdays".into(),
    };
    f.shop.store.issue_campaign(&req, now).unwrap();
    let code = f.shop.store.member_coupons(f.member, now).unwrap()[0].code.clone();
    f.shop.store.record_sale(&coupon_sale("s-1", f.member, 150, 130, &[&code]), now).unwrap();
    f.shop
        .store
        .record_sale(&sale_req("s-2", f.member, &[(PaymentMethod::Cash, 70)]), now + Duration::days(3))
        .unwrap();
    f.shop
        .store
        .record_sale(&sale_req("s-3", f.member, &[(PaymentMethod::Cash, 90)]), now + Duration::days(45))
        .unwrap();
    let report = f.shop.store.campaign_report().unwrap();
    assert_eq!(report.len(), 1);
    let row = &report[0];
    assert_eq!((row.issued, row.redeemed, row.redemption_rate_bp), (2, 1, 5_000));
    assert_eq!(row.discount_minor, 20);
    assert_eq!(row.redeeming_sales_minor, 130);
    assert_eq!(row.spend_30_days_after_minor, 70);
}

#[test]
fn the_audit_finds_a_coupon_whose_state_disagrees_with_its_ledger() {
    let mut f = fixture();
    let code = issue(&mut f.shop.store, "c-1", f.member, f.offer, f.now);
    assert!(f.shop.store.audit().unwrap().is_empty());
    let raw = rusqlite::Connection::open(&f.shop.path).unwrap();
    raw.execute("UPDATE coupons SET state = 'redeemed' WHERE code = ?1", [&code]).unwrap();
    let found = f.shop.store.audit().unwrap();
    assert!(found.iter().any(|m| m.what.contains("coupon")), "{found:?}");
    let err = raw.execute("DELETE FROM coupon_ledger", []).unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
}

/// Two 珍珠奶茶 at 50 (100 in items) paying 80 with `code` (20 off).
fn two_milk_teas_with(code: &str, member: i64) -> SaleRequest {
    let mut req = coupon_sale("s-1", member, 100, 80, &[code]);
    req.lines = vec![LineInput {
        product_id: None,
        description: "珍珠奶茶".into(),
        quantity: 2,
        unit_price_minor: 50,
        earns_stamps: true,
    }];
    req
}

#[test]
fn the_pdf_receipt_shows_the_discount_line_in_each_language() {
    let mut f = fixture();
    let code = issue(&mut f.shop.store, "c-1", f.member, f.offer, f.now);
    let r = f.shop.store.record_sale(&two_milk_teas_with(&code, f.member), f.now).unwrap();
    for (lang, word) in
        [(ReceiptLanguage::ZhTw, "優惠券"), (ReceiptLanguage::ZhCn, "优惠券"), (ReceiptLanguage::En, "Coupon")]
    {
        let pdf = f.shop.store.receipt_pdf(r.number, None, lang).unwrap();
        let path = f.shop.dir.path().join(format!("r-{lang:?}.pdf"));
        std::fs::write(&path, &pdf.bytes).unwrap();
        let out = std::process::Command::new("pdftotext").args(["-layout", path.to_str().unwrap(), "-"]).output();
        let text = String::from_utf8(out.expect("pdftotext (poppler-utils) is needed").stdout).unwrap();
        let at = |piece: &str| text.find(piece).unwrap_or_else(|| panic!("{piece:?} missing in:\n{text}"));
        assert!(at("珍珠奶茶") < at(word), "{text}");
        assert!(at(word) < at(&code), "{text}");
        assert!(text.contains("開幕折20"), "{text}");
        assert!(text.contains("-NT$20"), "the discount is taken off: {text}");
    }
}

#[test]
fn coupons_end_to_end_through_the_cli() {
    let shop = CliShop::new();
    shop.ok(&["member", "add", "--name", "陳怡君", "--phone", "0912345678"]);
    let offer = shop.json(&[
        "coupon",
        "offer",
        "add",
        "--name",
        "開幕折20",
        "--kind",
        "amount_off",
        "--amount",
        "20",
        "--days",
        "30",
    ]);
    let offer_id = offer["id"].as_i64().unwrap().to_string();
    // An offer edited keeps its id; a bad edit is refused and changes nothing.
    let edited = shop.json(&[
        "coupon",
        "offer",
        "edit",
        &offer_id,
        "--name",
        "開幕折20",
        "--kind",
        "amount_off",
        "--amount",
        "20",
        "--days",
        "45",
    ]);
    assert_eq!((edited["id"].as_i64(), edited["validDays"].as_i64()), (offer["id"].as_i64(), Some(45)));
    assert!(!shop
        .fails(&["coupon", "offer", "edit", &offer_id, "--name", "x", "--kind", "percent_off", "--percent", "10"])
        .is_empty());
    let coupon = shop.json(&["coupon", "issue", "0912345678", "--offer", &offer_id, "--request-id", "i-1"]);
    let code = coupon["code"].as_str().unwrap().to_string();
    assert_eq!(shop.json(&["coupon", "show", &code.to_lowercase()])["status"], "usable");
    let receipt = shop.json(&["sale", "0912345678", "--total", "100", "--coupon", &code]);
    assert_eq!(receipt["totalMinor"], 80);
    assert_eq!(receipt["discounts"][0]["amountMinor"], 20);
    assert!(shop.fails(&["sale", "0912345678", "--total", "100", "--coupon", &code]).contains("used"));
    let preview = shop.json(&["coupon", "issue", "--list", "vip", "--offer", &offer_id, "--dry-run"]);
    assert_eq!(preview["members"], 1);
    assert_eq!(preview["mostCostMinor"], 20);
    let campaign = shop.json(&[
        "coupon",
        "issue",
        "--list",
        "vip",
        "--offer",
        &offer_id,
        "--campaign",
        "熟客回饋",
        "--request-id",
        "camp-1",
    ]);
    assert_eq!(campaign["issued"], 1);
    let report = shop.json(&["report", "campaigns"]);
    assert_eq!(report[0]["name"], "熟客回饋");
    assert_eq!(report[0]["issued"], 1);
    shop.ok(&["coupon", "offer", "pause", &offer_id]);
    assert!(shop.fails(&["coupon", "issue", "0912345678", "--offer", &offer_id]).contains("paused"));
    assert_eq!(shop.json(&["coupon", "offer", "list"])[0]["active"], false);
}

#[test]
fn the_audit_finds_a_receipt_whose_lines_less_discounts_are_not_its_total() {
    let mut f = fixture();
    let code = issue(&mut f.shop.store, "c-1", f.member, f.offer, f.now);
    let r = f.shop.store.record_sale(&two_milk_teas_with(&code, f.member), f.now).unwrap();
    check_invariants(&f.shop.store);
    let raw = rusqlite::Connection::open(&f.shop.path).unwrap();
    raw.execute(
        "INSERT INTO receipt_discounts (receipt_id, line_no, code, description, amount_minor) VALUES (?1, 9, 'X', 'x', 5)",
        [r.id],
    )
    .unwrap();
    let found = f.shop.store.audit().unwrap();
    assert!(
        found.iter().any(|m| m.what.contains("lines less discounts") && m.stored == 80 && m.ledger == 75),
        "{found:?}"
    );
}

#[test]
fn a_campaign_to_a_list_goes_to_every_member_of_it_not_only_the_page_shown() {
    use regulars::store::owner::ListFilter;
    use regulars::store::owner_export::OwnerList;
    let mut f = fixture();
    let now = f.now;
    register(&mut f.shop.store, "王大同", Some("0933-000-111"), now);
    let page_of_one = ListFilter { limit: Some(1), offset: 0, ..ListFilter::default() };
    let shown = f.shop.store.nes_report(&page_of_one, now).unwrap();
    assert_eq!(shown.members.rows.len(), 1);
    let ids = f.shop.store.owner_list_member_ids(&OwnerList::Nes, &page_of_one, now).unwrap();
    assert_eq!(ids.len() as u64, shown.members.total as u64);
    assert_eq!(ids.len(), 3);
    assert_eq!(f.shop.store.campaign_preview(f.offer, &ids).unwrap().members, 3);
}

#[test]
fn editing_an_offer_keeps_its_id_and_fixed_days_ending_before_they_start_are_refused() {
    let mut f = fixture();
    let now = f.now;
    let mut terms = amount_off_offer("開幕折30", 30, true);
    let edited = f.shop.store.edit_offer(f.offer, &terms, now).unwrap();
    assert_eq!((edited.id, edited.terms.name.as_str(), edited.terms.amount_off_minor), (f.offer, "開幕折30", Some(30)));
    terms.valid_days = None;
    terms.valid_from = Some(chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
    terms.valid_until = Some(chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
    let refused = f.shop.store.edit_offer(f.offer, &terms, now).unwrap_err();
    assert_eq!(refused.code(), "InvalidInput");
    assert!(refused.details().contains(&("rule", "endsBeforeStart".to_string())), "{:?}", refused.details());
    assert_eq!(f.shop.store.offers().unwrap()[0].terms.name, "開幕折30");
}
