//! The cashier's lookup: who comes first for what a cashier types, because
//! Enter opens the first row. Checked against a seeded shop (a table of
//! queries), a property over 300-member shops, and a 100,000-member shop.

use crate::common::*;
use chrono::Duration;
use proptest::prelude::*;
use regulars::{MatchKind, Member, NewMember, Store};
use std::collections::{BTreeMap, BTreeSet};

/// Nine members whose phones end in digits that are also member numbers
/// (M000001 … M000009), registered in this order.
fn seeded_shop() -> (Shop, BTreeMap<&'static str, Member>) {
    let mut shop = new_shop();
    let now = noon();
    let people: [(&str, &str, Option<&str>); 9] = [
        ("林小美", "0912-345-678", None),                    // M000001
        ("陳大文", "0922-330-001", None),                    // M000002: its phone ends in 0001
        ("王小明", "0918-574-002", None),                    // M000003
        ("Alice Chen", "+886 955 123 456", Some("VIP-001")), // M000004
        ("林志明", "0933-112-345", None),                    // M000005
        ("林美玲", "0955-662-345", None),                    // M000006: the same last four as 林志明
        ("張三", "0988-000-005", None),                      // M000007: its phone ends in 0005
        ("李四", "0910-000-007", None),                      // M000008: its phone ends in 000007
        ("Bob Chenault", "0966-770-002", None),              // M000009
    ];
    let mut members = BTreeMap::new();
    for (i, (name, phone, card)) in people.into_iter().enumerate() {
        let new = NewMember {
            name: name.into(),
            phone: Some(phone.into()),
            card_code: card.map(str::to_string),
            ..Default::default()
        };
        let m = shop.store.add_member(&new, &format!("seed-{i}"), now).unwrap();
        assert_eq!(m.member_no, format!("M{:06}", i + 1));
        members.insert(name, m);
    }
    // 林志明 came a month ago, 林美玲 yesterday.
    shop.store
        .record_sale(&cash_sale_with_items("visit-zhiming", members["林志明"].id, 60, 1), now - Duration::days(30))
        .unwrap();
    shop.store
        .record_sale(&cash_sale_with_items("visit-meiling", members["林美玲"].id, 60, 1), now - Duration::days(1))
        .unwrap();
    (shop, members)
}

fn first(store: &Store, query: &str) -> Option<(i64, MatchKind)> {
    store.find_members(query, 20).unwrap().hits.first().map(|h| (h.id, h.match_kind))
}

#[test]
fn each_query_puts_the_member_a_cashier_means_first() {
    let (shop, m) = seeded_shop();
    use MatchKind::*;
    let table: &[(&str, &str, MatchKind)] = &[
        // The last digits of a phone, even when they are a member number's too.
        ("0001", "陳大文", PhoneSuffix),
        ("001", "陳大文", PhoneSuffix),
        ("0005", "張三", PhoneSuffix),
        ("5678", "林小美", PhoneSuffix),
        ("678", "林小美", PhoneSuffix),
        ("０００１", "陳大文", PhoneSuffix),
        ("５６７８", "林小美", PhoneSuffix),
        // Two phones end in 2345: the one who came most recently first.
        ("2345", "林美玲", PhoneSuffix),
        // A name and digits narrow it.
        ("林志 2345", "林志明", PhoneSuffix),
        ("美玲 2345", "林美玲", PhoneSuffix),
        ("林　２３４５", "林美玲", PhoneSuffix),
        ("alice 3456", "Alice Chen", PhoneSuffix),
        // A whole member number as bare digits ranks below the phone that ends in them.
        ("000007", "李四", PhoneSuffix),
        ("000001", "林小美", MemberNumber),
        // The member number with its M is exact, in any case and width.
        ("M000007", "張三", Exact),
        ("m7", "張三", Exact),
        ("ｍ０００００７", "張三", Exact),
        ("M000001", "林小美", Exact),
        // The whole phone, in every notation.
        ("0912345678", "林小美", Exact),
        ("0912-345-678", "林小美", Exact),
        ("0912 345 678", "林小美", Exact),
        ("+886 912 345 678", "林小美", Exact),
        ("+886-912-345-678", "林小美", Exact),
        ("886912345678", "林小美", Exact),
        ("(0912) 345-678", "林小美", Exact),
        ("０９１２３４５６７８", "林小美", Exact),
        ("０９１２－３４５－６７８", "林小美", Exact),
        ("０９１２　３４５　６７８", "林小美", Exact),
        // A card code, as scanned or typed.
        ("VIP-001", "Alice Chen", Exact),
        ("vip-001", "Alice Chen", Exact),
        ("ＶＩＰ－００１", "Alice Chen", Exact),
        // Names, Chinese or Latin, any case or width.
        ("王小明", "王小明", NamePrefix),
        ("alice", "Alice Chen", NamePrefix),
        ("ＡＬＩＣＥ", "Alice Chen", NamePrefix),
        ("chenault", "Bob Chenault", Name),
    ];
    for (query, name, kind) in table {
        assert_eq!(first(&shop.store, query), Some((m[name].id, *kind)), "{query:?} should open {name}");
    }
    // The default card code (scanned from the printed card) opens its member.
    let card = &m["王小明"].card_code;
    assert_eq!(first(&shop.store, card), Some((m["王小明"].id, Exact)));
    // Digits that are only a member number's end find nobody by member number.
    let hits = shop.store.find_members("0001", 20).unwrap().hits;
    assert!(hits.iter().all(|h| h.id != m["林小美"].id), "0001 listed M000001: {hits:?}");
}

#[test]
fn more_matches_than_shown_lists_the_most_recent_visitors_and_says_how_many() {
    let mut shop = new_shop();
    let now = noon();
    let rows: Vec<NewMember> = (0..30)
        .map(|i| NewMember {
            name: format!("客人{i}"),
            phone: Some(format!("09{:04}8888", 1000 + i)),
            ..Default::default()
        })
        .collect();
    shop.store.import_members(&rows, "thirty", now).unwrap();
    let ids: Vec<i64> = (1..=30).collect();
    // Every other member visited, member k on day k: the later, the more recent.
    for &id in ids.iter().step_by(2) {
        let sale = cash_sale_with_items(&format!("v{id}"), id, 50, 1);
        shop.store.record_sale(&sale, now + Duration::days(id)).unwrap();
    }
    let found = shop.store.find_members("8888", 10).unwrap();
    assert_eq!((found.matched, found.matched_at_least), (30, false));
    let shown: Vec<i64> = found.hits.iter().map(|h| h.id).collect();
    assert_eq!(shown, vec![29, 27, 25, 23, 21, 19, 17, 15, 13, 11], "the ten most recent visitors, latest first");
    // With room for all, those who never came follow those who did.
    let all = shop.store.find_members("8888", 50).unwrap();
    assert_eq!(all.hits.len(), 30);
    assert!(all.hits[15..].iter().all(|h| h.last_visit_at.is_none()));
}

#[test]
fn a_branch_too_large_to_read_whole_is_still_counted_and_ordered_by_recency() {
    let mut shop = new_shop();
    let now = noon();
    let rows: Vec<NewMember> = (0..700)
        .map(|i| NewMember {
            name: format!("客人{i}"),
            phone: Some(format!("09{:05}777", 10_000 + i)),
            ..Default::default()
        })
        .collect();
    shop.store.import_members(&rows, "many", now).unwrap();
    for (day, id) in [(1, 650), (2, 3), (3, 402)] {
        let sale = cash_sale_with_items(&format!("v{id}"), id, 50, 1);
        shop.store.record_sale(&sale, now + Duration::days(day)).unwrap();
    }
    let found = shop.store.find_members("777", 20).unwrap();
    assert_eq!((found.matched, found.matched_at_least), (700, false));
    let shown: Vec<i64> = found.hits.iter().take(3).map(|h| h.id).collect();
    assert_eq!(shown, vec![402, 3, 650]);
    assert_eq!(found.hits.len(), 20);
}

#[test]
fn archived_members_are_left_out_of_partial_matches_and_their_count() {
    let (mut shop, m) = seeded_shop();
    shop.store.set_member_archived(m["林志明"].id, true, noon()).unwrap();
    let found = shop.store.find_members("2345", 20).unwrap();
    assert_eq!(found.hits.iter().map(|h| h.id).collect::<Vec<_>>(), vec![m["林美玲"].id]);
    assert_eq!(found.matched, 1);
    // The whole phone still opens the archived card, flagged.
    let hits = shop.store.find_members("0933112345", 20).unwrap().hits;
    assert_eq!(hits.iter().map(|h| (h.id, h.archived)).collect::<Vec<_>>(), vec![(m["林志明"].id, true)]);
}

fn shop_of(phones: &[String]) -> Shop {
    let mut shop = new_shop();
    let rows: Vec<NewMember> = phones
        .iter()
        .enumerate()
        .map(|(i, p)| NewMember { name: format!("會員{i}"), phone: Some(p.clone()), ..Default::default() })
        .collect();
    shop.store.import_members(&rows, "shop", noon()).unwrap();
    shop
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Every member of a 300-member shop whose last four digits no one else
    /// shares comes first for them, whatever member numbers those digits spell.
    #[test]
    fn every_member_with_a_unique_last_four_is_first_for_them(
        // Last four digits drawn mostly from 0000–0600, where member numbers
        // M000001–M000300 live, so many collide with a member number and
        // some with each other.
        tails in proptest::collection::vec(0u32..600, 300),
        heads in proptest::collection::vec(0u32..10_000, 300),
    ) {
        let phones: Vec<String> =
            heads.iter().zip(&tails).enumerate().map(|(i, (h, t))| format!("09{:02}{:02}{t:04}", h % 100, i % 100)).collect();
        prop_assume!(phones.iter().collect::<BTreeSet<_>>().len() == phones.len());
        let shop = shop_of(&phones);
        let mut checked = 0;
        for (i, phone) in phones.iter().enumerate() {
            let last4 = &phone[6..];
            if phones.iter().filter(|p| p.ends_with(last4)).count() != 1 {
                continue;
            }
            let hits = shop.store.find_members(last4, 20).unwrap().hits;
            prop_assert_eq!(hits.first().map(|h| h.id), Some(i as i64 + 1), "{} ({})", last4, phone);
            checked += 1;
        }
        prop_assert!(checked > 0);
    }
}

#[test]
fn at_100000_members_each_member_is_listed_for_their_own_last_four_digits() {
    // Exactly ten members end in each of the 10,000 last-four combinations.
    let n = 100_000usize;
    let phones: Vec<String> =
        (0..n).map(|i| format!("09{:02}{:02}{:04}", i / 10_000, (i * 7) % 100, i % 10_000)).collect();
    let shop = shop_of(&phones);
    for tail in 0..10_000usize {
        let query = format!("{tail:04}");
        let found = shop.store.find_members(&query, 20).unwrap();
        // The ten whose phones end in these digits head the list; phones
        // that merely start with them ("0912…" for 0912) may follow.
        let listed: BTreeSet<i64> = found.hits.iter().take(10).map(|h| h.id).collect();
        let expected: BTreeSet<i64> = (0..10).map(|k| (k * 10_000 + tail) as i64 + 1).collect();
        assert_eq!(listed, expected, "last four {query}");
        assert!(found.hits[..10].iter().all(|h| h.match_kind == MatchKind::PhoneSuffix), "{query}");
        assert!(found.hits[10..].iter().all(|h| h.match_kind == MatchKind::PhonePrefix), "{query}");
        assert!(found.matched >= 10, "{query}");
    }
}
