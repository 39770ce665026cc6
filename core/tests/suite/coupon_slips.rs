//! A coupon's slip as the member and the cashier read it: the code, the
//! offer in words, the days and the member on the paper in each language;
//! no slip for a coupon already used or past its last day, or for a code
//! that is not one; and the CLI's `coupon slip`. (That the QR code reads
//! back as the code is `pdf::coupon_slip`'s own test.)

use crate::common::*;
use chrono::{DateTime, Duration, Utc};
use regulars::coupon::{OfferInput, OfferKind};
use regulars::documents;
use regulars::settings::{PaperSize, SettingsPatch};
use regulars::store::catalogue::ProductInput;
use regulars::store::coupons::IssueCouponRequest;
use regulars::{ReceiptLanguage, Store};

struct Fixture {
    shop: Shop,
    member: i64,
    now: DateTime<Utc>,
}

/// 阿明茶飲 in Taipei with one member, 陳怡君 (M000001).
fn fixture() -> Fixture {
    let mut shop = new_shop();
    let now = noon();
    shop.store
        .update_settings(
            &SettingsPatch {
                name: Some("阿明茶飲".into()),
                currency: Some("TWD".into()),
                time_zone: Some("Asia/Taipei".into()),
                ..Default::default()
            },
            now,
        )
        .unwrap();
    let member = register(&mut shop.store, "陳怡君", Some("0912-345-678"), now).id;
    Fixture { shop, member, now }
}

fn issue(store: &mut Store, request_id: &str, member: i64, offer: &OfferInput, now: DateTime<Utc>) -> String {
    let offer_id = store.add_offer(offer, now).unwrap().id;
    store
        .issue_coupon(&IssueCouponRequest { request_id: request_id.into(), member_id: member, offer_id }, now)
        .unwrap()
        .code
}

/// The slip's text as `pdftotext -layout` reads it, its width in mm.
fn slip_text(f: &Fixture, code: &str, paper: PaperSize, lang: ReceiptLanguage) -> (String, f32) {
    let doc = documents::coupon_slip(&f.shop.store, code, Some(paper), lang, f.now).unwrap();
    let path = f.shop.dir.path().join(&doc.file_name);
    doc.write_to(&path).unwrap();
    let out = std::process::Command::new("pdftotext").args(["-layout", path.to_str().unwrap(), "-"]).output();
    let text = String::from_utf8(out.expect("pdftotext (poppler-utils) is needed").stdout).unwrap();
    (text, doc.rendered.width_mm)
}

#[test]
fn a_slip_shows_the_code_the_offer_the_member_and_the_days_in_each_language() {
    let mut f = fixture();
    let offer = OfferInput { min_spend_minor: 200, ..amount_off_offer("開幕折50", 50, false) };
    let code = issue(&mut f.shop.store, "c-1", f.member, &offer, f.now);
    // Issued on 2026-03-10 (Taipei), valid 30 days with that day.
    let cases = [
        (ReceiptLanguage::ZhTw, ["優惠券", "折 NT$50", "消費滿 NT$200 可用", "2026-03-10 至 2026-04-08"]),
        (ReceiptLanguage::ZhCn, ["优惠券", "减 NT$50", "消费满 NT$200 可用", "2026-03-10 至 2026-04-08"]),
        (ReceiptLanguage::En, ["Coupon", "NT$50 off", "On a spend of NT$200 or more", "2026-03-10 to 2026-04-08"]),
    ];
    for paper in [PaperSize::Mm58, PaperSize::Mm80] {
        for (lang, words) in &cases {
            let (text, width) = slip_text(&f, &code, paper, *lang);
            for piece in words.iter().chain(&["阿明茶飲", "開幕折50", "陳怡君", "M000001"]) {
                assert!(text.contains(piece), "{paper:?} {lang:?}: {piece:?} missing in:\n{text}");
            }
            // The code is printed letter-spaced; read without the spaces it is the code.
            let joined: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            assert!(joined.contains(&code), "{paper:?} {lang:?}: the code {code} missing in:\n{text}");
            let expected = if paper == PaperSize::Mm58 { 58.0 } else { 80.0 };
            assert!((width - expected).abs() < 0.01, "{paper:?}: {width} mm wide");
        }
    }
}

#[test]
fn a_free_item_or_extra_stamps_slip_names_the_product_or_the_stamp_card() {
    let mut f = fixture();
    let product = f
        .shop
        .store
        .add_product(
            &ProductInput {
                name: "招牌奶茶".into(),
                price_minor: 60,
                earns_stamps: true,
                category: String::new(),
                sort_order: 0,
            },
            f.now,
        )
        .unwrap()
        .id;
    let free = OfferInput {
        kind: OfferKind::FreeItem,
        amount_off_minor: None,
        product_id: Some(product),
        ..amount_off_offer("生日請喝奶茶", 1, false)
    };
    let code = issue(&mut f.shop.store, "c-1", f.member, &free, f.now);
    let (text, _) = slip_text(&f, &code, PaperSize::Mm58, ReceiptLanguage::ZhTw);
    assert!(text.contains("送 招牌奶茶 一份"), "{text}");
    let (text, _) = slip_text(&f, &code, PaperSize::Mm80, ReceiptLanguage::En);
    assert!(text.contains("A free 招牌奶茶"), "{text}");
}

#[test]
fn a_used_coupon_an_expired_one_and_an_unknown_code_get_no_slip() {
    let mut f = fixture();
    let code = issue(&mut f.shop.store, "c-1", f.member, &amount_off_offer("開幕折20", 20, false), f.now);
    let slip = |store: &Store, code: &str, now| {
        documents::coupon_slip(store, code, Some(PaperSize::Mm58), ReceiptLanguage::ZhTw, now).map(|_| ())
    };
    // Its last day is the 30th with the day of issue; the next day it is expired.
    assert!(slip(&f.shop.store, &code, f.now + Duration::days(29)).is_ok());
    let err = slip(&f.shop.store, &code, f.now + Duration::days(30)).unwrap_err();
    assert_eq!(err.code(), "CouponExpired");
    assert_eq!(err.details(), vec![("code", code.clone()), ("until", "2026-04-08".to_string())]);

    let mut sale = sale_req("s-1", f.member, &[(regulars::PaymentMethod::Cash, 80)]);
    sale.total_minor = 100;
    sale.coupon_codes = vec![code.clone()];
    f.shop.store.record_sale(&sale, f.now).unwrap();
    assert_eq!(slip(&f.shop.store, &code, f.now).unwrap_err().code(), "CouponUsed");

    // A code of the right shape that was never issued, and a typo.
    let unknown = regulars::coupon::code_from_entropy(42);
    assert_ne!(unknown, code);
    assert_eq!(slip(&f.shop.store, &unknown, f.now).unwrap_err().code(), "CouponNotFound");
    assert_eq!(slip(&f.shop.store, "ABC", f.now).unwrap_err().code(), "CouponMistyped");
}

#[test]
fn a_coupon_whose_first_day_is_to_come_gets_its_slip_with_its_days() {
    let mut f = fixture();
    let later = OfferInput {
        valid_days: None,
        valid_from: Some("2026-04-01".parse().unwrap()),
        valid_until: Some("2026-04-30".parse().unwrap()),
        ..amount_off_offer("四月折20", 20, false)
    };
    let code = issue(&mut f.shop.store, "c-1", f.member, &later, f.now);
    let (text, _) = slip_text(&f, &code.to_lowercase(), PaperSize::Mm80, ReceiptLanguage::ZhTw);
    assert!(text.contains("2026-04-01 至 2026-04-30"), "{text}");
}

#[test]
fn the_cli_writes_a_coupons_slip_for_the_paper_asked() {
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
    let coupon = shop.json(&["coupon", "issue", "0912345678", "--offer", &offer_id, "--request-id", "i-1"]);
    let code = coupon["code"].as_str().unwrap().to_string();
    let file = shop.dir.path().join("slip.pdf");
    let out =
        shop.json(&["coupon", "slip", &code, "--paper", "58", "--lang", "en", "--output", file.to_str().unwrap()]);
    assert_eq!(out["widthMm"], 58.0);
    assert!(std::fs::read(&file).unwrap().starts_with(b"%PDF"));
    let dashed = format!("{}-{}", &code[..4], &code[4..]);
    let a4 = shop.dir.path().join("slip-a4.pdf");
    assert_eq!(shop.json(&["coupon", "slip", &dashed, "--paper", "a4", "-o", a4.to_str().unwrap()])["widthMm"], 210.0);
    let unknown = regulars::coupon::code_from_entropy(42);
    assert!(shop.fails(&["coupon", "slip", &unknown, "-o", file.to_str().unwrap()]).contains("no coupon has the code"));
    // Neither a file nor the printer: clap says what is missing.
    assert!(!shop.run(&["coupon", "slip", &code]).status.success());
}
