//! Backups of a busy shop's database: how long the daily backup, the check
//! before a restore, the backups list and a restore take, and the memory
//! they need.
//!
//! `BENCH_DB=/path/owner-100000-2000000.db cargo bench -p regulars --bench
//! backup` (release build): the database the owner benchmark keeps with
//! `BENCH_DIR` (100,000 members, 2,000,000 visits). Without `BENCH_DB` the
//! demo shop is used, which only shows the fixed costs. The database given
//! is copied first and never changed. `BENCH_RUNS` (default 3). Prints a
//! Markdown table for docs/benchmarks.md.
#![allow(clippy::disallowed_methods)] // A benchmark reads its sizes from the environment and times itself.
#![allow(clippy::float_arithmetic)] // timings and sizes, never money

mod support;

use chrono::Utc;
use regulars::store::backup::{inspect_backup, list_backups, restore_backup};
use regulars::{ReceiptLanguage, Store};
use std::path::PathBuf;
use std::time::Instant;
use support::peak_rss_mib;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn main() {
    let runs = env_usize("BENCH_RUNS", 3);
    let work = tempfile::tempdir().expect("temp dir");
    let db = work.path().join("shop.db");
    match std::env::var_os("BENCH_DB") {
        Some(source) => {
            std::fs::copy(PathBuf::from(&source), &db).expect("copy BENCH_DB");
        }
        None => {
            let mut store = Store::open(&db).expect("open");
            store.seed_demo_data(ReceiptLanguage::ZhTw, Utc::now()).expect("demo");
        }
    }
    let store = Store::open(&db).expect("open the copy");
    let size_mib = std::fs::metadata(&db).expect("size").len() as f64 / 1024.0 / 1024.0;
    let members = store.member_count().expect("members");
    println!("database: {size_mib:.0} MiB, {members} members\n");

    let dir = work.path().join("backups");
    let mut made = Vec::new();
    let mut backup_ms = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        made.push(store.backup_into(&dir, false, Utc::now()).expect("backup"));
        backup_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        std::thread::sleep(std::time::Duration::from_millis(1100)); // a new file name each run
    }
    let backup_mib = made[0].bytes as f64 / 1024.0 / 1024.0;

    let mut check_ms = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        inspect_backup(std::path::Path::new(&made[0].path)).expect("inspect");
        check_ms.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    let started = Instant::now();
    let listed = list_backups(&dir).expect("list");
    let list_ms = started.elapsed().as_secs_f64() * 1000.0;
    assert_eq!(listed.len(), runs);

    drop(store);
    let mut restore_ms = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        restore_backup(std::path::Path::new(&made[0].path), &db, &dir, Utc::now()).expect("restore");
        restore_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        std::thread::sleep(std::time::Duration::from_millis(1100));
    }
    let restored = Store::open(&db).expect("reopen");
    assert_eq!(restored.member_count().expect("members"), members, "the restore brought back the same shop");

    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!("| Step | Median of {runs} |");
    println!("|---|---|");
    println!("| Backup (`VACUUM INTO`, check, rename), {backup_mib:.0} MiB file | {:.0} ms |", median(&mut backup_ms));
    println!("| Check before a restore (`quick_check`, counts) | {:.0} ms |", median(&mut check_ms));
    println!("| List {} backups (counts only) | {list_ms:.0} ms |", listed.len());
    println!("| Restore (save the data replaced as a backup, check, swap) | {:.0} ms |", median(&mut restore_ms));
    println!("| Peak memory of the process | {} |", peak_rss_mib());
}
