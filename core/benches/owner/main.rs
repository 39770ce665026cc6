//! The owner's lists at a busy shop's scale: 100,000 members and
//! 2,000,000 visits (sales) over two years.
//!
//! `cargo bench -p regulars --bench owner` (release build). Size with
//! `BENCH_MEMBERS` (default 100,000) and `BENCH_VISITS` (default
//! 2,000,000: unvoided sales); `BENCH_RUNS` (default 20) runs per list;
//! `BENCH_SALES` (default 300) sales timed at the end; `BENCH_AUDIT=0` skips
//! the final `Store::audit`, `BENCH_INTEGRITY=1` adds `PRAGMA
//! integrity_check`. `BENCH_DIR` keeps the database in that folder, and with
//! `BENCH_REUSE=1` a kept database of the same size is reused instead of
//! built (its history stays relative to the day it was built). Prints a
//! Markdown table for docs/benchmarks.md.
//!
//! Members, tiers, the catalogue, a stamp program and the bonus rules go
//! through the store's own methods. The two years of receipts are written
//! with plain SQL on a second connection in a few large transactions (one
//! durable transaction per sale would take most of an hour): sales with catalogue
//! lines, top-ups and stored-value spends, stamps earned and redeemed, a few
//! voided sales, with gap-free receipt numbers, the ledgers and the members'
//! derived columns kept exactly as the operations keep them. Then the
//! owner's aggregates are built with `Store::rebuild_owner_aggregates` (the
//! one-time cost of an upgrade) and tiers assigned with
//! `Store::apply_tier_review`; at the end `Store::audit` (ledgers, receipt
//! numbers and the aggregates against a recomputation) must be clean.
#![allow(clippy::disallowed_methods)] // A benchmark reads its sizes from the environment, builds its shop with raw SQL and times itself.
#![allow(clippy::float_arithmetic)] // timings, sizes and visit spacing, never money

mod history;
#[path = "../support/mod.rs"]
mod support;

use history::*;

use support::{peak_rss_mib, percentile, Rng, GIVEN, LATIN, SURNAMES};

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, TimeZone, Utc};
use regulars::analytics::segments::TierBasis;
use regulars::analytics::tiers::TierInput;
use regulars::store::owner::{BirthdayWindow, DueFilter, ListFilter};
use regulars::Store;
use regulars::{
    EarnRule, LineInput, NewMember, NewStampProgram, PaymentInput, PaymentMethod, ProductInput, SaleRequest,
};
use rusqlite::{params, Connection};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

const TAGS: &[&str] = &["上班族", "學生", "附近住戶", "VIP", "外送"];
/// (name, price, earns stamps): a coffee shop's catalogue.
const PRODUCTS: &[(&str, i64, bool)] = &[
    ("美式咖啡", 60, true),
    ("拿鐵", 80, true),
    ("卡布奇諾", 85, true),
    ("焦糖瑪奇朵", 95, true),
    ("手沖單品", 140, true),
    ("冰滴咖啡", 120, true),
    ("紅茶拿鐵", 75, true),
    ("抹茶拿鐵", 90, true),
    ("可頌", 55, false),
    ("肉桂捲", 70, false),
    ("起司蛋糕", 110, false),
    ("咖啡豆 半磅", 380, false),
];
/// Two years of history; day 0 is 730 shop days before today, the last day is yesterday.
const DAYS: i64 = 730;
const DAY_MS: i64 = 86_400_000;
const HOUR_MS: i64 = 3_600_000;
/// Stamps for the one program's reward.
const STAMPS_NEEDED: i64 = 10;
const TEMPLATE: &str = "{name} 您好！{shop} 想念您：儲值餘額 {balance}，集點 {stamps}，上次來店 {lastVisit}。";

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.replace('_', "").parse().ok()).unwrap_or(default)
}

/// Resets VmHWM to the current RSS (Linux), so the lists' peak is measured apart from the build's.
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// The machine's load average (other jobs share its two cores).
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "n/a".into())
}

/// Members in a kept database (None when it is not one).
fn members_in(path: &Path) -> Option<i64> {
    let conn = Connection::open(path).ok()?;
    conn.query_row("SELECT count(*) FROM members", [], |r| r.get(0)).ok()
}

fn mib(path: &Path) -> f64 {
    std::fs::metadata(path).map(|m| m.len() as f64 / 1_048_576.0).unwrap_or(0.0)
}

/// Timings of one list over `runs` runs: (p50, p99, max) in ms and what the last run returned.
/// Each run on a store just opened, so no run reuses what another read.
fn time_runs(runs: usize, path: &Path, mut f: impl FnMut(&Store) -> String) -> (f64, f64, f64, String) {
    let mut times = Vec::with_capacity(runs);
    let mut shown = String::new();
    for _ in 0..runs {
        let store = Store::open(path).expect("open");
        let t = Instant::now();
        shown = f(&store);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
    (percentile(&times, 0.5), percentile(&times, 0.99), times.last().copied().unwrap_or(0.0), shown)
}

/// The shop's day 0 (730 shop days before today) as UTC ms. The shop is in
/// Asia/Taipei, the default zone, which has no daylight saving.
fn day0_ms(now: DateTime<Utc>) -> (NaiveDate, i64) {
    let taipei = FixedOffset::east_opt(8 * 3600).expect("offset");
    let today: NaiveDate = now.with_timezone(&taipei).date_naive();
    let day0 = today - Duration::days(DAYS);
    let ms = taipei
        .from_local_datetime(&day0.and_hms_opt(0, 0, 0).expect("midnight"))
        .single()
        .expect("one midnight")
        .timestamp_millis();
    (today, ms)
}

/// Builds the shop: setup and members through the store, two years of
/// receipts with raw SQL, then the owner's aggregates and tiers through the
/// store. Returns the product ids (in `PRODUCTS` order) and the summary lines.
#[allow(clippy::too_many_lines)]
fn build(
    store: &mut Store,
    path: &Path,
    n: usize,
    visits: usize,
    now: DateTime<Utc>,
    rng: &mut Rng,
) -> (Vec<i64>, Vec<String>) {
    let (_, day0_ms) = day0_ms(now);
    let at_day = |day: i64, hour: i64| -> DateTime<Utc> {
        DateTime::from_timestamp_millis(day0_ms + day * DAY_MS + hour * HOUR_MS).expect("time")
    };
    // Catalogue, stamp program, bonus rules and tiers, through the store.
    let started = Instant::now();
    let setup = at_day(0, 9);
    let product_ids: Vec<i64> = PRODUCTS
        .iter()
        .enumerate()
        .map(|(i, (name, price, earns))| {
            let input = ProductInput {
                name: (*name).into(),
                price_minor: *price,
                earns_stamps: *earns,
                category: if *earns { "飲品".into() } else { "其他".into() },
                sort_order: i as i64,
            };
            store.add_product(&input, setup).expect("product").id
        })
        .collect();
    let program = NewStampProgram {
        name: "咖啡集點".into(),
        stamps_needed: STAMPS_NEEDED,
        reward_text: "免費中杯飲品一杯".into(),
        earn_rule: EarnRule::PerVisit,
        expiry_days: None,
    };
    let program_id = store.add_program(&program, setup).expect("program").id;
    store.set_bonus_rule(1000, 100, 0, setup).expect("bonus");
    store.set_bonus_rule(2000, 300, 0, setup).expect("bonus");
    let tiers = [("會員", 0), ("銀卡", 3000), ("金卡", 10000), ("黑卡", 30000)];
    let tiers: Vec<TierInput> = tiers
        .iter()
        .map(|(name, min)| TierInput { name: (*name).into(), min_spend_minor: *min, points_multiplier_pct: 100 })
        .collect();
    store.set_tiers(&tiers, now).expect("tiers");

    // Members join evenly over the two years, in 100 imports.
    let batches = 100.min(n.max(1));
    let batch = n.div_ceil(batches);
    let mut profiles: Vec<Profile> = Vec::with_capacity(n);
    for (b, start) in (0..n).step_by(batch).enumerate() {
        let join_day = b as i64 * DAYS / batches as i64;
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
                let birthday = rng
                    .chance(0.7)
                    .then(|| format!("{}-{:02}-{:02}", 1960 + rng.below(45), 1 + rng.below(12), 1 + rng.below(28)));
                let tags: Vec<String> = TAGS.iter().filter(|_| rng.chance(0.12)).map(|t| (*t).to_string()).collect();
                // Who they are as customers.
                let u = rng.unit();
                let last = DAYS - 1;
                let (interval, stop_day, lapsed) = if u < 0.05 {
                    (0, join_day, false)
                } else if u < 0.17 {
                    let stop = if rng.chance(0.15) { last - 10 - rng.below(50) as i64 } else { last };
                    (2 + rng.below(7) as i64, stop, false)
                } else if u < 0.70 {
                    (14 + rng.below(47) as i64, last, false)
                } else {
                    let stop = join_day + rng.below((last - 60 - join_day).max(1) as u64) as i64;
                    (7 + rng.below(39) as i64, stop, true)
                };
                let stop_day = stop_day.clamp(join_day, last);
                profiles.push(Profile {
                    join_day,
                    stop_day,
                    weight: if interval == 0 { 0.0 } else { 1.0 + (stop_day - join_day) as f64 / interval as f64 },
                    favourite: rng.below(8) as usize,
                    wallet: rng.chance(0.25),
                    lapsed,
                });
                NewMember { name, phone: Some(format!("09{:08}", i * 7 + 13)), birthday, tags, ..Default::default() }
            })
            .collect();
        store.import_members(&rows, &format!("bench-{start}"), at_day(join_day, 10)).expect("import");
    }
    let import_s = started.elapsed().as_secs_f64();

    // Scale the visit counts to exactly `visits` sales.
    let weight: f64 = profiles.iter().map(|p| p.weight).sum();
    let mut counts: Vec<u32> = profiles
        .iter()
        .map(|p| if p.weight > 0.0 { ((p.weight * visits as f64 / weight).round() as u32).max(1) } else { 0 })
        .collect();
    let buyers: Vec<usize> = (0..n).filter(|i| counts[*i] > 0).collect();
    assert!(buyers.len() <= visits, "fewer visits than buying members");
    let mut diff = visits as i64 - counts.iter().map(|c| i64::from(*c)).sum::<i64>();
    while diff != 0 {
        let j = buyers[rng.below(buyers.len() as u64) as usize];
        if diff > 0 {
            counts[j] += 1;
            diff -= 1;
        } else if counts[j] > 1 {
            counts[j] -= 1;
            diff += 1;
        }
    }

    let t = Instant::now();
    let (sales, voided, top_ups, receipts) = {
        let mut conn = Connection::open(path).expect("second connection");
        conn.busy_timeout(std::time::Duration::from_secs(10)).expect("busy timeout");
        conn.pragma_update(None, "foreign_keys", "ON").expect("foreign keys");
        conn.pragma_update(None, "synchronous", "OFF").expect("synchronous");
        conn.pragma_update(None, "cache_size", -262_144).expect("cache");
        let out = write_history(&mut conn, &profiles, &counts, day0_ms, program_id, product_ids.clone(), rng)
            .expect("history");
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").expect("checkpoint");
        out
    };
    let history_s = t.elapsed().as_secs_f64();
    drop(profiles);

    let t = Instant::now();
    store.rebuild_owner_aggregates(now).expect("rebuild");
    let rebuild_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let review = store.apply_tier_review(now).expect("tier review");
    let review_s = t.elapsed().as_secs_f64();
    let build_s = started.elapsed().as_secs_f64();
    let size_mib = mib(path) + mib(&path.with_extension("db-wal"));
    let lines = vec![
        format!(
            "members: {n}; sales: {sales} ({voided} more voided); top-ups: {top_ups}; receipts: {receipts}; \
             database {size_mib:.0} MiB"
        ),
        format!(
            "build {build_s:.1} s: members and setup {import_s:.1} s, receipts (raw SQL) {history_s:.1} s, \
             rebuild_owner_aggregates {rebuild_s:.1} s, apply_tier_review {review_s:.1} s ({} tier changes)",
            review.len()
        ),
    ];
    (product_ids, lines)
}

/// The owner's view opening, as `ui/src/features/owner/OwnerScreen.svelte`
/// asks for it: the figures (`loadOverview`), the first page of the
/// win-back list (`loadList`), then the glance panels and the win-back
/// rate. Runs on a store just opened (nothing read before) and checks the
/// answers. Returns ms to the figures, to the first list page, to the glance.
fn opening(path: &Path, members: usize, now: DateTime<Utc>) -> (f64, f64, f64, String) {
    let store = Store::open(path).expect("open");
    let t = Instant::now();
    let d = store.dashboard(now).expect("dashboard");
    let p = store.pareto(&ListFilter::default(), now).expect("pareto");
    let tags = store.tags_in_use().expect("tags");
    let tiers = store.tiers().expect("tiers");
    let templates = store.message_templates().expect("templates");
    let products = store.products(false).expect("products");
    let rules = store.owner_settings().expect("owner settings");
    let figures = t.elapsed().as_secs_f64() * 1000.0;
    let page = ListFilter { limit: Some(50), ..Default::default() };
    let list = store.lapsed(&page, now).expect("lapsed");
    let first_page = t.elapsed().as_secs_f64() * 1000.0;
    let top = ListFilter { limit: Some(5), ..Default::default() };
    let vip = store.vip(&top, now).expect("vip");
    let lapsed = store.lapsed(&top, now).expect("lapsed glance");
    let birthdays =
        store.birthdays(BirthdayWindow::ThisWeek, None, regulars::ReceiptLanguage::ZhTw, &top, now).expect("birthdays");
    let w = store.win_back(d.as_of - Duration::days(30), d.as_of, 30).expect("win back");
    let glance = t.elapsed().as_secs_f64() * 1000.0;

    // The answers: every member counted once, in one segment and one tier.
    assert_eq!(d.members, members as i64, "dashboard members");
    assert_eq!(d.segments.iter().map(|s| s.members).sum::<i64>(), d.members, "segments count every member once");
    assert_eq!(d.tiers.iter().map(|t| t.members).sum::<i64>(), d.members, "tiers count every member once");
    assert_eq!(
        d.segments.iter().map(|s| s.spend_minor).sum::<i64>(),
        d.revenue_total_minor,
        "segment spend adds up to the revenue"
    );
    assert_eq!(d.weeks.len(), 12);
    assert_eq!(d.weeks.iter().map(|w| w.revenue_minor).sum::<i64>(), d.revenue_12_weeks_minor);
    assert!(d.weeks.iter().skip(1).all(|w| w.visits > 0 && w.revenue_minor > 0), "weeks have sales");
    assert_eq!(p.revenue_minor, d.revenue_total_minor, "80/20 counts all the revenue");
    assert!(p.customers > 0 && p.customers <= d.members);
    assert_eq!(tags.iter().map(|t| t.tag.as_str()).collect::<BTreeSet<_>>(), TAGS.iter().copied().collect());
    assert_eq!((tiers.len(), products.len()), (4, PRODUCTS.len()));
    assert!(templates.iter().all(|t| !t.body.is_empty()));
    assert!(rules.s1_days > 0);
    let sleeping: i64 = d.segments.iter().filter(|s| s.segment.is_lapsed()).map(|s| s.members).sum();
    assert_eq!(i64::from(list.total), sleeping, "win-back total is the sleeping segments");
    assert_eq!(list.rows.len(), 50.min(list.total as usize));
    assert!(list.rows.iter().all(|r| r.member.segment.is_lapsed() && !r.member.name.is_empty()), "sleeping only");
    assert!(
        list.rows.windows(2).all(|w| w[0].member.spend_minor >= w[1].member.spend_minor),
        "win-back by spend, highest first"
    );
    let ids = |rows: &[i64]| rows.to_vec();
    assert_eq!(
        ids(&lapsed.rows.iter().map(|r| r.member.member_id).collect::<Vec<_>>()),
        ids(&list.rows.iter().take(5).map(|r| r.member.member_id).collect::<Vec<_>>()),
        "the glance is the top of the list"
    );
    let key = |r: &regulars::store::owner::MemberRow| match rules.tier_basis {
        TierBasis::Rolling => (r.window_spend_minor, r.spend_minor),
        TierBasis::Total => (r.spend_minor, r.window_spend_minor),
    };
    assert!(vip.rows.windows(2).all(|w| key(&w[0]) >= key(&w[1])), "VIPs by the tier's spend");
    assert!(vip.rows.iter().all(|r| !r.name.is_empty() && r.visits > 0));
    assert!(birthdays.rows.iter().all(|r| r.member.birthday.is_some_and(|b| b.is_on(r.birthday_date))));
    assert!(w.came_back <= w.contacted);
    let shown = format!("win-back {} of {}; {} customers", list.rows.len(), list.total, p.customers);
    (figures, first_page, glance, shown)
}

#[allow(clippy::too_many_lines)]
fn main() {
    let n = env_or("BENCH_MEMBERS", 100_000);
    let visits = env_or("BENCH_VISITS", 2_000_000);
    let runs = env_or("BENCH_RUNS", 20).max(1);
    let audit = std::env::var("BENCH_AUDIT").ok().is_none_or(|v| v != "0");
    let integrity = std::env::var("BENCH_INTEGRITY").is_ok_and(|v| v == "1");
    // A kept database of this size is reused unless BENCH_REUSE=0.
    let reuse = std::env::var("BENCH_REUSE").ok().is_none_or(|v| v != "0");
    let lists = std::env::var("BENCH_LISTS").ok().is_none_or(|v| v != "0");
    let check = std::env::var("BENCH_CHECK").ok().is_none_or(|v| v != "0");
    let opens = env_or("BENCH_OPENS", 3).max(1);
    // BENCH_DIR keeps the database (for a look with sqlite3, or BENCH_REUSE=1 to skip the build).
    let temp = tempfile::tempdir().expect("temp dir");
    let kept = std::env::var("BENCH_DIR").ok().map(PathBuf::from);
    let path = kept.as_deref().unwrap_or(temp.path()).join(format!("owner-{n}-{visits}.db"));
    let reused = reuse && path.exists() && members_in(&path) == Some(n as i64);
    if !reused {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }
    let load_at_start = load_average();
    let t = Instant::now();
    let mut store = Store::open(&path).expect("open");
    let open_ms = t.elapsed().as_secs_f64() * 1000.0;
    let now = Utc::now();
    let (today, _) = day0_ms(now);
    let mut rng = Rng(0x00C0_FFEE_1234_5678);
    let (product_ids, mut summary) = if reused {
        let ids = store.products(false).expect("products").iter().map(|p| p.id).collect();
        (ids, vec![format!("reused {} ({:.0} MiB): build not measured", path.display(), mib(&path))])
    } else {
        build(&mut store, &path, n, visits, now, &mut rng)
    };
    summary.push(format!("first open (migrations, aggregates when stale): {open_ms:.0} ms"));
    summary.push(format!("peak RSS of the build: {}", peak_rss_mib()));
    let separate_peak = reset_peak_rss();

    // The owner's view opening, each time on a store just opened.
    let mut open_rows: Vec<String> = Vec::new();
    {
        let (mut f, mut l, mut g) = (Vec::new(), Vec::new(), Vec::new());
        let mut shown = String::new();
        for _ in 0..opens {
            let (a, b, c, s) = opening(&path, n, now);
            f.push(a);
            l.push(b);
            g.push(c);
            shown = s;
        }
        for (label, times) in [
            ("figures (dashboard, 80/20, tags, tiers, templates, products, rules)", f),
            ("+ first list page (win-back, 50)", l),
            ("+ glance (VIP, win-back, birthdays: 5 each) and win-back rate", g),
        ] {
            let first = times[0];
            let mut sorted = times.clone();
            sorted.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
            let max = sorted.last().copied().unwrap_or(0.0);
            open_rows.push(format!("| {label} | {opens} | {first:.1} | {:.1} | {max:.1} |", percentile(&sorted, 0.5)));
        }
        open_rows.push(format!("({shown})"));
    }
    let runs = if lists { runs } else { 0 };

    // The lists, as the owner's screens open them.
    let page = |limit: u32| ListFilter { limit: Some(limit), ..Default::default() };
    let mut rows: Vec<String> = Vec::new();
    let mut measure = |label: &str, f: &mut dyn FnMut(&Store) -> String| {
        if runs == 0 {
            return;
        }
        let (p50, p99, max, shown) = time_runs(runs, &path, f);
        rows.push(format!("| {label} | {runs} | {p50:.1} | {p99:.1} | {max:.1} | {shown} |"));
    };
    let shown = |rows: usize, total: u32| format!("{rows} of {total}");
    measure("dashboard", &mut |store| {
        let d = store.dashboard(now).expect("dashboard");
        format!("{} members, 12 weeks", d.members)
    });
    measure("NES, page of 200", &mut |store| {
        let r = store.nes_report(&page(200), now).expect("nes");
        shown(r.members.rows.len(), r.members.total)
    });
    measure("NES, all rows", &mut |store| {
        let r = store.nes_report(&ListFilter::default(), now).expect("nes");
        shown(r.members.rows.len(), r.members.total)
    });
    let mut lapsed_ids: Vec<i64> = Vec::new();
    measure("lapsed (win-back), 200", &mut |store| {
        let r = store.lapsed(&page(200), now).expect("lapsed");
        lapsed_ids = r.rows.iter().map(|l| l.member.member_id).collect();
        shown(r.rows.len(), r.total)
    });
    measure("VIP, 200", &mut |store| {
        let r = store.vip(&page(200), now).expect("vip");
        shown(r.rows.len(), r.total)
    });
    measure("RFM, 200", &mut |store| {
        let r = store.rfm(&page(200), &[], now).expect("rfm");
        shown(r.members.rows.len(), r.members.total)
    });
    measure("birthdays this month, 200", &mut |store| {
        let r = store
            .birthdays(BirthdayWindow::ThisMonth, None, regulars::ReceiptLanguage::ZhTw, &page(200), now)
            .expect("birthdays");
        shown(r.rows.len(), r.total)
    });
    measure("due back in 7 days, 200", &mut |store| {
        let r = store.due_back(&DueFilter { within_days: 7, product_id: None }, &page(200), now).expect("due");
        shown(r.rows.len(), r.total)
    });
    measure("due back in 7 days by product (拿鐵), 200", &mut |store| {
        let due = DueFilter { within_days: 7, product_id: Some(product_ids[1]) };
        let r = store.due_back(&due, &page(200), now).expect("due by product");
        shown(r.rows.len(), r.total)
    });
    measure("80/20", &mut |store| {
        let p = store.pareto(&ListFilter::default(), now).expect("pareto");
        format!("{} customers", p.customers)
    });
    measure("VIP of tier 金卡, 200", &mut |store| {
        let f = ListFilter { tiers: vec!["金卡".into()], limit: Some(200), ..Default::default() };
        let r = store.vip(&f, now).expect("vip by tier");
        shown(r.rows.len(), r.total)
    });
    measure("lapsed tagged 上班族, 200", &mut |store| {
        let f = ListFilter { tags: vec!["上班族".into()], limit: Some(200), ..Default::default() };
        let r = store.lapsed(&f, now).expect("lapsed by tag");
        shown(r.rows.len(), r.total)
    });
    measure("outreach text for 200 members", &mut |store| {
        let m = store.outreach_messages(&lapsed_ids, TEMPLATE, regulars::ReceiptLanguage::ZhTw, now).expect("outreach");
        format!("{} messages", m.len())
    });
    measure("tier review (dry run)", &mut |store| {
        let r = store.tier_review(now).expect("tier review");
        format!("{} changes", r.len())
    });
    measure("win-back, last 365 days", &mut |store| {
        let r = store.win_back(today - Duration::days(365), today, 30).expect("win back");
        format!("{} contacted, {} back", r.contacted, r.came_back)
    });
    let lists_peak = peak_rss_mib();

    // Checkout at this scale: a member's sale keeps the aggregates in its own durable transaction.
    let sales_n = env_or("BENCH_SALES", 300);
    let t = Instant::now();
    for i in 0..sales_n {
        let member_id = 1 + rng.below(n as u64) as i64;
        let lines = basket(&mut rng, 1);
        let total = total_of(&lines);
        let req = SaleRequest {
            request_id: format!("bench-sale-{}-{i}", now.timestamp_millis()),
            member_id,
            total_minor: total,
            lines: lines
                .iter()
                .map(|(p, q)| LineInput {
                    product_id: Some(product_ids[*p]),
                    description: PRODUCTS[*p].0.into(),
                    quantity: *q,
                    unit_price_minor: PRODUCTS[*p].1,
                    earns_stamps: PRODUCTS[*p].2,
                })
                .collect(),
            payments: vec![PaymentInput::new(PaymentMethod::Cash, total)],
            stamp_items: None,
            redeem_program_ids: Vec::new(),
            coupon_codes: Vec::new(),
            redeem_points: 0,
            cashier: "bench".into(),
            note: String::new(),
        };
        store.record_sale(&req, now + Duration::seconds(i as i64)).expect("sale");
    }
    let per_sale_ms = t.elapsed().as_secs_f64() * 1000.0 / sales_n.max(1) as f64;

    let check_line = if check {
        let t = Instant::now();
        let mismatches = store.owner_aggregate_mismatches().expect("aggregate check");
        let s = t.elapsed().as_secs_f64();
        assert!(
            mismatches.is_empty(),
            "aggregates differ from the receipts: {:?}",
            &mismatches[..mismatches.len().min(5)]
        );
        format!("owner_aggregate_mismatches: none, in {s:.1} s")
    } else {
        "owner_aggregate_mismatches: skipped (BENCH_CHECK=0)".into()
    };
    let audit_line = if audit {
        let t = Instant::now();
        let problems = store.audit().expect("audit");
        let s = t.elapsed().as_secs_f64();
        assert!(problems.is_empty(), "audit: {:?}", &problems[..problems.len().min(5)]);
        format!("audit (ledgers, counters, receipt numbers, aggregates): clean in {s:.1} s")
    } else {
        "audit: skipped (BENCH_AUDIT=0)".into()
    };
    let integrity_line = integrity.then(|| {
        let t = Instant::now();
        let r = store.integrity_check().expect("integrity");
        assert_eq!(r, "ok", "integrity check");
        format!("integrity_check and foreign_key_check: ok in {:.1} s", t.elapsed().as_secs_f64())
    });

    for l in &summary {
        println!("{l}");
    }
    println!("record_sale with a member (lines, aggregates kept, synchronous=FULL): {per_sale_ms:.2} ms per sale");
    println!("{check_line}");
    println!("{audit_line}");
    if let Some(l) = integrity_line {
        println!("{l}");
    }
    if separate_peak {
        println!("peak RSS of the lists: {lists_peak}; of the lists, checkout and checks: {}", peak_rss_mib());
    } else {
        println!("peak RSS of the whole run: {} (could not reset it after the build)", peak_rss_mib());
    }
    println!("load average: {load_at_start} at the start, {} at the end", load_average());
    println!();
    println!("| shown | opens | first ms | p50 ms | max ms |");
    println!("|---|---|---|---|---|");
    for r in open_rows {
        println!("{r}");
    }
    println!();
    println!("| list | runs | p50 ms | p99 ms | max ms | rows |");
    println!("|---|---|---|---|---|---|");
    for r in rows {
        println!("{r}");
    }
}
