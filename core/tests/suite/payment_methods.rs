//! The shop's own payment methods and cash tendered: named and ordered by
//! the owner, shown on receipts by name, counted per method at the day
//! close; the receipts from before they existed keep reading as they did.
#![allow(clippy::disallowed_methods)] // Tests build an older database with raw SQL to upgrade it.

use crate::common::*;
use chrono::NaiveDate;
use regulars::PaymentMethod::{Card, Cash, EWallet, Other, StoredValue};
use regulars::{PaymentInput, PaymentMethodInput, ReceiptLanguage, RefundRequest, Store, TopUpRequest};

fn add_method(store: &mut Store, kind: regulars::PaymentMethod, name: &str) -> i64 {
    let all = store
        .save_payment_method(&PaymentMethodInput { id: None, kind, name: name.into(), active: true }, noon())
        .unwrap_or_else(|e| panic!("add {name}: {e}"));
    all.iter().find(|m| m.name == name).expect("the new method is listed").id
}

fn pdf_text(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("r.pdf");
    std::fs::write(&pdf, bytes).unwrap();
    let out = std::process::Command::new("pdftotext").args(["-layout"]).arg(&pdf).arg("-").output().expect("pdftotext");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_new_shop_has_cash_card_and_other_named_by_their_kind() {
    let shop = new_shop();
    let methods = shop.store.payment_methods().unwrap();
    let seen: Vec<_> = methods.iter().map(|m| (m.kind, m.name.as_str(), m.active, m.used)).collect();
    assert_eq!(seen, [(Cash, "", true, false), (Card, "", true, false), (Other, "", true, false)]);
}

#[test]
fn receipts_written_before_the_migration_keep_their_methods_and_amounts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v5.db");
    drop(Store::open_at_version(&path, 5).unwrap());
    // Three receipts as schema 5 wrote them: cash, card and other, one split.
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute_batch(
        "UPDATE shop_settings SET time_zone = 'UTC';
         INSERT INTO members (id, member_no, name, name_fold, name_rev, card_code, joined_at, created_at, updated_at)
         VALUES (1, 'M000001', '老客人', '老客人', '人客老', 'C1', 0, 0, 0);
         INSERT INTO receipts (id, number, kind, request_id, member_id, cashier, currency, total_minor,
           wallet_paid_before, wallet_bonus_before, wallet_paid_after, wallet_bonus_after, created_at)
         VALUES (1, 1, 'sale', 'a', 1, '小美', 'TWD', 120, 0, 0, 0, 0, 1773100800000),
                (2, 2, 'sale', 'b', 1, '小美', 'TWD', 200, 0, 0, 0, 0, 1773104400000),
                (3, 3, 'sale', 'c', 1, '小美', 'TWD', 90, 0, 0, 0, 0, 1773108000000);
         INSERT INTO receipt_payments (receipt_id, line_no, method, amount_minor)
         VALUES (1, 1, 'cash', 120), (2, 1, 'card', 200), (3, 1, 'other', 50), (3, 2, 'cash', 40);
         UPDATE members SET visit_count = 3, spend_minor = 410;
         UPDATE owner_settings SET aggregates_ready = 0;",
    )
    .unwrap();
    drop(raw);

    let store = Store::open(&path).unwrap();
    let paid = |n| {
        store
            .receipt(n)
            .unwrap()
            .payments
            .iter()
            .map(|p| (p.method, p.method_name.clone(), p.amount_minor))
            .collect::<Vec<_>>()
    };
    assert_eq!(paid(1), [(Cash, String::new(), 120)]);
    assert_eq!(paid(2), [(Card, String::new(), 200)]);
    assert_eq!(paid(3), [(Other, String::new(), 50), (Cash, String::new(), 40)]);
    // On paper they read in the reader's language, as before.
    let text = pdf_text(&store.receipt_pdf(3, None, ReceiptLanguage::ZhTw).unwrap().bytes);
    assert!(text.contains("其他") && text.contains("現金"), "{text}");
    // The day close counts them under the shop's cash, card and other.
    let day = store.day_close(NaiveDate::from_ymd_opt(2026, 3, 10).unwrap()).unwrap();
    let nets: Vec<_> = day.methods.iter().map(|m| (m.method, m.method_id, m.net_minor)).collect();
    assert_eq!(nets, [(Cash, Some(1), 160), (Card, Some(2), 200), (Other, Some(3), 50)]);
    assert_eq!(day.cash_minor, 160);
    // Receipts use the three methods now: they can be turned off, never removed.
    let methods = store.payment_methods().unwrap();
    assert!(methods.iter().all(|m| m.used));
    check_invariants(&store);
}

#[test]
fn a_payment_by_a_named_method_shows_its_name_and_counts_under_it_at_the_close() {
    let mut shop = new_shop();
    let s = &mut shop.store;
    s.update_settings(&regulars::SettingsPatch { time_zone: Some("UTC".into()), ..Default::default() }, noon())
        .unwrap();
    let line_pay = add_method(s, EWallet, "LINE Pay");
    let jko = add_method(s, EWallet, "街口支付");
    let m = register(s, "林小姐", Some("0912-345-678"), noon()).id;
    let by = |method, id, amount| PaymentInput { method_id: Some(id), ..PaymentInput::new(method, amount) };
    let mut split = sale_req("s1", m, &[]);
    split.total_minor = 150;
    split.payments = vec![by(EWallet, line_pay, 100), PaymentInput::new(Cash, 50)];
    let r = s.record_sale(&split, noon()).unwrap();
    assert_eq!(r.payments[0].method_name, "LINE Pay");
    assert_eq!(r.payments[0].method_id, Some(line_pay));
    let mut other = sale_req("s2", m, &[]);
    other.total_minor = 80;
    other.payments = vec![by(EWallet, jko, 80)];
    s.record_sale(&other, noon()).unwrap();
    let top_up = TopUpRequest { method: EWallet, method_id: Some(jko), ..top_up_req("t1", m, 500) };
    s.top_up(&top_up, noon()).unwrap();

    let text = pdf_text(&s.receipt_pdf(r.number, None, ReceiptLanguage::En).unwrap().bytes);
    assert!(text.contains("LINE Pay") && text.contains("Cash"), "{text}");

    let day = s.day_close(noon().date_naive()).unwrap();
    let rows: Vec<_> =
        day.methods.iter().map(|t| (t.name.clone(), t.sales_minor, t.top_ups_minor, t.net_minor)).collect();
    assert_eq!(
        rows,
        [("".into(), 50, 0, 50), ("LINE Pay".into(), 100, 0, 100), ("街口支付".into(), 80, 500, 580)],
        "cash first, then the methods in the order they were added"
    );
    // The owner puts 街口支付 first: the close follows the new order.
    let order: Vec<i64> = {
        let all = s.payment_methods().unwrap();
        let mut ids: Vec<i64> = all.iter().map(|m| m.id).filter(|id| *id != jko).collect();
        ids.insert(0, jko);
        ids
    };
    s.reorder_payment_methods(&order, noon()).unwrap();
    let day = s.day_close(noon().date_naive()).unwrap();
    assert_eq!(day.methods.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["街口支付", "", "LINE Pay"]);
    let slip = pdf_text(&s.day_close_pdf(noon().date_naive(), None, ReceiptLanguage::ZhTw, noon()).unwrap().bytes);
    assert!(slip.contains("街口支付") && slip.contains("LINE Pay") && slip.contains("現金"), "{slip}");
    check_invariants(s);
}

#[test]
fn a_renamed_method_keeps_its_old_name_on_old_receipts_and_a_used_one_is_only_turned_off() {
    let mut shop = new_shop();
    let s = &mut shop.store;
    let card_id = s.payment_methods().unwrap()[1].id;
    let m = register(s, "陳先生", None, noon()).id;
    let r = s.record_sale(&sale_req("s1", m, &[(Card, 300)]), noon()).unwrap();
    let rename = PaymentMethodInput { id: Some(card_id), kind: Card, name: "信用卡".into(), active: true };
    s.save_payment_method(&rename, noon()).unwrap();
    let r2 = s.record_sale(&sale_req("s2", m, &[(Card, 100)]), noon()).unwrap();
    assert_eq!(s.receipt(r.number).unwrap().payments[0].method_name, "", "the receipt says what it said");
    assert_eq!(r2.payments[0].method_name, "信用卡");

    assert_eq!(s.remove_payment_method(card_id, noon()).unwrap_err().code(), "PaymentMethodInUse");
    let kind_change = PaymentMethodInput { kind: EWallet, ..rename.clone() };
    assert_eq!(s.save_payment_method(&kind_change, noon()).unwrap_err().code(), "PaymentMethodInUse");
    s.save_payment_method(&PaymentMethodInput { active: false, ..rename.clone() }, noon()).unwrap();
    // Turned off: the checkout cannot take it, the receipts still read.
    assert_eq!(s.record_sale(&sale_req("s3", m, &[(Card, 100)]), noon()).unwrap_err().code(), "PaymentMethodOff");
    assert_eq!(s.receipt(r2.number).unwrap().payments[0].method_name, "信用卡");
    // A method no receipt used can go.
    let typo = add_method(s, EWallet, "LIEN Pay");
    assert!(s.remove_payment_method(typo, noon()).unwrap().iter().all(|m| m.id != typo));
    // The void of a receipt pays back by the very method it was paid with.
    let v = s
        .void_receipt(
            &regulars::VoidRequest {
                request_id: "v".into(),
                receipt_number: r2.number,
                reason: "刷錯".into(),
                cashier: "x".into(),
            },
            noon(),
        )
        .unwrap();
    assert_eq!((v.payments[0].method_id, v.payments[0].method_name.as_str()), (Some(card_id), "信用卡"));
    check_invariants(s);
}

#[test]
fn bad_payment_methods_are_refused_and_nothing_is_written() {
    let mut shop = new_shop();
    let s = &mut shop.store;
    let m = register(s, "王太太", None, noon()).id;
    let line_pay = add_method(s, EWallet, "LINE Pay");
    let pay = |method, id: Option<i64>| {
        let mut r = sale_req("bad", m, &[]);
        r.total_minor = 100;
        r.payments = vec![PaymentInput { method_id: id, ..PaymentInput::new(method, 100) }];
        r
    };
    let cases = [
        ("a method that does not exist", pay(EWallet, Some(9999)), "UnknownPaymentMethod"),
        ("a method of another kind", pay(Card, Some(line_pay)), "UnknownPaymentMethod"),
        ("stored value naming a method", pay(StoredValue, Some(line_pay)), "UnknownPaymentMethod"),
        ("a kind the shop has no method of", pay(regulars::PaymentMethod::Transfer, None), "UnknownPaymentMethod"),
    ];
    for (what, req, code) in cases {
        assert_eq!(s.record_sale(&req, noon()).unwrap_err().code(), code, "{what}");
    }
    let refund = RefundRequest {
        request_id: "r".into(),
        member_id: m,
        amount_minor: 10,
        method: Card,
        method_id: Some(line_pay),
        cashier: "x".into(),
        note: String::new(),
    };
    assert_eq!(s.refund_stored_value(&refund, noon()).unwrap_err().code(), "UnknownPaymentMethod");
    let named = |name: &str| PaymentMethodInput { id: None, kind: EWallet, name: name.into(), active: true };
    assert_eq!(s.save_payment_method(&named("LINE Pay"), noon()).unwrap_err().code(), "InvalidInput", "taken");
    assert_eq!(s.save_payment_method(&named("  "), noon()).unwrap_err().code(), "EmptyField");
    assert_eq!(s.reorder_payment_methods(&[1, 2], noon()).unwrap_err().code(), "InvalidInput");
    assert_eq!(s.reorder_payment_methods(&[1, 2, 3, line_pay, 77], noon()).unwrap_err().code(), "UnknownPaymentMethod");
    for id in [2, 3, line_pay] {
        let m = s.payment_methods().unwrap().into_iter().find(|x| x.id == id).unwrap();
        s.save_payment_method(&PaymentMethodInput { id: Some(id), kind: m.kind, name: m.name, active: false }, noon())
            .unwrap();
    }
    let last = PaymentMethodInput { id: Some(1), kind: Cash, name: String::new(), active: false };
    assert_eq!(s.save_payment_method(&last, noon()).unwrap_err().code(), "LastPaymentMethod");
    assert_eq!(all_receipts(s).len(), 0, "nothing was written");
}

#[test]
fn cash_tendered_is_kept_with_its_change_and_less_than_due_is_refused() {
    let mut shop = new_shop();
    let s = &mut shop.store;
    let m = register(s, "張先生", None, noon()).id;
    let mut req = sale_req("s1", m, &[(Cash, 135)]);
    req.payments[0].tendered_minor = Some(500);
    let r = s.record_sale(&req, noon()).unwrap();
    assert_eq!((r.payments[0].tendered_minor, r.payments[0].change_minor), (Some(500), Some(365)));
    let text = pdf_text(&s.receipt_pdf(r.number, None, ReceiptLanguage::ZhTw).unwrap().bytes);
    assert!(text.contains("收現") && text.contains("找零") && text.contains("365"), "{text}");

    let mut short = sale_req("s2", m, &[(Cash, 135)]);
    short.payments[0].tendered_minor = Some(100);
    let e = s.record_sale(&short, noon()).unwrap_err();
    assert_eq!(e.code(), "TenderedTooLow");
    assert_eq!(e.details(), [("tendered", "100".to_string()), ("due", "135".to_string())]);
    let mut by_card = sale_req("s3", m, &[(Card, 135)]);
    by_card.payments[0].tendered_minor = Some(200);
    assert_eq!(s.record_sale(&by_card, noon()).unwrap_err().code(), "InvalidInput");
    let mut negative = sale_req("s4", m, &[(Cash, 135)]);
    negative.payments[0].tendered_minor = Some(-1);
    assert_eq!(s.record_sale(&negative, noon()).unwrap_err().code(), "AmountNegative");
    assert_eq!(all_receipts(s).len(), 1, "only the good sale was written");
    check_invariants(s);
}
