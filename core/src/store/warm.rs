//! Warms the cashier's lookup after start, so the first lookup is as fast
//! as the ones after it.
//!
//! Right after the app starts, the database's pages are on disk, not in
//! memory: the first lookup at 1,000,000 members reads the pages of the
//! index it walks and of the member rows it shows one at a time (hundreds
//! of milliseconds on a cold disk), while later lookups find them in the
//! OS's file cache. [`warm_lookup`] reads the members table's indexes,
//! the name search's FTS tables and then the table itself once, in order,
//! on a connection of its own, so the pages are in the file cache before
//! the cashier types. It reads only (no lock that holds up a sale) and
//! takes nothing from the app's memory: the pages are the OS's cache,
//! shared, dropped under memory pressure.

use crate::error::Result;
use std::path::Path;
use std::time::{Duration, Instant};

/// What [`warm_lookup`] read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warmed {
    /// Indexes and tables read in full, in the order read.
    pub read: Vec<String>,
    pub elapsed: Duration,
}

/// Reads, in full and in order, the members table's indexes (phone digits,
/// last digits, member number, card code, names …), the FTS tables of the
/// name search and the members table. Any index that cannot be read this
/// way is skipped; a missing or locked file is an error.
pub fn warm_lookup(path: &Path) -> Result<Warmed> {
    let started = Instant::now();
    let conn = super::connect(path, true)?;
    conn.busy_timeout(Duration::from_secs(10))?;
    // A small page cache of its own: the point is the OS's file cache,
    // which every connection (the app's two) reads from.
    conn.pragma_update(None, "cache_size", -1024)?;
    // Each index with its first column: counting that column through the
    // index reads every page of the index and none of the table (a bare
    // count(*) would let SQLite pick the smallest index instead).
    let indexes: Vec<(String, Option<String>)> = {
        let mut stmt = conn.prepare(
            "SELECT s.name, (SELECT i.name FROM pragma_index_info(s.name) i WHERE i.seqno = 0)
             FROM sqlite_schema s WHERE s.type = 'index' AND s.tbl_name = 'members' ORDER BY s.name",
        )?;
        let names = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
        names
    };
    let quote = |name: &str| format!("\"{}\"", name.replace('"', "\"\""));
    let mut read = Vec::new();
    for (index, column) in indexes {
        let Some(column) = column else { continue };
        let sql = format!("SELECT count({}) FROM members INDEXED BY {}", quote(&column), quote(&index));
        if conn.query_row(&sql, [], |r| r.get::<_, i64>(0)).is_ok() {
            read.push(index);
        }
    }
    for (table, sql) in [
        ("members_fts_idx", "SELECT count(*) FROM members_fts_idx"),
        ("members_fts_data", "SELECT sum(length(block)) FROM members_fts_data"),
        // The rows a lookup shows (names, phones, balances).
        ("members", "SELECT sum(length(name)) FROM members"),
    ] {
        if conn.query_row(sql, [], |r| r.get::<_, Option<i64>>(0)).is_ok() {
            read.push(table.to_string());
        }
    }
    Ok(Warmed { read, elapsed: started.elapsed() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;
    use crate::NewMember;
    use chrono::{DateTime, Utc};

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_764_000_000, 0).unwrap()
    }

    #[test]
    fn warming_reads_the_lookup_indexes_and_the_members_and_leaves_lookups_working() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shop.db");
        let mut store = Store::open(&path).unwrap();
        let rows: Vec<NewMember> = (0..50)
            .map(|i| NewMember {
                name: format!("林小{i}"),
                phone: Some(format!("09{:08}", 1234 + i)),
                ..Default::default()
            })
            .collect();
        store.import_members(&rows, "warm-test", now()).unwrap();
        let warmed = warm_lookup(&path).unwrap();
        for name in ["members_phone_rev", "members_name_fold", "members_name_rev", "members_fts_data", "members"] {
            assert!(warmed.read.iter().any(|r| r == name), "{name} not read: {:?}", warmed.read);
        }
        // The unique indexes (phone digits, member number, card code) are read too.
        assert!(
            warmed.read.iter().filter(|r| r.starts_with("sqlite_autoindex_members")).count() >= 3,
            "{:?}",
            warmed.read
        );
        // It only read: the shop's own connection still writes and finds.
        store
            .import_members(&[NewMember { name: "王大明".into(), ..Default::default() }], "warm-test-2", now())
            .unwrap();
        assert_eq!(store.find_members("1240", 20).unwrap().hits.first().map(|h| h.name.as_str()), Some("林小6"));
    }

    #[test]
    fn warming_a_missing_database_is_an_error_and_creates_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("none.db");
        assert!(warm_lookup(&path).is_err());
        assert!(!path.exists());
    }
}
