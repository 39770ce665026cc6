//! Staff accounts at work beyond the role table (`staff.rs`): what a
//! cashier sees of a phone, request ids sent again with other content,
//! who may read the shop's files, erasing a member, the day close and the
//! unusual activity per staff member, and a restore in the audit log.

#![allow(clippy::disallowed_methods)] // The upgrade check shapes an older file with raw SQL.
use super::staff::{cash_sale, fingerprint, staffed_shop, CASHIER_PIN, MANAGER_PIN, OTHER_CASHIER_PIN, OWNER_PIN};
use crate::common::*;
use chrono::Duration;
use regulars::{
    Act, AuditFilter, DrawerCountRequest, PaymentMethod, ReceiptLanguage, RefundRequest, Store, VoidRequest,
};
#[test]
fn a_cashier_sees_phones_masked_in_results_and_whole_on_the_card() {
    let mut f = staffed_shop();
    let now = f.now;
    let s = &mut f.shop.store;
    s.sign_in(CASHIER_PIN, now).unwrap();
    let hits = s.find_members("會員7", 5).unwrap().hits;
    assert_eq!(hits[0].phone.as_deref(), Some("0912-***-007"));
    let card = s.member_card(hits[0].id, now).unwrap();
    assert_eq!(card.member.phone.as_deref().map(|p| p.replace('-', "")), Some("0912000007".to_string()));
    s.sign_in(MANAGER_PIN, now).unwrap();
    let hits = s.find_members("會員7", 5).unwrap().hits;
    assert!(!hits[0].phone.as_deref().unwrap().contains('*'), "{hits:?}");
}

#[test]
fn a_request_id_sent_again_with_another_amount_or_by_someone_else_is_refused() {
    let mut f = staffed_shop();
    let now = f.now;
    let member = f.members[9];
    let s = &mut f.shop.store;
    s.sign_in(CASHIER_PIN, now).unwrap();
    let first = s.top_up(&top_up_req("same-id", member, 500), now).unwrap();
    let before = fingerprint(&f.shop.path);
    let s = &mut f.shop.store;
    assert_eq!(s.top_up(&top_up_req("same-id", member, 5_000), now).unwrap_err().code(), "RequestIdConflict");
    s.sign_in(OTHER_CASHIER_PIN, now).unwrap();
    assert_eq!(s.top_up(&top_up_req("same-id", member, 500), now).unwrap_err().code(), "RequestIdConflict");
    assert_eq!(fingerprint(&f.shop.path), before);
    // The very same request by the same person is the first receipt again.
    let s = &mut f.shop.store;
    s.sign_in(CASHIER_PIN, now).unwrap();
    assert_eq!(s.top_up(&top_up_req("same-id", member, 500), now).unwrap().number, first.number);
}

#[cfg(unix)]
#[test]
fn the_database_backups_and_saved_files_are_the_users_alone() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let f = staffed_shop();
    // new_shop makes the database in a folder of its own: created 0700, the file 0600.
    assert_eq!(mode(f.shop.path.parent().unwrap()), 0o700);
    assert_eq!(mode(&f.shop.path), 0o600);
    assert_eq!(mode(&std::path::PathBuf::from(format!("{}-wal", f.shop.path.display()))), 0o600);
    // A file from before is tightened when it is opened.
    std::fs::set_permissions(&f.shop.path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let mut again = f.shop.open_again();
    assert_eq!(mode(&f.shop.path), 0o600);
    again.sign_in(OWNER_PIN, f.now).unwrap();
    let dir = f.shop.dir.path().join("backups");
    let made = again.backup_into(&dir, false, f.now).unwrap();
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(std::path::Path::new(&made.path)), 0o600);
    let saved = regulars::documents::save_in(&f.shop.dir.path().join("收據"), "r.pdf", b"%PDF").unwrap();
    assert_eq!((mode(saved.parent().unwrap()), mode(&saved)), (0o700, 0o600));
}

#[test]
fn the_day_close_shows_each_staff_members_money_per_method() {
    let mut f = staffed_shop();
    let now = f.now;
    let s = &mut f.shop.store;
    s.sign_in(MANAGER_PIN, now).unwrap();
    let day = s.settings().unwrap().local_date(now);
    let close = s.day_close(day).unwrap();
    let by: Vec<(&str, i64)> = close.by_staff.iter().map(|p| (p.staff.as_str(), p.net_minor)).collect();
    // The owner's 40 top-ups of 5,000 and a sale of 300; each cashier's 12 sales of 100.
    assert_eq!(by, vec![("小美", 1_200), ("老闆", 200_300), ("阿哲", 1_200)]);
    assert!(close.by_staff.iter().all(|p| p.methods.len() == 1 && p.methods[0].method == PaymentMethod::Cash));
    assert_eq!(close.by_staff.iter().map(|p| p.net_minor).sum::<i64>(), close.cash_minor);
    let pdf = s.day_close_pdf(day, Some(regulars::PaperSize::Mm80), ReceiptLanguage::ZhTw, now).unwrap();
    let file = f.shop.dir.path().join("day.pdf");
    std::fs::write(&file, &pdf.bytes).unwrap();
    let out = std::process::Command::new("pdftotext").args(["-layout", file.to_str().unwrap(), "-"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("經手人") && text.contains("小美") && text.contains("阿哲"), "{text}");
}

#[test]
fn an_erased_member_keeps_the_money_history_but_not_their_details() {
    let mut f = staffed_shop();
    let now = f.now;
    let id = f.members[12];
    let f_members_13 = f.members[13];
    let s = &mut f.shop.store;
    s.sign_in(OWNER_PIN, now).unwrap();
    let before = s.member(id).unwrap();
    let receipts_before = all_receipts(s).iter().filter(|r| r.member_id == id).count();
    // Still holding stored value: refused until the forfeit is confirmed.
    let refused = s.erase_member(id, false, "erase-1", ReceiptLanguage::ZhTw, now).unwrap_err();
    assert_eq!(refused.code(), "MemberHoldsStoredValue");
    assert_eq!(s.member(id).unwrap(), before, "a refused erase changes nothing");
    let erased = s.erase_member(id, true, "erase-1", ReceiptLanguage::ZhTw, now).unwrap();
    assert_eq!(erased.name, "已刪除會員");
    assert_eq!(erased.member_no, before.member_no);
    assert!(erased.phone.is_none() && erased.email.is_none() && erased.birthday.is_none() && erased.notes.is_empty());
    assert!(erased.tags.is_empty() && erased.archived);
    assert_eq!(wallet(s, id, now), (0, 0));
    // The receipts stay, with the forfeit as a correction of its own.
    let receipts: Vec<_> = all_receipts(s).into_iter().filter(|r| r.member_id == id).collect();
    assert_eq!(receipts.len(), receipts_before + 1);
    assert!(receipts.iter().any(|r| r.kind == regulars::ReceiptKind::Adjust && r.total_minor == -5_000));
    let phone = before.phone.unwrap();
    assert!(s.find_members(&phone, 5).unwrap().hits.is_empty(), "the old phone finds no one");
    assert!(s.find_members(&before.name, 5).unwrap().hits.iter().all(|h| h.id != id));
    check_invariants(s);
    // It stays erased: not brought back to the lists, not filled in again,
    // not erased twice; each refusal writes nothing.
    assert_eq!(erased.erased_at, Some(now.timestamp_millis()));
    let restore = s.set_member_archived(id, false, now).unwrap_err();
    assert_eq!((restore.code(), restore.details()), ("MemberErased", vec![("memberNo", before.member_no.clone())]));
    let patch = regulars::MemberPatch { name: Some("王小明".into()), ..Default::default() };
    assert_eq!(s.edit_member(id, &patch, now).unwrap_err().code(), "MemberErased");
    assert_eq!(s.erase_member(id, true, "erase-again", ReceiptLanguage::ZhTw, now).unwrap_err().code(), "MemberErased");
    assert_eq!(s.member(id).unwrap(), erased);
    // No money moves for them again, not even by a correction.
    let add = regulars::AdjustRequest {
        request_id: "after-erase".into(),
        member_id: id,
        paid_delta_minor: 500,
        bonus_delta_minor: 0,
        reason: "試試".into(),
        cashier: String::new(),
    };
    assert_eq!(s.adjust_stored_value(&add, now).unwrap_err().code(), "MemberErased");
    assert_eq!(s.top_up(&top_up_req("after-erase-2", id, 500), now).unwrap_err().code(), "MemberErased");
    assert_eq!(wallet(s, id, now), (0, 0));
    // A cashier may not erase.
    s.sign_in(CASHIER_PIN, now).unwrap();
    let err = s.erase_member(f.members[13], true, "erase-2", ReceiptLanguage::ZhTw, now).unwrap_err();
    assert_eq!(err.code(), "PermissionDenied");
    assert_eq!(wallet(s, f.members[13], now), (5_000, 0));

    // A file from before erased members were marked (schema 12) learns who
    // was erased from its audit log when it is opened.
    let path = f.shop.path.clone();
    drop(f.shop.store); // the folder stays until the test ends
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute_batch(&format!(
        "{UNDO_REFERRALS_AND_AUTO_COUPONS} ALTER TABLE members DROP COLUMN erased_at; {UNDO_POINTS_BATCHES} PRAGMA user_version = 12;"
    ))
    .unwrap();
    let upgraded = Store::open(&path).unwrap();
    assert_eq!(upgraded.member(id).unwrap().erased_at, Some(now.timestamp_millis()));
    assert_eq!(upgraded.member(f_members_13).unwrap().erased_at, None);
}

#[test]
fn the_owner_sees_large_refunds_other_top_ups_late_voids_and_a_busy_member_by_who_did_them() {
    use regulars::analytics::unusual::{UnusualKind, UnusualRules};
    let mut f = staffed_shop();
    let now = f.now;
    let (a, b) = (f.members[25], f.members[26]);
    let s = &mut f.shop.store;
    s.sign_in(MANAGER_PIN, now).unwrap();
    let refund = |id: &str, amount_minor| RefundRequest {
        request_id: id.into(),
        member_id: a,
        amount_minor,
        method: PaymentMethod::Cash,
        method_id: None,
        cashier: String::new(),
        note: String::new(),
    };
    let big = s.refund_stored_value(&refund("big-refund", 1_200), now).unwrap();
    s.refund_stored_value(&refund("small-refund", 300), now).unwrap();
    let mut other = top_up_req("other-top-up", b, 800);
    other.method = PaymentMethod::Other;
    let other = s.top_up(&other, now).unwrap();
    let day = s.settings().unwrap().local_date(now);
    let count = DrawerCountRequest {
        request_id: "close".into(),
        date: day,
        float_minor: 0,
        counted_minor: 0,
        cashier: String::new(),
        note: String::new(),
    };
    s.count_drawer(&count, now + Duration::hours(1)).unwrap();
    let late = VoidRequest {
        request_id: "late-void".into(),
        receipt_number: f.others_receipts[0],
        reason: "打錯".into(),
        cashier: String::new(),
    };
    let late = s.void_receipt(&late, now + Duration::hours(2)).unwrap();
    s.sign_in(CASHIER_PIN, now).unwrap();
    for i in 0..6 {
        s.record_sale(&cash_sale("busy", i, b), now + Duration::hours(3)).unwrap();
    }
    assert_eq!(
        s.unusual_activity(day, day, UnusualRules { amount_minor: 1_000, per_member_per_day: 5 }).unwrap_err().code(),
        "PermissionDenied",
        "a cashier does not see it"
    );
    s.sign_in(OWNER_PIN, now).unwrap();
    let found = s.unusual_activity(day, day, UnusualRules { amount_minor: 1_000, per_member_per_day: 5 }).unwrap();
    let seen: Vec<(UnusualKind, &str, Option<i64>)> =
        found.iter().map(|u| (u.kind, u.staff.as_str(), u.receipt_number)).collect();
    assert_eq!(
        seen,
        vec![
            (UnusualKind::BusyMember, "小美", None),
            (UnusualKind::LargeRefund, "店長", Some(big.number)),
            (UnusualKind::OtherTopUp, "店長", Some(other.number)),
            (UnusualKind::VoidAfterClose, "店長", Some(late.number)),
        ]
    );
}

#[test]
fn a_restore_is_in_the_restored_files_log_and_its_chain_stays_whole() {
    let mut f = staffed_shop();
    let now = f.now;
    f.shop.store.sign_in(OWNER_PIN, now).unwrap();
    let dir = f.shop.dir.path().join("backups");
    let made = f.shop.store.backup_into(&dir, false, now).unwrap();
    let Shop { dir: _keep, path, store } = f.shop;
    drop(store);
    regulars::store::backup::restore_backup(std::path::Path::new(&made.path), &path, &dir, now).unwrap();
    let mut restored = Store::open(&path).unwrap();
    restored.sign_in(OWNER_PIN, now).unwrap();
    let rows = restored.audit_log(&AuditFilter { kind: Some(Act::Restore), ..Default::default() }).unwrap();
    assert_eq!(rows.len(), 1);
    assert!(rows[0].detail.contains(&made.file_name), "{}", rows[0].detail);
    assert_eq!(restored.verify_audit().unwrap(), None);
}

#[test]
fn the_owner_takes_a_right_from_a_role_and_gives_it_back_from_the_cli() {
    let shop = CliShop::new();
    shop.ok(&["init", "--owner", "老闆", "--pin", OWNER_PIN]);
    shop.ok(&["--pin", OWNER_PIN, "staff", "add", "店長", "--role", "manager", "--new-pin", MANAGER_PIN]);
    shop.ok(&["--pin", OWNER_PIN, "staff", "add", "小美", "--role", "cashier", "--new-pin", CASHIER_PIN]);
    shop.ok(&["--pin", CASHIER_PIN, "member", "add", "--name", "林小美", "--phone", "0912345678"]);
    let top_up = |pin: &str, id: &str| shop.run(&["--pin", pin, "topup", "M000001", "100", "--request-id", id]);
    assert!(top_up(CASHIER_PIN, "t-1").status.success());

    // Only the owner changes the rights.
    let refused = shop.fails(&["--pin", MANAGER_PIN, "staff", "deny", "topUp", "--role", "cashier"]);
    assert!(refused.contains("a manager may not do staffPolicy: it needs the owner role"), "{refused}");
    let shown = shop.ok(&["--pin", OWNER_PIN, "staff", "deny", "topUp", "--role", "cashier"]);
    assert!(shown.contains("denied\ttopUp\tfrom cashier\t(now: managers and up)"), "{shown}");
    let denied = shop.fails(&["--pin", CASHIER_PIN, "topup", "M000001", "100", "--request-id", "t-2"]);
    assert!(denied.contains("needs the manager role"), "{denied}");
    assert!(top_up(MANAGER_PIN, "t-3").status.success(), "managers keep it");

    // Taken from managers, it is the owner's alone; the staff list says so.
    shop.ok(&["--pin", OWNER_PIN, "staff", "deny", "topup", "--role", "manager"]);
    assert!(!top_up(MANAGER_PIN, "t-4").status.success());
    let list = shop.ok(&["--pin", OWNER_PIN, "staff", "list"]);
    assert!(list.contains("denied\ttopUp\tfrom cashier, manager\t(now: the owner only)"), "{list}");
    assert!(top_up(OWNER_PIN, "t-5").status.success());

    // Rights a role never had, and the owner's own, cannot be taken.
    let never = shop.fails(&["--pin", OWNER_PIN, "staff", "deny", "refund", "--role", "cashier"]);
    assert!(never.contains("nothing to take away"), "{never}");
    let owners = shop.fails(&["--pin", OWNER_PIN, "staff", "deny", "settings", "--role", "manager"]);
    assert!(owners.contains("cannot be taken away"), "{owners}");

    // Given back to cashiers, managers have it back too.
    let back = shop.ok(&["--pin", OWNER_PIN, "staff", "allow", "topUp", "--role", "cashier"]);
    assert!(back.contains("no rights taken away"), "{back}");
    assert!(top_up(CASHIER_PIN, "t-6").status.success());
    assert!(top_up(MANAGER_PIN, "t-7").status.success());
    let policy = shop.json(&["--pin", OWNER_PIN, "staff", "policy"]);
    assert_eq!(policy["denied"], serde_json::json!([]));
    let log = shop.json(&["--pin", OWNER_PIN, "audit", "log", "--kind", "staffPolicy"]);
    assert_eq!(log.as_array().map(Vec::len), Some(3), "each change is in the audit log");
}

#[test]
fn the_settings_offer_exactly_the_rights_the_owner_may_take_with_their_default_roles() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/features/settings/rights.ts");
    let source = std::fs::read_to_string(&path).expect("ui/src/features/settings/rights.ts");
    let quoted = |line: &str, key: &str| -> Option<String> {
        let rest = &line[line.find(key)? + key.len()..];
        Some(rest[..rest.find('\'')?].to_string())
    };
    let offered: std::collections::BTreeSet<(String, String)> =
        source.lines().filter_map(|line| Some((quoted(line, "act: '")?, quoted(line, "least: '")?))).collect();
    let deniable: std::collections::BTreeSet<(String, String)> = Act::ALL
        .iter()
        .filter(|act| act.can_be_denied())
        .map(|act| (act.as_db().to_string(), act.least_role().map(|r| r.as_db().to_string()).unwrap_or_default()))
        .collect();
    assert_eq!(offered, deniable, "rights.ts and Act::least_role disagree");
}
