//! Backups as a shop relies on them: a copy made while selling holds whole
//! sales only and passes the audit; the daily one is made once per shop day
//! and the old ones are pruned, never the ones made by hand; a restore puts
//! the shop back exactly and keeps what it replaced; a file that is not a
//! sound backup is refused and changes nothing.
#![allow(clippy::disallowed_methods)] // Tests read the backup files with raw SQL, as a damaged or foreign file would be read.

use crate::common::*;
use chrono::Duration;
use regulars::settings::SettingsPatch;
use regulars::store::backup::{inspect_backup, list_backups, restore_backup, KEEP_AUTOMATIC};
use regulars::Store;

fn taipei(shop: &mut Shop) {
    let patch = SettingsPatch { time_zone: Some("Asia/Taipei".into()), ..Default::default() };
    shop.store.update_settings(&patch, noon()).unwrap();
}

#[test]
fn a_restore_puts_the_shop_back_to_the_backup_and_keeps_what_it_replaced() {
    let mut shop = new_shop();
    taipei(&mut shop);
    let now = at("2026-11-26T04:00:00Z");
    let id = register(&mut shop.store, "林小美", Some("0912345678"), now).id;
    shop.store.top_up(&top_up_req("t1", id, 1000), now).unwrap();
    shop.store.record_sale(&sv_sale("s1", id, 150), now).unwrap();
    let dir = shop.dir.path().join("backups");
    let backup = shop.store.backup_into(&dir, false, now).unwrap();
    assert_eq!(backup.file_name, "regulars-2026-11-26-120000.db", "named on the shop's clock");
    assert_eq!((backup.members, backup.receipts, backup.automatic), (1, 2, false));
    assert_eq!(backup.last_receipt_at, Some(now.timestamp_millis()));
    assert!(!dir.join("regulars-2026-11-26-120000.db-wal").exists(), "one self-contained file");

    // Business goes on after the backup.
    let later = now + Duration::hours(2);
    shop.store.record_sale(&sv_sale("s2", id, 300), later).unwrap();
    register(&mut shop.store, "陳大文", Some("0922333444"), later);
    assert_eq!(wallet(&shop.store, id, later), (550, 0));

    // A restore needs the file closed: the app drops its connections first.
    let path = shop.path.clone();
    let Shop { dir: tmp, store, .. } = shop;
    drop(store);
    let saved = restore_backup(std::path::Path::new(&backup.path), &path, &dir, later).unwrap();
    let restored = Store::open(&path).unwrap();
    assert_eq!(restored.member_count().unwrap(), 1);
    assert_eq!(wallet(&restored, id, later), (850, 0), "the balance the backup held");
    assert_eq!(all_receipts(&restored).len(), 2);
    check_invariants(&restored);
    // The replaced data is a backup of its own, with the later sale and member.
    let replaced = inspect_backup(&saved).unwrap();
    assert!(replaced.file_name.starts_with("regulars-before-restore-"), "{}", replaced.file_name);
    assert_eq!((replaced.members, replaced.receipts), (2, 3));
    let listed: Vec<String> = list_backups(&dir).unwrap().into_iter().map(|b| b.file_name).collect();
    assert_eq!(listed.len(), 2, "{listed:?}");
    drop(tmp);
}

#[test]
fn a_backup_made_while_the_counter_sells_holds_whole_sales_and_passes_the_audit() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    const SALES: usize = 200;
    const BACKUPS: usize = 5;
    // Backup k starts once the counter has made at least `floor(k)` sales; the
    // counter does not pass `ceiling(k)` before it has started. So each copy
    // is taken mid-stream, while the counter goes on selling around it.
    let floor = |k: usize| 40 * k + 20;
    let ceiling = |k: usize| 40 * k + 30;
    let mut shop = new_shop();
    let now = noon();
    let ids: Vec<i64> = (0..20)
        .map(|i| register(&mut shop.store, &format!("客{i}"), Some(&format!("09120000{i:02}")), now).id)
        .collect();
    for (i, id) in ids.iter().enumerate() {
        shop.store.top_up(&top_up_req(&format!("t{i}"), *id, 1000), now).unwrap();
    }
    let dir = shop.dir.path().join("backups");
    let sold = Arc::new(AtomicUsize::new(0));
    let started = Arc::new(AtomicUsize::new(0));
    let wait_for = |what: &AtomicUsize, at_least: usize| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while what.load(Ordering::SeqCst) < at_least {
            assert!(std::time::Instant::now() < deadline, "waited a minute for {at_least}");
            std::thread::yield_now();
        }
    };
    let seller = {
        let (path, ids, sold, started) = (shop.path.clone(), ids.clone(), sold.clone(), started.clone());
        std::thread::spawn(move || {
            let mut counter = Store::open(&path).unwrap();
            for n in 0..SALES {
                if let Some(k) = (0..BACKUPS).find(|k| ceiling(*k) == n) {
                    wait_for(&started, k + 1);
                }
                counter.record_sale(&sv_sale(&format!("s{n}"), ids[n % ids.len()], 5), now).unwrap();
                sold.fetch_add(1, Ordering::SeqCst);
            }
        })
    };
    let mut backups = Vec::new();
    for k in 0..BACKUPS {
        wait_for(&sold, floor(k));
        started.fetch_add(1, Ordering::SeqCst);
        backups.push(shop.store.backup_into(&dir, false, now).unwrap());
    }
    seller.join().unwrap();
    assert_eq!(backups.iter().map(|b| b.file_name.as_str()).filter(|n| n.ends_with("(2).db")).count(), 1);
    let mut mid_stream = 0;
    for (k, b) in backups.iter().enumerate() {
        let copy = Store::open(std::path::Path::new(&b.path)).unwrap();
        check_invariants(&copy);
        // Each sale is wholly in the copy or not at all: wallets match receipts.
        let sold = all_receipts(&copy).len() - 20;
        let held: i64 = ids.iter().map(|id| wallet(&copy, *id, now).0).sum();
        assert_eq!(held, 20 * 1000 - 5 * sold as i64, "{}", b.file_name);
        assert!(sold >= floor(k), "backup {k} holds {sold} sales, made after {} were sold", floor(k));
        if 0 < sold && sold < SALES {
            mid_stream += 1;
        }
    }
    // The copies were taken while the counter sold, not before or after it.
    assert!(mid_stream >= BACKUPS - 1, "only {mid_stream} of {BACKUPS} backups were made mid-stream");
}

#[test]
fn the_daily_backup_is_made_once_per_shop_day_and_only_old_daily_ones_are_pruned() {
    let mut shop = new_shop();
    taipei(&mut shop);
    let dir = shop.dir.path().join("backups");
    // A first start with nothing in it: no daily backup to restore an empty shop from.
    assert!(shop.store.auto_backup(&dir, at("2026-11-26T01:00:00Z")).unwrap().is_none());
    assert_eq!(shop.store.holdings().unwrap().members, 0);
    register(&mut shop.store, "林小美", Some("0912345678"), noon());
    let manual = shop.store.backup_into(&dir, false, noon()).unwrap();
    // 2026-11-26T16:30Z is already the 27th in Taipei.
    let first = shop.store.auto_backup(&dir, at("2026-11-26T15:30:00Z")).unwrap().unwrap();
    assert_eq!(first.file_name, "regulars-auto-2026-11-26.db");
    assert!(shop.store.auto_backup(&dir, at("2026-11-26T15:59:00Z")).unwrap().is_none(), "once a day");
    let next = shop.store.auto_backup(&dir, at("2026-11-26T16:30:00Z")).unwrap().unwrap();
    assert_eq!(next.file_name, "regulars-auto-2026-11-27.db");
    for day in 1..=20 {
        shop.store.auto_backup(&dir, at("2026-11-27T04:00:00Z") + Duration::days(day)).unwrap().unwrap();
    }
    let listed = list_backups(&dir).unwrap();
    let automatic: Vec<&str> = listed.iter().filter(|b| b.automatic).map(|b| b.file_name.as_str()).collect();
    assert_eq!(automatic.len(), KEEP_AUTOMATIC);
    assert!(automatic.contains(&"regulars-auto-2026-12-17.db"), "{automatic:?}");
    assert!(!automatic.contains(&"regulars-auto-2026-12-03.db"), "{automatic:?}");
    assert!(listed.iter().any(|b| b.file_name == manual.file_name), "a backup made by hand stays");
}

#[test]
fn what_is_not_a_sound_backup_is_refused_and_the_shop_is_left_as_it_was() {
    let mut shop = new_shop();
    let now = noon();
    let id = register(&mut shop.store, "林小美", Some("0912345678"), now).id;
    shop.store.top_up(&top_up_req("t1", id, 1000), now).unwrap();
    let dir = shop.dir.path().join("backups");
    std::fs::create_dir_all(&dir).unwrap();

    let text = dir.join("regulars-notes.db");
    std::fs::write(&text, "not a database at all, just some words written to a file").unwrap();
    let empty = dir.join("regulars-empty.db");
    rusqlite::Connection::open(&empty).unwrap().execute_batch("CREATE TABLE t(x);").unwrap();
    let newer = shop.store.backup_into(&dir, false, now).unwrap();
    rusqlite::Connection::open(&newer.path).unwrap().pragma_update(None, "user_version", 999).unwrap();
    let good = shop.store.backup_into(&dir, false, now + Duration::seconds(1)).unwrap();
    let damaged = dir.join("regulars-damaged.db");
    let mut bytes = std::fs::read(&good.path).unwrap();
    let page = 4096;
    for b in &mut bytes[page * 2..page * 3] {
        *b = 0x5A;
    }
    std::fs::write(&damaged, bytes).unwrap();

    // Each refusal names its cause, the key of the sentence the screen shows.
    let missing = dir.join("regulars-gone.db");
    for (path, reason, cause) in [
        (text.as_path(), "not a database", "notADatabase"),
        (empty.as_path(), "not a Regulars database", "notRegulars"),
        (std::path::Path::new(&newer.path), "newer version", "tooNew"),
        (damaged.as_path(), "", "damaged"),
        (missing.as_path(), "", "notFound"),
    ] {
        let err = inspect_backup(path).unwrap_err();
        assert_eq!(err.code(), "NotABackup", "{}: {err}", path.display());
        assert!(err.to_string().contains(reason), "{err}");
        assert!(err.details().contains(&("cause", cause.to_string())), "{}: {:?}", path.display(), err.details());
    }
    // The list offers the good backup and none of the files that are no backup.
    let listed: Vec<String> = list_backups(&dir).unwrap().into_iter().map(|b| b.file_name).collect();
    assert!(listed.contains(&good.file_name), "{listed:?}");
    for refused in ["regulars-notes.db", "regulars-empty.db", newer.file_name.as_str()] {
        assert!(!listed.iter().any(|n| n == refused), "{refused} listed: {listed:?}");
    }

    let path = shop.path.clone();
    let Shop { dir: tmp, store, .. } = shop;
    drop(store);
    let before = std::fs::read_dir(&dir).unwrap().count();
    let err = restore_backup(&damaged, &path, &dir, now).unwrap_err();
    assert_eq!(err.code(), "NotABackup");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), before, "nothing saved, nothing replaced");
    let store = Store::open(&path).unwrap();
    assert_eq!(wallet(&store, id, now), (1000, 0));
    check_invariants(&store);
    drop(tmp);
}
