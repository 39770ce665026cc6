//! The owner's view on hand-built histories with known answers: NES
//! segments, the win-back list and its follow-up, tiers, RFM, birthdays,
//! who is due back, 80/20, the dashboard, outreach text and CSV.
#![allow(clippy::disallowed_methods)] // Tests break the owner's aggregates with raw SQL to see them found.

use crate::common::*;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use regulars::analytics::export::to_csv;
use regulars::analytics::rfm::RfmSegment;
use regulars::analytics::segments::{Nes, OwnerSettingsPatch, TierBasis};
use regulars::analytics::tiers::TierInput;
use regulars::settings::SettingsPatch;
use regulars::store::catalogue::ProductInput;
use regulars::store::owner::{
    BirthdayWindow, ContactChannel, ContactOutcome, ContactRequest, DueFilter, ListFilter, MessageTemplate,
};
use regulars::ReceiptLanguage;
use regulars::{LineInput, MemberPatch, PaymentMethod, Store, VoidRequest};

fn sale(store: &mut Store, id: &str, member: i64, amount: i64, at: DateTime<Utc>) -> i64 {
    store.record_sale(&sale_req(id, member, &[(PaymentMethod::Cash, amount)]), at).expect("sale").number
}

fn void(store: &mut Store, number: i64, at: DateTime<Utc>) {
    store
        .void_receipt(
            &VoidRequest {
                request_id: format!("void-{number}"),
                receipt_number: number,
                reason: "mistake".into(),
                cashier: "x".into(),
            },
            at,
        )
        .expect("void");
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn check_aggregates(store: &Store) {
    let m = store.owner_aggregate_mismatches().expect("recompute");
    assert!(m.is_empty(), "aggregates differ from the receipts: {m:?}");
    check_invariants(store);
}

fn segment_of(store: &Store, member: i64, now: DateTime<Utc>) -> Nes {
    let r = store.nes_report(&ListFilter::default(), now).unwrap();
    r.members.rows.iter().find(|r| r.member_id == member).unwrap().segment
}

#[test]
fn visit_days_follow_the_shops_midnight_not_utc() {
    let mut shop = new_shop();
    let s = &mut shop.store;
    let m = register(s, "阿明", Some("0912000001"), at("2026-03-01T00:00:00Z"));
    // 15:30 and 16:30 UTC are 23:30 on the 1st and 00:30 on the 2nd in Taipei: two visit days.
    sale(s, "a", m.id, 100, at("2026-03-01T15:30:00Z"));
    sale(s, "b", m.id, 100, at("2026-03-01T16:30:00Z"));
    // Two sales on one Taipei day (UTC dates differ) count as one visit day.
    sale(s, "c", m.id, 100, at("2026-03-08T16:30:00Z"));
    sale(s, "d", m.id, 100, at("2026-03-09T03:00:00Z"));
    let now = at("2026-03-09T04:00:00Z");
    let r = s.nes_report(&ListFilter::default(), now).unwrap();
    let row = &r.members.rows[0];
    assert_eq!((row.visits, row.visit_days), (4, 3));
    assert_eq!(row.last_visit_date, Some(day("2026-03-09")));
    // Gaps 1 and 7 days: the lower median is 1, but a typical interval is at least 7 days.
    assert_eq!(row.typical_gap_days, Some(1));
    assert_eq!(row.sleep_after_days, 14);
    assert_eq!(row.segment, Nes::New);
    check_aggregates(s);
}

#[test]
fn nes_segments_of_a_regular_a_one_timer_a_newcomer_and_a_stranger() {
    let mut shop = new_shop();
    let s = &mut shop.store;
    let t0 = at("2026-01-01T04:00:00Z");
    let regular = register(s, "常客", Some("0912000001"), t0).id;
    let once = register(s, "一次", Some("0912000002"), t0).id;
    let fresh = register(s, "新客", Some("0912000003"), t0).id;
    let never = register(s, "沒來", Some("0912000004"), t0).id;
    for i in 0..6 {
        sale(s, &format!("r{i}"), regular, 150, t0 + Duration::days(10 * i));
    }
    sale(s, "o", once, 80, t0);
    let now = t0 + Duration::days(50 + 21); // the regular: 21 days away, usual 10 → S1 (past 20)
    sale(s, "f", fresh, 60, now - Duration::days(3));
    assert_eq!(segment_of(s, regular, now), Nes::Sleeping1);
    assert_eq!(segment_of(s, regular, now - Duration::days(1)), Nes::Active);
    assert_eq!(segment_of(s, regular, now + Duration::days(10)), Nes::Sleeping2);
    assert_eq!(segment_of(s, regular, now + Duration::days(30)), Nes::Sleeping3);
    // One visit 71 days ago, no history: shop defaults (S2 past 60 days).
    assert_eq!(segment_of(s, once, now), Nes::Sleeping2);
    assert_eq!(segment_of(s, fresh, now), Nes::New);
    assert_eq!(segment_of(s, never, now), Nes::NoVisit);
    let counts = s.nes_report(&ListFilter::default(), now).unwrap().counts;
    let count = |n: Nes| counts.iter().find(|c| c.segment == n).unwrap().members;
    assert_eq!((count(Nes::New), count(Nes::Sleeping1), count(Nes::Sleeping2), count(Nes::NoVisit)), (1, 1, 1, 1));

    // The thresholds are the owner's to change.
    s.update_owner_settings(&OwnerSettingsPatch { s1_pct: Some(250), ..Default::default() }, now).unwrap();
    assert_eq!(segment_of(s, regular, now), Nes::Active);
    let bad = OwnerSettingsPatch { s1_days: Some(500), ..Default::default() };
    assert_eq!(s.update_owner_settings(&bad, now).unwrap_err().code(), "InvalidInput");
}

#[test]
fn a_weekly_regular_at_150_percent_sleeps_after_11_whole_days_not_10() {
    let mut shop = new_shop();
    let s = &mut shop.store;
    let t0 = at("2026-01-01T04:00:00Z");
    let m = register(s, "每週", Some("0912000001"), t0).id;
    for i in 0..5 {
        sale(s, &format!("w{i}"), m, 120, t0 + Duration::days(7 * i));
    }
    let patch = OwnerSettingsPatch { s1_pct: Some(150), s2_pct: Some(250), s3_pct: Some(350), ..Default::default() };
    s.update_owner_settings(&patch, t0).unwrap();
    let last = t0 + Duration::days(28);
    let row = s.nes_report(&ListFilter::default(), last).unwrap().members.rows[0].clone();
    // 150 % of 7 days is 10.5, shown and applied as 11.
    assert_eq!((row.typical_gap_days, row.sleep_after_days), (Some(7), 11));
    for (away, segment) in [
        (10, Nes::Active),
        (11, Nes::Active),
        (12, Nes::Sleeping1),
        (18, Nes::Sleeping1),
        (19, Nes::Sleeping2),
        (25, Nes::Sleeping2),
        (26, Nes::Sleeping3),
    ] {
        assert_eq!(segment_of(s, m, last + Duration::days(away)), segment, "{away} days away");
    }
    check_aggregates(s);
}

#[test]
fn a_voided_sale_leaves_no_trace_in_segments_or_gaps() {
    let mut shop = new_shop();
    let s = &mut shop.store;
    let t0 = at("2026-01-01T04:00:00Z");
    let m = register(s, "阿華", Some("0912000001"), t0).id;
    sale(s, "a", m, 100, t0);
    sale(s, "b", m, 100, t0 + Duration::days(10));
    let last = sale(s, "c", m, 100, t0 + Duration::days(40));
    void(s, last, t0 + Duration::days(40));
    check_aggregates(s);
    let now = t0 + Duration::days(45);
    let r = s.nes_report(&ListFilter::default(), now).unwrap();
    assert_eq!(r.members.rows[0].last_visit_date, Some(day("2026-01-11")));
    assert_eq!(r.members.rows[0].visit_days, 2);
    assert_eq!(r.members.rows[0].days_since_last_visit, Some(35));
    // Voiding the only other sales leaves a member who never visited.
    void(s, 1, now);
    void(s, 2, now);
    check_aggregates(s);
    assert_eq!(segment_of(s, m, now), Nes::NoVisit);
}

#[test]
fn the_lapsed_list_puts_the_most_valuable_first_and_tracks_win_backs() {
    let mut shop = new_shop();
    let s = &mut shop.store;
    let t0 = at("2026-01-05T04:00:00Z");
    let big = register(s, "大戶", Some("0912000001"), t0).id;
    let small = register(s, "小戶", Some("0912000002"), t0).id;
    let active = register(s, "常來", Some("0912000003"), t0).id;
    sale(s, "b1", big, 3000, t0);
    sale(s, "s1", small, 100, t0);
    s.top_up(&top_up_req("t", big, 500), t0).unwrap();
    let now = t0 + Duration::days(45);
    sale(s, "a1", active, 100, now - Duration::days(2));
    let lapsed = s.lapsed(&ListFilter::default(), now).unwrap();
    let ids: Vec<i64> = lapsed.rows.iter().map(|r| r.member.member_id).collect();
    assert_eq!(ids, vec![big, small]);
    let first = &lapsed.rows[0].member;
    assert_eq!((first.stored_value_minor, first.phone.as_deref()), (500, Some("0912000001")));
    assert!(lapsed.rows[0].last_contact.is_none());

    let contact = |id: &str, member: i64| ContactRequest {
        request_id: id.into(),
        member_id: member,
        channel: ContactChannel::Line,
        outcome: ContactOutcome::PromisedVisit,
        note: "送一杯".into(),
        cashier: "老闆".into(),
    };
    let c = s.record_contact(&contact("c1", big), now).unwrap();
    assert_eq!(s.record_contact(&contact("c1", big), now).unwrap(), c, "a retry records nothing new");
    assert_eq!(s.record_contact(&contact("c1", small), now).unwrap_err().code(), "RequestIdReused");
    s.record_contact(&contact("c2", small), now).unwrap();
    let lapsed = s.lapsed(&ListFilter::default(), now).unwrap();
    assert_eq!(lapsed.rows[0].last_contact.as_ref().map(|c| c.channel), Some(ContactChannel::Line));

    // The big spender comes back five days later; the small one does not.
    sale(s, "b2", big, 400, now + Duration::days(5));
    let later = now + Duration::days(40);
    let wb = s.win_back(day("2026-02-19"), day("2026-02-19"), 30).unwrap();
    assert_eq!((wb.contacted, wb.came_back, wb.rate_bp, wb.revenue_minor), (2, 1, 5000, 400));
    assert_eq!(wb.rows[0].returned_at, Some((now + Duration::days(5)).timestamp_millis()));
    assert_eq!(s.contacts(big).unwrap().len(), 1);
    assert!(s.lapsed(&ListFilter::default(), later).unwrap().rows.iter().any(|r| r.member.member_id == big));
}

#[test]
fn tiers_rise_at_checkout_fall_at_review_and_a_void_takes_back_its_upgrade() {
    let mut shop = new_shop();
    let s = &mut shop.store;
    let t0 = at("2026-01-10T04:00:00Z");
    let m = register(s, "阿金", Some("0912000001"), t0).id;
    // Registered, never bought: no tier, even one that starts at 0.
    let browser = register(s, "只看看", Some("0912000002"), t0).id;
    let tier = |name: &str, min: i64| TierInput { name: name.into(), min_spend_minor: min, points_multiplier_pct: 100 };
    s.set_tiers(&[tier("會員", 0), tier("銀卡", 1000), tier("金卡", 5000)], noon()).unwrap();
    assert!(s.tier_review(t0).unwrap().is_empty(), "no one has bought yet");
    sale(s, "a", m, 600, t0);
    assert_eq!(s.member(m).unwrap().tier.as_deref(), Some("會員"));
    sale(s, "b", m, 600, t0 + Duration::days(1));
    assert_eq!(s.member(m).unwrap().tier.as_deref(), Some("銀卡"));
    let big = sale(s, "c", m, 4000, t0 + Duration::days(2));
    assert_eq!(s.member(m).unwrap().tier.as_deref(), Some("金卡"));
    void(s, big, t0 + Duration::days(2));
    assert_eq!(s.member(m).unwrap().tier.as_deref(), Some("銀卡"), "the void takes back its own upgrade");
    let history = s.tier_history(Some(m), 10).unwrap();
    let reasons: Vec<&str> = history.iter().map(|c| c.reason.as_str()).collect();
    assert_eq!(reasons, vec!["void", "checkout", "checkout", "checkout"]);

    // Twelve months on, the rolling window is empty: the review moves them down.
    let later = t0 + Duration::days(400);
    let preview = s.tier_review(later).unwrap();
    assert_eq!(preview.len(), 1);
    assert_eq!((preview[0].from_tier.as_deref(), preview[0].to_tier.as_deref()), (Some("銀卡"), Some("會員")));
    assert_eq!(s.member(m).unwrap().tier.as_deref(), Some("銀卡"), "a preview changes nothing");
    assert_eq!(s.apply_tier_review(later).unwrap().len(), 1);
    assert_eq!(s.member(m).unwrap().tier.as_deref(), Some("會員"));
    assert!(s.tier_review(later).unwrap().is_empty());
    assert_eq!(s.member(browser).unwrap().tier, None);
    // Measured over all time instead, they are silver again.
    s.update_owner_settings(&OwnerSettingsPatch { tier_basis: Some(TierBasis::Total), ..Default::default() }, later)
        .unwrap();
    assert_eq!(s.apply_tier_review(later).unwrap()[0].to_tier.as_deref(), Some("銀卡"));
    let vip = s.vip(&ListFilter { tiers: vec!["銀卡".into()], ..Default::default() }, later).unwrap();
    assert_eq!(vip.total, 1);
    check_aggregates(s);
}

#[test]
fn rfm_names_the_best_and_the_lost() {
    let mut shop = new_shop();
    let s = &mut shop.store;
    let t0 = at("2025-06-01T04:00:00Z");
    let now = t0 + Duration::days(300);
    let mut ids = Vec::new();
    for i in 0..10i64 {
        let id = register(s, &format!("客{i}"), Some(&format!("09120000{i:02}")), t0).id;
        // Member i: i + 1 visits, the last (9 - i) * 25 days before now, spending 100 * (i + 1) each.
        for v in 0..=i {
            let when = now - Duration::days((9 - i) * 25 + v * 2);
            sale(s, &format!("s{i}-{v}"), id, 100 * (i + 1), when);
        }
        ids.push(id);
    }
    let r = s.rfm(&ListFilter::default(), &[], now).unwrap();
    let score = |id: i64| r.members.rows.iter().find(|x| x.member.member_id == id).unwrap().rfm;
    assert_eq!((score(ids[9]).r, score(ids[9]).f, score(ids[9]).m), (5, 5, 5));
    assert_eq!(score(ids[9]).segment, RfmSegment::Champions);
    assert_eq!(score(ids[0]).segment, RfmSegment::Lost);
    assert_eq!(r.members.rows[0].member.member_id, ids[9], "best first");
    let total: i64 = r.segments.iter().map(|c| c.members).sum();
    assert_eq!(total, 10);
    let share: i64 = r.segments.iter().map(|c| c.revenue_share_bp).sum();
    assert!((9990..=10_000).contains(&share), "shares add up to 100 %: {share}");
    let lost = s.rfm(&ListFilter::default(), &[RfmSegment::Lost], now).unwrap();
    // The bottom two of ten share the lowest quintile on all three.
    assert_eq!(lost.members.total, 2);
}

#[test]
fn birthdays_today_this_week_and_this_month_including_feb_29() {
    let mut shop = new_shop();
    let s = &mut shop.store;
    let t0 = at("2027-01-01T04:00:00Z");
    let mut add = |name: &str, phone: &str, birthday: &str| {
        let id = register(s, name, Some(phone), t0).id;
        s.edit_member(id, &MemberPatch { birthday: Some(birthday.into()), ..Default::default() }, t0).unwrap();
        id
    };
    let leap = add("閏日", "0912000001", "2000-02-29");
    let sunday = add("週日", "0912000002", "03-07");
    let march = add("三月", "0912000003", "03-20");
    add("二月初", "0912000004", "02-01");
    // 2027 is a common year: Feb 29 is celebrated on Sunday Feb 28. At 16:30 UTC on
    // the 27th it is already the 28th in Taipei.
    let now = at("2027-02-27T16:30:00Z");
    let today = s.birthdays(BirthdayWindow::Today, None, ReceiptLanguage::ZhTw, &ListFilter::default(), now).unwrap();
    assert_eq!(today.rows.iter().map(|r| r.member.member_id).collect::<Vec<_>>(), vec![leap]);
    assert_eq!(today.rows[0].birthday_date, day("2027-02-28"));
    assert_eq!(today.rows[0].turning, Some(27));
    assert!(today.rows[0].greeting.starts_with("閏日 生日快樂"), "{}", today.rows[0].greeting);
    // The week of Mon Feb 22 – Sun Feb 28 holds only the leap-day birthday.
    let week = s
        .birthdays(BirthdayWindow::ThisWeek, Some("{name}"), ReceiptLanguage::ZhTw, &ListFilter::default(), now)
        .unwrap();
    assert_eq!(week.total, 1);
    let month =
        s.birthdays(BirthdayWindow::ThisMonth, None, ReceiptLanguage::ZhTw, &ListFilter::default(), now).unwrap();
    assert_eq!(month.total, 2, "Feb 1 and Feb 29 (on the 28th)");
    // A week crossing into March.
    let now = at("2027-03-02T04:00:00Z");
    let week = s
        .birthdays(BirthdayWindow::ThisWeek, Some("Hi {name}"), ReceiptLanguage::ZhTw, &ListFilter::default(), now)
        .unwrap();
    assert_eq!(week.rows.iter().map(|r| r.member.member_id).collect::<Vec<_>>(), vec![sunday]);
    assert_eq!(week.rows[0].greeting, "Hi 週日");
    let month =
        s.birthdays(BirthdayWindow::ThisMonth, None, ReceiptLanguage::ZhTw, &ListFilter::default(), now).unwrap();
    assert_eq!(month.rows.iter().map(|r| r.member.member_id).collect::<Vec<_>>(), vec![sunday, march]);
    let bad = s.birthdays(BirthdayWindow::Today, Some("{nmae}"), ReceiptLanguage::ZhTw, &ListFilter::default(), now);
    assert_eq!(bad.unwrap_err().code(), "UnknownPlaceholder");
}

#[test]
fn due_back_by_own_interval_and_by_product_cycle() {
    let mut shop = new_shop();
    let s = &mut shop.store;
    let t0 = at("2026-04-01T04:00:00Z");
    let beans = s
        .add_product(
            &ProductInput {
                name: "咖啡豆".into(),
                price_minor: 450,
                earns_stamps: false,
                category: String::new(),
                sort_order: 0,
            },
            t0,
        )
        .unwrap();
    let m = register(s, "豆客", Some("0912000001"), t0).id;
    let one = register(s, "一次", Some("0912000002"), t0).id;
    sale(s, "one", one, 100, t0);
    for i in 0..4 {
        // Every 14 days beans; a plain coffee 7 days after each.
        let mut req = sale_req(&format!("b{i}"), m, &[(PaymentMethod::Cash, 450)]);
        req.lines = vec![LineInput {
            product_id: Some(beans.id),
            description: "咖啡豆".into(),
            quantity: 1,
            unit_price_minor: 450,
            earns_stamps: false,
        }];
        s.record_sale(&req, t0 + Duration::days(14 * i)).unwrap();
        sale(s, &format!("c{i}"), m, 60, t0 + Duration::days(14 * i + 7));
    }
    check_aggregates(s);
    // Last visit day 49, every 7 days → due on day 56; beans last on day 42, every 14 → day 56.
    let now = t0 + Duration::days(52);
    let due = s.due_back(&DueFilter { within_days: 7, product_id: None }, &ListFilter::default(), now).unwrap();
    assert_eq!(due.rows.len(), 1, "one visit is no history to predict from");
    assert_eq!((due.rows[0].cycle_days, due.rows[0].days_until), (7, 4));
    assert_eq!(due.rows[0].predicted_date, day("2026-05-27"));
    let by_beans =
        s.due_back(&DueFilter { within_days: 7, product_id: Some(beans.id) }, &ListFilter::default(), now).unwrap();
    assert_eq!((by_beans.rows[0].cycle_days, by_beans.rows[0].product_name.as_deref()), (14, Some("咖啡豆")));
    let too_soon = s.due_back(&DueFilter { within_days: 3, product_id: None }, &ListFilter::default(), now).unwrap();
    assert_eq!(too_soon.total, 0);
}

#[test]
fn pareto_dashboard_tags_outreach_and_csv() {
    let mut shop = new_shop();
    let s = &mut shop.store;
    let now = at("2026-06-10T04:00:00Z");
    let card = regulars::NewStampProgram {
        name: "咖啡卡".into(),
        stamps_needed: 10,
        reward_text: "咖啡一杯".into(),
        earn_rule: regulars::EarnRule::PerVisit,
        expiry_days: None,
    };
    s.add_program(&card, now - Duration::days(30)).unwrap();
    let mut ids = Vec::new();
    for i in 0..5 {
        let mut new = new_member(&format!("客{i}"), Some(&format!("09120000{i:02}")));
        new.tags = if i == 0 { vec!["上班族".into()] } else { vec![] };
        ids.push(s.add_member(&new, &format!("reg{i}"), now - Duration::days(3)).unwrap().id);
    }
    sale(s, "big", ids[0], 8000, now - Duration::days(1));
    for (i, id) in ids.iter().enumerate().skip(1) {
        sale(s, &format!("s{i}"), *id, 500, now - Duration::days(20));
    }
    s.top_up(&top_up_req("t", ids[1], 1000), now).unwrap();
    let p = s.pareto(&ListFilter::default(), now).unwrap();
    assert_eq!((p.customers, p.top_customers, p.top_share_bp), (5, 1, 8000));

    let d = s.dashboard(now).unwrap();
    assert_eq!(d.members, 5);
    assert_eq!(d.weeks.len(), 12);
    assert_eq!(d.weeks[11].week_start, day("2026-06-08"));
    assert_eq!((d.weeks[11].visits, d.weeks[11].revenue_minor, d.weeks[10].new_members), (1, 8000, 5));
    assert_eq!(d.weeks.iter().map(|w| w.visits).sum::<i64>(), 5);
    assert_eq!((d.revenue_12_weeks_minor, d.revenue_total_minor), (10_000, 10_000));
    assert_eq!(d.stored_value.paid_minor, 1000);

    let tagged = s.vip(&ListFilter { tags: vec!["上班族".into()], ..Default::default() }, now).unwrap();
    assert_eq!((tagged.total, tagged.rows[0].tags.clone()), (1, vec!["上班族".to_string()]));
    let paged = s.vip(&ListFilter { limit: Some(2), offset: 1, ..Default::default() }, now).unwrap();
    assert_eq!((paged.total, paged.rows.len()), (5, 2));

    s.set_message_template(
        &MessageTemplate { name: "回訪".into(), body: "{name}，餘額 {balance}，{memberNo}".into() },
        now,
    )
    .unwrap();
    let body = s.message_templates().unwrap()[0].body.clone();
    let msgs = s.outreach_messages(&[ids[1]], &body, ReceiptLanguage::ZhTw, now).unwrap();
    assert_eq!(msgs[0].text, "客1，餘額 NT$1,000，M000002");
    // Stamps by card name, only the cards started; none at all reads 0.
    let stamps = s.outreach_messages(&[ids[1]], "{stamps}", ReceiptLanguage::ZhTw, now).unwrap();
    assert_eq!(stamps[0].text, "咖啡卡 1/10");
    let fresh = register(s, "新來的", Some("0912999999"), now).id;
    assert_eq!(s.outreach_messages(&[fresh], "{stamps}", ReceiptLanguage::ZhTw, now).unwrap()[0].text, "0");
    // An optional part says nothing to a member with no stored value or stamps.
    let optional = "{name}您好！[還有儲值 {balance}。][集點 {stamps}。]期待再見。";
    let texts: Vec<String> = s
        .outreach_messages(&[ids[1], fresh], optional, ReceiptLanguage::ZhTw, now)
        .unwrap()
        .into_iter()
        .map(|m| m.text)
        .collect();
    assert_eq!(texts, ["客1 您好！還有儲值 NT$1,000。集點 咖啡卡 1/10。期待再見。", "新來的您好！期待再見。"]);
    let bad = MessageTemplate { name: "x".into(), body: "{balanse}".into() };
    assert_eq!(s.set_message_template(&bad, now).unwrap_err().code(), "UnknownPlaceholder");

    let csv = to_csv(&s.vip(&ListFilter::default(), now).unwrap().rows, 0);
    assert!(csv.starts_with(b"\xef\xbb\xbf"));
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    assert!(text.starts_with("member_no,name,phone,"), "{text}");
    assert!(text.contains("M000001,客0,0912000000,"), "{text}");
    assert_eq!(text.lines().count(), 6);
}

#[test]
fn stamps_in_a_message_say_a_full_card_and_list_in_the_templates_script() {
    let mut shop = new_shop();
    let s = &mut shop.store;
    let now = at("2026-06-10T04:00:00Z");
    for (name, needed, reward) in [("咖啡卡", 10, "咖啡一杯"), ("甜點卡", 20, "蛋糕一片")] {
        let program = regulars::NewStampProgram {
            name: name.into(),
            stamps_needed: needed,
            reward_text: reward.into(),
            earn_rule: regulars::EarnRule::PerVisit,
            expiry_days: None,
        };
        s.add_program(&program, now - Duration::days(30)).unwrap();
    }
    let id = register(s, "常來的", Some("0912000099"), now - Duration::days(20)).id;
    for i in 0..10 {
        sale(s, &format!("s{i}"), id, 50, now - Duration::days(10 - i));
    }
    let chinese = s.outreach_messages(&[id], "{name}您好，{stamps}。", ReceiptLanguage::ZhTw, now).unwrap();
    assert_eq!(chinese[0].text, "常來的您好，咖啡卡已集滿（可兌換咖啡一杯）、甜點卡 10/20。");
    let english = s.outreach_messages(&[id], "Hi {name}: {stamps}.", ReceiptLanguage::En, now).unwrap();
    assert_eq!(english[0].text, "Hi 常來的: 咖啡卡 full, reward waiting: 咖啡一杯, 甜點卡 10/20.");
    // The language asked for, not the template's script: a Latin template
    // for a mainland shop's messages still gets the Simplified words.
    let simplified = s.outreach_messages(&[id], "Hi {name}: {stamps}", ReceiptLanguage::ZhCn, now).unwrap();
    assert_eq!(simplified[0].text, "Hi 常來的: 咖啡卡已集满（可兑换咖啡一杯）、甜點卡 10/20");
}

#[test]
fn a_daylight_saving_zone_counts_whole_days_and_a_zone_change_rebuilds() {
    let mut shop = new_shop();
    let s = &mut shop.store;
    let t0 = at("2026-03-01T12:00:00Z");
    s.update_settings(&SettingsPatch { time_zone: Some("America/New_York".into()), ..Default::default() }, t0).unwrap();
    let m = register(s, "Ann", Some("0912000001"), t0).id;
    // 23:30 local on Sat Mar 7 (EST, UTC-5) and 23:30 local on Sat Mar 14 (EDT, UTC-4):
    // seven days apart although only 167 hours passed.
    sale(s, "a", m, 100, at("2026-03-08T04:30:00Z"));
    sale(s, "b", m, 100, at("2026-03-15T03:30:00Z"));
    sale(s, "c", m, 100, at("2026-03-22T03:30:00Z"));
    let now = at("2026-03-23T12:00:00Z");
    let row = s.nes_report(&ListFilter::default(), now).unwrap().members.rows[0].clone();
    assert_eq!(row.typical_gap_days, Some(7));
    assert_eq!(row.last_visit_date, Some(day("2026-03-21")));
    check_aggregates(s);
    // In Taipei those are Sunday mornings: the aggregates follow the zone.
    s.update_settings(&SettingsPatch { time_zone: Some("Asia/Taipei".into()), ..Default::default() }, now).unwrap();
    let row = s.nes_report(&ListFilter::default(), now).unwrap().members.rows[0].clone();
    assert_eq!(row.last_visit_date, Some(day("2026-03-22")));
    check_aggregates(s);
}

#[test]
fn a_list_exports_whole_with_translated_headings_or_as_messages() {
    use regulars::store::owner_export::OwnerList;
    use regulars::ReceiptLanguage;
    let mut shop = new_shop();
    let s = &mut shop.store;
    let t0 = at("2026-01-05T04:00:00Z");
    let mut ids = Vec::new();
    for (i, name) in ["王小明", "=SUM(A1)", "陳怡君"].iter().enumerate() {
        let mut new = new_member(name, Some(&format!("09120000{i:02}")));
        new.tags = if i == 2 { vec!["學生".into()] } else { vec![] };
        ids.push(s.add_member(&new, &format!("reg{i}"), t0).unwrap().id);
        sale(s, &format!("s{i}"), ids[i], 1000 * (i as i64 + 1), t0);
    }
    s.top_up(&top_up_req("t", ids[0], 500), t0).unwrap();
    let now = t0 + Duration::days(90);
    // The screen's page size does not cut the export.
    let one_page = ListFilter { limit: Some(1), ..Default::default() };
    let e = s.owner_list_csv(&OwnerList::Lapsed, &one_page, None, ReceiptLanguage::ZhTw, now).unwrap();
    assert_eq!((e.file_name.as_str(), e.rows), ("流失預警-2026-04-05.csv", 3));
    assert!(e.bytes.starts_with(b"\xef\xbb\xbf"), "a BOM so Excel reads UTF-8");
    let text = String::from_utf8(e.bytes[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert!(lines[0].starts_with("會員編號,姓名,電話,等級,標籤,回購分群,消費次數,累計消費"), "{}", lines[0]);
    assert!(lines[0].ends_with(",最近聯繫時間,聯繫方式,聯繫結果,聯繫備註"), "{}", lines[0]);
    // Most valuable first; the formula-looking name is defused; a bare phone
    // is grouped so the spreadsheet keeps its leading 0.
    assert!(lines[1].starts_with("M000003,陳怡君,0912-000-002,,學生,半睡,1,3000,"), "{}", lines[1]);
    assert!(lines[2].starts_with("M000002,'=SUM(A1),"), "{}", lines[2]);
    assert!(lines[3].starts_with("M000001,王小明,") && lines[3].contains(",500,"), "{}", lines[3]);

    // A contact shows by name in the owner's language, and by code for scripts.
    let contact = ContactRequest {
        request_id: "c1".into(),
        member_id: ids[2],
        channel: ContactChannel::Line,
        outcome: ContactOutcome::PromisedVisit,
        note: "週六帶朋友來".into(),
        cashier: "老闆".into(),
    };
    s.record_contact(&contact, now).unwrap();
    let e = s.owner_list_csv(&OwnerList::Lapsed, &ListFilter::default(), None, ReceiptLanguage::ZhTw, now).unwrap();
    let text = String::from_utf8(e.bytes[3..].to_vec()).unwrap();
    // The time of the call as the shop's clock showed it (noon in Taipei).
    // The note the owner wrote comes along.
    assert!(text.lines().nth(1).unwrap().ends_with(",2026-04-05 12:00,LINE,答應會來,週六帶朋友來"), "{text}");
    let raw = String::from_utf8(to_csv(&s.lapsed(&ListFilter::default(), now).unwrap().rows, 0)[3..].to_vec()).unwrap();
    let raw_row = raw.lines().nth(1).unwrap();
    assert!(
        raw_row.contains(",S2,") && raw_row.ends_with(",2026-04-05T04:00:00+00:00,line,promised_visit,週六帶朋友來"),
        "{raw_row}"
    );

    let english = s.owner_list_csv(&OwnerList::Vip, &ListFilter::default(), None, ReceiptLanguage::En, now).unwrap();
    assert_eq!(english.file_name, "vip-2026-04-05.csv");
    let english = String::from_utf8_lossy(&english.bytes).to_string();
    assert!(english.contains("Member no.,Name,Phone,Tier") && english.contains(",Half asleep,"), "{english}");

    let tagged = ListFilter { tags: vec!["學生".into()], ..Default::default() };
    let m = s
        .owner_list_csv(
            &OwnerList::Lapsed,
            &tagged,
            Some("{name} 您好，儲值餘額 {balance}"),
            ReceiptLanguage::ZhTw,
            now,
        )
        .unwrap();
    assert_eq!((m.file_name.as_str(), m.rows), ("流失預警-訊息-2026-04-05.csv", 1));
    let text = String::from_utf8(m.bytes[3..].to_vec()).unwrap();
    assert_eq!(text, "會員編號,姓名,電話,訊息\r\nM000003,陳怡君,0912-000-002,陳怡君 您好，儲值餘額 NT$0\r\n");

    let typo = s.owner_list_csv(&OwnerList::Vip, &ListFilter::default(), Some("{nmae}"), ReceiptLanguage::ZhTw, now);
    assert_eq!(typo.unwrap_err().code(), "UnknownPlaceholder");
    let tags = s.tags_in_use().unwrap();
    assert_eq!((tags.len(), tags[0].tag.as_str(), tags[0].members), (1, "學生", 1));
}

#[test]
fn an_upgraded_database_gets_its_aggregates_at_open_not_in_a_checkout() {
    let mut shop = new_shop();
    let t0 = at("2026-02-02T04:00:00Z");
    let m = register(&mut shop.store, "阿明", Some("0912000001"), t0).id;
    sale(&mut shop.store, "a", m, 120, t0);
    sale(&mut shop.store, "b", m, 80, t0 + Duration::days(7));
    drop(shop.store);
    // As a shop upgraded from schema 3 is: receipts, no aggregates.
    let raw = rusqlite::Connection::open(&shop.path).unwrap();
    raw.execute_batch("DELETE FROM member_stats; UPDATE owner_settings SET aggregates_ready = 0;").unwrap();
    let ready = |c: &rusqlite::Connection| -> bool {
        c.query_row("SELECT aggregates_ready FROM owner_settings", [], |r| r.get(0)).unwrap()
    };
    assert!(!ready(&raw));
    let store = Store::open(&shop.path).unwrap();
    assert!(ready(&raw), "built when the store opened");
    let stats: i64 = raw.query_row("SELECT count(*) FROM member_stats", [], |r| r.get(0)).unwrap();
    assert_eq!(stats, 1);
    check_aggregates(&store);
    let row = store.vip(&ListFilter::default(), t0 + Duration::days(8)).unwrap().rows[0].clone();
    assert_eq!((row.visits, row.spend_minor, row.typical_gap_days), (2, 200, None));
}

#[test]
fn the_weekly_figures_leave_out_voided_sales_and_count_shop_days() {
    let mut shop = new_shop();
    let s = &mut shop.store;
    let now = at("2026-06-10T04:00:00Z"); // Wednesday noon in Taipei; the week began Monday 8 June
    let m = register(s, "阿明", Some("0912000001"), now - Duration::days(30)).id;
    // Sunday 7 June 23:30 in Taipei is 15:30 UTC: last week, though UTC says the 7th too.
    sale(s, "sun", m, 300, at("2026-06-07T15:30:00Z"));
    // Monday 8 June 00:30 in Taipei is still Sunday in UTC: this week.
    sale(s, "mon", m, 200, at("2026-06-07T16:30:00Z"));
    let voided = sale(s, "oops", m, 999, now - Duration::hours(1));
    void(s, voided, now);
    let d = s.dashboard(now).unwrap();
    let (last, this) = (&d.weeks[10], &d.weeks[11]);
    assert_eq!((last.week_start, last.visits, last.revenue_minor), (day("2026-06-01"), 1, 300));
    assert_eq!((this.week_start, this.visits, this.revenue_minor), (day("2026-06-08"), 1, 200));
    assert_eq!(d.revenue_12_weeks_minor, 500);
}

#[test]
fn the_stored_value_held_is_charted_as_it_stood_at_each_weeks_end() {
    let mut shop = new_shop();
    let s = &mut shop.store;
    let now = at("2026-06-10T04:00:00Z"); // Wednesday noon in Taipei; the week began Monday 8 June
    let m = register(s, "阿明", Some("0912000001"), at("2026-01-05T04:00:00Z")).id;
    // Long before the chart: 500 held when it starts.
    s.top_up(&top_up_req("t0", m, 500), at("2026-01-05T05:00:00Z")).unwrap();
    // Sunday 31 May 23:30 in Taipei (15:30 UTC): 1000 more, in the week of 25 May.
    s.top_up(&top_up_req("t1", m, 1000), at("2026-05-31T15:30:00Z")).unwrap();
    // Monday 1 June 00:30 in Taipei (still 31 May in UTC): 300 spent, the week of 1 June.
    s.record_sale(&sv_sale("s1", m, 300), at("2026-05-31T16:30:00Z")).unwrap();
    // This week: 200 spent.
    s.record_sale(&sv_sale("s2", m, 200), now - Duration::hours(2)).unwrap();
    let d = s.dashboard(now).unwrap();
    let held: Vec<(NaiveDate, i64)> = d.weeks.iter().map(|w| (w.week_start, w.stored_value_end_minor)).collect();
    assert_eq!(held[0], (day("2026-03-23"), 500));
    assert_eq!(held[9], (day("2026-05-25"), 1500));
    assert_eq!(held[10], (day("2026-06-01"), 1200));
    assert_eq!(held[11], (day("2026-06-08"), 1000));
    assert_eq!(d.stored_value.paid_minor + d.stored_value.bonus_minor, 1000);
}

#[test]
fn a_long_list_reads_names_and_tags_in_one_pass_and_gets_them_right() {
    let mut shop = new_shop();
    let s = &mut shop.store;
    let t0 = at("2026-01-05T04:00:00Z");
    let rows: Vec<_> = (0..700usize)
        .map(|i| {
            let mut m = new_member(&format!("會員{i:03}"), Some(&format!("0912{i:06}")));
            m.tags = if i.is_multiple_of(7) { vec!["學生".into(), "常客".into()] } else { vec![] };
            m
        })
        .collect();
    assert_eq!(s.import_members(&rows, "import", t0).unwrap(), 700);
    let all = s.nes_report(&ListFilter::default(), t0).unwrap().members;
    assert_eq!((all.total, all.rows.len()), (700, 700));
    for r in &all.rows {
        let i: usize = r.name.trim_start_matches("會員").parse().unwrap();
        assert_eq!(r.phone.as_deref().map(|p| p.replace('-', "")), Some(format!("0912{i:06}")));
        let expected: Vec<String> = if i.is_multiple_of(7) { vec!["學生".into(), "常客".into()] } else { vec![] };
        assert_eq!(r.tags, expected, "{}", r.name);
    }
    // A page reads the same, one row at a time.
    let page = s.nes_report(&ListFilter { limit: Some(10), offset: 0, ..Default::default() }, t0).unwrap();
    for r in &page.members.rows {
        assert_eq!(all.rows.iter().find(|a| a.member_id == r.member_id), Some(r));
    }
}

#[test]
fn a_shop_from_before_the_stored_median_gap_gets_it_from_its_gaps_and_a_wrong_one_is_found() {
    let mut shop = new_shop();
    let t0 = at("2025-01-06T04:00:00Z");
    // Visit days per member: gaps 7, 9, 6 (median 7); 1, 2, 3, 4 (an even
    // count: the lower median, 2); one visit (none); fifteen visits every
    // 10 days with two short gaps early on (only the latest 12 gaps count: 10).
    let patterns: [&[i64]; 4] =
        [&[0, 7, 16, 22], &[0, 1, 3, 6, 10], &[5], &[0, 2, 4, 14, 24, 34, 44, 54, 64, 74, 84, 94, 104, 114, 124]];
    let mut ids = Vec::new();
    for (i, days) in patterns.iter().enumerate() {
        let m = register(&mut shop.store, &format!("常客{i}"), Some(&format!("09120000{i:02}")), t0).id;
        for d in *days {
            sale(&mut shop.store, &format!("m{i}d{d}"), m, 100, t0 + Duration::days(*d));
        }
        ids.push(m);
    }
    drop(shop.store);
    // As schema 9 left the file: no stored median, no figures indexes (and no coupons or points, schemas 11, 12 and 14).
    let raw = rusqlite::Connection::open(&shop.path).unwrap();
    raw.execute_batch(&format!(
        "{UNDO_REFERRALS_AND_AUTO_COUPONS} DROP INDEX members_figures; DROP INDEX member_stats_figures;
         DROP TABLE receipt_points; DROP TABLE points_ledger; DROP TABLE member_points; DROP TABLE points_settings;
         DROP TABLE receipt_discounts; DROP TABLE coupon_ledger; DROP TABLE coupons;
         DROP TABLE coupon_campaigns; DROP TABLE coupon_offers;
         ALTER TABLE member_stats DROP COLUMN median_gap; ALTER TABLE members DROP COLUMN erased_at;
         ALTER TABLE tiers DROP COLUMN points_multiplier_pct;
         PRAGMA user_version = 9;"
    ))
    .unwrap();
    let store = Store::open(&shop.path).unwrap();
    let medians: Vec<Option<i64>> = ids
        .iter()
        .map(|id| {
            raw.query_row("SELECT median_gap FROM member_stats WHERE member_id = ?1", [id], |r| r.get(0)).unwrap()
        })
        .collect();
    assert_eq!(medians, [Some(7), Some(2), None, Some(10)]);
    check_aggregates(&store);

    // The figures (stored medians) and the full rows (the gaps) agree on every segment.
    let now = t0 + Duration::days(150);
    let d = store.dashboard(now).unwrap();
    let rows = store.nes_report(&ListFilter::default(), now).unwrap().members.rows;
    for count in &d.segments {
        let by_rows = rows.iter().filter(|r| r.segment == count.segment).count() as i64;
        assert_eq!(count.members, by_rows, "{:?}", count.segment);
    }
    // 128, 140 and 145 days away: deep asleep by any measure; the regular
    // of 10 days, 26 away, is past twice their habit but not three times.
    let segments: Vec<Nes> = ids.iter().map(|id| segment_of(&store, *id, now)).collect();
    assert_eq!(segments, [Nes::Sleeping3, Nes::Sleeping3, Nes::Sleeping3, Nes::Sleeping1]);

    // A median that is not its gaps' is found, naming the member.
    raw.execute("UPDATE member_stats SET median_gap = 99 WHERE member_id = ?1", [ids[0]]).unwrap();
    let found = store.owner_aggregate_mismatches().unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].member_id, ids[0]);
    assert!(found[0].what.contains("median gap"), "{}", found[0].what);
}
