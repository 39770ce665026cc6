//! What a cashier (or a buggy interface) might send that must be refused:
//! each is refused with a stable error code, and the database is left
//! exactly as it was.

use crate::common::*;
use regulars::money::MAX_AMOUNT_MINOR;
use regulars::store::ops::MAX_WALLET_MINOR;
use regulars::{
    AdjustRequest, LineInput, MemberPatch, NewMember, PaymentMethod, RedeemRequest, RefundRequest, Result, SaleRequest,
    Store, TopUpRequest, VoidRequest,
};

const UNKNOWN: i64 = 9_999;

struct Fixture {
    shop: Shop,
    a: i64,
    b: i64,
    program: i64,
}

/// A shop with two members, a stamp program, a bonus rule and a few
/// receipts, so that a wrongly accepted request would visibly change it.
fn fixture() -> Fixture {
    let mut shop = new_shop();
    let now = noon();
    let a = register(&mut shop.store, "陳怡君", Some("0912-345-678"), now).id;
    let b = register(&mut shop.store, "Brian Lee", Some("0922-000-111"), now).id;
    let program = shop
        .store
        .add_program(
            &regulars::NewStampProgram {
                name: "飲品集點卡".into(),
                stamps_needed: 10,
                reward_text: "任選飲品一杯".into(),
                earn_rule: regulars::EarnRule::PerItem,
                expiry_days: None,
            },
            now,
        )
        .unwrap()
        .id;
    shop.store.set_bonus_rule(1000, 100, 0, now).unwrap();
    shop.store.top_up(&top_up_req("t1", a, 1000), now).unwrap();
    shop.store.record_sale(&cash_sale_with_items("s1", a, 120, 2), now).unwrap();
    shop.store.record_sale(&sv_sale("s2", a, 60), now).unwrap();
    Fixture { shop, a, b, program }
}

/// Runs `op` and asserts it fails with `code` and changes nothing a user
/// could see.
fn refused(f: &mut Fixture, what: &str, code: &str, op: impl FnOnce(&mut Store) -> Result<()>) {
    let now = noon();
    let ids = [f.a, f.b];
    let before = snapshot(&f.shop.store, &ids, now);
    let err = match op(&mut f.shop.store) {
        Ok(()) => panic!("{what}: was accepted, expected {code}"),
        Err(e) => e,
    };
    assert_eq!(err.code(), code, "{what}: {err}");
    assert_eq!(snapshot(&f.shop.store, &ids, now), before, "{what}: the database changed");
    check_invariants(&f.shop.store);
}

fn top_up(member_id: i64, paid_minor: i64) -> TopUpRequest {
    top_up_req("bad-top-up", member_id, paid_minor)
}

fn sale(member_id: i64, total_minor: i64, payments: &[(PaymentMethod, i64)]) -> SaleRequest {
    SaleRequest { total_minor, ..sale_req("bad-sale", member_id, payments) }
}

fn line(quantity: i64, unit_price_minor: i64) -> LineInput {
    LineInput { product_id: None, description: "珍珠奶茶".into(), quantity, unit_price_minor, earns_stamps: true }
}

fn refund(member_id: i64, amount_minor: i64) -> RefundRequest {
    RefundRequest {
        request_id: "bad-refund".into(),
        member_id,
        amount_minor,
        method: PaymentMethod::Cash,
        method_id: None,
        cashier: "店長".into(),
        note: String::new(),
    }
}

fn adjust(member_id: i64, paid: i64, bonus: i64) -> AdjustRequest {
    AdjustRequest {
        request_id: "bad-adjust".into(),
        member_id,
        paid_delta_minor: paid,
        bonus_delta_minor: bonus,
        reason: "更正".into(),
        cashier: "店長".into(),
    }
}

#[test]
fn bad_top_up_amounts_are_refused_and_change_nothing() {
    let mut f = fixture();
    let now = noon();
    let a = f.a;
    for (amount, code) in [
        (-1, "AmountNotPositive"),
        (-1000, "AmountNotPositive"),
        (0, "AmountNotPositive"),
        (i64::MIN, "AmountNotPositive"),
        (i64::MAX, "AmountTooLarge"),
        (MAX_AMOUNT_MINOR + 1, "AmountTooLarge"),
    ] {
        refused(&mut f, &format!("top-up of {amount}"), code, |s| s.top_up(&top_up(a, amount), now).map(drop));
    }
    refused(&mut f, "top-up for an unknown member", "MemberNotFound", |s| {
        s.top_up(&top_up(UNKNOWN, 100), now).map(drop)
    });
    refused(&mut f, "top-up paid from stored value", "InvalidInput", |s| {
        s.top_up(&TopUpRequest { method: PaymentMethod::StoredValue, ..top_up(a, 100) }, now).map(drop)
    });
    refused(&mut f, "top-up without request id", "EmptyField", |s| {
        s.top_up(&TopUpRequest { request_id: "  ".into(), ..top_up(a, 100) }, now).map(drop)
    });
}

#[test]
fn bad_sale_amounts_payments_and_lines_are_refused_and_change_nothing() {
    let mut f = fixture();
    let now = noon();
    let (a, b, program) = (f.a, f.b, f.program);
    use PaymentMethod::{Cash, StoredValue};
    let cases: Vec<(&str, &str, SaleRequest)> = vec![
        ("negative total", "AmountNotPositive", sale(a, -100, &[(Cash, -100)])),
        ("zero total", "AmountNotPositive", sale(a, 0, &[(Cash, 0)])),
        ("i64::MAX total", "AmountTooLarge", sale(a, i64::MAX, &[(Cash, i64::MAX)])),
        ("total over the maximum", "AmountTooLarge", sale(a, MAX_AMOUNT_MINOR + 1, &[(Cash, MAX_AMOUNT_MINOR + 1)])),
        (
            "negative cash tender beside stored value",
            "AmountNotPositive",
            sale(a, 100, &[(StoredValue, 200), (Cash, -100)]),
        ),
        ("negative stored-value tender", "AmountNotPositive", sale(a, 100, &[(Cash, 300), (StoredValue, -200)])),
        ("zero tender", "AmountNotPositive", sale(a, 100, &[(Cash, 100), (StoredValue, 0)])),
        (
            "payments overflowing the maximum",
            "AmountTooLarge",
            sale(a, MAX_AMOUNT_MINOR, &[(Cash, MAX_AMOUNT_MINOR), (Cash, MAX_AMOUNT_MINOR)]),
        ),
        ("payments short of the total", "PaymentMismatch", sale(a, 100, &[(Cash, 90)])),
        ("no payments", "PaymentMismatch", sale(a, 100, &[])),
        ("over-spend of stored value", "InsufficientBalance", sale(a, 5000, &[(StoredValue, 5000)])),
        ("stored value of a member who has none", "InsufficientBalance", sale(b, 1, &[(StoredValue, 1)])),
        ("unknown member", "MemberNotFound", sale(UNKNOWN, 100, &[(Cash, 100)])),
    ];
    for (what, code, req) in cases {
        refused(&mut f, what, code, |s| s.record_sale(&req, now).map(drop));
    }
    let with_lines = |lines: Vec<LineInput>, total: i64| SaleRequest { lines, ..sale(a, total, &[(Cash, total)]) };
    let line_cases: Vec<(&str, &str, SaleRequest)> = vec![
        ("negative unit price", "AmountNotPositive", with_lines(vec![line(1, 100), line(1, -50)], 50)),
        ("zero quantity", "InvalidInput", with_lines(vec![line(0, 100), line(1, 100)], 100)),
        ("negative quantity", "InvalidInput", with_lines(vec![line(-2, 60), line(3, 60)], 60)),
        ("line overflowing i64", "AmountTooLarge", with_lines(vec![line(2, i64::MAX)], 100)),
        ("line over the maximum", "AmountTooLarge", with_lines(vec![line(1, MAX_AMOUNT_MINOR + 1)], 100)),
        (
            "lines overflowing the maximum together",
            "AmountTooLarge",
            with_lines(vec![line(1, MAX_AMOUNT_MINOR), line(1, MAX_AMOUNT_MINOR)], 100),
        ),
        ("lines not adding up to the total", "LinesMismatch", with_lines(vec![line(2, 60)], 100)),
        (
            "empty line description",
            "EmptyField",
            SaleRequest {
                lines: vec![LineInput { description: "  ".into(), ..line(1, 100) }],
                ..sale(a, 100, &[(Cash, 100)])
            },
        ),
    ];
    for (what, code, req) in line_cases {
        refused(&mut f, what, code, |s| s.record_sale(&req, now).map(drop));
    }
    let other_cases: Vec<(&str, &str, SaleRequest)> = vec![
        ("negative stamp items", "InvalidInput", SaleRequest { stamp_items: Some(-5), ..sale(a, 100, &[(Cash, 100)]) }),
        (
            "absurd stamp items",
            "InvalidInput",
            SaleRequest { stamp_items: Some(i64::MAX), ..sale(a, 100, &[(Cash, 100)]) },
        ),
        (
            "redeeming an unknown program",
            "ProgramNotFound",
            SaleRequest { redeem_program_ids: vec![UNKNOWN], ..sale(a, 100, &[(Cash, 100)]) },
        ),
        (
            "redeeming a card that is not full",
            "CardNotFull",
            SaleRequest { redeem_program_ids: vec![program], ..sale(a, 100, &[(Cash, 100)]) },
        ),
        ("a 1 MB note", "TextTooLong", SaleRequest { note: "備".repeat(1 << 20), ..sale(a, 100, &[(Cash, 100)]) }),
        ("empty request id", "EmptyField", SaleRequest { request_id: String::new(), ..sale(a, 100, &[(Cash, 100)]) }),
        (
            "request id reused for another kind",
            "RequestIdReused",
            SaleRequest { request_id: "t1".into(), ..sale(a, 100, &[(Cash, 100)]) },
        ),
        (
            "request id reused for another member",
            "RequestIdReused",
            SaleRequest { request_id: "s1".into(), ..sale(b, 100, &[(Cash, 100)]) },
        ),
    ];
    for (what, code, req) in other_cases {
        refused(&mut f, what, code, |s| s.record_sale(&req, now).map(drop));
    }
}

#[test]
fn bad_refunds_adjustments_voids_and_redemptions_are_refused_and_change_nothing() {
    let mut f = fixture();
    let now = noon();
    let (a, program) = (f.a, f.program);
    let paid = wallet(&f.shop.store, a, now).0;
    for (amount, code) in [
        (-1, "AmountNotPositive"),
        (0, "AmountNotPositive"),
        (i64::MIN, "AmountNotPositive"),
        (i64::MAX, "AmountTooLarge"),
        (MAX_AMOUNT_MINOR + 1, "AmountTooLarge"),
        (paid + 1, "InsufficientBalance"),
    ] {
        refused(&mut f, &format!("refund of {amount}"), code, |s| {
            s.refund_stored_value(&refund(a, amount), now).map(drop)
        });
    }
    refused(&mut f, "refund to an unknown member", "MemberNotFound", |s| {
        s.refund_stored_value(&refund(UNKNOWN, 10), now).map(drop)
    });
    refused(&mut f, "refund into stored value", "InvalidInput", |s| {
        s.refund_stored_value(&RefundRequest { method: PaymentMethod::StoredValue, ..refund(a, 10) }, now).map(drop)
    });

    for (p, b, code) in [
        (i64::MIN, 0, "AmountTooLarge"),
        (0, i64::MIN, "AmountTooLarge"),
        (i64::MAX, 0, "AmountTooLarge"),
        (MAX_AMOUNT_MINOR + 1, 0, "AmountTooLarge"),
        (-(MAX_AMOUNT_MINOR + 1), 0, "AmountTooLarge"),
        (0, 0, "AmountNotPositive"),
        (-(paid + 1), 0, "InsufficientBalance"),
        (0, -1_000, "InsufficientBalance"),
        (500, -1_000, "InsufficientBalance"),
    ] {
        refused(&mut f, &format!("adjustment of {p}/{b}"), code, |s| {
            s.adjust_stored_value(&adjust(a, p, b), now).map(drop)
        });
    }
    refused(&mut f, "adjustment without a reason", "EmptyField", |s| {
        s.adjust_stored_value(&AdjustRequest { reason: "   ".into(), ..adjust(a, 10, 0) }, now).map(drop)
    });
    refused(&mut f, "adjustment with a 1 MB reason", "TextTooLong", |s| {
        s.adjust_stored_value(&AdjustRequest { reason: "x".repeat(1 << 20), ..adjust(a, 10, 0) }, now).map(drop)
    });
    refused(&mut f, "adjustment of an unknown member", "MemberNotFound", |s| {
        s.adjust_stored_value(&adjust(UNKNOWN, 10, 0), now).map(drop)
    });

    for number in [0, -1, 99, i64::MAX] {
        refused(&mut f, &format!("void of receipt {number}"), "ReceiptNotFound", |s| {
            s.void_receipt(
                &VoidRequest {
                    request_id: "bad-void".into(),
                    receipt_number: number,
                    reason: "x".into(),
                    cashier: "店長".into(),
                },
                now,
            )
            .map(drop)
        });
    }
    let redeem = |member_id, program_id| RedeemRequest {
        request_id: "bad-redeem".into(),
        member_id,
        program_id,
        cashier: "店長".into(),
        note: String::new(),
    };
    refused(&mut f, "redeem of an unknown program", "ProgramNotFound", |s| {
        s.redeem_reward(&redeem(a, UNKNOWN), now).map(drop)
    });
    refused(&mut f, "redeem from a card that is not full", "CardNotFull", |s| {
        s.redeem_reward(&redeem(a, program), now).map(drop)
    });
    refused(&mut f, "redeem for an unknown member", "MemberNotFound", |s| {
        s.redeem_reward(&redeem(UNKNOWN, program), now).map(drop)
    });
}

#[test]
fn a_void_request_id_already_used_for_another_receipt_or_operation_is_refused_and_writes_nothing() {
    let mut f = fixture();
    let now = noon();
    let void = |request_id: &str, receipt_number: i64| VoidRequest {
        request_id: request_id.into(),
        receipt_number,
        reason: "打錯了".into(),
        cashier: "店長".into(),
    };
    // Receipt 3 is the stored-value sale s2: voided under "v1".
    let first = f.shop.store.void_receipt(&void("v1", 3), now).unwrap();
    assert_eq!(first.voids_number, Some(3));
    refused(&mut f, "void id v1 again for receipt 2", "RequestIdReused", |s| {
        s.void_receipt(&void("v1", 2), now).map(drop)
    });
    refused(&mut f, "void under the id of the sale s1", "RequestIdReused", |s| {
        s.void_receipt(&void("s1", 2), now).map(drop)
    });
    // Sent again for its own receipt, "v1" hands back the void it made.
    assert_eq!(f.shop.store.void_receipt(&void("v1", 3), now).unwrap().number, first.number);
    assert_eq!(f.shop.store.receipt(2).unwrap().voided_by_number, None, "receipt 2 stands");
}

#[test]
fn bad_member_details_are_refused_and_change_nothing() {
    let mut f = fixture();
    let now = noon();
    let (a, b) = (f.a, f.b);
    let add = |m: NewMember| move |s: &mut Store| s.add_member(&m, "bad-member", now).map(drop);
    let named = |phone: Option<&str>, birthday: Option<&str>| NewMember {
        name: "林志明".into(),
        phone: phone.map(str::to_string),
        birthday: birthday.map(str::to_string),
        ..Default::default()
    };
    for phone in [
        "12345",
        "0912-abc-678",
        "0912345678901234",
        "++886912345678",
        "09123'; DROP TABLE members;--",
        "📞0912345678",
        &"9".repeat(1 << 20),
    ] {
        let what = format!("phone {:?}", phone.chars().take(30).collect::<String>());
        refused(&mut f, &what, "InvalidPhone", add(named(Some(phone), None)));
    }
    // A day that does not exist is named as such; a form that cannot be read is a wrong format.
    for birthday in ["02-30", "04-31", "2023-02-29", "民國112年2月29日", "０２／３０"] {
        refused(&mut f, &format!("birthday {birthday:?}"), "NoSuchDay", add(named(None, Some(birthday))));
    }
    for birthday in ["13-01", "00-10", "1899-01-01", "tomorrow", "1990-02", "1-2-3-4"] {
        refused(&mut f, &format!("birthday {birthday:?}"), "InvalidDate", add(named(None, Some(birthday))));
    }
    refused(&mut f, "a 1 MB name", "TextTooLong", add(NewMember { name: "王".repeat(1 << 20), ..Default::default() }));
    refused(&mut f, "a 1 MB note", "TextTooLong", add(NewMember { notes: "n".repeat(1 << 20), ..named(None, None) }));
    refused(&mut f, "an empty name", "EmptyField", add(NewMember { name: " \t ".into(), ..Default::default() }));
    refused(
        &mut f,
        "a name with control characters",
        "InvalidInput",
        add(NewMember { name: "王\u{0}明".into(), ..Default::default() }),
    );
    refused(
        &mut f,
        "a malformed email",
        "InvalidEmail",
        add(NewMember { email: Some("not-an-email".into()), ..named(None, None) }),
    );
    refused(
        &mut f,
        "a referrer who does not exist",
        "MemberNotFound",
        add(NewMember { referred_by: Some("M999999".into()), ..named(None, None) }),
    );
    for phone in ["0912-345-678", "+886 912 345 678", "886912345678", "(0912)345678"] {
        refused(&mut f, &format!("duplicate phone {phone}"), "DuplicatePhone", add(named(Some(phone), None)));
    }
    refused(&mut f, "editing in a malformed phone", "InvalidPhone", |s| {
        s.edit_member(a, &MemberPatch { phone: Some("12-ab".into()), ..Default::default() }, now).map(drop)
    });
    refused(&mut f, "editing in another member's phone", "DuplicatePhone", |s| {
        s.edit_member(b, &MemberPatch { phone: Some("+886-0912345678".into()), ..Default::default() }, now).map(drop)
    });
    refused(&mut f, "editing an unknown member", "MemberNotFound", |s| {
        s.edit_member(UNKNOWN, &MemberPatch { name: Some("x".into()), ..Default::default() }, now).map(drop)
    });
}

#[test]
fn a_wallet_cannot_grow_past_its_maximum() {
    let mut shop = new_shop();
    let now = noon();
    let m = register(&mut shop.store, "郭俊傑", None, now).id;
    let steps = MAX_WALLET_MINOR / MAX_AMOUNT_MINOR;
    for i in 0..steps {
        shop.store.top_up(&top_up_req(&format!("big-{i}"), m, MAX_AMOUNT_MINOR), now).unwrap();
    }
    assert_eq!(wallet(&shop.store, m, now), (MAX_WALLET_MINOR, 0));
    let before = snapshot(&shop.store, &[m], now);
    let err = shop.store.top_up(&top_up_req("one-more", m, 1), now).unwrap_err();
    assert_eq!(err.code(), "AmountTooLarge", "{err}");
    let err = shop.store.adjust_stored_value(&adjust(m, 0, 1), now).unwrap_err();
    assert_eq!(err.code(), "AmountTooLarge", "{err}");
    assert_eq!(snapshot(&shop.store, &[m], now), before);
    check_invariants(&shop.store);
}

#[test]
fn sql_metacharacters_in_names_are_stored_literally_and_found_by_search() {
    let mut shop = new_shop();
    let now = noon();
    let names = ["'; DROP TABLE members;--", "Robert'); DROP TABLE receipts;--", "100% \"tea\" _lover_", "王\\小明"];
    let mut ids = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let m = shop.store.add_member(&new_member(name, None), &format!("odd-{i}"), now).unwrap();
        assert_eq!(m.name, *name);
        ids.push(m.id);
    }
    assert_eq!(shop.store.member_count().unwrap(), names.len() as i64);
    for (name, id) in names.iter().zip(&ids) {
        assert_eq!(&shop.store.member(*id).unwrap().name, name);
        let hits = shop.store.find_members(name, 10).unwrap().hits;
        assert_eq!(hits.first().map(|h| h.id), Some(*id), "search for {name:?}: {hits:?}");
    }
    let hits = shop.store.find_members("DROP TABLE", 10).unwrap().hits;
    assert_eq!(
        hits.iter().map(|h| h.id).collect::<std::collections::BTreeSet<_>>(),
        ids[..2].iter().copied().collect()
    );
    // "%" and "_" are not wildcards: only the member whose name has them matches.
    let hits = shop.store.find_members("100%", 10).unwrap().hits;
    assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), vec![ids[2]]);
    let hits = shop.store.find_members("_lo", 10).unwrap().hits;
    assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), vec![ids[2]]);
    // The tables are all still there and sound.
    shop.store.top_up(&top_up_req("after", ids[0], 100), now).unwrap();
    check_invariants(&shop.store);
}

#[test]
fn emoji_names_are_stored_and_found() {
    let mut shop = new_shop();
    let now = noon();
    let tea = shop.store.add_member(&new_member("王小明 🧋", Some("0912-111-222")), "e1", now).unwrap();
    let flag = shop.store.add_member(&new_member("👩🏽‍🍳 Chef Amy", None), "e2", now).unwrap();
    assert_eq!(shop.store.member(tea.id).unwrap().name, "王小明 🧋");
    assert_eq!(shop.store.member(flag.id).unwrap().name, "👩🏽‍🍳 Chef Amy");
    let ids = |q: &str| shop.store.find_members(q, 10).unwrap().hits.into_iter().map(|h| h.id).collect::<Vec<_>>();
    assert_eq!(ids("🧋"), vec![tea.id]);
    assert_eq!(ids("小明 🧋"), vec![tea.id]);
    assert_eq!(ids("👩🏽‍🍳"), vec![flag.id]);
    assert_eq!(ids("chef amy"), vec![flag.id]);
    let r = shop.store.top_up(&top_up_req("e-top", tea.id, 300), now).unwrap();
    assert_eq!(shop.store.receipt(r.number).unwrap().member_name, "王小明 🧋");
    check_invariants(&shop.store);
}

/// A name or an amount used twice is refused with what the message needs
/// to say which one (the UI translates by `rule`), and nothing is added.
#[test]
fn a_name_or_threshold_used_twice_is_refused_and_named() {
    use regulars::analytics::tiers::TierInput;
    let mut f = fixture();
    let now = noon();
    let again = regulars::NewStampProgram {
        name: " 飲品集點卡 ".into(),
        stamps_needed: 8,
        reward_text: "蛋糕一塊".into(),
        earn_rule: regulars::EarnRule::PerVisit,
        expiry_days: None,
    };
    let err = f.shop.store.add_program(&again, now).unwrap_err();
    let details = err.details();
    assert!(details.contains(&("rule", "taken".to_string())), "{details:?}");
    assert!(details.contains(&("value", "飲品集點卡".to_string())), "{details:?}");
    assert_eq!(f.shop.store.programs().unwrap().len(), 1);

    let tiers = |gold: i64| {
        [
            TierInput { name: "會員".into(), min_spend_minor: 0, points_multiplier_pct: 100 },
            TierInput { name: "銀卡".into(), min_spend_minor: 300_000, points_multiplier_pct: 100 },
            TierInput { name: "金卡".into(), min_spend_minor: gold, points_multiplier_pct: 100 },
        ]
    };
    f.shop.store.set_tiers(&tiers(800_000), noon()).unwrap();
    let err = f.shop.store.set_tiers(&tiers(300_000), noon()).unwrap_err();
    let details = err.details();
    assert!(details.contains(&("rule", "repeatedAmount".to_string())), "{details:?}");
    assert!(details.contains(&("value", "300000".to_string())), "{details:?}");
    let kept: Vec<i64> = f.shop.store.tiers().unwrap().iter().map(|t| t.min_spend_minor).collect();
    assert_eq!(kept, [0, 300_000, 800_000]);
}
