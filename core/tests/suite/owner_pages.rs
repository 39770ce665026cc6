//! The owner's view reads its weeks from totals kept per quarter hour at
//! checkout and its lists from one read of the members' figures shared
//! until the next write. Random sales, voids, stored-value spends and
//! top-ups across the shop's midnights (in zones with daylight saving and
//! with a 45-minute offset): the dashboard's weeks always equal a count made
//! from the receipts by hand, and the shared read never shows a stale figure.

use crate::common::*;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use proptest::prelude::*;
use regulars::analytics::week_start;
use regulars::store::owner::{Dashboard, ListFilter};
use regulars::store::MIGRATIONS;
use regulars::{PaymentMethod, ReceiptKind, SettingsPatch, Store, VoidRequest};

#[derive(Debug, Clone)]
enum Op {
    /// A sale `minutes` after the last one (before it when negative: a late-synced sale).
    Sale {
        member: usize,
        amount: i64,
        minutes: i64,
        stored_value: bool,
    },
    /// Voids the `pick`-th (modulo) of the sales still standing.
    Void {
        pick: usize,
    },
    TopUp {
        member: usize,
        minutes: i64,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0usize..3, 1i64..900, -300i64..1500, any::<bool>())
            .prop_map(|(member, amount, minutes, stored_value)| Op::Sale { member, amount, minutes, stored_value }),
        2 => any::<usize>().prop_map(|pick| Op::Void { pick }),
        2 => (0usize..3, 0i64..600).prop_map(|(member, minutes)| Op::TopUp { member, minutes }),
    ]
}

/// What the test made, to count the weeks by hand.
#[derive(Default)]
struct Made {
    /// (number, created_at ms, total, paid from stored value)
    sales: Vec<(i64, i64, i64, bool)>,
    /// Stored value moved: (at ms, delta).
    wallet: Vec<(i64, i64)>,
}

/// The dashboard's twelve weeks counted from the receipts and the moves the test made.
fn weeks_by_hand(store: &Store, made: &Made, tz: Tz, now: DateTime<Utc>) -> Vec<(NaiveDate, i64, i64, i64)> {
    let today = now.with_timezone(&tz).date_naive();
    let first = week_start(today) - Duration::weeks(11);
    let date = |ms: i64| DateTime::from_timestamp_millis(ms).unwrap().with_timezone(&tz).date_naive();
    let voided: Vec<i64> = all_receipts(store).iter().filter(|r| r.voided).map(|r| r.number).collect();
    (0..12)
        .map(|i| {
            let start = first + Duration::weeks(i);
            let end = start + Duration::weeks(1);
            let in_week = |ms: i64| (start..end).contains(&date(ms));
            let sales: Vec<_> = made.sales.iter().filter(|s| !voided.contains(&s.0) && in_week(s.1)).collect();
            let held: i64 = made.wallet.iter().filter(|(at, _)| date(*at) < end).map(|(_, d)| d).sum();
            (start, sales.len() as i64, sales.iter().map(|s| s.2).sum(), held)
        })
        .collect()
}

fn weeks_shown(d: &Dashboard) -> Vec<(NaiveDate, i64, i64, i64)> {
    d.weeks.iter().map(|w| (w.week_start, w.visits, w.revenue_minor, w.stored_value_end_minor)).collect()
}

/// Runs `ops` on `store` from `start`; returns what was made and the last moment.
fn run(store: &mut Store, ops: &[Op], start: DateTime<Utc>) -> (Made, DateTime<Utc>) {
    let members: Vec<i64> =
        (0..3).map(|i| register(store, &format!("客{i}"), Some(&format!("091200000{i}")), start).id).collect();
    let mut made = Made::default();
    let mut balance = [0i64; 3];
    let mut now = start;
    for (i, op) in ops.iter().enumerate() {
        match op {
            Op::Sale { member, amount, minutes, stored_value } => {
                let when = now + Duration::minutes(*minutes);
                now = now.max(when);
                let from_wallet = *stored_value && balance[*member] >= *amount;
                let method = if from_wallet { PaymentMethod::StoredValue } else { PaymentMethod::Cash };
                let req = sale_req(&format!("s{i}"), members[*member], &[(method, *amount)]);
                let r = store.record_sale(&req, when).unwrap();
                if from_wallet {
                    balance[*member] -= amount;
                    made.wallet.push((when.timestamp_millis(), -amount));
                }
                made.sales.push((r.number, when.timestamp_millis(), *amount, from_wallet));
            }
            Op::Void { pick } => {
                let open: Vec<&(i64, i64, i64, bool)> = made.sales.iter().filter(|s| !voided(store, s.0)).collect();
                if open.is_empty() {
                    continue;
                }
                let &(number, _, amount, from_wallet) = open[pick % open.len()];
                let req = VoidRequest {
                    request_id: format!("v{i}"),
                    receipt_number: number,
                    reason: "按錯了".into(),
                    cashier: "x".into(),
                };
                store.void_receipt(&req, now).unwrap();
                if from_wallet {
                    let m = store.receipt(number).unwrap().member_id;
                    let k = members.iter().position(|id| *id == m).unwrap();
                    balance[k] += amount;
                    made.wallet.push((now.timestamp_millis(), amount));
                }
            }
            Op::TopUp { member, minutes } => {
                now += Duration::minutes(*minutes);
                store.top_up(&top_up_req(&format!("t{i}"), members[*member], 500), now).unwrap();
                balance[*member] += 500;
                made.wallet.push((now.timestamp_millis(), 500));
            }
        }
    }
    (made, now)
}

fn voided(store: &Store, number: i64) -> bool {
    all_receipts(store).iter().any(|r| r.kind == ReceiptKind::Void && r.voids_number == Some(number))
}

fn set_zone(store: &mut Store, zone: &str, now: DateTime<Utc>) {
    store.update_settings(&SettingsPatch { time_zone: Some(zone.into()), ..Default::default() }, now).unwrap();
}

const ZONES: &[(&str, &str)] = &[
    // 23:30 local: the first sales straddle the shop's midnight.
    ("Asia/Taipei", "2026-03-01T15:30:00Z"),
    // Daylight saving starts on 8 March 2026 (02:00 local).
    ("America/New_York", "2026-03-07T04:30:00Z"),
    // UTC+5:45: the shop's day starts at a quarter past the UTC hour.
    ("Asia/Kathmandu", "2026-03-01T18:00:00Z"),
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn the_weeks_equal_the_receipts_counted_by_hand(zone in 0usize..3, ops in prop::collection::vec(op(), 1..30)) {
        let (zone, start) = ZONES[zone];
        let tz: Tz = zone.parse().unwrap();
        let mut shop = new_shop();
        let s = &mut shop.store;
        set_zone(s, zone, at(start));
        let (made, now) = run(s, &ops, at(start));
        let mismatches = s.owner_aggregate_mismatches().unwrap();
        prop_assert!(mismatches.is_empty(), "{mismatches:?}");
        let d = s.dashboard(now).unwrap();
        prop_assert_eq!(weeks_shown(&d), weeks_by_hand(s, &made, tz, now));
        prop_assert_eq!(d.revenue_12_weeks_minor, d.weeks.iter().map(|w| w.revenue_minor).sum::<i64>());
        // Another day, another zone: the same receipts fall in the weeks of the new zone.
        let later = now + Duration::days(9);
        set_zone(s, "America/New_York", later);
        let d = s.dashboard(later).unwrap();
        prop_assert_eq!(weeks_shown(&d), weeks_by_hand(s, &made, "America/New_York".parse().unwrap(), later));
        // A rebuild finds nothing to change.
        s.rebuild_owner_aggregates(noon()).unwrap();
        prop_assert_eq!(weeks_shown(&s.dashboard(later).unwrap()), weeks_shown(&d));
        check_invariants(s);
    }
}

#[test]
fn a_shop_from_before_the_quarter_totals_gets_them_at_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let before = MIGRATIONS.iter().position(|(name, _)| name.ends_with("_owner_speed")).unwrap();
    // Today's store reads and writes columns of later versions: lent while
    // the sales are made, taken back before the upgrade brings them.
    drop(Store::open_at_version(&path, before).unwrap());
    lend_later_columns(&path);
    let mut old = Store::open_at_version(&path, before).unwrap();
    let ops = [
        Op::TopUp { member: 0, minutes: 0 },
        Op::Sale { member: 0, amount: 120, minutes: 10, stored_value: true },
        Op::Sale { member: 1, amount: 80, minutes: 40, stored_value: false },
        Op::Sale { member: 2, amount: 300, minutes: 1500, stored_value: false },
        Op::Void { pick: 0 },
        Op::Sale { member: 1, amount: 55, minutes: -90, stored_value: false },
    ];
    let (made, now) = run(&mut old, &ops, at("2026-03-01T15:30:00Z"));
    drop(old);
    take_back_later_columns(&path);
    let store = Store::open(&path).unwrap();
    assert!(store.owner_aggregate_mismatches().unwrap().is_empty());
    let d = store.dashboard(now).unwrap();
    let by_hand = weeks_by_hand(&store, &made, "Asia/Taipei".parse().unwrap(), now);
    assert_eq!(weeks_shown(&d), by_hand);
    // Three sales stand: the stored-value sale of 120 was voided.
    assert_eq!(by_hand.iter().map(|w| w.1).sum::<i64>(), 3);
}

#[test]
fn the_shared_figures_follow_every_write_on_either_connection() {
    let mut shop = new_shop();
    let now = at("2026-03-10T04:00:00Z");
    let long_ago = now - Duration::days(100);
    let ids: Vec<i64> = (0..6)
        .map(|i| register(&mut shop.store, &format!("熟客{i}"), Some(&format!("09330000{i:02}")), long_ago).id)
        .collect();
    for (i, id) in ids.iter().enumerate() {
        let req = sale_req(&format!("old{i}"), *id, &[(PaymentMethod::Cash, 100 * (i as i64 + 1))]);
        shop.store.record_sale(&req, long_ago + Duration::hours(1)).unwrap();
    }
    let s = &mut shop.store;
    let d = s.dashboard(now).unwrap();
    assert_eq!(d.members, 6);
    let lapsed = s.lapsed(&ListFilter::default(), now).unwrap();
    assert_eq!(lapsed.total, 6, "all six are away 100 days");
    // By spend, highest first; a page is that order's slice.
    let order: Vec<i64> = lapsed.rows.iter().map(|r| r.member.member_id).collect();
    assert_eq!(order, ids.iter().rev().copied().collect::<Vec<_>>());
    let page = s.lapsed(&ListFilter { limit: Some(2), offset: 1, ..Default::default() }, now).unwrap();
    assert_eq!(
        (page.total, page.rows.iter().map(|r| r.member.member_id).collect::<Vec<_>>()),
        (6, order[1..3].to_vec())
    );
    assert_eq!(page.rows[0].member.name, "熟客4");

    // A sale on this connection: the top spender comes back and leaves the win-back list.
    s.record_sale(&sale_req("back", ids[5], &[(PaymentMethod::Cash, 50)]), now).unwrap();
    assert_eq!(s.lapsed(&ListFilter::default(), now).unwrap().total, 5);
    assert_eq!(s.dashboard(now).unwrap().revenue_total_minor, d.revenue_total_minor + 50);
    assert_eq!(s.pareto(&ListFilter::default(), now).unwrap().revenue_minor, d.revenue_total_minor + 50);

    // A sale on the counter's connection is seen by this one too.
    let mut counter = shop.open_again();
    counter.record_sale(&sale_req("back2", ids[4], &[(PaymentMethod::Cash, 70)]), now).unwrap();
    let s = &shop.store;
    assert_eq!(s.lapsed(&ListFilter::default(), now).unwrap().total, 4);
    let d2 = s.dashboard(now).unwrap();
    assert_eq!(d2.revenue_total_minor, d.revenue_total_minor + 120);
    assert_eq!(d2.weeks.last().unwrap().visits, 2);

    // An archived member leaves every count, and a new member joins them.
    counter.set_member_archived(ids[0], true, now).unwrap();
    register(&mut counter, "新客", Some("0933999999"), now);
    let d3 = s.dashboard(now).unwrap();
    assert_eq!(d3.members, 6);
    assert_eq!(d3.segments.iter().map(|c| c.members).sum::<i64>(), 6);
    assert_eq!(d3.revenue_total_minor, d2.revenue_total_minor - 100);
    assert_eq!(d3.weeks.last().unwrap().new_members, 1);
    // Another day reads afresh (the same three are away).
    let tomorrow = now + Duration::days(1);
    assert_eq!(s.lapsed(&ListFilter::default(), tomorrow).unwrap().total, 3);
}
