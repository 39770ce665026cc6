//! Checkout with a coupon and points at a big shop: `cargo bench -p regulars --bench checkout`.
//!
//! A sale that redeems a coupon (NT$20 off) and some of the member's points
//! and earns points on what is left to pay, each its own durable
//! transaction (`synchronous=FULL`), at `BENCH_MEMBERS` members (default
//! 1,000,000). With `BENCH_SOURCE` the shop is a **copy** of that database
//! (e.g. the owner bench's `owner-1000000-2000000.db`, kept with its
//! `BENCH_DIR`); the source is never opened, and opening the copy migrates it
//! to the current schema. Without it the members are imported as the lookup
//! bench imports them. `BENCH_SALES` (default 300) members each get a coupon
//! and points from an earlier sale, untimed; then the store is opened again
//! and their sales are timed: the first right after opening, the rest
//! warmed (p50, p95, max). Every sale is checked after its timer stops:
//! the discount lines, the total, the payments, the points earned and
//! redeemed, the member's points equal to their ledger and the coupon
//! used on that receipt. A wrong answer fails the benchmark. Prints
//! Markdown for docs/benchmarks.md.
#![allow(clippy::disallowed_methods)] // A benchmark reads its sizes from the environment, checks the ledgers with raw SQL and times itself.
#![allow(clippy::float_arithmetic)] // timings and sizes, never money

#[path = "support/mod.rs"]
mod support;

use chrono::{Duration, Utc};
use regulars::coupon::{OfferInput, OfferKind};
use regulars::points::PointsSettings;
use regulars::store::coupons::{CouponStatus, IssueCouponRequest};
use regulars::{LineInput, NewMember, PaymentInput, PaymentMethod, SaleRequest, Store};
use std::path::{Path, PathBuf};
use std::time::Instant;
use support::{peak_rss_mib, percentile, Rng, GIVEN, SURNAMES};

const COUPON_OFF: i64 = 20;
/// A point for each NT$10 paid; a point takes NT$1 off.
const EARN_PER_MINOR: i64 = 10;

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.replace('_', "").parse().ok()).unwrap_or(default)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "n/a".into())
}

fn mib(path: &Path) -> f64 {
    std::fs::metadata(path).map(|m| m.len() as f64 / 1_048_576.0).unwrap_or(0.0)
}

/// A basket of one to three drinks at NT$60–140.
fn lines(rng: &mut Rng) -> Vec<LineInput> {
    (0..1 + rng.below(3))
        .map(|i| LineInput {
            product_id: None,
            description: format!("飲品 {i}"),
            quantity: 1 + rng.below(2) as i64,
            unit_price_minor: 60 + 10 * rng.below(9) as i64,
            earns_stamps: true,
        })
        .collect()
}

fn sale(request_id: String, member_id: i64, lines: Vec<LineInput>, codes: Vec<String>, points: i64) -> SaleRequest {
    let total: i64 = lines.iter().map(|l| l.quantity * l.unit_price_minor).sum();
    let off = if codes.is_empty() { 0 } else { COUPON_OFF };
    SaleRequest {
        request_id,
        member_id,
        total_minor: total,
        lines,
        payments: vec![PaymentInput::new(PaymentMethod::Cash, total - off - points)],
        stamp_items: None,
        redeem_program_ids: Vec::new(),
        coupon_codes: codes,
        redeem_points: points,
        cashier: "bench".into(),
        note: String::new(),
    }
}

/// The member's points balance and their ledger's sum, read apart from the store.
fn points_and_ledger(raw: &rusqlite::Connection, member_id: i64) -> (i64, i64) {
    raw.query_row(
        "SELECT COALESCE((SELECT points FROM member_points WHERE member_id = ?1), 0),
                (SELECT COALESCE(SUM(delta), 0) FROM points_ledger WHERE member_id = ?1)",
        [member_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .expect("points")
}

fn main() {
    let n = env_or("BENCH_MEMBERS", 1_000_000);
    let sales = env_or("BENCH_SALES", 300).max(2);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("checkout.db");
    let load_at_start = load_average();
    let now = Utc::now();
    let mut summary = Vec::new();

    let source = std::env::var("BENCH_SOURCE").ok().map(PathBuf::from);
    if let Some(source) = &source {
        let wal = std::fs::metadata(format!("{}-wal", source.display())).map(|m| m.len()).unwrap_or(0);
        assert!(
            wal == 0,
            "{} has a WAL with writes in it: close what holds it first (the copy must be whole)",
            source.display()
        );
        let t = Instant::now();
        std::fs::copy(source, &path).expect("copy the source database");
        let copy_s = t.elapsed().as_secs_f64();
        let version: i64 = rusqlite::Connection::open(&path)
            .and_then(|c| c.pragma_query_value(None, "user_version", |r| r.get(0)))
            .expect("schema version of the copy");
        summary.push(format!("copied {} ({:.0} MiB, schema {version}) in {copy_s:.1} s", source.display(), mib(&path)));
    }
    let t = Instant::now();
    let mut store = Store::open(&path).expect("open");
    summary.push(format!(
        "first open (migrating a copy to the current schema): {:.0} ms",
        t.elapsed().as_secs_f64() * 1000.0
    ));
    if source.is_none() {
        let t = Instant::now();
        let batch = 50_000;
        for start in (0..n).step_by(batch) {
            let rows: Vec<NewMember> = (start..(start + batch).min(n))
                .map(|i| NewMember {
                    name: format!("{}{}", SURNAMES[i % SURNAMES.len()], GIVEN[(i / SURNAMES.len()) % GIVEN.len()]),
                    phone: Some(format!("09{:08}", i)),
                    ..Default::default()
                })
                .collect();
            store.import_members(&rows, &format!("bench-{start}"), now).expect("import");
        }
        summary.push(format!("imported {n} members in {:.1} s", t.elapsed().as_secs_f64()));
    }
    let members = store.member_count().expect("count");
    assert!(members >= n as i64 * 99 / 100, "expected about {n} members, found {members}");

    // The shop's rules: points, and a coupon offer.
    store
        .set_points_settings(
            &PointsSettings {
                earn_per_minor: EARN_PER_MINOR,
                point_value_minor: 1,
                expiry_months: Some(12),
                max_redeem_percent: 100,
                birthday_multiplier_pct: 100,
            },
            now,
        )
        .expect("points rules");
    let offer = OfferInput {
        name: "回饋折 20".into(),
        kind: OfferKind::AmountOff,
        amount_off_minor: Some(COUPON_OFF),
        percent_off: None,
        cap_minor: None,
        product_id: None,
        program_id: None,
        extra_stamps: None,
        min_spend_minor: 0,
        valid_days: Some(30),
        valid_from: None,
        valid_until: None,
        combinable: false,
    };
    let offer_id = store.add_offer(&offer, now).expect("offer").id;

    // Untimed: each chosen member earns points on a sale and gets a coupon.
    let mut rng = Rng(0x5EED_C0DE_2026_1207);
    let stamp = now.timestamp_millis();
    let mut chosen: Vec<(i64, String)> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    while chosen.len() < sales {
        let member_id = 1 + rng.below(members as u64) as i64;
        if !seen.insert(member_id) || store.member_card(member_id, now).map(|c| c.member.archived).unwrap_or(true) {
            continue;
        }
        let earn = lines(&mut rng);
        store
            .record_sale(&sale(format!("bench-earn-{stamp}-{member_id}"), member_id, earn, Vec::new(), 0), now)
            .expect("earning sale");
        let issue = IssueCouponRequest { request_id: format!("bench-coupon-{stamp}-{member_id}"), member_id, offer_id };
        let code = store.issue_coupon(&issue, now).expect("issue").code;
        chosen.push((member_id, code));
    }
    drop(store);

    // Timed: the sales, on a store just opened.
    let mut store = Store::open(&path).expect("open again");
    let raw = rusqlite::Connection::open(&path).expect("raw");
    let at = now + Duration::minutes(5);
    let mut times = Vec::with_capacity(sales);
    for (i, (member_id, code)) in chosen.iter().enumerate() {
        let usable = store.member_points(*member_id, at).expect("points").points;
        let (held, _) = points_and_ledger(&raw, *member_id);
        let basket = lines(&mut rng);
        let total: i64 = basket.iter().map(|l| l.quantity * l.unit_price_minor).sum();
        let redeem = usable.min(total - COUPON_OFF).min(1 + rng.below(30) as i64);
        let req = sale(format!("bench-sale-{stamp}-{i}"), *member_id, basket, vec![code.clone()], redeem);
        let t = Instant::now();
        let r = store.record_sale(&req, at).expect("sale with a coupon and points");
        times.push(t.elapsed().as_secs_f64() * 1000.0);

        // The answer must be right.
        let due = total - COUPON_OFF - redeem;
        assert!(redeem > 0, "member {member_id} had points to redeem");
        assert_eq!(r.total_minor, due, "receipt {}: items less coupon less points", r.number);
        let discounts: Vec<(&str, i64, i64)> =
            r.discounts.iter().map(|d| (d.code.as_str(), d.amount_minor, d.points)).collect();
        assert_eq!(discounts, [(code.as_str(), COUPON_OFF, 0), ("", redeem, redeem)], "receipt {}", r.number);
        assert_eq!(r.payments.iter().map(|p| p.amount_minor).sum::<i64>(), due);
        let p = r.points.as_ref().expect("a points row");
        let earned = due / EARN_PER_MINOR;
        assert_eq!((p.before, p.redeemed, p.earned, p.after), (held, redeem, earned, held - redeem + earned));
        let (balance, ledger) = points_and_ledger(&raw, *member_id);
        assert_eq!((balance, ledger), (p.after, p.after), "member {member_id}: points balance = ledger");
        assert_eq!(store.member_points(*member_id, at).expect("points").points, usable - redeem + earned);
        let coupon = store.coupon(code, at).expect("coupon");
        assert_eq!((coupon.status, coupon.redeemed_on), (CouponStatus::Redeemed, Some(r.number)));
    }
    let first = times[0];
    let mut warm = times[1..].to_vec();
    warm.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));

    for l in &summary {
        println!("{l}");
    }
    println!("members: {members}; database {:.0} MiB; peak RSS {}", mib(&path), peak_rss_mib());
    println!("load average: {load_at_start} at the start, {} at the end", load_average());
    println!();
    println!("| sale with a coupon and points (synchronous=FULL) | sales | ms |");
    println!("|---|---|---|");
    println!("| first, right after opening | 1 | {first:.2} |");
    println!("| warmed, p50 | {} | {:.2} |", warm.len(), percentile(&warm, 0.5));
    println!("| warmed, p95 | {} | {:.2} |", warm.len(), percentile(&warm, 0.95));
    println!("| warmed, max | {} | {:.2} |", warm.len(), warm.last().copied().unwrap_or(0.0));
    println!();
    println!("every sale checked: coupon and points discount lines, total = payments, points earned and redeemed, balance = ledger, coupon used on its receipt");
}
