//! More of a shop's journeys: finding members, birthdays, the demo shop,
//! and upgrades of the database, each as a cashier or owner goes through it.

use crate::common::*;
use crate::journeys::{program, redeem, void};
use chrono::Duration;
use regulars::settings::SettingsPatch;
use regulars::store::MIGRATIONS;
use regulars::{EarnRule, MatchKind, NewMember, ReceiptLanguage, Store, VoidRequest};

// --------------------------------------------------------------- lookup

#[test]
fn the_cashier_finds_members_by_phone_number_card_code_and_name() {
    let mut shop = new_shop();
    let now = noon();
    let mut add = |name: &str, phone: Option<&str>, card: Option<&str>| {
        shop.store
            .add_member(
                &NewMember {
                    name: name.into(),
                    phone: phone.map(Into::into),
                    card_code: card.map(Into::into),
                    ..Default::default()
                },
                &format!("r-{name}"),
                now,
            )
            .unwrap()
    };
    let wang = add("王小明", Some("0912-345-678"), None);
    let chen = add("陳小明", Some("0922-555-123"), None);
    let ouyang = add("歐陽明華子", Some("0935-000-567"), None);
    let alice = add("Alice Chen", Some("+886 955 123 456"), Some("vip-001"));
    let bob = add("Bob Chenault", Some("0966-770-002"), None);
    let ids = |q: &str| shop.store.find_members(q, 20).unwrap().hits.into_iter().map(|h| h.id).collect::<Vec<_>>();
    let sorted = |q: &str| {
        let mut v = ids(q);
        v.sort();
        v
    };

    for q in [
        "0912345678",
        "0912-345-678",
        "0912 345 678",
        "+886 912 345 678",
        "+886-912-345-678",
        "886912345678",
        "(0912) 345-678",
    ] {
        let hits = shop.store.find_members(q, 20).unwrap().hits;
        assert_eq!(
            hits.first().map(|h| (h.id, h.match_kind)),
            Some((wang.id, MatchKind::Exact)),
            "phone {q}: {hits:?}"
        );
    }
    assert_eq!(ids("5678"), vec![wang.id], "last 4 digits");
    assert_eq!(ids("0567"), vec![ouyang.id]);
    assert_eq!(ids("3456"), vec![alice.id]);
    assert_eq!(ids(&chen.member_no), vec![chen.id]);
    assert_eq!(ids(&chen.member_no.to_lowercase()), vec![chen.id]);
    assert_eq!(ids(&ouyang.card_code), vec![ouyang.id], "default card code");
    assert_eq!(ids("VIP-001"), vec![alice.id]);
    assert_eq!(ids("vip-001"), vec![alice.id]);

    // Chinese names: surname, given name, any part of three or more characters.
    assert_eq!(sorted("王"), vec![wang.id]);
    assert_eq!(sorted("明"), vec![wang.id, chen.id]);
    assert_eq!(sorted("小明"), vec![wang.id, chen.id]);
    assert_eq!(sorted("王小"), vec![wang.id]);
    assert_eq!(sorted("歐陽"), vec![ouyang.id]);
    assert_eq!(sorted("陽明華"), vec![ouyang.id]);
    assert_eq!(sorted("明華子"), vec![ouyang.id]);
    assert_eq!(sorted("王小明"), vec![wang.id]);
    // Latin names, any case.
    assert_eq!(sorted("alice"), vec![alice.id]);
    assert_eq!(sorted("ALICE CHEN"), vec![alice.id]);
    assert_eq!(sorted("chen"), vec![alice.id, bob.id]);
    assert_eq!(sorted("Ault"), vec![bob.id]);
    assert!(ids("nobody").is_empty());

    // Four bare digits are the end of a phone, never a member number:
    // "0002" is Bob's phone (0966-770-002), not member M000002 (Chen).
    shop.store.record_sale(&cash_sale_with_items("bob-visit", bob.id, 50, 1), now).unwrap();
    let hits = shop.store.find_members("0002", 20).unwrap().hits;
    assert_eq!(hits.iter().map(|h| (h.id, h.match_kind)).collect::<Vec<_>>(), vec![(bob.id, MatchKind::PhoneSuffix)]);
    // The member number with its M is exact; as bare digits, only the whole number.
    for (q, kind) in [
        ("M000002", MatchKind::Exact),
        ("m2", MatchKind::Exact),
        ("ｍ０００００２", MatchKind::Exact),
        ("000002", MatchKind::MemberNumber),
    ] {
        let hits = shop.store.find_members(q, 20).unwrap().hits;
        assert_eq!(hits.first().map(|h| (h.id, h.match_kind)), Some((chen.id, kind)), "{q}");
    }
    // A whole name ranks before names merely containing it.
    let hits = shop.store.find_members("alice chen", 20).unwrap().hits;
    assert_eq!(hits[0].id, alice.id);
}

#[test]
fn archived_members_are_found_only_by_an_exact_match_and_flagged() {
    let mut shop = new_shop();
    let now = noon();
    let m = register(&mut shop.store, "王小華", Some("0911-000-999"), now).id;
    let hits = shop.store.find_members("王小華", 10).unwrap().hits;
    assert_eq!((hits.len(), hits[0].archived), (1, false));
    shop.store.set_member_archived(m, true, now).unwrap();
    for q in ["王", "小華", "王小", "0999", "0911"] {
        assert!(shop.store.find_members(q, 10).unwrap().hits.is_empty(), "{q} found an archived member");
    }
    // The whole phone number, member number or name still opens the card, to restore it.
    for q in ["0911000999", "0911-000-999", "M000001", "王小華"] {
        let hits = shop.store.find_members(q, 10).unwrap().hits;
        assert_eq!(hits.iter().map(|h| (h.id, h.archived)).collect::<Vec<_>>(), [(m, true)], "{q}");
    }
    assert_eq!(shop.store.member_count().unwrap(), 0);
    shop.store.set_member_archived(m, false, now).unwrap();
    let hits = shop.store.find_members("0999", 10).unwrap().hits;
    assert_eq!((hits.len(), hits[0].archived), (1, false));
}

#[test]
fn the_same_phone_in_another_notation_is_a_duplicate() {
    let mut shop = new_shop();
    let now = noon();
    let first = register(&mut shop.store, "鄭美玲", Some("0912-345-678"), now);
    let err = shop.store.add_member(&new_member("鄭美玲", Some("+886 912 345 678")), "again", now).unwrap_err();
    assert_eq!(err.code(), "DuplicatePhone", "{err}");
    assert!(err.to_string().contains(&first.member_no), "the message names the member who has the number: {err}");
    assert_eq!(shop.store.member_count().unwrap(), 1);
}

// ------------------------------------------------------------- birthdays

#[test]
fn birthday_today_follows_the_shop_time_zone() {
    let mut shop = new_shop();
    let m = shop
        .store
        .add_member(
            &NewMember { name: "謝宜庭".into(), birthday: Some("1995-03-15".into()), ..Default::default() },
            "b",
            noon(),
        )
        .unwrap()
        .id;
    let today = |s: &Store, t: &str| s.member_card(m, at(t)).unwrap().birthday_today;
    // Taipei is UTC+8: 15 March starts at 16:00 UTC on the 14th.
    assert!(!today(&shop.store, "2026-03-14T15:59:00Z"));
    assert!(today(&shop.store, "2026-03-14T16:00:00Z"));
    assert!(today(&shop.store, "2026-03-15T15:59:00Z"));
    assert!(!today(&shop.store, "2026-03-15T16:00:00Z"));
    assert!(shop.store.member_card(m, at("2026-03-02T00:00:00Z")).unwrap().birthday_this_month);
    shop.store
        .update_settings(&SettingsPatch { time_zone: Some("America/New_York".into()), ..Default::default() }, noon())
        .unwrap();
    assert!(!today(&shop.store, "2026-03-15T03:00:00Z"), "23:00 on the 14th in New York");
    assert!(today(&shop.store, "2026-03-15T05:00:00Z"));
}

#[test]
fn a_feb_29_birthday_is_celebrated_on_feb_28_in_common_years() {
    let mut shop = new_shop();
    let m = shop
        .store
        .add_member(
            &NewMember { name: "洪詩涵".into(), birthday: Some("02-29".into()), ..Default::default() },
            "b",
            noon(),
        )
        .unwrap()
        .id;
    let today = |t: &str| shop.store.member_card(m, at(t)).unwrap().birthday_today;
    assert!(today("2027-02-28T04:00:00Z"));
    assert!(!today("2027-03-01T04:00:00Z"));
    assert!(!today("2028-02-28T04:00:00Z"));
    assert!(today("2028-02-29T04:00:00Z"));
    assert!(!today("2028-03-01T04:00:00Z"));
}

// ------------------------------------------------------ demo and schema

#[test]
fn the_demo_shop_speaks_the_language_chosen_at_first_start() {
    let now = at("2026-11-26T04:00:00Z");
    let has_cjk = |t: &str| t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    let mut english = new_shop();
    let n = english.store.seed_demo_data(ReceiptLanguage::En, now).unwrap();
    let s = &english.store;
    assert_eq!(s.settings().unwrap().name, "Regulars Tea (demo)");
    let programs: Vec<String> = s.programs().unwrap().into_iter().map(|p| p.name).collect();
    assert_eq!(programs, ["Drinks card", "Cake card"]);
    let tiers: Vec<String> = s.tiers().unwrap().into_iter().map(|t| t.name).collect();
    assert_eq!(tiers, ["Member", "Silver", "Gold", "VIP"]);
    let products: Vec<String> = s.products(true).unwrap().into_iter().map(|p| p.name).collect();
    assert!(products.contains(&"Pearl milk tea".to_string()), "{products:?}");
    let tags: Vec<String> = s.tags_in_use().unwrap().into_iter().map(|t| t.tag).collect();
    for text in programs.iter().chain(&tiers).chain(&products).chain(&tags) {
        assert!(!has_cjk(text), "{text} in the English demo");
    }
    check_invariants(s);

    // The same customers and history in any language; only the words differ.
    let mut simplified = new_shop();
    assert_eq!(simplified.store.seed_demo_data(ReceiptLanguage::ZhCn, now).unwrap(), n);
    assert_eq!(simplified.store.settings().unwrap().name, "熟客茶饮 示范店");
    let sold = |s: &Store| all_receipts(s).iter().map(|r| (r.kind, r.total_minor)).collect::<Vec<_>>();
    assert_eq!(sold(&simplified.store), sold(&english.store));
}

#[test]
fn demo_data_fills_an_empty_shop_once_and_passes_the_audit() {
    let mut shop = new_shop();
    let now = at("2026-11-26T04:00:00Z");
    let n = shop.store.seed_demo_data(ReceiptLanguage::ZhTw, now).unwrap();
    assert!((24..=60).contains(&n), "a few dozen members, got {n}");
    assert_eq!(shop.store.member_count().unwrap(), n as i64);
    let receipts = all_receipts(&shop.store);
    assert!(receipts.len() > n, "the demo has history: {} receipts", receipts.len());
    check_invariants(&shop.store);
    let ids: Vec<i64> = (1..=n as i64).collect();
    let before = snapshot(&shop.store, &ids, now);
    let settings = shop.store.settings().unwrap();
    let err = shop.store.seed_demo_data(ReceiptLanguage::ZhTw, now).unwrap_err();
    assert_eq!(err.code(), "ShopNotEmpty", "{err}");
    assert_eq!(snapshot(&shop.store, &ids, now), before);
    assert_eq!(shop.store.settings().unwrap(), settings);
}

#[test]
fn demo_data_is_refused_when_the_shop_has_only_archived_members() {
    let mut shop = new_shop();
    let now = noon();
    let m = register(&mut shop.store, "蘇怡萱", Some("0912-000-001"), now).id;
    shop.store.top_up(&top_up_req("t", m, 500), now).unwrap();
    shop.store.set_member_archived(m, true, now).unwrap();
    let err = shop
        .store
        .seed_demo_data(ReceiptLanguage::ZhTw, now)
        .map(|_| ())
        .expect_err("demo data mixed into a real shop's books");
    assert_eq!(err.code(), "ShopNotEmpty");
    assert_eq!(all_receipts(&shop.store).len(), 1);
}

#[test]
fn a_refused_demo_seeding_leaves_the_shop_settings_alone() {
    // The owner set up the shop and a stamp program, but has no members yet.
    let mut shop = new_shop();
    let now = noon();
    shop.store
        .update_settings(
            &SettingsPatch {
                name: Some("阿婆豆花".into()),
                currency: Some("HKD".into()),
                time_zone: Some("Asia/Hong_Kong".into()),
                ..Default::default()
            },
            now,
        )
        .unwrap();
    program(&mut shop.store, "飲品集點卡", 8, EarnRule::PerVisit, None);
    let settings = shop.store.settings().unwrap();
    let programs = shop.store.programs().unwrap();
    let result = shop.store.seed_demo_data(ReceiptLanguage::ZhTw, now);
    if result.is_err() {
        assert_eq!(shop.store.settings().unwrap(), settings, "a failed seeding overwrote the shop's settings");
        assert_eq!(shop.store.programs().unwrap(), programs);
        assert_eq!(shop.store.member_count().unwrap(), 0);
    }
    check_invariants(&shop.store);
}

#[test]
fn a_database_from_every_earlier_schema_version_upgrades_to_the_latest() {
    for k in 0..=MIGRATIONS.len() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("v{k}.db"));
        {
            let old = Store::open_at_version(&path, k).unwrap();
            assert_eq!(old.schema_version().unwrap(), k as i64);
        }
        let mut store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64, "from version {k}");
        assert_eq!(store.integrity_check().unwrap(), "ok");
        let m = register(&mut store, "周欣怡", Some("0912-111-000"), noon()).id;
        store.top_up(&top_up_req("t", m, 300), noon()).unwrap();
        // Migrating again, to the latest or to an earlier count, changes nothing.
        for j in 0..=MIGRATIONS.len() {
            store.migrate_to(j).unwrap();
            assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as i64);
        }
        drop(store);
        let store = Store::open(&path).unwrap();
        assert_eq!(wallet(&store, m, noon()), (300, 0));
        check_invariants(&store);
    }
}

#[test]
fn a_database_written_by_a_newer_version_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("newer.db");
    {
        let mut store = Store::open(&path).unwrap();
        register(&mut store, "賴冠宇", None, noon());
    }
    // Closing the last connection checkpoints the WAL into the file; then
    // set the header's user_version (bytes 60..64, big-endian) as a newer
    // build would have.
    assert!(
        !dir.path().join("newer.db-wal").exists()
            || std::fs::metadata(dir.path().join("newer.db-wal")).unwrap().len() == 0
    );
    let mut bytes = std::fs::read(&path).unwrap();
    assert_eq!(&bytes[..16], b"SQLite format 3\0");
    assert_eq!(i32::from_be_bytes(bytes[60..64].try_into().unwrap()) as usize, MIGRATIONS.len());
    let newer = MIGRATIONS.len() as i32 + 1;
    bytes[60..64].copy_from_slice(&newer.to_be_bytes());
    std::fs::write(&path, &bytes).unwrap();

    let err = Store::open(&path).map(|_| ()).unwrap_err();
    assert_eq!(err.code(), "SchemaTooNew", "{err}");
    let after = std::fs::read(&path).unwrap();
    assert_eq!(i32::from_be_bytes(after[60..64].try_into().unwrap()), newer, "the newer database was not downgraded");
    assert_eq!(Store::open(&path).map(|_| ()).unwrap_err().code(), "SchemaTooNew");
}

// ---------------------------------------------------------------- voids, programs, first start

#[test]
fn a_void_without_a_reason_is_refused_and_writes_nothing() {
    let mut shop = new_shop();
    let now = noon();
    let m = register(&mut shop.store, "林美玲", Some("0912-111-222"), now).id;
    let sale = shop.store.record_sale(&cash_sale_with_items("s", m, 120, 1), now).unwrap();
    let before = snapshot(&shop.store, &[m], now);
    for reason in ["", "   ", "\n"] {
        let err = shop
            .store
            .void_receipt(&VoidRequest { reason: reason.into(), ..void("v-empty", sale.number) }, now)
            .unwrap_err();
        assert_eq!(err.code(), "EmptyField", "reason {reason:?}");
        assert!(err.details().contains(&("field", "reason".to_string())));
    }
    assert_eq!(snapshot(&shop.store, &[m], now), before);
    assert_eq!(shop.store.receipt(sale.number).unwrap().voided_by_number, None);
}

#[test]
fn a_void_of_a_sale_whose_stamps_were_redeemed_names_the_redemption_to_void_first() {
    let mut shop = new_shop();
    let now = noon();
    let drinks = program(&mut shop.store, "飲料卡", 5, EarnRule::PerItem, None);
    let m = register(&mut shop.store, "王小明", Some("0933-123-456"), now).id;
    let sale = shop.store.record_sale(&cash_sale_with_items("s1", m, 300, 5), now).unwrap();
    let reward = shop.store.redeem_reward(&redeem("r1", m, drinks), now + Duration::minutes(1)).unwrap();
    let later = now + Duration::minutes(5);

    let err = shop.store.void_receipt(&void("v1", sale.number), later).unwrap_err();
    assert_eq!(err.code(), "StampsRedeemedSince");
    let details = err.details();
    assert!(details.contains(&("number", sale.number.to_string())), "{details:?}");
    assert!(details.contains(&("redemption", reward.number.to_string())), "{details:?}");
    assert!(details.contains(&("program", "飲料卡".to_string())), "{details:?}");
    assert_eq!(stamps(&shop.store, m, drinks, later), 0, "nothing was written");

    // The way forward: void the redemption, then the sale.
    shop.store.void_receipt(&void("v2", reward.number), later).unwrap();
    shop.store.void_receipt(&void("v3", sale.number), later).unwrap();
    assert_eq!(stamps(&shop.store, m, drinks, later), 0);
    check_invariants(&shop.store);
}

#[test]
fn a_void_of_a_sale_whose_stamps_expired_says_so_rather_than_naming_a_redemption() {
    let mut shop = new_shop();
    let now = noon();
    let drinks = program(&mut shop.store, "飲料卡", 10, EarnRule::PerItem, Some(30));
    let m = register(&mut shop.store, "張家豪", Some("0955-222-333"), now).id;
    let sale = shop.store.record_sale(&cash_sale_with_items("s1", m, 120, 2), now).unwrap();
    // Forty days on, another sale lapses the two old stamps on the card.
    let later = now + Duration::days(40);
    shop.store.record_sale(&cash_sale_with_items("s2", m, 60, 1), later).unwrap();
    assert_eq!(stamps(&shop.store, m, drinks, later), 1);
    let err = shop.store.void_receipt(&void("v1", sale.number), later).unwrap_err();
    assert_eq!(err.code(), "StampsExpiredSince", "{err}");
}

#[test]
fn a_programs_name_reward_and_expiry_can_change_but_its_stamps_needed_only_before_any_card_started() {
    let mut shop = new_shop();
    let now = noon();
    let drinks = program(&mut shop.store, "飲料卡", 10, EarnRule::PerItem, None);
    let edit = |name: &str, needed: i64, expiry: Option<i64>| regulars::ProgramEdit {
        name: name.into(),
        stamps_needed: needed,
        reward_text: "任選大杯飲品".into(),
        expiry_days: expiry,
    };
    // No card yet: everything may change.
    let p = shop.store.edit_program(drinks, &edit("茶飲卡", 8, Some(180)), noon()).unwrap();
    assert_eq!(
        (p.name.as_str(), p.stamps_needed, p.reward_text.as_str(), p.expiry_days),
        ("茶飲卡", 8, "任選大杯飲品", Some(180))
    );

    let m = register(&mut shop.store, "陳怡君", Some("0912-345-678"), now).id;
    let sale = shop.store.record_sale(&cash_sale_with_items("s1", m, 60, 1), now).unwrap();
    // A card has started: the goal stays, with a translated reason.
    let err = shop.store.edit_program(drinks, &edit("茶飲卡", 6, Some(180)), noon()).unwrap_err();
    assert_eq!(err.code(), "StampsNeededLocked");
    assert!(err.details().contains(&("cards", "1".to_string())));
    assert_eq!(shop.store.programs().unwrap()[0].stamps_needed, 8, "nothing was written");
    // The rest still changes, and the member's card shows the new words.
    shop.store.edit_program(drinks, &edit("四季茶飲卡", 8, None), noon()).unwrap();
    let card = shop.store.member_card(m, now).unwrap();
    assert_eq!(card.stamp_cards[0].program_name, "四季茶飲卡");
    assert_eq!(card.stamp_cards[0].reward_text, "任選大杯飲品");
    // The receipt keeps the words it was written with; a new one has the new name.
    assert_eq!(shop.store.receipt(sale.number).unwrap().stamps[0].program_name, "茶飲卡");
    let later = shop.store.record_sale(&cash_sale_with_items("s2", m, 60, 1), now).unwrap();
    assert_eq!(later.stamps[0].program_name, "四季茶飲卡");
    let void = shop.store.void_receipt(&void("v1", sale.number), now).unwrap();
    assert_eq!(void.stamps[0].program_name, "茶飲卡", "a void reverses the original in its words");

    // Bad input is refused the same way as when adding a program.
    let other = program(&mut shop.store, "蛋糕卡", 8, EarnRule::PerVisit, None);
    assert_eq!(
        shop.store.edit_program(other, &edit("四季茶飲卡", 8, None), noon()).unwrap_err().code(),
        "InvalidInput"
    );
    assert_eq!(shop.store.edit_program(other, &edit("  ", 8, None), noon()).unwrap_err().code(), "EmptyField");
    assert_eq!(shop.store.edit_program(999, &edit("新卡", 8, None), noon()).unwrap_err().code(), "ProgramNotFound");
}

#[test]
fn a_new_database_is_not_set_up_until_the_welcome_finishes_and_stays_set_up_after_reopening() {
    let mut shop = new_shop();
    let now = noon();
    assert!(!shop.store.is_set_up().unwrap(), "a new database shows the welcome");
    // A first member or saved settings alone do not finish the setup (the
    // setup's steps save settings as they go); the app marks it when they end.
    register(&mut shop.store, "第一位", Some("0911-222-333"), now);
    shop.store.update_settings(&SettingsPatch { name: Some("阿明茶飲".into()), ..Default::default() }, now).unwrap();
    assert!(!shop.store.is_set_up().unwrap());
    shop.store.mark_set_up(now).unwrap();
    assert_eq!(shop.store.set_up_at().unwrap(), Some(now.timestamp_millis()));
    // Marking again keeps the first time.
    shop.store.mark_set_up(now + Duration::days(1)).unwrap();
    assert_eq!(shop.store.set_up_at().unwrap(), Some(now.timestamp_millis()));
    drop(shop.store);
    let again = Store::open(&shop.path).unwrap();
    assert!(again.is_set_up().unwrap(), "set up survives a restart");
}

#[test]
fn loading_demo_data_sets_the_shop_up_and_is_refused_in_a_shop_already_in_use() {
    let mut shop = new_shop();
    let now = noon();
    shop.store.seed_demo_data(ReceiptLanguage::ZhTw, now).unwrap();
    assert!(shop.store.is_set_up().unwrap());
    let err = shop.store.seed_demo_data(ReceiptLanguage::ZhTw, now).unwrap_err();
    assert_eq!(err.code(), "ShopNotEmpty");
}

#[test]
fn a_shop_in_use_before_the_setup_flag_existed_counts_as_set_up() {
    let shop = new_shop();
    let path = shop.path.clone();
    drop(shop.store);
    // A database from before the flag's migration, with a member in it.
    let dir = tempfile::tempdir().unwrap();
    let old_path = dir.path().join("old.db");
    let flag = MIGRATIONS.iter().position(|(name, _)| name.ends_with("_setup")).unwrap();
    drop(Store::open_at_version(&old_path, flag).unwrap());
    lend_later_columns(&old_path);
    let mut old = Store::open_at_version(&old_path, flag).unwrap();
    register(&mut old, "老顧客", Some("0911-000-111"), noon());
    drop(old);
    take_back_later_columns(&old_path);
    assert!(Store::open(&old_path).unwrap().is_set_up().unwrap());
    // …while an untouched new one is not.
    assert!(!Store::open(&path).unwrap().is_set_up().unwrap());
}
