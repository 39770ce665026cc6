//! Lookup and checkout speed at shop-chain scale.
//!
//! `cargo bench -p regulars --bench lookup` (release build). Size with
//! `BENCH_MEMBERS` (default 1,000,000). Prints Markdown tables for
//! docs/benchmarks.md: the lookups, then the first lookup after start (the
//! database's file dropped from the OS's file cache, then opened as the app
//! opens it, with and without `store::warm::warm_lookup`; trials per mode
//! with `BENCH_FIRST_TRIALS`, default 5).
#![allow(clippy::disallowed_methods)] // A benchmark reads its sizes from the environment and times itself.
#![allow(clippy::float_arithmetic)] // timings and sizes, never money

mod support;

use support::{peak_rss_mib, percentile, Rng, GIVEN, LATIN, SURNAMES};

use chrono::{Duration, Utc};
use regulars::{NewMember, PaymentInput, PaymentMethod, SaleRequest, Store, TopUpRequest};
use std::path::{Path, PathBuf};
use std::process::Command;
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
                    coupon_codes: Vec::new(),
                    redeem_points: 0,
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
    let steady_last_four_p50 = rows[1].split('|').nth(3).map(str::trim).unwrap_or("?").to_string();

    // The first lookup after start: the app closed, the file no longer in
    // the OS's cache (a till switched on in the morning), the store opened
    // as the app opens it, then the cashier's first last-four lookup, and
    // the 20 lookups after it. Half the trials let `warm_lookup` read the
    // indexes first, as the app does in a thread at start.
    drop(store);
    let trials: usize = std::env::var("BENCH_FIRST_TRIALS").ok().and_then(|v| v.parse().ok()).unwrap_or(5);
    let mut first_rows = Vec::new();
    for warm in [false, true] {
        let mut opens = Vec::new();
        let mut warms = Vec::new();
        let mut firsts = Vec::new();
        let mut nexts = Vec::new();
        let mut cached_after_drop = 0u64;
        let mut right = 0;
        let mut checked = 0;
        for trial in 0..trials {
            // Different members each trial and mode, none looked up just before.
            let offset = 500 + (trial * 2 + usize::from(warm)) * 21;
            let queries: Vec<(String, i64)> = buyers
                .iter()
                .cycle()
                .skip(offset)
                .take(21)
                .map(|&id| (tail_of(id), latest_by_tail[&tail_of(id)]))
                .collect();
            cached_after_drop = cached_after_drop.max(drop_from_file_cache(&path));
            let t = Instant::now();
            let store = Store::open(&path).expect("open");
            opens.push(t.elapsed().as_secs_f64() * 1000.0);
            if warm {
                let warmed = regulars::store::warm::warm_lookup(&path).expect("warm");
                warms.push(warmed.elapsed.as_secs_f64() * 1000.0);
            }
            let mut times = Vec::new();
            for (q, expected) in &queries {
                let t = Instant::now();
                let found = store.find_members(q, 20).expect("find");
                times.push(t.elapsed().as_secs_f64() * 1000.0);
                checked += 1;
                if found.hits.first().map(|h| h.id) == Some(*expected) {
                    right += 1;
                } else {
                    wrong.push(format!(
                        "first lookup: {q:?} expected #{expected}, got {:?}",
                        found.hits.first().map(|h| h.id)
                    ));
                }
            }
            firsts.push(times[0]);
            nexts.extend_from_slice(&times[1..]);
            drop(store);
        }
        for v in [&mut opens, &mut warms, &mut firsts, &mut nexts] {
            v.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
        }
        let warm_cell = if warm {
            format!("{:.0} (max {:.0})", percentile(&warms, 0.5), warms.last().unwrap_or(&0.0))
        } else {
            "–".into()
        };
        first_rows.push(format!(
            "| {} | {trials} | {} | {:.1} | {warm_cell} | **{:.3}** | {:.3} | {:.3} | {:.3} | {right}/{checked} |",
            if warm { "`warm_lookup` after open" } else { "no warm-up" },
            cached_after_drop / 1024,
            percentile(&opens, 0.5),
            percentile(&firsts, 0.5),
            firsts.last().copied().unwrap_or(0.0),
            percentile(&nexts, 0.5),
            percentile(&nexts, 0.99),
        ));
    }

    println!("members: {n}; import {import_s:.1} s ({:.0} members/s); database {size_mib:.0} MiB", n as f64 / import_s);
    println!("checkout: {per_op_ms:.2} ms per durable operation (top-up or stored-value sale, synchronous=FULL)");
    println!("peak RSS: {}", peak_rss_mib());
    println!();
    println!("| query | runs | p50 ms | p99 ms | max ms | hits/query | right member first |");
    println!("|---|---|---|---|---|---|---|");
    for r in rows {
        println!("{r}");
    }
    println!();
    println!("The first lookup after start (last 4 digits; the file dropped from the OS's cache before each trial):");
    println!();
    println!(
        "| start | trials | KiB cached after the drop | open ms | warm-up ms | first lookup p50 ms | first max ms | next 20 p50 ms | next 20 p99 ms | right member first |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for r in first_rows {
        println!("{r}");
    }
    println!("(later lookups, the table above: last 4 digits p50 {steady_last_four_p50} ms)");
    for w in &wrong {
        eprintln!("wrong: {w}");
    }
    assert!(wrong.is_empty(), "{} lookups put the wrong member first", wrong.len());
}

/// Drops the database file and its WAL files from the OS's file cache (GNU
/// dd's `iflag=nocache count=0` advises the kernel to discard the whole
/// file; the file is closed and synced, so none of it is dirty). Returns
/// the bytes still cached, as `fincore` counts them (0 without fincore).
fn drop_from_file_cache(path: &Path) -> u64 {
    let mut cached = 0;
    for suffix in ["", "-wal", "-shm"] {
        let mut file = PathBuf::from(path);
        file.as_mut_os_string().push(suffix);
        if !file.exists() {
            continue;
        }
        let status = Command::new("dd")
            .arg(format!("if={}", file.display()))
            .args(["iflag=nocache", "count=0", "status=none"])
            .status()
            .expect("dd (GNU coreutils) drops a file from the cache");
        assert!(status.success(), "dd could not drop {} from the cache", file.display());
        cached += Command::new("fincore")
            .args(["--bytes", "--noheadings", "--output", "RES"])
            .arg(&file)
            .output()
            .ok()
            .and_then(|out| String::from_utf8(out.stdout).ok())
            .and_then(|text| text.trim().parse::<u64>().ok())
            .unwrap_or(0);
    }
    cached
}
