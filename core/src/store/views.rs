//! What the cashier sees: the member card at a glance.

use super::members::load_member;
use super::owner::Contact;
use super::programs::load_programs;
use super::receipts::history;
use super::stamps::expired_stamps;
use super::{load_settings, Store};
use crate::error::Result;
use crate::member::Member;
use crate::money::Currency;
use crate::receipt::ReceiptSummary;
use chrono::{DateTime, Datelike, Utc};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Wallet {
    pub paid_minor: i64,
    pub bonus_minor: i64,
    pub total_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StampCardView {
    pub program_id: i64,
    pub program_name: String,
    /// Stamps usable now (expired ones left out).
    pub stamps: i64,
    pub stamps_needed: i64,
    pub reward_text: String,
    pub reward_ready: bool,
    pub rewards_available: i64,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FavouriteItem {
    pub description: String,
    pub quantity: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MemberCard {
    pub member: Member,
    pub wallet: Wallet,
    pub currency: Currency,
    pub stamp_cards: Vec<StampCardView>,
    pub birthday_today: bool,
    pub birthday_this_month: bool,
    pub visit_count: i64,
    pub spend_minor: i64,
    /// Visits (unvoided sales) and spend since 1 January in the shop's zone.
    pub visits_this_year: i64,
    pub spend_this_year_minor: i64,
    /// What the member buys most (by quantity, all unvoided sales), at most three.
    pub favourite_items: Vec<FavouriteItem>,
    pub last_visit_at: Option<i64>,
    /// The owner's last contact with the member when it came after their
    /// last visit: the counter greets a member who was called back.
    pub open_contact: Option<Contact>,
    pub recent_receipts: Vec<ReceiptSummary>,
    pub time_zone: String,
}

impl Store {
    pub fn member_card(&self, member_id: i64, now: DateTime<Utc>) -> Result<MemberCard> {
        let conn = self.conn();
        let member = load_member(conn, member_id)?;
        let settings = load_settings(conn)?;
        let (paid, bonus, visit_count, spend, last_visit): (i64, i64, i64, i64, Option<i64>) = conn.query_row(
            "SELECT wallet_paid_minor, wallet_bonus_minor, visit_count, spend_minor, last_visit_at FROM members WHERE id = ?1",
            [member_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )?;
        let now_ms = now.timestamp_millis();
        let mut stamp_cards = Vec::new();
        for program in load_programs(conn, false)? {
            let stored: i64 = conn
                .query_row(
                    "SELECT stamps FROM stamp_cards WHERE member_id = ?1 AND program_id = ?2",
                    [member_id, program.id],
                    |r| r.get(0),
                )
                .unwrap_or(0);
            if !program.active && stored == 0 {
                continue;
            }
            let stamps = stored - expired_stamps(conn, member_id, &program, stored, now_ms)?;
            stamp_cards.push(StampCardView {
                program_id: program.id,
                program_name: program.name.clone(),
                stamps,
                stamps_needed: program.stamps_needed,
                reward_text: program.reward_text.clone(),
                reward_ready: stamps >= program.stamps_needed,
                rewards_available: stamps / program.stamps_needed,
                active: program.active,
            });
        }
        let today = settings.local_date(now);
        let year_start = chrono::NaiveDate::from_ymd_opt(today.year(), 1, 1).expect("1 January exists");
        let (year_start_ms, _) = settings.day_bounds_ms(year_start);
        let (visits_this_year, spend_this_year_minor): (i64, i64) = conn.query_row(
            "SELECT count(*), COALESCE(SUM(r.total_minor), 0) FROM receipts r
             WHERE r.member_id = ?1 AND r.kind = 'sale' AND r.created_at >= ?2
               AND NOT EXISTS (SELECT 1 FROM receipts v WHERE v.voids_receipt_id = r.id)",
            rusqlite::params![member_id, year_start_ms],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let mut stmt = conn.prepare_cached(
            "SELECT l.description, SUM(l.quantity) AS q FROM receipt_lines l JOIN receipts r ON r.id = l.receipt_id
             WHERE r.member_id = ?1 AND r.kind = 'sale'
               AND NOT EXISTS (SELECT 1 FROM receipts v WHERE v.voids_receipt_id = r.id)
             GROUP BY l.description ORDER BY q DESC, MAX(r.created_at) DESC, l.description LIMIT 3",
        )?;
        let favourite_items = stmt
            .query_map([member_id], |r| Ok(FavouriteItem { description: r.get(0)?, quantity: r.get(1)? }))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let birthday_today = member.birthday.is_some_and(|b| b.is_on(today));
        let birthday_this_month = member.birthday.is_some_and(|b| b.observed_in(today.year()).0 == today.month());
        Ok(MemberCard {
            wallet: Wallet { paid_minor: paid, bonus_minor: bonus, total_minor: paid + bonus },
            currency: settings.currency.clone(),
            stamp_cards,
            birthday_today,
            birthday_this_month,
            visit_count,
            spend_minor: spend,
            visits_this_year,
            spend_this_year_minor,
            favourite_items,
            last_visit_at: last_visit,
            open_contact: super::owner::contacts::last_contact(conn, member_id)?
                .filter(|c| last_visit.is_none_or(|visit| c.contacted_at > visit)),
            recent_receipts: history(conn, Some(member_id), 10, None)?,
            time_zone: settings.time_zone,
            member,
        })
    }
}
