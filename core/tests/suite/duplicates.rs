//! Members who are probably one person twice, found for the owner before a
//! merge: the same phone read by today's rules, the same name and birthday,
//! a name written differently.
#![allow(clippy::disallowed_methods)] // Shapes a phone typed before today's rules with raw SQL.

use crate::common::*;
use regulars::member::MemberPatch;
use regulars::store::duplicates::DuplicateReason;

#[test]
fn the_same_person_twice_is_found_by_phone_name_and_birthday_or_a_name_written_differently() {
    let mut shop = new_shop();
    let s = &mut shop.store;
    let now = noon();
    let amy = register(s, "陳怡君", Some("0912-345-678"), now).id;
    // A phone saved before Excel's lost 0 was understood: another number then, the same today.
    let amy_again = register(s, "陳 怡君", Some("0922-000-001"), now).id;
    let raw = rusqlite::Connection::open(&shop.path).unwrap();
    raw.execute("UPDATE members SET phone = '912345678', phone_digits = '912345678' WHERE id = ?1", [amy_again])
        .unwrap();
    let bday = |s: &mut regulars::Store, id: i64| {
        s.edit_member(id, &MemberPatch { birthday: Some("1988-05-04".into()), ..Default::default() }, now).unwrap()
    };
    let ben = register(s, "林小美", Some("0933-111-222"), now).id;
    let ben_again = register(s, "林小美", None, now).id;
    bday(s, ben);
    bday(s, ben_again);
    let cat = register(s, "Alice Chen", Some("0955-000-111"), now).id;
    let cat_again = register(s, "ＡＬＩＣＥ chen", None, now).id;
    // Two who share only a name, neither birthday known, written alike: not found.
    register(s, "王大明", Some("0966-000-111"), now);
    register(s, "王大明", Some("0977-000-111"), now);

    let groups = s.duplicate_members().unwrap();
    let found: Vec<(DuplicateReason, Vec<i64>)> =
        groups.iter().map(|g| (g.reason, g.members.iter().map(|m| m.member_id).collect())).collect();
    assert_eq!(
        found,
        vec![
            (DuplicateReason::SamePhone, vec![amy, amy_again]),
            (DuplicateReason::SameNameAndBirthday, vec![ben, ben_again]),
            (DuplicateReason::SameNameWritten, vec![cat, cat_again]),
        ]
    );
}

#[test]
fn duplicates_through_the_cli() {
    let shop = CliShop::new();
    shop.ok(&["member", "add", "--name", "Alice Chen", "--phone", "0955000111"]);
    shop.ok(&["member", "add", "--name", "alice  chen"]);
    let groups = shop.json(&["member", "duplicates"]);
    assert_eq!(groups.as_array().unwrap().len(), 1);
    assert_eq!(groups[0]["reason"], "sameNameWritten");
}
