//! Helpers shared by the integration tests: a fresh database file per test,
//! opened through the real open/migrate path, and the checks every test
//! runs after writing.

use chrono::{DateTime, Utc};
use regulars::{
    Member, MemberCard, NewMember, PaymentInput, PaymentMethod, Receipt, ReceiptSummary, SaleRequest, Store,
    TopUpRequest,
};
use std::collections::BTreeMap;
use std::path::PathBuf;
use tempfile::TempDir;

/// A UTC instant from RFC 3339 text, e.g. `at("2026-03-14T15:30:00Z")`.
pub fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).expect("valid RFC 3339 time").with_timezone(&Utc)
}

/// A fixed "now" for tests that do not care about the date.
pub fn noon() -> DateTime<Utc> {
    at("2026-03-10T04:00:00Z")
}

/// A shop: a fresh database file in its own temporary folder.
pub struct Shop {
    pub dir: TempDir,
    pub path: PathBuf,
    pub store: Store,
}

impl Shop {
    /// Reopens the same file through `Store::open` (a second connection).
    pub fn open_again(&self) -> Store {
        Store::open(&self.path).expect("reopen the shop database")
    }
}

pub fn new_shop() -> Shop {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("shop").join("regulars.db");
    let store = Store::open(&path).expect("open a fresh database");
    Shop { dir, path, store }
}

/// A fresh shop for property tests: the real file and migrations, but
/// commits that do not wait for the disk, so a case costs milliseconds.
pub fn new_quick_shop() -> Shop {
    let Shop { dir, path, store } = new_shop();
    let store = store.without_waiting_for_the_disk().expect("synchronous=OFF");
    Shop { dir, path, store }
}

/// How many random sequences a property test runs: 1,000 in every CI run,
/// or `PROPTEST_CASES` when set (`PROPTEST_CASES=10000` for a long hunt).
#[allow(clippy::disallowed_methods)] // The test's own setting, read where it is used.
pub fn property_cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1000)
}

pub fn new_member(name: &str, phone: Option<&str>) -> NewMember {
    NewMember { name: name.to_string(), phone: phone.map(str::to_string), ..Default::default() }
}

/// Registers a member (request id derived from the name) and returns it.
pub fn register(store: &mut Store, name: &str, phone: Option<&str>, now: DateTime<Utc>) -> Member {
    store
        .add_member(&new_member(name, phone), &format!("reg-{name}-{}", phone.unwrap_or("")), now)
        .unwrap_or_else(|e| panic!("register {name}: {e}"))
}

pub fn top_up_req(request_id: &str, member_id: i64, paid_minor: i64) -> TopUpRequest {
    TopUpRequest {
        request_id: request_id.to_string(),
        member_id,
        paid_minor,
        method: PaymentMethod::Cash,
        method_id: None,
        cashier: "阿哲".into(),
        note: String::new(),
    }
}

/// A sale without line items, paid with the given payments.
pub fn sale_req(request_id: &str, member_id: i64, payments: &[(PaymentMethod, i64)]) -> SaleRequest {
    SaleRequest {
        request_id: request_id.to_string(),
        member_id,
        total_minor: payments.iter().map(|(_, a)| *a).sum(),
        lines: Vec::new(),
        payments: payments.iter().map(|(method, amount_minor)| PaymentInput::new(*method, *amount_minor)).collect(),
        stamp_items: None,
        redeem_program_ids: Vec::new(),
        coupon_codes: Vec::new(),
        redeem_points: 0,
        cashier: "小美".into(),
        note: String::new(),
    }
}

/// A sale paid entirely from stored value.
pub fn sv_sale(request_id: &str, member_id: i64, amount: i64) -> SaleRequest {
    sale_req(request_id, member_id, &[(PaymentMethod::StoredValue, amount)])
}

/// A sale paid in cash that earns stamps for `items` items.
pub fn cash_sale_with_items(request_id: &str, member_id: i64, amount: i64, items: i64) -> SaleRequest {
    let mut r = sale_req(request_id, member_id, &[(PaymentMethod::Cash, amount)]);
    r.stamp_items = Some(items);
    r
}

/// Stored value as (paid, bonus).
pub fn wallet(store: &Store, member_id: i64, now: DateTime<Utc>) -> (i64, i64) {
    let c = store.member_card(member_id, now).expect("member card");
    assert_eq!(c.wallet.total_minor, c.wallet.paid_minor + c.wallet.bonus_minor, "wallet total is paid + bonus");
    (c.wallet.paid_minor, c.wallet.bonus_minor)
}

/// Usable stamps of `program_id` on the member's card (0 when no card).
pub fn stamps(store: &Store, member_id: i64, program_id: i64, now: DateTime<Utc>) -> i64 {
    store
        .member_card(member_id, now)
        .expect("member card")
        .stamp_cards
        .iter()
        .find(|c| c.program_id == program_id)
        .map_or(0, |c| c.stamps)
}

/// Every receipt of the shop, oldest first (pages through `history`).
pub fn all_receipts(store: &Store) -> Vec<ReceiptSummary> {
    let mut out = Vec::new();
    let mut before = None;
    loop {
        let page = store.history(None, 1000, before).expect("history");
        if page.is_empty() {
            break;
        }
        before = page.last().map(|r| r.number);
        out.extend(page);
    }
    out.reverse();
    out
}

/// Everything a user could see, to compare before and after a failed
/// operation: all receipts, every listed member's card, the member count.
#[derive(Debug, PartialEq)]
pub struct Snapshot {
    pub receipts: Vec<ReceiptSummary>,
    pub cards: Vec<MemberCard>,
    pub member_count: i64,
}

pub fn snapshot(store: &Store, member_ids: &[i64], now: DateTime<Utc>) -> Snapshot {
    Snapshot {
        receipts: all_receipts(store),
        cards: member_ids.iter().map(|id| store.member_card(*id, now).expect("member card")).collect(),
        member_count: store.member_count().expect("member count"),
    }
}

/// The checks that must hold after anything: the ledger audit is clean,
/// SQLite finds the file sound, receipt numbers run 1..n without gaps and
/// each number loads.
pub fn check_invariants(store: &Store) {
    assert_eq!(store.integrity_check().expect("integrity check runs"), "ok");
    check_books(store);
}

/// The invariants without SQLite's own file check: what a property test
/// checks after every step (the file check runs once at its end).
pub fn check_books(store: &Store) {
    let audit = store.audit().expect("audit runs");
    assert!(audit.is_empty(), "audit found mismatches: {audit:?}");
    let receipts = all_receipts(store);
    for (i, r) in receipts.iter().enumerate() {
        assert_eq!(r.number, i as i64 + 1, "receipt numbers are gap-free");
    }
    if let Some(last) = receipts.last() {
        assert_eq!(store.receipt(last.number).expect("last receipt loads").number, last.number);
        assert_eq!(store.receipt(last.number + 1).unwrap_err().code(), "ReceiptNotFound");
    }
}

/// Independent bookkeeping kept by a test from the receipts the store
/// handed back: each member's wallet is the sum of (after − before) over
/// their receipts, and likewise each stamp card.
#[derive(Debug, Default, Clone)]
pub struct Books {
    pub paid: BTreeMap<i64, i64>,
    pub bonus: BTreeMap<i64, i64>,
    pub stamps: BTreeMap<(i64, i64), i64>,
    pub receipts: BTreeMap<i64, Receipt>,
}

impl Books {
    /// Records a receipt once (a replay hands back an existing receipt).
    pub fn record(&mut self, r: &Receipt) {
        if self.receipts.contains_key(&r.number) {
            assert_eq!(&self.receipts[&r.number].request_id, &r.request_id);
            return;
        }
        *self.paid.entry(r.member_id).or_default() += r.wallet_paid_after - r.wallet_paid_before;
        *self.bonus.entry(r.member_id).or_default() += r.wallet_bonus_after - r.wallet_bonus_before;
        for s in &r.stamps {
            *self.stamps.entry((r.member_id, s.program_id)).or_default() += s.stamps_after - s.stamps_before;
        }
        self.receipts.insert(r.number, r.clone());
    }

    pub fn wallet(&self, member_id: i64) -> (i64, i64) {
        (self.paid.get(&member_id).copied().unwrap_or(0), self.bonus.get(&member_id).copied().unwrap_or(0))
    }

    pub fn stamps(&self, member_id: i64, program_id: i64) -> i64 {
        self.stamps.get(&(member_id, program_id)).copied().unwrap_or(0)
    }
}

/// A shop driven through the `regulars` binary, as an owner's script runs it:
/// a fresh database file, set up as a Taipei tea stand.
pub struct CliShop {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
}

impl CliShop {
    pub fn new() -> CliShop {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("shop.db");
        let shop = CliShop { dir, db };
        shop.ok(&["init", "--name", "阿明茶飲", "--currency", "TWD", "--time-zone", "Asia/Taipei"]);
        shop
    }

    pub fn run(&self, args: &[&str]) -> std::process::Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_regulars"))
            .arg("--db")
            .arg(&self.db)
            .args(args)
            .env_remove("REGULARS_DB")
            .output()
            .expect("run regulars")
    }

    /// Runs a command that must succeed; returns what it printed.
    pub fn ok_bytes(&self, args: &[&str]) -> Vec<u8> {
        let out = self.run(args);
        assert!(out.status.success(), "regulars {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        out.stdout
    }

    pub fn ok(&self, args: &[&str]) -> String {
        String::from_utf8(self.ok_bytes(args)).expect("utf-8 output")
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = args.to_vec();
        all.push("--json");
        serde_json::from_str(&self.ok(&all)).expect("valid JSON")
    }

    /// Runs a command that must fail; returns its one-line error.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(!out.status.success(), "regulars {args:?} should have failed");
        let err = String::from_utf8(out.stderr).expect("utf-8");
        assert_eq!(err.trim_end().lines().count(), 1, "one-line error expected, got {err:?}");
        assert!(err.starts_with("error: "), "{err}");
        err
    }
}

/// Columns today's code reads or writes that a later migration added:
/// (the migration, the table, the column and its type).
const LATER_COLUMNS: &[(&str, &str, &str, &str)] = &[
    ("0010_figures_read", "member_stats", "median_gap", "INTEGER"),
    ("0013_erased_members", "members", "erased_at", "INTEGER"),
    ("0014_points_batches", "tiers", "points_multiplier_pct", "INTEGER NOT NULL DEFAULT 100"),
];

/// Takes a file back from schema 14 to 13 (raw SQL), for a test that
/// winds a file back to run a migration before it again.
pub const UNDO_POINTS_BATCHES: &str = "
    ALTER TABLE points_settings DROP COLUMN expiry_months;
    ALTER TABLE points_settings DROP COLUMN max_redeem_percent;
    ALTER TABLE points_settings DROP COLUMN birthday_multiplier_pct;
    ALTER TABLE tiers DROP COLUMN points_multiplier_pct;
    ALTER TABLE points_ledger DROP COLUMN expires_on;
    ALTER TABLE receipt_points DROP COLUMN expiring_points;
    ALTER TABLE receipt_points DROP COLUMN expiring_on;";

/// Takes a file back from schema 17 to 14 (raw SQL): no imports, no
/// referral rewards (the receipts' kind list keeps 'reward' and 'opening',
/// which versions 16 and 17 then find there) and no automatic coupons.
pub const UNDO_REFERRALS_AND_AUTO_COUPONS: &str = "
    DROP TABLE import_mappings;
    DROP TABLE member_history_summaries;
    DROP TABLE member_imports;
    DROP INDEX members_old_member_no;
    ALTER TABLE members DROP COLUMN old_member_no;
    DROP INDEX members_referred_by;
    DROP TABLE referral_rewards;
    DROP TABLE referral_settings;
    DROP INDEX coupons_auto;
    ALTER TABLE coupons DROP COLUMN auto_key;
    DROP TABLE auto_coupons;";

/// Lends a file left at an older schema the later columns today's code
/// needs, so a test can make members and sales in it with today's store;
/// [`take_back_later_columns`] removes them before the file is upgraded,
/// whose migrations then add and fill them as for a shop's own file.
#[allow(clippy::disallowed_methods)] // The test shapes an older file with raw SQL.
pub fn lend_later_columns(path: &std::path::Path) {
    for (table, column, kind) in later_columns(path) {
        let raw = rusqlite::Connection::open(path).unwrap();
        raw.execute_batch(&format!("ALTER TABLE {table} ADD COLUMN {column} {kind}")).unwrap();
    }
}

/// Takes back what [`lend_later_columns`] lent.
#[allow(clippy::disallowed_methods)] // The test shapes an older file with raw SQL.
pub fn take_back_later_columns(path: &std::path::Path) {
    for (table, column, _) in later_columns(path) {
        let raw = rusqlite::Connection::open(path).unwrap();
        raw.execute_batch(&format!("ALTER TABLE {table} DROP COLUMN {column}")).unwrap();
    }
}

#[allow(clippy::disallowed_methods)] // Reads the file's schema version.
fn later_columns(path: &std::path::Path) -> Vec<(&'static str, &'static str, &'static str)> {
    let raw = rusqlite::Connection::open(path).unwrap();
    let version: i64 = raw.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    LATER_COLUMNS
        .iter()
        .filter(|(migration, ..)| {
            regulars::store::MIGRATIONS.iter().position(|(name, _)| name == migration).unwrap() as i64 >= version
        })
        .map(|(_, table, column, kind)| (*table, *column, *kind))
        .collect()
}

/// An amount-off coupon offer valid 30 days from issue.
pub fn amount_off_offer(name: &str, amount_minor: i64, combinable: bool) -> regulars::coupon::OfferInput {
    regulars::coupon::OfferInput {
        name: name.into(),
        kind: regulars::coupon::OfferKind::AmountOff,
        amount_off_minor: Some(amount_minor),
        percent_off: None,
        cap_minor: None,
        product_id: None,
        program_id: None,
        extra_stamps: None,
        min_spend_minor: 0,
        valid_days: Some(30),
        valid_from: None,
        valid_until: None,
        combinable,
    }
}
