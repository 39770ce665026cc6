//! A shop's real file from an older version, with its members, sales,
//! top-ups, stamps and a void written by that version's SQL, upgraded by
//! today's `Store::open`: balances, receipts, the day close and the
//! owner's figures read as they did, and nothing disagrees with its ledger.
#![allow(clippy::disallowed_methods)] // The test writes an older database with that version's raw SQL.

use crate::common::*;
use chrono::NaiveDate;
use regulars::analytics::segments::Nes;
use regulars::store::owner::ListFilter;
use regulars::store::MIGRATIONS;
use regulars::{PaymentMethod, ReceiptKind, Store};

/// Schema 3: the catalogue and printing, before the owner's view, the
/// shop's own payment methods, the setup flag and the quarter totals.
const OLD_VERSION: usize = 3;

/// Two members on 2026-03-10 (Taipei) and one more sale on the 11th, as
/// schema 3's store wrote them: a top-up with bonus, a stored-value sale
/// with a product line and stamps, a cash sale voided the same day, a
/// cash top-up, and a later cash sale.
fn write_old_shop(path: &std::path::Path) {
    drop(Store::open_at_version(path, OLD_VERSION).unwrap());
    let ms = |t: &str| at(t).timestamp_millis();
    let (t1, t2, t3, t4, t5, t6) = (
        ms("2026-03-10T02:00:00Z"),
        ms("2026-03-10T02:05:00Z"),
        ms("2026-03-10T03:00:00Z"),
        ms("2026-03-10T03:10:00Z"),
        ms("2026-03-10T03:20:00Z"),
        ms("2026-03-11T04:00:00Z"),
    );
    let raw = rusqlite::Connection::open(path).unwrap();
    assert_eq!(raw.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0)).unwrap(), OLD_VERSION as i64);
    let sql = format!(
        "BEGIN;
         UPDATE shop_settings SET name = '阿明茶飲', time_zone = 'Asia/Taipei', updated_at = {t1};
         INSERT INTO members (id, member_no, name, name_fold, name_rev, phone, phone_digits, phone_rev, card_code,
           joined_at, request_id, wallet_paid_minor, wallet_bonus_minor, visit_count, spend_minor,
           first_visit_at, last_visit_at, created_at, updated_at)
         VALUES (1, 'M000001', '林小美', '林小美', '美小林', '0912-345-678', '0912345678', '8765432190', 'C000001',
                 {t1}, 'reg-1', 700, 100, 2, 450, {t2}, {t6}, {t1}, {t6}),
                (2, 'M000002', '陳大文', '陳大文', '文大陳', '0922-333-444', '0922333444', '4443332290', 'C000002',
                 {t1}, 'reg-2', 500, 0, 0, 0, NULL, NULL, {t1}, {t5});
         INSERT INTO stamp_programs (id, name, stamps_needed, reward_text, earn_rule, created_at)
         VALUES (1, '飲品集點卡', 5, '任選飲品一杯', 'per_item', {t1});
         INSERT INTO top_up_bonus_rules (min_paid_minor, bonus_minor, created_at) VALUES (1000, 100, {t1});
         INSERT INTO products (id, name, price_minor, created_at, updated_at) VALUES (1, '珍珠奶茶', 150, {t1}, {t1});
         INSERT INTO receipts (id, number, kind, request_id, member_id, cashier, currency, total_minor, bonus_minor,
           wallet_paid_before, wallet_bonus_before, wallet_paid_after, wallet_bonus_after, voids_receipt_id, note,
           created_at)
         VALUES (1, 1, 'top_up', 't1', 1, '小美', 'TWD', 1000, 100, 0, 0, 1000, 100, NULL, '', {t1}),
                (2, 2, 'sale', 's1', 1, '小美', 'TWD', 300, 0, 1000, 100, 700, 100, NULL, '', {t2}),
                (3, 3, 'sale', 's2', 2, '小美', 'TWD', 120, 0, 0, 0, 0, 0, NULL, '', {t3}),
                (4, 4, 'top_up', 't2', 2, '小美', 'TWD', 500, 0, 0, 0, 500, 0, NULL, '', {t4}),
                (5, 5, 'void', 'v1', 2, '小美', 'TWD', -120, 0, 500, 0, 500, 0, 3, '打錯了', {t5}),
                (6, 6, 'sale', 's3', 1, '阿哲', 'TWD', 150, 0, 700, 100, 700, 100, NULL, '', {t6});
         INSERT INTO receipt_lines (receipt_id, line_no, description, quantity, unit_price_minor, amount_minor,
           earns_stamps, product_id)
         VALUES (2, 1, '珍珠奶茶', 2, 150, 300, 1, 1),
                (3, 1, '紅茶', 1, 120, 120, 1, NULL),
                (5, 1, '紅茶', -1, 120, -120, 1, NULL),
                (6, 1, '珍珠奶茶', 1, 150, 150, 1, 1);
         INSERT INTO receipt_payments (receipt_id, line_no, method, amount_minor)
         VALUES (1, 1, 'cash', 1000), (2, 1, 'stored_value', 300), (3, 1, 'cash', 120), (4, 1, 'card', 500),
                (5, 1, 'cash', -120), (6, 1, 'cash', 150);
         INSERT INTO receipt_stamps (receipt_id, program_id, stamps_before, earned, redeemed, expired, stamps_after)
         VALUES (2, 1, 0, 2, 0, 0, 2), (3, 1, 0, 1, 0, 0, 1), (5, 1, 1, -1, 0, 0, 0), (6, 1, 2, 1, 0, 0, 3);
         INSERT INTO stamp_cards (member_id, program_id, stamps) VALUES (1, 1, 3), (2, 1, 0);
         INSERT INTO wallet_ledger (member_id, receipt_id, kind, paid_delta_minor, bonus_delta_minor, created_at)
         VALUES (1, 1, 'top_up', 1000, 100, {t1}), (1, 2, 'spend', -300, 0, {t2}), (2, 4, 'top_up', 500, 0, {t4});
         INSERT INTO stamp_ledger (member_id, program_id, receipt_id, kind, delta, created_at)
         VALUES (1, 1, 2, 'earn', 2, {t2}), (2, 1, 3, 'earn', 1, {t3}), (2, 1, 5, 'void', -1, {t5}),
                (1, 1, 6, 'earn', 1, {t6});
         COMMIT;"
    );
    raw.execute_batch(&sql).unwrap();
}

#[test]
fn a_shop_file_from_schema_3_with_sales_top_ups_stamps_and_a_void_reads_the_same_after_the_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    write_old_shop(&path);

    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
    check_invariants(&store);
    let now = at("2026-03-11T05:00:00Z");
    assert!(store.is_set_up().unwrap(), "a shop in use is not shown the welcome");
    assert_eq!(store.settings().unwrap().name, "阿明茶飲");

    // Balances and stamp cards as the old version left them.
    assert_eq!(wallet(&store, 1, now), (700, 100));
    assert_eq!(wallet(&store, 2, now), (500, 0));
    assert_eq!((stamps(&store, 1, 1, now), stamps(&store, 2, 1, now)), (3, 0));

    // Receipts keep their lines, payments (now under the shop's methods) and stamps.
    assert_eq!(all_receipts(&store).len(), 6);
    let sale = store.receipt(2).unwrap();
    assert_eq!((sale.kind, sale.total_minor, sale.wallet_paid_after), (ReceiptKind::Sale, 300, 700));
    let line = &sale.lines[0];
    assert_eq!(
        (line.description.as_str(), line.quantity, line.amount_minor, line.product_id),
        ("珍珠奶茶", 2, 300, Some(1))
    );
    assert_eq!(
        sale.payments.iter().map(|p| (p.method, p.method_id, p.amount_minor)).collect::<Vec<_>>(),
        [(PaymentMethod::StoredValue, None, 300)]
    );
    let stamp = &sale.stamps[0];
    assert_eq!((stamp.program_name.as_str(), stamp.earned, stamp.stamps_after), ("飲品集點卡", 2, 2));
    let card = store.receipt(4).unwrap().payments[0].clone();
    assert_eq!((card.method, card.method_id, card.amount_minor), (PaymentMethod::Card, Some(2), 500));
    assert_eq!(store.receipt(3).unwrap().voided_by_number, Some(5));
    assert_eq!(store.receipt(5).unwrap().voids_number, Some(3));

    // The day close of the 10th, as the cashier closed it then.
    let close = store.day_close(NaiveDate::from_ymd_opt(2026, 3, 10).unwrap()).unwrap();
    assert_eq!((close.sales.count, close.sales.amount_minor), (2, 420));
    assert_eq!((close.top_ups.count, close.top_ups.amount_minor, close.bonus_given_minor), (2, 1500, 100));
    assert_eq!((close.voided_sales.count, close.voided_sales.amount_minor), (1, 120));
    assert_eq!(close.cash_minor, 1000 + 120 - 120, "the card top-up is not in the drawer");
    assert_eq!((close.stamps_given, close.new_members), (2, 2));
    assert_eq!((close.float.closing.paid_minor, close.float.closing.bonus_minor), (1200, 100));
    assert!(close.float.balances());

    // The owner's figures, built at the upgrade from the old receipts.
    assert!(store.owner_aggregate_mismatches().unwrap().is_empty());
    let d = store.dashboard(now).unwrap();
    assert_eq!((d.members, d.revenue_total_minor), (2, 450), "the voided sale is not revenue");
    assert_eq!((d.stored_value.paid_minor, d.stored_value.bonus_minor), (1200, 100));
    let rows = store.nes_report(&ListFilter::default(), now).unwrap().members.rows;
    let row = |id: i64| rows.iter().find(|r| r.member_id == id).unwrap();
    assert_eq!((row(1).visits, row(1).visit_days, row(1).spend_minor), (2, 2, 450));
    assert_eq!(row(1).segment, Nes::New);
    assert_eq!((row(2).visits, row(2).segment), (0, Nes::NoVisit), "a voided sale is no visit");

    // And the shop carries on: the next receipt takes the next number.
    let next = store.record_sale(&sv_sale("after-upgrade", 1, 200), now).unwrap();
    assert_eq!((next.number, next.wallet_paid_after, next.wallet_bonus_after), (7, 500, 100));
    check_invariants(&store);
    assert!(store.owner_aggregate_mismatches().unwrap().is_empty());
}
