//! Two connections (two tills, or the app and the CLI) writing to one
//! database file at the same moment.

use crate::common::*;
use chrono::Duration;
use regulars::store::coupons::{CouponStatus, IssueCouponRequest};
use regulars::{PaymentMethod, Receipt, Result, Store};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;

type Job = Box<dyn FnOnce(&mut Store) -> Result<Receipt> + Send>;

/// Runs `a` and `b` on two fresh `Store`s over `path`, released together
/// by a barrier, and returns both results.
fn at_once<A, B>(path: &Path, a: A, b: B) -> (Result<Receipt>, Result<Receipt>)
where
    A: FnOnce(&mut Store) -> Result<Receipt> + Send + 'static,
    B: FnOnce(&mut Store) -> Result<Receipt> + Send + 'static,
{
    at_once_while(path, a, b, || {}, || {})
}

/// As [`at_once`], and on this thread runs `before` once both stores are
/// open and `meanwhile` once both are released (while they run).
fn at_once_while<A, B, F, W>(path: &Path, a: A, b: B, before: F, meanwhile: W) -> (Result<Receipt>, Result<Receipt>)
where
    A: FnOnce(&mut Store) -> Result<Receipt> + Send + 'static,
    B: FnOnce(&mut Store) -> Result<Receipt> + Send + 'static,
    F: FnOnce(),
    W: FnOnce(),
{
    let opened = Arc::new(Barrier::new(3));
    let go = Arc::new(Barrier::new(3));
    let spawn = |f: Job, path: PathBuf| {
        let (opened, go) = (opened.clone(), go.clone());
        thread::spawn(move || {
            let mut store = Store::open(&path).expect("open in thread");
            opened.wait();
            go.wait();
            f(&mut store)
        })
    };
    let ha = spawn(Box::new(a), path.to_path_buf());
    let hb = spawn(Box::new(b), path.to_path_buf());
    opened.wait();
    before();
    go.wait();
    meanwhile();
    (ha.join().expect("thread a"), hb.join().expect("thread b"))
}

#[test]
fn two_tills_spending_the_same_balance_at_once_only_one_succeeds() {
    let mut shop = new_shop();
    let now = noon();
    let m = register(&mut shop.store, "陳怡君", Some("0912-345-678"), now).id;
    for round in 0..8 {
        let t = now + Duration::minutes(round);
        shop.store.top_up(&top_up_req(&format!("top-{round}"), m, 120), t).unwrap();
        let (a, b) = at_once(
            &shop.path,
            move |s| s.record_sale(&sv_sale(&format!("a-{round}"), m, 120), t),
            move |s| s.record_sale(&sv_sale(&format!("b-{round}"), m, 120), t),
        );
        let (ok, err) = match (a, b) {
            (Ok(r), Err(e)) | (Err(e), Ok(r)) => (r, e),
            (a, b) => panic!("round {round}: expected exactly one success, got {a:?} and {b:?}"),
        };
        assert_eq!(err.code(), "InsufficientBalance", "round {round}: {err}");
        assert_eq!(ok.wallet_after(), 0);
        assert_eq!(wallet(&shop.store, m, t), (0, 0), "round {round}: balance spent exactly once");
    }
    check_invariants(&shop.store);
}

#[test]
fn two_sales_at_once_for_two_members_each_debit_only_their_own_wallet() {
    let mut shop = new_shop();
    let now = noon();
    let a = register(&mut shop.store, "林志明", Some("0911-111-111"), now).id;
    let b = register(&mut shop.store, "Alice Chen", Some("0922-222-222"), now).id;
    shop.store.top_up(&top_up_req("top-a", a, 400), now).unwrap();
    shop.store.top_up(&top_up_req("top-b", b, 300), now).unwrap();
    for round in 0..6 {
        let t = now + Duration::minutes(round + 1);
        let (ra, rb) = at_once(
            &shop.path,
            move |s| s.record_sale(&sv_sale(&format!("sale-a-{round}"), a, 35), t),
            move |s| s.record_sale(&sv_sale(&format!("sale-b-{round}"), b, 20), t),
        );
        let (ra, rb) = (ra.expect("sale for a"), rb.expect("sale for b"));
        assert_eq!((ra.member_id, rb.member_id), (a, b));
        assert_ne!(ra.number, rb.number);
        assert_eq!(ra.wallet_before() - ra.wallet_after(), 35);
        assert_eq!(rb.wallet_before() - rb.wallet_after(), 20);
    }
    assert_eq!(wallet(&shop.store, a, now), (400 - 6 * 35, 0));
    assert_eq!(wallet(&shop.store, b, now), (300 - 6 * 20, 0));
    check_invariants(&shop.store);
}

#[test]
fn the_same_request_sent_from_two_connections_at_once_debits_once_with_one_receipt() {
    let mut shop = new_shop();
    let now = noon();
    let m = register(&mut shop.store, "張雅婷", Some("0933-333-333"), now).id;
    shop.store.top_up(&top_up_req("top", m, 1000), now).unwrap();
    for round in 0..6 {
        let t = now + Duration::minutes(round + 1);
        let id = format!("till-retry-{round}");
        let id2 = id.clone();
        let (a, b) = at_once(
            &shop.path,
            move |s| s.record_sale(&sv_sale(&id, m, 70), t),
            move |s| s.record_sale(&sv_sale(&id2, m, 70), t),
        );
        let (a, b) = (a.expect("first connection"), b.expect("second connection"));
        assert_eq!(a.number, b.number, "round {round}: both get the same receipt");
        assert_eq!(a.request_id, b.request_id);
        assert_eq!(wallet(&shop.store, m, t), (1000 - 70 * (round + 1), 0), "round {round}: debited once");
    }
    assert_eq!(all_receipts(&shop.store).len(), 7);
    check_invariants(&shop.store);
}

#[test]
fn two_voids_of_one_receipt_at_once_from_two_tills_undo_it_exactly_once() {
    use regulars::VoidRequest;
    let mut shop = new_shop();
    let now = noon();
    let m = register(&mut shop.store, "黃建宏", Some("0944-444-444"), now).id;
    shop.store.top_up(&top_up_req("top", m, 1000), now).unwrap();
    let void = |request_id: String, receipt_number: i64| VoidRequest {
        request_id,
        receipt_number,
        reason: "客人取消".into(),
        cashier: "小美".into(),
    };
    let mut receipts = 1;
    for round in 0..8 {
        let t = now + Duration::minutes(round + 1);
        // A sale in even rounds, a top-up (with its own void) in odd ones.
        let original = if round % 2 == 0 {
            shop.store.record_sale(&sv_sale(&format!("sale-{round}"), m, 150), t).unwrap()
        } else {
            shop.store.top_up(&top_up_req(&format!("top-{round}"), m, 200), t).unwrap()
        };
        let before = original.wallet_before();
        let number = original.number;
        let (a, b) = at_once(
            &shop.path,
            move |s| s.void_receipt(&void(format!("void-a-{round}"), number), t),
            move |s| s.void_receipt(&void(format!("void-b-{round}"), number), t),
        );
        let (ok, err) = match (a, b) {
            (Ok(r), Err(e)) | (Err(e), Ok(r)) => (r, e),
            (a, b) => panic!("round {round}: expected exactly one void, got {a:?} and {b:?}"),
        };
        assert_eq!(err.code(), "AlreadyVoided", "round {round}: {err}");
        assert_eq!(ok.voids_number, Some(number));
        assert_eq!(shop.store.receipt(number).unwrap().voided_by_number, Some(ok.number));
        receipts += 2;
        assert_eq!(all_receipts(&shop.store).len(), receipts, "round {round}: one void receipt, not two");
        assert_eq!(wallet(&shop.store, m, t), (before, 0), "round {round}: the wallet is back where it was, once");
        check_invariants(&shop.store);
    }
    let close = shop.store.day_close(shop.store.settings().unwrap().local_date(now)).unwrap();
    assert_eq!((close.voided_sales.count, close.voided_sales.amount_minor), (4, 4 * 150));
    assert_eq!((close.voided_top_ups.count, close.voided_top_ups.amount_minor), (4, 4 * 200));
    assert!(close.float.balances());
    assert_eq!(close.float.closing.paid_minor, 1000);
}

#[test]
fn two_programs_opening_a_new_database_file_at_once_both_succeed() {
    // First start: the desktop app and the CLI (or two windows) open the
    // same, not yet existing, database at the same moment.
    for round in 0..12 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("regulars.db");
        let barrier = Arc::new(Barrier::new(2));
        let handles: Vec<_> = (0..2)
            .map(|_| {
                let (path, barrier) = (path.clone(), barrier.clone());
                thread::spawn(move || {
                    barrier.wait();
                    Store::open(&path).map(|s| s.schema_version().unwrap())
                })
            })
            .collect();
        for h in handles {
            match h.join().unwrap() {
                Ok(v) => assert_eq!(v, regulars::store::MIGRATIONS.len() as i64),
                Err(e) => {
                    panic!("round {round}: opening a new database beside another opener failed: {} ({e})", e.code())
                }
            }
        }
        let store = Store::open(&path).unwrap();
        check_invariants(&store);
    }
}

/// The owner's lists run on their own connection beside the counter: while
/// members register and buy, every dashboard still adds up (one snapshot)
/// and no read fails for a lock.
#[test]
fn the_owners_figures_add_up_while_the_counter_registers_and_sells() {
    use regulars::analytics::tiers::TierInput;
    use regulars::store::owner::ListFilter;
    let mut shop = new_shop();
    let t0 = noon();
    let tiers = [
        TierInput { name: "會員".into(), min_spend_minor: 0, points_multiplier_pct: 100 },
        TierInput { name: "金卡".into(), min_spend_minor: 500, points_multiplier_pct: 100 },
    ];
    shop.store.set_tiers(&tiers, noon()).unwrap();
    let path = shop.path.clone();
    // The counter waits for the owner's next look every ten sales, so the
    // looks interleave with the writes however fast the machine is.
    let looks = Arc::new(AtomicUsize::new(0));
    let seen = looks.clone();
    let counter = thread::spawn(move || {
        let mut till = Store::open(&path).unwrap();
        for i in 0..60 {
            if i % 10 == 0 {
                let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
                while seen.load(Ordering::SeqCst) < (i / 10 + 1) as usize && std::time::Instant::now() < deadline {
                    thread::yield_now();
                }
            }
            let m = register(&mut till, &format!("客{i}"), None, t0).id;
            till.record_sale(&sale_req(&format!("s{i}"), m, &[(regulars::PaymentMethod::Cash, 100 * (i % 9 + 1))]), t0)
                .unwrap();
        }
    });
    let owner = Store::open(&shop.path).unwrap();
    while !counter.is_finished() {
        let d = owner.dashboard(t0 + Duration::hours(1)).expect("the owner's read never fails for a lock");
        assert_eq!(d.tiers.iter().map(|t| t.members).sum::<i64>(), d.members, "{d:?}");
        assert_eq!(d.segments.iter().map(|s| s.members).sum::<i64>(), d.members);
        let vip = owner.vip(&ListFilter::default(), t0 + Duration::hours(1)).unwrap();
        assert_eq!(vip.rows.len() as u32, vip.total);
        looks.fetch_add(1, Ordering::SeqCst);
    }
    counter.join().unwrap();
    let d = owner.dashboard(t0 + Duration::hours(1)).unwrap();
    assert_eq!(d.members, 60);
    let looks = looks.load(Ordering::SeqCst);
    assert!(looks >= 6, "the owner looked while the counter worked ({looks} looks)");
}

/// Two tills take the same coupon for the same member at the same moment.
/// A third connection holds the write lock while both start, so both are
/// waiting on the file when it lets go: they truly race for it.
#[test]
#[allow(clippy::disallowed_methods)] // Holds the write lock and counts ledger rows with raw SQL.
fn two_tills_applying_the_same_coupon_at_once_redeem_it_once_and_the_other_is_told_it_is_used() {
    let mut shop = new_shop();
    let now = noon();
    let m = register(&mut shop.store, "陳怡君", Some("0912-345-678"), now).id;
    let offer = shop.store.add_offer(&amount_off_offer("開幕折20", 20, false), now).unwrap().id;
    let holder = rusqlite::Connection::open(&shop.path).unwrap();
    let sale = |till: &str, round: i64, code: &str| {
        let mut r = sale_req(&format!("{till}-{round}"), m, &[(PaymentMethod::Cash, 80)]);
        r.total_minor = 100;
        r.coupon_codes = vec![code.to_string()];
        r
    };
    for round in 0..6 {
        let t = now + Duration::minutes(round);
        let issue = IssueCouponRequest { request_id: format!("c-{round}"), member_id: m, offer_id: offer };
        let code = shop.store.issue_coupon(&issue, t).unwrap().code;
        let receipts_before = all_receipts(&shop.store).len() as i64;
        let (sale_a, sale_b) = (sale("a", round, &code), sale("b", round, &code));
        let (a, b) = at_once_while(
            &shop.path,
            move |s| s.record_sale(&sale_a, t),
            move |s| s.record_sale(&sale_b, t),
            || holder.execute_batch("BEGIN IMMEDIATE").unwrap(),
            || {
                // Both tills are now inside `record_sale`, waiting for the lock.
                thread::sleep(std::time::Duration::from_millis(150));
                holder.execute_batch("COMMIT").unwrap();
            },
        );
        let (won, lost) = match (a, b) {
            (Ok(r), Err(e)) | (Err(e), Ok(r)) => (r, e),
            (a, b) => panic!("round {round}: expected exactly one success, got {a:?} and {b:?}"),
        };
        assert_eq!(lost.code(), "CouponUsed", "round {round}: {lost}");
        assert!(lost.to_string().contains(&code), "the refusal names the coupon: {lost}");
        assert_eq!(won.number, receipts_before + 1, "one receipt written");
        assert_eq!(all_receipts(&shop.store).len() as i64, receipts_before + 1, "and no other");
        assert_eq!(won.total_minor, 80);
        assert_eq!(
            won.discounts.iter().map(|d| (d.code.as_str(), d.amount_minor)).collect::<Vec<_>>(),
            [(code.as_str(), 20)]
        );
        let view = shop.store.coupon(&code, t).unwrap();
        assert_eq!((view.status, view.redeemed_on), (CouponStatus::Redeemed, Some(won.number)));
        let redemptions: i64 = holder
            .query_row(
                "SELECT count(*) FROM coupon_ledger l JOIN coupons c ON c.id = l.coupon_id
                 WHERE c.code = ?1 AND l.kind = 'redeemed'",
                [&code],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(redemptions, 1, "round {round}: the ledger has one redemption");
    }
    check_invariants(&shop.store);
}
