//! Staff, PINs and permissions, through the store: what each role may do
//! (a table over every write), the manager's override, the PIN pad's lock
//! across a restart, and the audit log's hash chain finding raw-SQL edits.
#![allow(clippy::disallowed_methods)] // Tampering tests edit the file with raw SQL.

use crate::common::*;
use chrono::{DateTime, Duration, Utc};
use regulars::analytics::segments::OwnerSettingsPatch;
use regulars::analytics::tiers::TierInput;
use regulars::points::PointsSettings;
use regulars::settings::SettingsPatch;
use regulars::store::catalogue::ProductInput;
use regulars::store::coupons::{CampaignRequest, IssueCouponRequest};
use regulars::store::owner::{ContactChannel, ContactOutcome, ContactRequest, ListFilter, MessageTemplate};
use regulars::store::owner_export::OwnerList;
use regulars::{
    Act, AdjustRequest, AuditFilter, DrawerCountRequest, EarnRule, MemberPatch, NewStaff, NewStampProgram,
    PaymentMethod, ReceiptLanguage, RedeemRequest, RefundRequest, Role, VoidRequest,
};

pub(crate) const OWNER_PIN: &str = "1111";
pub(crate) const MANAGER_PIN: &str = "2222";
pub(crate) const CASHIER_PIN: &str = "3333";
pub(crate) const OTHER_CASHIER_PIN: &str = "4444";

pub(crate) struct Fixture {
    pub(crate) shop: Shop,
    pub(crate) members: Vec<i64>,
    /// A member with a full card of many rewards.
    pub(crate) stamped: i64,
    pub(crate) program: i64,
    pub(crate) product: i64,
    /// A coupon offer (amount off).
    pub(crate) offer: i64,
    /// Receipts written by the cashier (just now, small) and by another cashier.
    pub(crate) cashier_receipts: Vec<i64>,
    pub(crate) others_receipts: Vec<i64>,
    pub(crate) now: DateTime<Utc>,
}

pub(crate) fn staffed_shop() -> Fixture {
    let mut shop = new_quick_shop();
    let now = noon();
    let s = &mut shop.store;
    s.create_first_owner("老闆", OWNER_PIN, now).unwrap();
    for (name, role, pin) in [
        ("店長", Role::Manager, MANAGER_PIN),
        ("小美", Role::Cashier, CASHIER_PIN),
        ("阿哲", Role::Cashier, OTHER_CASHIER_PIN),
    ] {
        s.add_staff(&NewStaff { name: name.into(), role, pin: pin.into() }, now).unwrap();
    }
    let program = s
        .add_program(
            &NewStampProgram {
                name: "飲料卡".into(),
                stamps_needed: 2,
                reward_text: "一杯".into(),
                earn_rule: EarnRule::PerItem,
                expiry_days: None,
            },
            now,
        )
        .unwrap()
        .id;
    let product = s
        .add_product(
            &ProductInput {
                name: "紅茶".into(),
                price_minor: 30,
                earns_stamps: true,
                category: String::new(),
                sort_order: 0,
            },
            now,
        )
        .unwrap()
        .id;
    let offer = s.add_offer(&amount_off_offer("開幕禮", 20, false), now).unwrap().id;
    let members: Vec<i64> =
        (0..40).map(|i| register(s, &format!("會員{i}"), Some(&format!("0912{i:06}")), now).id).collect();
    for (i, m) in members.iter().enumerate() {
        s.top_up(&top_up_req(&format!("seed-top-up-{i}"), *m, 5_000), now).unwrap();
    }
    let stamped = members[0];
    s.record_sale(&cash_sale_with_items("seed-stamps", stamped, 300, 20), now).unwrap();
    s.sign_in(CASHIER_PIN, now).unwrap();
    let cashier_receipts =
        (0..12).map(|i| s.record_sale(&cash_sale("cashier-sale", i, members[i + 1]), now).unwrap().number).collect();
    s.sign_in(OTHER_CASHIER_PIN, now).unwrap();
    let others_receipts =
        (0..12).map(|i| s.record_sale(&cash_sale("other-sale", i, members[i + 1]), now).unwrap().number).collect();
    s.sign_out(now).unwrap();
    Fixture { shop, members, stamped, program, product, offer, cashier_receipts, others_receipts, now }
}

pub(crate) fn cash_sale(prefix: &str, i: usize, member: i64) -> regulars::SaleRequest {
    sale_req(&format!("{prefix}-{i}"), member, &[(PaymentMethod::Cash, 100)])
}

/// What the shop holds, to see a refused write changed nothing.
pub(crate) fn fingerprint(path: &std::path::Path) -> String {
    let raw = rusqlite::Connection::open(path).unwrap();
    let q = |sql: &str| -> String { raw.query_row(sql, [], |r| r.get::<_, String>(0)).unwrap_or_default() };
    [
        "SELECT COUNT(*) || '/' || COALESCE(MAX(number), 0) FROM receipts",
        "SELECT COALESCE(SUM(wallet_paid_minor + wallet_bonus_minor), 0) || '/' || COUNT(*) || '/' || SUM(archived) || '/' || MAX(updated_at) || group_concat(name) FROM members",
        "SELECT group_concat(name || active || stamps_needed) FROM stamp_programs",
        "SELECT group_concat(name || active || price_minor) FROM products",
        "SELECT group_concat(min_paid_minor || ':' || bonus_minor) FROM top_up_bonus_rules",
        "SELECT name || time_zone || receipt_footer || COALESCE(set_up_at, '') FROM shop_settings",
        "SELECT group_concat(name || active || role) FROM staff",
        "SELECT COUNT(*) FROM drawer_counts",
        "SELECT COUNT(*) FROM member_contacts",
        "SELECT group_concat(name || min_spend_minor) FROM tiers",
        "SELECT group_concat(name || body) FROM message_templates",
        "SELECT group_concat(name || active || sort_order) FROM payment_methods",
        "SELECT s1_days || tier_basis FROM owner_settings",
        "SELECT COALESCE(cashier_void_minutes, '') || denied FROM staff_security",
        "SELECT group_concat(name || active || min_spend_minor) FROM coupon_offers",
        "SELECT COUNT(*) || '/' || group_concat(state) FROM coupons",
        "SELECT COUNT(*) FROM coupon_ledger",
        "SELECT COUNT(*) FROM coupon_campaigns",
        "SELECT earn_per_minor || '/' || point_value_minor FROM points_settings",
    ]
    .iter()
    .map(|sql| q(sql))
    .collect::<Vec<_>>()
    .join("|")
}

fn audit_rows(path: &std::path::Path) -> i64 {
    let raw = rusqlite::Connection::open(path).unwrap();
    raw.query_row("SELECT COUNT(*) FROM audit_log WHERE kind NOT IN ('signIn', 'signOut', 'refused')", [], |r| r.get(0))
        .unwrap()
}

type Op = fn(&mut Fixture, usize) -> regulars::Result<()>;

/// Every write of the store (and the reads the matrix guards), the least
/// role that may do it with the test's inputs, and how many audit rows it
/// leaves. `names` lists the store methods each row covers.
fn operations() -> Vec<(&'static [&'static str], Role, i64, Op)> {
    vec![
        (&["add_member"], Role::Cashier, 1, |f, k| {
            let t = f.now;
            f.shop.store.add_member(&new_member(&format!("新客{k}"), None), &format!("add-{k}"), t).map(drop)
        }),
        (&["edit_member"], Role::Cashier, 1, |f, k| {
            let patch = MemberPatch { notes: Some(format!("備註{k}")), ..Default::default() };
            let t = f.now;
            f.shop.store.edit_member(f.members[30], &patch, t).map(drop)
        }),
        (&["set_member_archived"], Role::Manager, 1, |f, k| {
            let t = f.now;
            f.shop.store.set_member_archived(f.members[31 + k], true, t).map(drop)
        }),
        (&["erase_member"], Role::Owner, 2, |f, k| {
            let t = f.now;
            let id = f.members[35 + k];
            f.shop.store.erase_member(id, true, &format!("erase-{k}"), ReceiptLanguage::ZhTw, t).map(drop)
        }),
        (&["import_members"], Role::Manager, 1, |f, k| {
            let t = f.now;
            f.shop.store.import_members(&[new_member(&format!("匯入{k}"), None)], &format!("import-{k}"), t).map(drop)
        }),
        (&["record_sale"], Role::Cashier, 1, |f, k| {
            let t = f.now;
            f.shop.store.record_sale(&cash_sale("op-sale", k, f.members[20]), t).map(drop)
        }),
        (&["top_up"], Role::Cashier, 1, |f, k| {
            let t = f.now;
            f.shop.store.top_up(&top_up_req(&format!("op-top-up-{k}"), f.members[20], 500), t).map(drop)
        }),
        (&["redeem_reward"], Role::Cashier, 1, |f, k| {
            let req = RedeemRequest {
                request_id: format!("op-redeem-{k}"),
                member_id: f.stamped,
                program_id: f.program,
                cashier: String::new(),
                note: String::new(),
            };
            let t = f.now;
            f.shop.store.redeem_reward(&req, t).map(drop)
        }),
        (&["refund_stored_value"], Role::Manager, 1, |f, k| {
            let req = RefundRequest {
                request_id: format!("op-refund-{k}"),
                member_id: f.members[21],
                amount_minor: 100,
                method: PaymentMethod::Cash,
                method_id: None,
                cashier: String::new(),
                note: String::new(),
            };
            let t = f.now;
            f.shop.store.refund_stored_value(&req, t).map(drop)
        }),
        (&["adjust_stored_value"], Role::Manager, 1, |f, k| {
            let req = AdjustRequest {
                request_id: format!("op-adjust-{k}"),
                member_id: f.members[22],
                paid_delta_minor: 100,
                bonus_delta_minor: 0,
                reason: "補登".into(),
                cashier: String::new(),
            };
            let t = f.now;
            f.shop.store.adjust_stored_value(&req, t).map(drop)
        }),
        // The cashier's own receipt, minutes old and small: a cashier may.
        (&["void_receipt"], Role::Cashier, 1, |f, k| {
            let req = VoidRequest {
                request_id: format!("op-void-own-{k}"),
                receipt_number: f.cashier_receipts[k],
                reason: "打錯".into(),
                cashier: String::new(),
            };
            let t = f.now + Duration::minutes(5);
            f.shop.store.void_receipt(&req, t).map(drop)
        }),
        // Another cashier's receipt: a manager's right.
        (&["void_receipt"], Role::Manager, 1, |f, k| {
            let req = VoidRequest {
                request_id: format!("op-void-other-{k}"),
                receipt_number: f.others_receipts[k],
                reason: "打錯".into(),
                cashier: String::new(),
            };
            let t = f.now + Duration::minutes(5);
            f.shop.store.void_receipt(&req, t).map(drop)
        }),
        (&["count_drawer", "day_close"], Role::Manager, 1, |f, k| {
            let req = DrawerCountRequest {
                request_id: format!("op-drawer-{k}"),
                date: f.now.date_naive(),
                float_minor: 1000,
                counted_minor: 1000,
                cashier: String::new(),
                note: String::new(),
            };
            let t = f.now;
            f.shop.store.count_drawer(&req, t).map(drop)
        }),
        (&["add_product"], Role::Owner, 1, |f, k| {
            let input = ProductInput {
                name: format!("新品{k}"),
                price_minor: 50,
                earns_stamps: false,
                category: String::new(),
                sort_order: 0,
            };
            let t = f.now;
            f.shop.store.add_product(&input, t).map(drop)
        }),
        (&["edit_product", "set_product_active"], Role::Owner, 2, |f, k| {
            let input = ProductInput {
                name: format!("紅茶{k}"),
                price_minor: 35,
                earns_stamps: true,
                category: String::new(),
                sort_order: 0,
            };
            let t = f.now;
            f.shop.store.edit_product(f.product, &input, t)?;
            f.shop.store.set_product_active(f.product, true, t).map(drop)
        }),
        (&["save_payment_method", "reorder_payment_methods", "remove_payment_method"], Role::Owner, 3, |f, k| {
            let t = f.now;
            let input = regulars::PaymentMethodInput {
                id: None,
                kind: PaymentMethod::Other,
                name: format!("禮券{k}"),
                active: true,
            };
            let methods = f.shop.store.save_payment_method(&input, t)?;
            let ids: Vec<i64> = methods.iter().map(|m| m.id).collect();
            f.shop.store.reorder_payment_methods(&ids, t)?;
            let new = methods.iter().find(|m| m.name == format!("禮券{k}")).unwrap().id;
            f.shop.store.remove_payment_method(new, t).map(drop)
        }),
        (&["add_program", "edit_program", "set_program_active"], Role::Owner, 3, |f, k| {
            let t = f.now;
            let p = f.shop.store.add_program(
                &NewStampProgram {
                    name: format!("卡{k}"),
                    stamps_needed: 5,
                    reward_text: "禮".into(),
                    earn_rule: EarnRule::PerVisit,
                    expiry_days: None,
                },
                t,
            )?;
            let edit = regulars::ProgramEdit {
                name: format!("新卡{k}"),
                stamps_needed: 6,
                reward_text: "禮".into(),
                expiry_days: None,
            };
            f.shop.store.edit_program(p.id, &edit, t)?;
            f.shop.store.set_program_active(p.id, false, t).map(drop)
        }),
        (&["set_bonus_rule", "remove_bonus_rule"], Role::Owner, 2, |f, k| {
            let t = f.now;
            f.shop.store.set_bonus_rule(10_000 + k as i64, 100, 0, t)?;
            f.shop.store.remove_bonus_rule(10_000 + k as i64, t).map(drop)
        }),
        (&["update_settings"], Role::Owner, 1, |f, k| {
            let patch = SettingsPatch { receipt_footer: Some(format!("謝謝{k}")), ..Default::default() };
            let t = f.now;
            f.shop.store.update_settings(&patch, t).map(drop)
        }),
        (&["mark_set_up"], Role::Owner, 1, |f, _| {
            let t = f.now;
            f.shop.store.mark_set_up(t)
        }),
        (&["update_owner_settings"], Role::Owner, 1, |f, k| {
            let patch = OwnerSettingsPatch { s1_days: Some(20 + k as i64), ..Default::default() };
            let t = f.now;
            f.shop.store.update_owner_settings(&patch, t).map(drop)
        }),
        (&["set_tiers", "apply_tier_review", "rebuild_owner_aggregates"], Role::Owner, 3, |f, k| {
            let t = f.now;
            let tiers = [
                TierInput { name: "會員".into(), min_spend_minor: 0, points_multiplier_pct: 100 },
                TierInput { name: format!("金卡{k}"), min_spend_minor: 1000, points_multiplier_pct: 100 },
            ];
            f.shop.store.set_tiers(&tiers, t)?;
            f.shop.store.apply_tier_review(t)?;
            f.shop.store.rebuild_owner_aggregates(t)
        }),
        (&["set_message_template", "remove_message_template"], Role::Owner, 2, |f, k| {
            let t = f.now;
            let name = format!("範本{k}");
            f.shop
                .store
                .set_message_template(&MessageTemplate { name: name.clone(), body: "{name} 您好".into() }, t)?;
            f.shop.store.remove_message_template(&name, t)
        }),
        (&["record_contact"], Role::Manager, 1, |f, k| {
            let req = ContactRequest {
                request_id: format!("op-contact-{k}"),
                member_id: f.members[23],
                channel: ContactChannel::Line,
                outcome: ContactOutcome::PromisedVisit,
                note: String::new(),
                cashier: String::new(),
            };
            let t = f.now;
            f.shop.store.record_contact(&req, t).map(drop)
        }),
        (&["add_staff", "set_staff_pin", "disable_staff"], Role::Owner, 3, |f, k| {
            let t = f.now;
            let pin = format!("{}", 70_000 + k);
            let added = f.shop.store.add_staff(&NewStaff { name: format!("工讀{k}"), role: Role::Cashier, pin }, t)?;
            f.shop.store.set_staff_pin(added.id, &format!("{}", 80_000 + k), t)?;
            f.shop.store.disable_staff(added.id, t).map(drop)
        }),
        (&["set_staff_policy"], Role::Owner, 1, |f, k| {
            let t = f.now;
            let mut policy = f.shop.store.staff_policy()?;
            policy.idle_lock_minutes = 5 + k as i64;
            f.shop.store.set_staff_policy(&policy, t).map(drop)
        }),
        (&["backup_into"], Role::Owner, 1, |f, k| {
            let dir = f.shop.dir.path().join(format!("backups-{k}"));
            let t = f.now;
            f.shop.store.backup_into(&dir, false, t).map(drop)
        }),
        (&["owner_list_csv"], Role::Manager, 1, |f, _| {
            let t = f.now;
            f.shop
                .store
                .owner_list_csv(&OwnerList::Vip, &ListFilter::default(), None, ReceiptLanguage::ZhTw, t)
                .map(drop)
        }),
        (&["issue_coupon"], Role::Cashier, 1, |f, k| {
            let req = IssueCouponRequest {
                request_id: format!("op-coupon-{k}"),
                member_id: f.members[24],
                offer_id: f.offer,
            };
            let t = f.now;
            f.shop.store.issue_coupon(&req, t).map(drop)
        }),
        (&["issue_campaign"], Role::Manager, 1, |f, k| {
            let req = CampaignRequest {
                request_id: format!("op-campaign-{k}"),
                name: format!("活動{k}"),
                offer_id: f.offer,
                member_ids: f.members[25..28].to_vec(),
                list_name: "vip".into(),
            };
            let t = f.now;
            f.shop.store.issue_campaign(&req, t).map(drop)
        }),
        (&["set_points_settings"], Role::Owner, 1, |f, k| {
            let t = f.now;
            let rules = PointsSettings {
                earn_per_minor: 100 + k as i64,
                point_value_minor: 1,
                expiry_months: None,
                max_redeem_percent: 100,
                birthday_multiplier_pct: 100,
            };
            f.shop.store.set_points_settings(&rules, t).map(drop)
        }),
        (&["set_auto_coupon_rule"], Role::Owner, 1, |f, k| {
            let t = f.now;
            let rule = regulars::auto_coupon::AutoCouponRule {
                kind: regulars::auto_coupon::AutoCouponKind::Birthday,
                offer_id: None,
                enabled: false,
                days_before: 3 + k as i64,
            };
            f.shop.store.set_auto_coupon_rule(&rule, t).map(drop)
        }),
        (&["set_referral_settings"], Role::Owner, 1, |f, k| {
            let t = f.now;
            let reward = regulars::referral::ReferralSettings {
                kind: regulars::referral::ReferralRewardKind::Points,
                points: 10 + k as i64,
                ..regulars::referral::ReferralSettings::NONE
            };
            f.shop.store.set_referral_settings(&reward, t).map(drop)
        }),
        (&["add_offer", "edit_offer", "pause_offer", "resume_offer"], Role::Owner, 4, |f, k| {
            let t = f.now;
            let added = f.shop.store.add_offer(&amount_off_offer(&format!("折價{k}"), 10, true), t)?;
            f.shop.store.edit_offer(added.id, &amount_off_offer(&format!("折價{k}"), 15, true), t)?;
            f.shop.store.pause_offer(added.id, t)?;
            f.shop.store.resume_offer(added.id, t).map(drop)
        }),
        (&["campaign_report", "campaign_preview"], Role::Manager, 0, |f, _| {
            f.shop.store.campaign_report()?;
            f.shop.store.campaign_preview(f.offer, &f.members[..5]).map(drop)
        }),
        (&["dashboard", "audit_log"], Role::Manager, 0, |f, _| {
            let t = f.now;
            f.shop.store.dashboard(t)?;
            f.shop.store.audit_log(&AuditFilter::default()).map(drop)
        }),
        (&["export_data"], Role::Manager, 1, |f, _| {
            let t = f.now;
            f.shop.store.export_data(None, t, &mut |_| Ok(())).map(drop)
        }),
    ]
}

fn pin_of(role: Role) -> &'static str {
    match role {
        Role::Owner => OWNER_PIN,
        Role::Manager => MANAGER_PIN,
        Role::Cashier => CASHIER_PIN,
    }
}

#[test]
fn each_role_may_do_what_the_matrix_says_and_a_refused_write_changes_nothing() {
    let mut f = staffed_shop();
    let now = f.now;
    for (n, (names, least, rows, op)) in operations().into_iter().enumerate() {
        for (k, role) in [Role::Cashier, Role::Manager, Role::Owner].into_iter().enumerate() {
            f.shop.store.sign_in(pin_of(role), now).unwrap();
            let before = fingerprint(&f.shop.path);
            let audit_before = audit_rows(&f.shop.path);
            let result = op(&mut f, k);
            let audit_after = audit_rows(&f.shop.path);
            if role >= least {
                result.unwrap_or_else(|e| panic!("{names:?} #{n} as {role:?} must be allowed: {e}"));
                assert_eq!(audit_after - audit_before, rows, "{names:?} as {role:?}: one audit row per write");
            } else {
                let err = result.expect_err(&format!("{names:?} as {role:?} must be refused"));
                assert_eq!(err.code(), "PermissionDenied", "{names:?} as {role:?}: {err}");
                let needed = err.details().into_iter().find(|(k, _)| *k == "needed").unwrap().1;
                assert_eq!(needed, least.as_db(), "{names:?}: the refusal names the role that may");
                assert_eq!(fingerprint(&f.shop.path), before, "{names:?} as {role:?} changed something");
                assert_eq!(audit_after, audit_before, "{names:?}: a refusal is no change");
            }
        }
    }
    // Each refusal is itself in the log, with who tried.
    f.shop.store.sign_in(OWNER_PIN, now).unwrap();
    let refused = f.shop.store.audit_log(&AuditFilter { kind: Some(Act::Refused), ..Default::default() }).unwrap();
    assert!(refused.iter().any(|r| r.staff_name == "小美" && r.detail.contains("refund")), "{refused:?}");
    assert_eq!(f.shop.store.verify_audit().unwrap(), None);
}

/// Every `&mut self` method of the store that writes is in the table
/// above: a new write added without a row here fails this test.
#[test]
fn the_role_table_covers_every_write_of_the_store() {
    let covered: Vec<&str> = operations().iter().flat_map(|(names, ..)| names.iter().copied()).collect();
    // Signing in and out, the first owner and the demo are tested on their own below;
    // the rest set up the handle itself and write no shop data.
    // The automatic coupons are the app's own work, by "system" whoever is signed in (auto_coupons.rs).
    let elsewhere = [
        "sign_in",
        "sign_out",
        "approve_next",
        "resume",
        "create_first_owner",
        "seed_demo_data",
        "migrate_to",
        "issue_automatic_coupons",
    ];
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/store");
    let mut missing = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
            for part in flat.split("pub fn ").skip(1) {
                let name = part.split('(').next().unwrap();
                let args = part.split_once('(').map(|(_, a)| a).unwrap_or("");
                let takes_mut = args.starts_with("&mut self") || args.starts_with("&'_ mut self");
                let writes_by_ref = ["backup_into", "owner_list_csv"].contains(&name);
                if (takes_mut || writes_by_ref) && !covered.contains(&name) && !elsewhere.contains(&name) {
                    missing.push(format!("{name} ({})", path.display()));
                }
            }
        }
    }
    assert!(missing.is_empty(), "writes with no row in the role table: {missing:?}");
}

#[test]
fn a_cashiers_refund_needs_a_managers_pin_and_both_names_are_kept() {
    let mut f = staffed_shop();
    let now = f.now;
    let member = f.members[5];
    let req = |id: &str| RefundRequest {
        request_id: id.into(),
        member_id: member,
        amount_minor: 1_000,
        method: PaymentMethod::Cash,
        method_id: None,
        cashier: "typed name is ignored".into(),
        note: String::new(),
    };
    let s = &mut f.shop.store;
    s.sign_in(CASHIER_PIN, now).unwrap();
    assert_eq!(s.refund_stored_value(&req("refund-1"), now).unwrap_err().code(), "PermissionDenied");
    // Another cashier's PIN is no approval.
    s.approve_next(OTHER_CASHIER_PIN, now).unwrap();
    assert_eq!(s.refund_stored_value(&req("refund-1"), now).unwrap_err().code(), "PermissionDenied");
    s.approve_next(MANAGER_PIN, now).unwrap();
    let receipt = s.refund_stored_value(&req("refund-1"), now).unwrap();
    assert_eq!(receipt.cashier, "小美");
    assert_eq!(receipt.approved_by.as_deref(), Some("店長"));
    assert_eq!(s.receipt(receipt.number).unwrap().approved_by.as_deref(), Some("店長"));
    // The printed receipt names both.
    let pdf = s.receipt_pdf(receipt.number, Some(regulars::PaperSize::Mm80), ReceiptLanguage::ZhTw).unwrap();
    let file = f.shop.dir.path().join("refund.pdf");
    std::fs::write(&file, &pdf.bytes).unwrap();
    let out = std::process::Command::new("pdftotext").args([file.to_str().unwrap(), "-"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("收銀 小美") && text.contains("核准 店長"), "{text}");
    let s = &mut f.shop.store;
    // The approval was for that one write: the next refund is refused again.
    assert_eq!(s.refund_stored_value(&req("refund-2"), now).unwrap_err().code(), "PermissionDenied");
    s.sign_in(OWNER_PIN, now).unwrap();
    let log = s.audit_log(&AuditFilter { kind: Some(Act::Refund), ..Default::default() }).unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].staff_name, "小美");
    assert_eq!(log[0].approver_name.as_deref(), Some("店長"));
    assert_eq!(log[0].receipt_number, Some(receipt.number));
}

#[test]
fn a_cashier_may_not_void_an_old_or_large_receipt_of_their_own() {
    let mut f = staffed_shop();
    let now = f.now;
    let s = &mut f.shop.store;
    s.sign_in(CASHIER_PIN, now).unwrap();
    let void = |id: &str, number| VoidRequest {
        request_id: id.into(),
        receipt_number: number,
        reason: "打錯".into(),
        cashier: String::new(),
    };
    let late = now + Duration::minutes(31);
    let err = s.void_receipt(&void("late", f.cashier_receipts[0]), late).unwrap_err();
    assert_eq!(err.code(), "PermissionDenied");
    let big = s.top_up(&top_up_req("big", f.members[3], 2_000), now).unwrap();
    assert_eq!(s.void_receipt(&void("big-void", big.number), now).unwrap_err().code(), "PermissionDenied");
    s.approve_next(MANAGER_PIN, now).unwrap();
    let voided = s.void_receipt(&void("big-void", big.number), now).unwrap();
    assert_eq!(voided.approved_by.as_deref(), Some("店長"));
}

#[test]
fn five_wrong_pins_lock_the_pad_and_a_restart_does_not_unlock_it() {
    let f = staffed_shop();
    let now = f.now;
    let mut s = f.shop.open_again();
    for left in (1..=4).rev() {
        let err = s.sign_in("9999", now).unwrap_err();
        assert_eq!(err.code(), "WrongPin");
        assert_eq!(err.details(), vec![("left", left.to_string())]);
    }
    let locked = s.sign_in("9999", now).unwrap_err();
    assert_eq!(locked.code(), "PinLocked");
    drop(s);
    let mut s = f.shop.open_again();
    // The right PIN does not open a locked pad, after a restart too.
    assert_eq!(s.sign_in(OWNER_PIN, now + Duration::minutes(4)).unwrap_err().code(), "PinLocked");
    assert!(s.session().is_none());
    let session = s.sign_in(OWNER_PIN, now + Duration::minutes(5) + Duration::seconds(1)).unwrap();
    assert_eq!(session.name(), "老闆");
    let failures = s.audit_log(&AuditFilter { kind: Some(Act::PinFailed), ..Default::default() }).unwrap();
    let locks = s.audit_log(&AuditFilter { kind: Some(Act::PinLocked), ..Default::default() }).unwrap();
    assert_eq!((failures.len(), locks.len()), (5, 1));
}

#[test]
fn once_a_shop_has_staff_every_write_needs_someone_signed_in() {
    let mut f = staffed_shop();
    let now = f.now;
    let before = fingerprint(&f.shop.path);
    let s = &mut f.shop.store;
    assert!(s.session().is_none());
    let err = s.top_up(&top_up_req("nobody", f.members[2], 100), now).unwrap_err();
    assert_eq!(err.code(), "SignInRequired");
    assert_eq!(fingerprint(&f.shop.path), before);
    // A disabled account's session ends at its next write.
    let s = &mut f.shop.store;
    s.sign_in(OWNER_PIN, now).unwrap();
    let mei = s.resolve_staff("小美").unwrap();
    let mut cashier = f.shop.open_again();
    cashier.sign_in(CASHIER_PIN, now).unwrap();
    f.shop.store.disable_staff(mei.id, now).unwrap();
    assert_eq!(cashier.top_up(&top_up_req("gone", f.members[2], 100), now).unwrap_err().code(), "SignInRequired");
    assert_eq!(cashier.sign_in(CASHIER_PIN, now).unwrap_err().code(), "WrongPin");
}

#[test]
fn pins_are_unique_and_the_last_owner_stays() {
    let mut f = staffed_shop();
    let now = f.now;
    let s = &mut f.shop.store;
    s.sign_in(OWNER_PIN, now).unwrap();
    let dup = NewStaff { name: "新人".into(), role: Role::Cashier, pin: MANAGER_PIN.into() };
    assert_eq!(s.add_staff(&dup, now).unwrap_err().code(), "DuplicatePin");
    let owner = s.resolve_staff("老闆").unwrap();
    assert_eq!(s.disable_staff(owner.id, now).unwrap_err().code(), "LastOwner");
    assert_eq!(s.create_first_owner("又一個", "5555", now).unwrap_err().code(), "StaffExists");
    // A cashier changes their own PIN, not anyone else's.
    s.sign_in(CASHIER_PIN, now).unwrap();
    let me = s.session().unwrap().staff_id();
    s.set_staff_pin(me, "3344", now).unwrap();
    let manager = s.resolve_staff("店長").unwrap();
    assert_eq!(s.set_staff_pin(manager.id, "9876", now).unwrap_err().code(), "PermissionDenied");
    assert_eq!(s.sign_in("3344", now).unwrap().name(), "小美");
}

fn tampered(sql: &str) -> (Shop, Option<regulars::AuditBreak>) {
    let f = staffed_shop();
    let raw = rusqlite::Connection::open(&f.shop.path).unwrap();
    raw.execute_batch("DROP TRIGGER audit_log_append_only_u; DROP TRIGGER audit_log_append_only_d;").unwrap();
    raw.execute_batch(sql).unwrap();
    let found = f.shop.open_again().verify_audit().unwrap();
    (f.shop, found)
}

#[test]
fn an_audit_row_edited_deleted_or_slipped_in_with_raw_sql_is_found() {
    let f = staffed_shop();
    assert_eq!(f.shop.store.verify_audit().unwrap(), None, "an untouched log checks");
    let rows: i64 = rusqlite::Connection::open(&f.shop.path)
        .unwrap()
        .query_row("SELECT COUNT(*) FROM audit_log", [], |r| r.get(0))
        .unwrap();
    assert!(rows > 50, "the fixture's writes are all logged: {rows}");

    let (_, edited) = tampered("UPDATE audit_log SET detail = '{\"total\":1}' WHERE id = 20");
    assert_eq!(edited.map(|b| (b.id, b.problem)), Some((20, "edited".to_string())));

    let (_, deleted) = tampered("DELETE FROM audit_log WHERE id = 20");
    assert_eq!(deleted.map(|b| b.id), Some(21));

    // A forged row copied from another, given its own id and a fresh hash.
    let (_, inserted) = tampered(
        "INSERT INTO audit_log (id, at, kind, staff_id, staff_name, detail, prev_hash, hash)
         SELECT (SELECT MAX(id) FROM audit_log) + 1, at, kind, staff_id, staff_name, detail, prev_hash, hash
         FROM audit_log WHERE id = 20",
    );
    assert!(inserted.is_some(), "a copied row does not chain");
}

#[test]
fn receipts_from_before_staff_accounts_keep_their_typed_cashier() {
    let mut shop = new_quick_shop();
    let now = noon();
    let s = &mut shop.store;
    let m = register(s, "老客人", Some("0912000111"), now);
    let mut req = top_up_req("before-staff", m.id, 500);
    req.cashier = "阿嬤".into();
    let old = s.top_up(&req, now).unwrap();
    assert_eq!((old.cashier.as_str(), old.staff_id), ("阿嬤", None));
    s.create_first_owner("老闆", OWNER_PIN, now).unwrap();
    let new = s.top_up(&top_up_req("after-staff", m.id, 500), now).unwrap();
    assert_eq!(new.cashier, "老闆");
    assert!(new.staff_id.is_some());
    let again = shop.open_again().receipt(old.number).unwrap();
    assert_eq!((again.cashier.as_str(), again.staff_id), ("阿嬤", None));
    let log = shop.store.audit_log(&AuditFilter { kind: Some(Act::TopUp), ..Default::default() }).unwrap();
    let names: Vec<&str> = log.iter().map(|r| r.staff_name.as_str()).collect();
    assert_eq!(names, vec!["老闆", "阿嬤"]);
}

#[test]
fn the_cli_signs_staff_in_by_pin_and_refuses_what_their_role_may_not() {
    let shop = CliShop::new();
    // An existing shop gets its first owner; from then on writes need a PIN.
    shop.ok(&["init", "--owner", "老闆", "--pin", OWNER_PIN]);
    shop.ok(&["--pin", OWNER_PIN, "staff", "add", "店長", "--role", "manager", "--new-pin", MANAGER_PIN]);
    shop.ok(&["--pin", OWNER_PIN, "staff", "add", "小美", "--role", "cashier", "--new-pin", CASHIER_PIN]);
    let list = shop.ok(&["--pin", OWNER_PIN, "staff", "list"]);
    assert!(list.contains("小美\tcashier\tactive"), "{list}");
    let err = shop.fails(&["member", "add", "--name", "林小美", "--phone", "0912345678"]);
    assert!(err.contains("sign in"), "{err}");
    shop.ok(&["--pin", CASHIER_PIN, "member", "add", "--name", "林小美", "--phone", "0912345678"]);
    shop.ok(&["--pin", CASHIER_PIN, "topup", "M000001", "1000", "--request-id", "t-1"]);
    // A cashier's refund is refused with a stable code, and nothing is paid out …
    let out = shop.run(&["--pin", CASHIER_PIN, "--json", "refund", "M000001", "500", "--request-id", "r-1"]);
    assert!(!out.status.success());
    let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["error"]["code"], "PermissionDenied");
    // … until a manager's PIN approves that one refund.
    let receipt = shop.json(&[
        "--pin",
        CASHIER_PIN,
        "--approve-pin",
        MANAGER_PIN,
        "refund",
        "M000001",
        "500",
        "--request-id",
        "r-1",
    ]);
    assert_eq!(receipt["cashier"], "小美");
    assert_eq!(receipt["approvedBy"], "店長");
    let wrong = shop.fails(&["--pin", CASHIER_PIN, "--staff", "店長", "member", "show", "M000001"]);
    assert!(wrong.contains("someone else"), "{wrong}");
    // The log says who did it and who approved it; its chain is whole.
    let log = shop.json(&["--pin", MANAGER_PIN, "audit", "log", "--kind", "refund"]);
    assert_eq!(log[0]["staffName"], "小美");
    assert_eq!(log[0]["approverName"], "店長");
    let refused = shop.json(&["--pin", MANAGER_PIN, "audit", "log", "--by", "小美", "--kind", "refused"]);
    assert_eq!(refused.as_array().unwrap().len(), 1);
    let csv = shop.ok(&["--pin", OWNER_PIN, "audit", "log", "--csv"]);
    assert!(csv.starts_with("id,at,kind,staff"), "{csv}");
    assert!(shop.ok(&["audit", "verify"]).starts_with("ok"));
    let denied = shop.fails(&["--pin", CASHIER_PIN, "audit", "log"]);
    assert!(denied.contains("needs the manager role"), "{denied}");
    // The day close says who took what.
    shop.ok(&["--pin", OWNER_PIN, "topup", "M000001", "200", "--request-id", "t-2"]);
    let day = shop.ok(&["--pin", MANAGER_PIN, "report", "day"]);
    assert!(day.contains("by staff member"), "{day}");
    let line = |who: &str| day.lines().find(|l| l.trim_start().starts_with(who)).unwrap_or_default().to_string();
    assert!(line("小美").contains("500"), "{day}");
    assert!(line("老闆").contains("200"), "{day}");
    // The same id with another amount is refused, not answered with the first receipt.
    let conflict = shop.fails(&["--pin", OWNER_PIN, "topup", "M000001", "900", "--request-id", "t-2"]);
    assert!(conflict.contains("another amount"), "{conflict}");
}
