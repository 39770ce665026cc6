//! Lookup and checkout speed at shop-chain scale.
//!
//! `cargo bench -p regulars --bench lookup` (release build). Size with
//! `BENCH_MEMBERS` (default 1,000,000). Prints a Markdown table for
//! docs/benchmarks.md.
#![allow(clippy::disallowed_methods)] // A benchmark reads its sizes from the environment and times itself.
#![allow(clippy::float_arithmetic)] // timings and sizes, never money

mod support;

use support::{peak_rss_mib, percentile, Rng, GIVEN, LATIN, SURNAMES};

use chrono::{Duration, Utc};
use regulars::{NewMember, PaymentInput, PaymentMethod, SaleRequest, Store, TopUpRequest};
use std::time::Instant;

fn main() {
    let n: usize = std::env::var("BENCH_MEMBERS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bench.db");
    let mut store = Store::open(&path).expect("open");
    let now = Utc::now();
    let mut rng = Rng(0x00C0_FFEE_1234_5678);

    let started = Instant::now();
    let batch = 50_000;
    let mut phones = Vec::with_capacity(n);
    for start in (0..n).step_by(batch) {
        let rows: Vec<NewMember> = (start..(start + batch).min(n))
            .map(|i| {
                let name = if i % 5 == 0 {
                    format!(
                        "{} {}",
                        LATIN[rng.below(10) as usize],
                        ["Chen", "Lin", "Wang", "Lee"][rng.below(4) as usize]
                    )
                } else {
                    format!("{}{}", SURNAMES[rng.below(15) as usize], GIVEN[rng.below(15) as usize])
                };
                let phone = format!("09{:08}", i * 7 + 13);
                phones.push(phone.clone());
                NewMember { name, phone: Some(phone), ..Default::default() }
            })
            .collect();
        store.import_members(&rows, &format!("bench-{start}"), now).expect("import");
    }
    let import_s = started.elapsed().as_secs_f64();
    let size_mib = std::fs::metadata(&path).map(|m| m.len() as f64 / 1_048_576.0).unwrap_or(0.0);

    // Checkout first: top-up then a stored-value sale, each its own durable
    // transaction. The members who bought are the most recent visitors the
    // lookups below must put first.
    let ops = 1000;
    let mut buyers = Vec::with_capacity(ops);
    let t = Instant::now();
    for i in 0..ops {
        let member_id = 1 + rng.below(n as u64) as i64;
        buyers.push(member_id);
        let at = now + Duration::seconds(i as i64);
        store
            .top_up(
                &TopUpRequest {
                    request_id: format!("bt-{i}"),
                    member_id,
                    paid_minor: 1000,
                    method: PaymentMethod::Cash,
                    method_id: None,
                    cashier: "bench".into(),
                    note: String::new(),
                },
                at,
            )
            .expect("top up");
        store
            .record_sale(
                &SaleRequest {
                    request_id: format!("bs-{i}"),
                    member_id,
                    total_minor: 150,
                    lines: Vec::new(),
                    payments: vec![PaymentInput::new(PaymentMethod::StoredValue, 150)],
                    stamp_items: Some(2),
                    redeem_program_ids: Vec::new(),
                    cashier: "bench".into(),
                    note: String::new(),
                },
                at,
            )
            .expect("sale");
    }
    let per_op_ms = t.elapsed().as_secs_f64() * 1000.0 / (2 * ops) as f64;
    // Of the buyers sharing a phone's last four digits, the latest is the
    // one a cashier typing those digits must see first.
    let phone_of = |id: i64| phones[(id - 1) as usize].clone();
    let tail_of = |id: i64| phone_of(id)[6..].to_string();
    let mut latest_by_tail = std::collections::HashMap::new();
    for &id in &buyers {
        latest_by_tail.insert(tail_of(id), id);
    }

    let mut rows = Vec::new();
    let mut wrong = Vec::new();
    // Each query with the member expected first (None: only timed).
    let mut measure = |label: &str, queries: Vec<(String, Option<i64>)>| {
        let mut times = Vec::with_capacity(queries.len());
        let mut hits = 0;
        let mut right = 0;
        let checked = queries.iter().filter(|(_, expected)| expected.is_some()).count();
        for (q, expected) in &queries {
            let t = Instant::now();
            let found = store.find_members(q, 20).expect("find");
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            hits += found.hits.len();
            if let Some(id) = expected {
                if found.hits.first().map(|h| h.id) == Some(*id) {
                    right += 1;
                } else {
                    wrong.push(format!("{label}: {q:?} expected #{id}, got {:?}", found.hits.first().map(|h| h.id)));
                }
            }
        }
        times.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
        let right = if checked == 0 { "–".to_string() } else { format!("{right}/{checked}") };
        rows.push(format!(
            "| {label} | {} | {:.3} | {:.3} | {:.3} | {:.1} | {right} |",
            queries.len(),
            percentile(&times, 0.5),
            percentile(&times, 0.99),
            times.last().copied().unwrap_or(0.0),
            hits as f64 / queries.len() as f64
        ));
    };
    let pick = |rng: &mut Rng| 1 + rng.below(n as u64) as i64;
    measure("full phone", (0..500).map(|_| pick(&mut rng)).map(|id| (phone_of(id), Some(id))).collect());
    measure(
        "last 4 digits (a recent buyer's)",
        buyers.iter().take(500).map(|&id| (tail_of(id), Some(latest_by_tail[&tail_of(id)]))).collect(),
    );
    // Four digits that are also a member number (M00xxxx): the phone wins.
    measure(
        "last 4 digits that are a member number",
        buyers
            .iter()
            .filter(|&&id| tail_of(id).parse::<usize>().is_ok_and(|k| (1..=n).contains(&k)))
            .take(300)
            .map(|&id| (tail_of(id), Some(latest_by_tail[&tail_of(id)])))
            .collect(),
    );
    measure("member number", (0..500).map(|_| pick(&mut rng)).map(|id| (format!("M{id:06}"), Some(id))).collect());
    measure("surname (1 CJK char)", (0..200).map(|_| (SURNAMES[rng.below(15) as usize].to_string(), None)).collect());
    measure("given name (2 CJK chars)", (0..200).map(|_| (GIVEN[rng.below(15) as usize].to_string(), None)).collect());
    measure(
        "full name (3 CJK chars)",
        (0..200)
            .map(|_| (format!("{}{}", SURNAMES[rng.below(15) as usize], GIVEN[rng.below(15) as usize]), None))
            .collect(),
    );
    measure("Latin name, lower case", (0..200).map(|_| (LATIN[rng.below(10) as usize].to_lowercase(), None)).collect());
    // A whole name with the last four digits: the latest buyer of that name
    // and those digits first (members of one name can share them).
    let mut latest_by_name_tail = std::collections::HashMap::new();
    for &id in &buyers {
        let name = store.member(id).expect("member").name;
        latest_by_name_tail.insert(format!("{name} {}", tail_of(id)), id);
    }
    let named: Vec<(String, Option<i64>)> =
        latest_by_name_tail.iter().take(200).map(|(q, id)| (q.clone(), Some(*id))).collect();
    measure("whole name + last 4 digits", named);
    measure("no match", (0..200).map(|i| (format!("zzq{i}"), None)).collect());

    println!("members: {n}; import {import_s:.1} s ({:.0} members/s); database {size_mib:.0} MiB", n as f64 / import_s);
    println!("checkout: {per_op_ms:.2} ms per durable operation (top-up or stored-value sale, synchronous=FULL)");
    println!("peak RSS: {}", peak_rss_mib());
    println!();
    println!("| query | runs | p50 ms | p99 ms | max ms | hits/query | right member first |");
    println!("|---|---|---|---|---|---|---|");
    for r in rows {
        println!("{r}");
    }
    for w in &wrong {
        eprintln!("wrong: {w}");
    }
    assert!(wrong.is_empty(), "{} lookups put the wrong member first", wrong.len());
}
