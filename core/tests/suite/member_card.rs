//! The member card the cashier sees: this year's figures by the shop's
//! calendar, and favourite items from what was really sold.

use crate::common::*;
use regulars::{LineInput, PaymentInput, PaymentMethod, SaleRequest, VoidRequest};

fn sale_of(id: &str, member_id: i64, items: &[(&str, i64, i64)]) -> SaleRequest {
    let lines: Vec<LineInput> = items
        .iter()
        .map(|(d, q, p)| LineInput {
            product_id: None,
            description: (*d).into(),
            quantity: *q,
            unit_price_minor: *p,
            earns_stamps: true,
        })
        .collect();
    let total = lines.iter().map(|l| l.quantity * l.unit_price_minor).sum();
    SaleRequest {
        request_id: id.into(),
        member_id,
        total_minor: total,
        lines,
        payments: vec![PaymentInput::new(PaymentMethod::Cash, total)],
        stamp_items: None,
        redeem_program_ids: Vec::new(),
        coupon_codes: Vec::new(),
        redeem_points: 0,
        cashier: "小美".into(),
        note: String::new(),
    }
}

#[test]
fn this_years_visits_follow_the_shops_calendar_and_favourites_leave_out_voided_sales() {
    let mut shop = new_shop();
    let m = register(&mut shop.store, "林小美", Some("0912-000-111"), at("2026-06-01T02:00:00Z")).id;
    // 2026-12-31 23:30 in Taipei (15:30 UTC): still last year on 2027-01-05.
    shop.store.record_sale(&sale_of("a", m, &[("珍珠奶茶", 3, 60)]), at("2026-12-31T15:30:00Z")).unwrap();
    // 2027-01-01 00:30 in Taipei (2026-12-31 16:30 UTC): this year.
    shop.store
        .record_sale(&sale_of("b", m, &[("四季春", 1, 35), ("蛋糕", 1, 90)]), at("2026-12-31T16:30:00Z"))
        .unwrap();
    let voided = shop.store.record_sale(&sale_of("c", m, &[("蛋糕", 5, 90)]), at("2027-01-03T04:00:00Z")).unwrap();
    shop.store
        .void_receipt(
            &VoidRequest {
                request_id: "v".into(),
                receipt_number: voided.number,
                reason: "wrong".into(),
                cashier: "店長".into(),
            },
            at("2027-01-03T04:05:00Z"),
        )
        .unwrap();

    let card = shop.store.member_card(m, at("2027-01-05T04:00:00Z")).unwrap();
    assert_eq!((card.visit_count, card.spend_minor), (2, 180 + 125));
    assert_eq!((card.visits_this_year, card.spend_this_year_minor), (1, 125), "only the sale after midnight in Taipei");
    let favourites: Vec<(&str, i64)> =
        card.favourite_items.iter().map(|f| (f.description.as_str(), f.quantity)).collect();
    assert_eq!(favourites, vec![("珍珠奶茶", 3), ("四季春", 1), ("蛋糕", 1)], "the voided five cakes do not count");
    check_invariants(&shop.store);
}

#[test]
fn the_card_shows_the_owners_call_until_the_member_comes_back() {
    use regulars::store::owner::{ContactChannel, ContactOutcome, ContactRequest};
    let mut shop = new_shop();
    let s = &mut shop.store;
    let t0 = at("2026-03-01T04:00:00Z");
    let m = register(s, "張雅婷", Some("0933820243"), t0).id;
    s.record_sale(&sale_of("first", m, &[("珍珠奶茶", 1, 60)]), t0).unwrap();
    assert_eq!(s.member_card(m, t0).unwrap().open_contact, None);
    let called = t0 + chrono::Duration::days(60);
    let contact = ContactRequest {
        request_id: "call".into(),
        member_id: m,
        channel: ContactChannel::Line,
        outcome: ContactOutcome::PromisedVisit,
        note: "送一杯招待".into(),
        cashier: "老闆".into(),
    };
    s.record_contact(&contact, called).unwrap();
    let card = s.member_card(m, called + chrono::Duration::days(2)).unwrap();
    let open = card.open_contact.expect("the call shows on the card");
    assert_eq!(
        (open.channel, open.outcome, open.note.as_str()),
        (ContactChannel::Line, ContactOutcome::PromisedVisit, "送一杯招待")
    );
    // She comes back: the call has done its work and leaves the card.
    let back = called + chrono::Duration::days(3);
    s.record_sale(&sale_of("back", m, &[("珍珠奶茶", 1, 60)]), back).unwrap();
    assert_eq!(s.member_card(m, back).unwrap().open_contact, None);
}
