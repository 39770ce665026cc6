//! The owner's view: per-member aggregates kept up to date at checkout,
//! tiers, segments, lists, the win-back contact log and outreach text.
//!
//! `after_sale` and `after_void` run inside the sale's or void's own
//! transaction, so what they keep (`member_stats`, `member_product_stats`,
//! `members.tier`) stays equal to a recomputation from the receipts
//! ([`Store::owner_aggregate_mismatches`] checks that). Lists scan members
//! and their aggregates, never the receipts, so they open quickly at
//! 100,000 members; the rules themselves are pure (`crate::analytics`).

use super::members::resolve_member;
use super::reports::{FloatParts, LedgerMismatch};
use super::{load_settings, Store};
use crate::analytics::export::{check_template, render, Cell, CsvRow, TemplateValues};
use crate::analytics::pareto::{pareto, Pareto};
use crate::analytics::rfm::{rfm_scores, RfmInput, RfmScore, RfmSegment};
use crate::analytics::segments::{nes_standing, Nes, OwnerSettings, OwnerSettingsPatch, TierBasis};
use crate::analytics::tiers::{rank_of, rank_tiers, tier_for, Tier, TierInput};
use crate::analytics::visits::{RecentMonths, VisitSummary};
use crate::analytics::{date_of_day, day_number, month_number, share_bp, week_start};
use crate::error::{check_len, Error, Reason, Result};
use crate::member::Birthday;
use crate::money::Currency;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

// ---------------------------------------------------------------------------
// API types

/// Narrows any list: by tags (members with any of them), tiers, NES
/// segments; and pages it. Empty means "no restriction".
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct ListFilter {
    pub tags: Vec<String>,
    pub tiers: Vec<String>,
    pub segments: Vec<Nes>,
    /// At most this many rows (all when absent).
    pub limit: Option<u32>,
    pub offset: u32,
}

/// One page of a list and how many rows the whole list has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Page<T: ts_rs::TS> {
    pub total: u32,
    pub rows: Vec<T>,
}

/// A member as every owner's list shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MemberRow {
    pub member_id: i64,
    pub member_no: String,
    pub name: String,
    pub phone: Option<String>,
    pub tier: Option<String>,
    pub tags: Vec<String>,
    pub birthday: Option<Birthday>,
    pub joined_at: i64,
    pub segment: Nes,
    /// Sales (unvoided).
    pub visits: i64,
    /// Distinct shop days with a sale.
    pub visit_days: i64,
    pub spend_minor: i64,
    /// Spend in the tier window (the shop's rolling months, this one included).
    pub window_spend_minor: i64,
    pub first_visit_at: Option<i64>,
    pub last_visit_at: Option<i64>,
    pub last_visit_date: Option<NaiveDate>,
    pub days_since_last_visit: Option<i64>,
    /// The member's own typical interval (median recent gap), with enough history.
    pub typical_gap_days: Option<i64>,
    /// Days away after which the member counts as sleeping (S1).
    pub sleep_after_days: i64,
    /// Stored value still held for the member (paid + bonus).
    pub stored_value_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TagCount {
    pub tag: String,
    pub members: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SegmentCount {
    pub segment: Nes,
    pub members: i64,
    pub spend_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NesReport {
    pub as_of: NaiveDate,
    pub counts: Vec<SegmentCount>,
    pub members: Page<MemberRow>,
}

/// A member on the win-back list, with the last time they were contacted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LapsedRow {
    #[serde(flatten)]
    #[ts(flatten)]
    pub member: MemberRow,
    pub last_contact: Option<Contact>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RfmRow {
    #[serde(flatten)]
    #[ts(flatten)]
    pub member: MemberRow,
    pub rfm: RfmScore,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RfmSegmentCount {
    pub segment: RfmSegment,
    pub members: i64,
    pub revenue_minor: i64,
    /// Share of the revenue of all scored members, in basis points.
    pub revenue_share_bp: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RfmReport {
    pub as_of: NaiveDate,
    pub segments: Vec<RfmSegmentCount>,
    pub members: Page<RfmRow>,
}

/// Which birthdays: today, this week (Monday to Sunday) or this month, in
/// the shop's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum BirthdayWindow {
    Today,
    ThisWeek,
    ThisMonth,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BirthdayRow {
    #[serde(flatten)]
    #[ts(flatten)]
    pub member: MemberRow,
    /// The day it is celebrated this year (Feb 29 falls on Feb 28 in common years).
    pub birthday_date: NaiveDate,
    /// The age they turn, when the year of birth is known.
    pub turning: Option<i32>,
    pub greeting: String,
}

/// Who is due back: members whose next visit (last visit + their own
/// typical interval) falls within the next `within_days` days; with
/// `product_id`, by that product's own repurchase cycle instead.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DueFilter {
    pub within_days: i64,
    #[serde(default)]
    pub product_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DueRow {
    #[serde(flatten)]
    #[ts(flatten)]
    pub member: MemberRow,
    pub predicted_date: NaiveDate,
    /// 0 = today.
    pub days_until: i64,
    pub cycle_days: i64,
    pub product_id: Option<i64>,
    pub product_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WeekFigures {
    /// The Monday the week starts on (shop's time zone).
    pub week_start: NaiveDate,
    pub new_members: i64,
    pub visits: i64,
    pub revenue_minor: i64,
    /// Stored value (paid and bonus) held for customers at the end of the
    /// week (for the current week: now).
    pub stored_value_end_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TierCount {
    /// `None`: members without a tier.
    pub tier: Option<String>,
    pub members: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Dashboard {
    pub as_of: NaiveDate,
    pub currency: Currency,
    /// Members not archived.
    pub members: i64,
    pub segments: Vec<SegmentCount>,
    pub tiers: Vec<TierCount>,
    /// The last 12 weeks, oldest first, this week last (so far).
    pub weeks: Vec<WeekFigures>,
    /// Revenue from members' sales over those 12 weeks, and ever.
    pub revenue_12_weeks_minor: i64,
    pub revenue_total_minor: i64,
    /// Stored value held for customers now.
    pub stored_value: FloatParts,
}

/// A member whose tier changes (or changed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TierChange {
    pub member_id: i64,
    pub member_no: String,
    pub name: String,
    pub from_tier: Option<String>,
    pub to_tier: Option<String>,
    /// The spend the decision was based on.
    pub spend_minor: i64,
    /// `checkout`, `void` or `review`.
    pub reason: String,
    pub changed_at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ContactChannel {
    Phone,
    Sms,
    Line,
    Email,
    InPerson,
    Other,
}

impl ContactChannel {
    const ALL: [(ContactChannel, &'static str); 6] = [
        (ContactChannel::Phone, "phone"),
        (ContactChannel::Sms, "sms"),
        (ContactChannel::Line, "line"),
        (ContactChannel::Email, "email"),
        (ContactChannel::InPerson, "in_person"),
        (ContactChannel::Other, "other"),
    ];

    pub fn as_db(self) -> &'static str {
        Self::ALL.iter().find(|(c, _)| *c == self).map_or("other", |(_, s)| s)
    }

    pub fn parse(s: &str) -> Result<ContactChannel> {
        let key = s.trim().to_ascii_lowercase().replace('-', "_");
        Self::ALL.iter().find(|(_, n)| *n == key).map(|(c, _)| *c).ok_or_else(|| Error::InvalidInput {
            field: "channel",
            reason: format!("{s:?}: use phone, sms, line, email, in_person or other").into(),
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ContactOutcome {
    NoAnswer,
    Reached,
    PromisedVisit,
    Declined,
    WrongNumber,
    Other,
}

impl ContactOutcome {
    const ALL: [(ContactOutcome, &'static str); 6] = [
        (ContactOutcome::NoAnswer, "no_answer"),
        (ContactOutcome::Reached, "reached"),
        (ContactOutcome::PromisedVisit, "promised_visit"),
        (ContactOutcome::Declined, "declined"),
        (ContactOutcome::WrongNumber, "wrong_number"),
        (ContactOutcome::Other, "other"),
    ];

    pub fn as_db(self) -> &'static str {
        Self::ALL.iter().find(|(c, _)| *c == self).map_or("other", |(_, s)| s)
    }

    pub fn parse(s: &str) -> Result<ContactOutcome> {
        let key = s.trim().to_ascii_lowercase().replace('-', "_");
        Self::ALL.iter().find(|(_, n)| *n == key).map(|(c, _)| *c).ok_or_else(|| Error::InvalidInput {
            field: "outcome",
            reason: format!("{s:?}: use no_answer, reached, promised_visit, declined, wrong_number or other").into(),
        })
    }
}

/// Marks a member as contacted (appended to the contact log).
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ContactRequest {
    pub request_id: String,
    pub member_id: i64,
    pub channel: ContactChannel,
    pub outcome: ContactOutcome,
    #[serde(default)]
    pub note: String,
    pub cashier: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Contact {
    pub id: i64,
    pub member_id: i64,
    pub channel: ContactChannel,
    pub outcome: ContactOutcome,
    pub note: String,
    pub cashier: String,
    pub contacted_at: i64,
}

/// Whether contacted members came back: a sale within `within_days` after
/// their first contact in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WinBackReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub within_days: i64,
    pub contacted: i64,
    pub came_back: i64,
    /// came_back / contacted in basis points.
    pub rate_bp: i64,
    /// What the returning members spent within the window.
    pub revenue_minor: i64,
    pub rows: Vec<WinBackRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WinBackRow {
    pub member_id: i64,
    pub member_no: String,
    pub name: String,
    pub contacted_at: i64,
    pub channel: ContactChannel,
    pub outcome: ContactOutcome,
    pub returned_at: Option<i64>,
    pub visits_since: i64,
    pub spend_since_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MessageTemplate {
    pub name: String,
    pub body: String,
}

/// One member's personalised message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OutreachMessage {
    pub member_id: i64,
    pub member_no: String,
    pub name: String,
    pub phone: Option<String>,
    pub text: String,
}

// ---------------------------------------------------------------------------
// Hooks in the sale's and void's transactions

/// Called in the transaction of every recorded sale, after its receipt,
/// ledger rows and the member's visit counters are written.
pub(crate) fn after_sale(tx: &Connection, member_id: i64, receipt_id: i64, now: DateTime<Utc>) -> Result<()> {
    let ctx = Ctx::load(tx)?;
    if !ensure_aggregates(tx, &ctx)? {
        let (created_at, total): (i64, i64) =
            tx.query_row("SELECT created_at, total_minor FROM receipts WHERE id = ?1", [receipt_id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        let date = ctx.local_date_ms(created_at);
        let (day, month) = (day_number(date), month_number(date));
        let (mut visits, mut months) = load_stats(tx, member_id)?.unwrap_or_default();
        if visits.add_day(day) && months.add_sale(month, total) {
            write_stats(tx, member_id, &visits, &months)?;
        } else {
            recompute_member(tx, &ctx, member_id)?;
        }
        let mut stmt = tx.prepare_cached(
            "SELECT DISTINCT product_id FROM receipt_lines WHERE receipt_id = ?1 AND product_id IS NOT NULL",
        )?;
        let products = stmt.query_map([receipt_id], |r| r.get::<_, i64>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
        for product_id in products {
            let mut v = load_product_stats(tx, member_id, product_id)?.unwrap_or_default();
            if v.add_day(day) {
                write_product_stats(tx, member_id, product_id, &v)?;
            } else {
                recompute_member_products(tx, &ctx, member_id)?;
                break;
            }
        }
    }
    upgrade_at_checkout(tx, &ctx, member_id, receipt_id, now)
}

/// Called in the transaction of every void, after the reversing receipt is
/// written and the member's visit counters are corrected.
pub(crate) fn after_void(
    tx: &Connection,
    member_id: i64,
    voided_receipt_id: i64,
    void_receipt_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    let kind: String = tx.query_row("SELECT kind FROM receipts WHERE id = ?1", [voided_receipt_id], |r| r.get(0))?;
    if kind != "sale" {
        return Ok(());
    }
    let ctx = Ctx::load(tx)?;
    if !ensure_aggregates(tx, &ctx)? {
        recompute_member(tx, &ctx, member_id)?;
        recompute_member_products(tx, &ctx, member_id)?;
    }
    // An upgrade that this sale brought is taken back when the member no
    // longer reaches that tier (other downgrades wait for the review).
    let upgrade: Option<(Option<String>, Option<String>)> = tx
        .query_row(
            "SELECT from_tier, to_tier FROM tier_changes WHERE receipt_id = ?1 AND reason = 'checkout'",
            [voided_receipt_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((from, to)) = upgrade else { return Ok(()) };
    let current: Option<String> = tx.query_row("SELECT tier FROM members WHERE id = ?1", [member_id], |r| r.get(0))?;
    if current != to {
        return Ok(());
    }
    let spend = basis_spend(tx, &ctx, member_id, now)?;
    let qualifying = tier_for(&ctx.tiers, spend).map(|t| t.name.clone());
    let next = if rank_of(&ctx.tiers, qualifying.as_deref()) >= rank_of(&ctx.tiers, from.as_deref()) {
        qualifying
    } else {
        from
    };
    if rank_of(&ctx.tiers, next.as_deref()) < rank_of(&ctx.tiers, current.as_deref()) {
        change_tier(tx, member_id, current, next, "void", Some(void_receipt_id), spend, now)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Aggregates

/// The `owner_quarters` bucket: a quarter hour in UTC ms.
const QUARTER_MS: i64 = 900_000;

/// `owner_quarters` from the receipts and the wallet ledger (as migration 0008 builds it).
const REBUILD_QUARTERS: &str = "DELETE FROM owner_quarters;
    INSERT INTO owner_quarters (quarter, sales, revenue_minor, wallet_delta_minor)
    SELECT q, SUM(n), SUM(t), SUM(w) FROM (
      SELECT created_at / 900000 AS q, 1 AS n, total_minor AS t, 0 AS w FROM receipts WHERE kind = 'sale'
      UNION ALL
      SELECT o.created_at / 900000, -1, -o.total_minor, 0
      FROM receipts v CROSS JOIN receipts o ON o.id = v.voids_receipt_id WHERE v.kind = 'void' AND o.kind = 'sale'
      UNION ALL
      SELECT created_at / 900000, 0, 0, paid_delta_minor + bonus_delta_minor FROM wallet_ledger)
    GROUP BY q;";

/// What the owner's computations need from the settings.
struct Ctx {
    cfg: OwnerSettings,
    tz: Tz,
    time_zone: String,
    currency: Currency,
    shop_name: String,
    tiers: Vec<Tier>,
}

impl Ctx {
    fn load(conn: &Connection) -> Result<Ctx> {
        let shop = load_settings(conn)?;
        Ok(Ctx {
            cfg: load_owner_settings(conn)?,
            tz: shop.tz(),
            time_zone: shop.time_zone.clone(),
            currency: shop.currency.clone(),
            shop_name: shop.name.clone(),
            tiers: load_tiers(conn)?,
        })
    }

    fn local_date_ms(&self, ms: i64) -> NaiveDate {
        DateTime::from_timestamp_millis(ms).unwrap_or_default().with_timezone(&self.tz).date_naive()
    }

    fn today(&self, now: DateTime<Utc>) -> NaiveDate {
        now.with_timezone(&self.tz).date_naive()
    }

    /// The start (UTC ms) of a shop-local date.
    fn day_start_ms(&self, date: NaiveDate) -> i64 {
        let naive = date.and_hms_opt(0, 0, 0).unwrap_or_default();
        (0..4)
            .find_map(|h| (naive + Duration::hours(h)).and_local_timezone(self.tz).earliest())
            .map_or_else(|| naive.and_utc().timestamp_millis(), |t| t.with_timezone(&Utc).timestamp_millis())
    }
}

fn load_owner_settings(conn: &Connection) -> Result<OwnerSettings> {
    Ok(conn.query_row(
        "SELECT new_days, s1_days, s2_days, s3_days, s1_pct, s2_pct, s3_pct, min_gap_days, min_history_visits,
                tier_basis, tier_window_months, birthday_template
         FROM owner_settings WHERE id = 1",
        [],
        |r| {
            Ok(OwnerSettings {
                new_days: r.get(0)?,
                s1_days: r.get(1)?,
                s2_days: r.get(2)?,
                s3_days: r.get(3)?,
                s1_pct: r.get(4)?,
                s2_pct: r.get(5)?,
                s3_pct: r.get(6)?,
                min_gap_days: r.get(7)?,
                min_history_visits: r.get(8)?,
                tier_basis: TierBasis::from_db(&r.get::<_, String>(9)?),
                tier_window_months: r.get(10)?,
                birthday_template: r.get(11)?,
            })
        },
    )?)
}

fn load_tiers(conn: &Connection) -> Result<Vec<Tier>> {
    let mut stmt = conn.prepare_cached("SELECT name, rank, min_spend_minor FROM tiers ORDER BY rank")?;
    let tiers = stmt
        .query_map([], |r| Ok(Tier { name: r.get(0)?, rank: r.get(1)?, min_spend_minor: r.get(2)? }))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(tiers)
}

/// Builds the aggregates when they are missing or were kept in another
/// time zone (an upgraded database, a changed zone); a no-op otherwise.
pub(crate) fn refresh_aggregates(conn: &Connection) -> Result<()> {
    ensure_aggregates(conn, &Ctx::load(conn)?).map(|_| ())
}

/// Whether the aggregates need building (see [`refresh_aggregates`]).
pub(crate) fn aggregates_stale(conn: &Connection) -> Result<bool> {
    let (ready, zone, shop_zone): (bool, Option<String>, String) = conn.query_row(
        "SELECT o.aggregates_ready, o.aggregates_time_zone, s.time_zone
         FROM owner_settings o, shop_settings s WHERE o.id = 1 AND s.id = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    Ok(!ready || zone.as_deref() != Some(shop_zone.as_str()))
}

/// Builds every member's aggregates when [`aggregates_stale`]. True when it did.
fn ensure_aggregates(conn: &Connection, ctx: &Ctx) -> Result<bool> {
    if !aggregates_stale(conn)? {
        return Ok(false);
    }
    rebuild_all(conn, ctx)?;
    Ok(true)
}

/// The member's unvoided sales, oldest first: (created_at, total).
const MEMBER_SALES: &str = "SELECT r.created_at, r.total_minor FROM receipts r
     WHERE r.member_id = ?1 AND r.kind = 'sale' AND NOT EXISTS (SELECT 1 FROM receipts v WHERE v.voids_receipt_id = r.id)
     ORDER BY r.created_at, r.id";

const MEMBER_PRODUCT_DAYS: &str = "SELECT DISTINCT l.product_id, r.created_at FROM receipts r
     JOIN receipt_lines l ON l.receipt_id = r.id
     WHERE r.member_id = ?1 AND r.kind = 'sale' AND l.product_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM receipts v WHERE v.voids_receipt_id = r.id)";

/// A member's aggregates computed from their receipts alone.
fn compute_member(conn: &Connection, ctx: &Ctx, member_id: i64) -> Result<(VisitSummary, RecentMonths)> {
    let mut stmt = conn.prepare_cached(MEMBER_SALES)?;
    let sales = stmt
        .query_map([member_id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let dates: Vec<(NaiveDate, i64)> = sales.iter().map(|(at, total)| (ctx.local_date_ms(*at), *total)).collect();
    Ok((
        VisitSummary::from_days(dates.iter().map(|(d, _)| day_number(*d))),
        RecentMonths::from_sales(dates.iter().map(|(d, t)| (month_number(*d), *t))),
    ))
}

fn compute_member_products(conn: &Connection, ctx: &Ctx, member_id: i64) -> Result<BTreeMap<i64, VisitSummary>> {
    let mut stmt = conn.prepare_cached(MEMBER_PRODUCT_DAYS)?;
    let rows = stmt
        .query_map([member_id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut days: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for (product, at) in rows {
        days.entry(product).or_default().push(day_number(ctx.local_date_ms(at)));
    }
    Ok(days.into_iter().map(|(p, d)| (p, VisitSummary::from_days(d))).collect())
}

fn recompute_member(conn: &Connection, ctx: &Ctx, member_id: i64) -> Result<()> {
    let (v, m) = compute_member(conn, ctx, member_id)?;
    if v.visit_days == 0 {
        conn.execute("DELETE FROM member_stats WHERE member_id = ?1", [member_id])?;
        return Ok(());
    }
    write_stats(conn, member_id, &v, &m)
}

fn recompute_member_products(conn: &Connection, ctx: &Ctx, member_id: i64) -> Result<()> {
    conn.execute("DELETE FROM member_product_stats WHERE member_id = ?1", [member_id])?;
    for (product_id, v) in compute_member_products(conn, ctx, member_id)? {
        write_product_stats(conn, member_id, product_id, &v)?;
    }
    Ok(())
}

fn rebuild_all(conn: &Connection, ctx: &Ctx) -> Result<()> {
    conn.execute("DELETE FROM member_stats", [])?;
    conn.execute("DELETE FROM member_product_stats", [])?;
    let ids: Vec<i64> = {
        let mut stmt = conn.prepare("SELECT DISTINCT member_id FROM receipts WHERE kind = 'sale'")?;
        let ids = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
        ids
    };
    for id in ids {
        recompute_member(conn, ctx, id)?;
        for (product_id, v) in compute_member_products(conn, ctx, id)? {
            write_product_stats(conn, id, product_id, &v)?;
        }
    }
    conn.execute(
        "UPDATE owner_settings SET aggregates_ready = 1, aggregates_time_zone = ?1 WHERE id = 1",
        [&ctx.time_zone],
    )?;
    Ok(())
}

fn load_stats(conn: &Connection, member_id: i64) -> Result<Option<(VisitSummary, RecentMonths)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT visit_days, first_day, last_day, recent_gaps, recent_months FROM member_stats WHERE member_id = ?1",
    )?;
    Ok(stmt
        .query_row([member_id], |r| {
            Ok((
                VisitSummary {
                    visit_days: r.get(0)?,
                    first_day: r.get(1)?,
                    last_day: r.get(2)?,
                    recent_gaps: VisitSummary::parse_gaps(&r.get::<_, String>(3)?),
                },
                RecentMonths::parse(&r.get::<_, String>(4)?),
            ))
        })
        .optional()?)
}

fn write_stats(conn: &Connection, member_id: i64, v: &VisitSummary, m: &RecentMonths) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO member_stats (member_id, visit_days, first_day, last_day, gap_sum_days, recent_gaps, recent_months)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (member_id) DO UPDATE SET visit_days = excluded.visit_days, first_day = excluded.first_day,
           last_day = excluded.last_day, gap_sum_days = excluded.gap_sum_days, recent_gaps = excluded.recent_gaps,
           recent_months = excluded.recent_months",
    )?;
    stmt.execute(params![
        member_id,
        v.visit_days,
        v.first_day,
        v.last_day,
        v.gap_sum_days(),
        v.gaps_text(),
        m.to_text()
    ])?;
    Ok(())
}

fn load_product_stats(conn: &Connection, member_id: i64, product_id: i64) -> Result<Option<VisitSummary>> {
    let mut stmt = conn.prepare_cached(
        "SELECT visit_days, first_day, last_day, recent_gaps FROM member_product_stats
         WHERE member_id = ?1 AND product_id = ?2",
    )?;
    Ok(stmt
        .query_row([member_id, product_id], |r| {
            Ok(VisitSummary {
                visit_days: r.get(0)?,
                first_day: r.get(1)?,
                last_day: r.get(2)?,
                recent_gaps: VisitSummary::parse_gaps(&r.get::<_, String>(3)?),
            })
        })
        .optional()?)
}

fn write_product_stats(conn: &Connection, member_id: i64, product_id: i64, v: &VisitSummary) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO member_product_stats (member_id, product_id, visit_days, first_day, last_day, gap_sum_days, recent_gaps)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (member_id, product_id) DO UPDATE SET visit_days = excluded.visit_days,
           first_day = excluded.first_day, last_day = excluded.last_day, gap_sum_days = excluded.gap_sum_days,
           recent_gaps = excluded.recent_gaps",
    )?;
    stmt.execute(params![
        member_id,
        product_id,
        v.visit_days,
        v.first_day,
        v.last_day,
        v.gap_sum_days(),
        v.gaps_text()
    ])?;
    Ok(())
}

/// The spend a member's tier is measured on at `now`.
fn basis_spend(conn: &Connection, ctx: &Ctx, member_id: i64, now: DateTime<Utc>) -> Result<i64> {
    match ctx.cfg.tier_basis {
        TierBasis::Total => {
            Ok(conn.query_row("SELECT spend_minor FROM members WHERE id = ?1", [member_id], |r| r.get(0))?)
        }
        TierBasis::Rolling => {
            let months = load_stats(conn, member_id)?.map(|(_, m)| m).unwrap_or_default();
            Ok(months.spend_in_window(month_number(ctx.today(now)), ctx.cfg.tier_window_months))
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn change_tier(
    conn: &Connection,
    member_id: i64,
    from: Option<String>,
    to: Option<String>,
    reason: &str,
    receipt_id: Option<i64>,
    spend: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    let now_ms = now.timestamp_millis();
    conn.execute("UPDATE members SET tier = ?2, updated_at = ?3 WHERE id = ?1", params![member_id, to, now_ms])?;
    conn.execute(
        "INSERT INTO tier_changes (member_id, from_tier, to_tier, reason, receipt_id, spend_minor, changed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![member_id, from, to, reason, receipt_id, spend, now_ms],
    )?;
    Ok(())
}

/// At checkout a member moves up to the highest tier they now reach; never down.
fn upgrade_at_checkout(
    conn: &Connection,
    ctx: &Ctx,
    member_id: i64,
    receipt_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    if ctx.tiers.is_empty() {
        return Ok(());
    }
    let spend = basis_spend(conn, ctx, member_id, now)?;
    let Some(target) = tier_for(&ctx.tiers, spend) else { return Ok(()) };
    let current: Option<String> =
        conn.query_row("SELECT tier FROM members WHERE id = ?1", [member_id], |r| r.get(0))?;
    if target.rank > rank_of(&ctx.tiers, current.as_deref()) {
        change_tier(conn, member_id, current, Some(target.name.clone()), "checkout", Some(receipt_id), spend, now)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// The scan behind every list

/// One scanned member, with the values its list needs.
struct Scanned {
    row: MemberRow,
    typical_gap: Option<i64>,
    last_day: Option<i64>,
}

/// What a scan reads besides the figures every list needs. A list of
/// 100,000 members sorts on figures; the names and the spend in the tier
/// window are read for the rows on the page only ([`finish_page`]).
#[derive(Debug, Clone, Copy)]
struct Detail {
    /// Member number, name, phone and tier.
    names: bool,
    /// The spend in the tier window (parses the recent months).
    window: bool,
}

const FIGURES: Detail = Detail { names: false, window: false };
const EVERYTHING: Detail = Detail { names: true, window: true };

/// Adds the filter's tiers and tags to a query of `members m`; returns their values.
fn push_filter(sql: &mut String, filter: &ListFilter) -> Vec<Value> {
    let mut values: Vec<Value> = Vec::new();
    let placeholders = |n: usize| vec!["?"; n].join(", ");
    if !filter.tiers.is_empty() {
        sql.push_str(&format!(" AND m.tier IN ({})", placeholders(filter.tiers.len())));
        values.extend(filter.tiers.iter().map(|t| Value::Text(t.trim().to_string())));
    }
    if !filter.tags.is_empty() {
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM member_tags t WHERE t.member_id = m.id AND t.tag IN ({}))",
            placeholders(filter.tags.len())
        ));
        values.extend(filter.tags.iter().map(|t| Value::Text(t.trim().to_string())));
    }
    values
}

fn scan(
    conn: &Connection,
    ctx: &Ctx,
    filter: &ListFilter,
    today: NaiveDate,
    extra_where: &str,
    detail: Detail,
) -> Result<Vec<Scanned>> {
    // Columns left out are read as empty values (no allocation), same positions.
    let names = if detail.names { "m.member_no, m.name, m.phone" } else { "'', '', NULL" };
    let tier = if detail.names { "m.tier" } else { "NULL" };
    let months = if detail.window { "s.recent_months" } else { "NULL" };
    let mut sql = format!(
        "SELECT m.id, {names}, m.birthday_month, m.birthday_day, m.birthday_year, {tier},
                m.joined_at, m.visit_count, m.spend_minor, m.first_visit_at, m.last_visit_at,
                m.wallet_paid_minor + m.wallet_bonus_minor,
                s.visit_days, s.first_day, s.last_day, s.recent_gaps, {months}
         FROM members m LEFT JOIN member_stats s ON s.member_id = m.id
         WHERE m.archived = 0"
    );
    let values = push_filter(&mut sql, filter);
    sql.push_str(extra_where);
    let today_day = day_number(today);
    let month = month_number(today);
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(params_from_iter(values))?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let visits = VisitSummary {
            visit_days: r.get::<_, Option<i64>>(14)?.unwrap_or(0),
            first_day: r.get(15)?,
            last_day: r.get(16)?,
            recent_gaps: r.get::<_, Option<String>>(17)?.map(|g| VisitSummary::parse_gaps(&g)).unwrap_or_default(),
        };
        let months = r.get::<_, Option<String>>(18)?.map(|m| RecentMonths::parse(&m)).unwrap_or_default();
        let standing = nes_standing(&visits, today_day, &ctx.cfg);
        if !filter.segments.is_empty() && !filter.segments.contains(&standing.segment) {
            continue;
        }
        let (bm, bd, by): (Option<u8>, Option<u8>, Option<i32>) = (r.get(4)?, r.get(5)?, r.get(6)?);
        out.push(Scanned {
            row: MemberRow {
                member_id: r.get(0)?,
                member_no: r.get(1)?,
                name: r.get(2)?,
                phone: r.get(3)?,
                birthday: match (bm, bd) {
                    (Some(month), Some(day)) => Some(Birthday { month, day, year: by }),
                    _ => None,
                },
                tier: r.get(7)?,
                tags: Vec::new(),
                joined_at: r.get(8)?,
                segment: standing.segment,
                visits: r.get(9)?,
                visit_days: visits.visit_days,
                spend_minor: r.get(10)?,
                window_spend_minor: months.spend_in_window(month, ctx.cfg.tier_window_months),
                first_visit_at: r.get(11)?,
                last_visit_at: r.get(12)?,
                last_visit_date: visits.last_day.and_then(date_of_day),
                days_since_last_visit: standing.days_since,
                typical_gap_days: standing.typical_gap,
                sleep_after_days: standing.thresholds[0],
                stored_value_minor: r.get(13)?,
            },
            typical_gap: standing.typical_gap,
            last_day: visits.last_day,
        });
    }
    Ok(out)
}

/// Sorts `all` by `cmp` and cuts out the filter's page. Only indices move
/// while sorting (a row is a few hundred bytes, a list 100,000 rows).
/// Returns the length of the whole list and the page's rows.
fn sort_page<T>(all: Vec<T>, filter: &ListFilter, cmp: impl Fn(&T, &T) -> Ordering) -> (u32, Vec<T>) {
    let total = all.len();
    let mut order: Vec<usize> = (0..total).collect();
    order.sort_unstable_by(|&a, &b| cmp(&all[a], &all[b]));
    let start = (filter.offset as usize).min(total);
    let end = filter.limit.map_or(total, |l| start.saturating_add(l as usize).min(total));
    let mut slots: Vec<Option<T>> = all.into_iter().map(Some).collect();
    let rows = order[start..end].iter().filter_map(|&i| slots[i].take()).collect();
    (u32::try_from(total).unwrap_or(u32::MAX), rows)
}

/// Past this many rows a page reads every member's names in one pass
/// rather than one query per row (an export of the whole list).
const BULK_NAMES: usize = 500;

/// Fills in what a scan left out for the rows on the page: member number,
/// name, phone, tier, tags and the spend in the tier window.
fn finish_page<T: ts_rs::TS>(
    conn: &Connection,
    ctx: &Ctx,
    today: NaiveDate,
    total: u32,
    mut rows: Vec<T>,
    member: impl Fn(&mut T) -> &mut MemberRow,
) -> Result<Page<T>> {
    type Names = (String, String, Option<String>, Option<String>, Option<String>);
    const NAMES: &str = "SELECT m.id, m.member_no, m.name, m.phone, m.tier, s.recent_months
         FROM members m LEFT JOIN member_stats s ON s.member_id = m.id";
    let read = |r: &rusqlite::Row<'_>| -> rusqlite::Result<(i64, Names)> {
        Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
    };
    let mut bulk: HashMap<i64, Names> = HashMap::new();
    let mut bulk_tags: HashMap<i64, Vec<String>> = HashMap::new();
    let in_bulk = rows.len() > BULK_NAMES;
    if in_bulk {
        let mut stmt = conn.prepare(NAMES)?;
        bulk = stmt.query_map([], read)?.collect::<rusqlite::Result<_>>()?;
        let mut stmt = conn.prepare("SELECT member_id, tag FROM member_tags ORDER BY member_id, tag")?;
        let mut q = stmt.query([])?;
        while let Some(r) = q.next()? {
            bulk_tags.entry(r.get(0)?).or_default().push(r.get(1)?);
        }
    }
    let mut one = conn.prepare_cached(&format!("{NAMES} WHERE m.id = ?1"))?;
    let mut tags = conn.prepare_cached("SELECT tag FROM member_tags WHERE member_id = ?1 ORDER BY tag")?;
    let month = month_number(today);
    for r in &mut rows {
        let m = member(r);
        let names = match bulk.remove(&m.member_id) {
            Some(names) => names,
            None => one.query_row([m.member_id], read)?.1,
        };
        let (member_no, name, phone, tier, months) = names;
        (m.member_no, m.name, m.phone, m.tier) = (member_no, name, phone, tier);
        m.window_spend_minor =
            months.map(|t| RecentMonths::parse(&t).spend_in_window(month, ctx.cfg.tier_window_months)).unwrap_or(0);
        m.tags = if in_bulk {
            bulk_tags.remove(&m.member_id).unwrap_or_default()
        } else {
            tags.query_map([m.member_id], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?
        };
    }
    Ok(Page { total, rows })
}

fn check_filter(filter: &ListFilter) -> Result<()> {
    if filter.tags.len() > 50 || filter.tiers.len() > 50 {
        return Err(Error::InvalidInput { field: "filter", reason: Reason::TooMany { max: 50 } });
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// The members' figures, read once for the lists the owner's view opens together

/// One member's figures as the lists sort and count them, without strings:
/// a list of a million members picks its page from these and reads the
/// full rows of that page only ([`member_rows`]).
#[derive(Debug, Clone, Copy)]
struct Fig {
    id: i64,
    spend: i64,
    visits: i64,
    days_since: Option<i64>,
    segment: Nes,
}

/// One pass over the (unarchived) members a filter selects.
struct Figures {
    figs: Vec<Fig>,
    /// Members per tier (`None`: without one), in the order first met.
    tiers: Vec<(Option<String>, i64)>,
    /// The stored value they hold.
    paid_minor: i64,
    bonus_minor: i64,
}

/// The unfiltered [`Figures`] last read, with the moment they were read at
/// (`PRAGMA data_version`, this connection's total changes, the shop day):
/// after any write, on this connection or another, or on another day they
/// are read afresh. The dashboard, 80/20 and the lists opened beside them
/// share one read.
#[derive(Default)]
pub(crate) struct FigureCache(RefCell<Option<(ReadAt, Arc<Figures>)>>);

/// When figures were read: `PRAGMA data_version`, the connection's total changes, the shop day.
type ReadAt = (i64, u64, i64);

/// Reads the figures: the members in id order and their `member_stats` in
/// the same order, merged (two sequential reads, no lookup per member).
fn read_figures(conn: &Connection, ctx: &Ctx, filter: &ListFilter, today: NaiveDate) -> Result<Figures> {
    let mut sql = String::from(
        "SELECT m.id, m.tier, m.visit_count, m.spend_minor, m.wallet_paid_minor, m.wallet_bonus_minor
         FROM members m WHERE m.archived = 0",
    );
    let values = push_filter(&mut sql, filter);
    sql.push_str(" ORDER BY m.id");
    let mut members = conn.prepare(&sql)?;
    let mut stats = conn.prepare_cached(
        "SELECT member_id, visit_days, first_day, last_day, recent_gaps FROM member_stats ORDER BY member_id",
    )?;
    let mut m_rows = members.query(params_from_iter(values))?;
    let mut s_rows = stats.query([])?;
    let today_day = day_number(today);
    let none = VisitSummary::default();
    // The stats row read last (its member id), kept in `held` with its gaps' vector reused.
    let mut held = VisitSummary::default();
    let mut held_id = i64::MIN;
    let mut out = Figures { figs: Vec::new(), tiers: Vec::new(), paid_minor: 0, bonus_minor: 0 };
    while let Some(r) = m_rows.next()? {
        let id: i64 = r.get(0)?;
        while held_id < id {
            match s_rows.next()? {
                Some(s) => {
                    held_id = s.get(0)?;
                    held.visit_days = s.get(1)?;
                    held.first_day = s.get(2)?;
                    held.last_day = s.get(3)?;
                    held.recent_gaps.clear();
                    if let rusqlite::types::ValueRef::Text(t) = s.get_ref(4)? {
                        let text = std::str::from_utf8(t).unwrap_or("");
                        held.recent_gaps.extend(text.split(',').filter_map(|g| g.trim().parse::<i64>().ok()));
                    }
                }
                None => held_id = i64::MAX,
            }
        }
        let visits = if held_id == id { &held } else { &none };
        let standing = nes_standing(visits, today_day, &ctx.cfg);
        let tier = match r.get_ref(1)? {
            rusqlite::types::ValueRef::Text(t) => Some(t),
            _ => None,
        };
        match out.tiers.iter_mut().find(|(name, _)| name.as_deref().map(str::as_bytes) == tier) {
            Some((_, n)) => *n += 1,
            None => out.tiers.push((tier.map(|t| String::from_utf8_lossy(t).into_owned()), 1)),
        }
        out.paid_minor += r.get::<_, i64>(4)?;
        out.bonus_minor += r.get::<_, i64>(5)?;
        out.figs.push(Fig {
            id,
            spend: r.get(3)?,
            visits: r.get(2)?,
            days_since: standing.days_since,
            segment: standing.segment,
        });
    }
    Ok(out)
}

impl Store {
    /// The figures of the members `filter`'s tags and tiers select (its
    /// segments are left to the caller), shared until the next write when
    /// it selects every member.
    fn member_figures(
        &self,
        conn: &Connection,
        ctx: &Ctx,
        filter: &ListFilter,
        today: NaiveDate,
    ) -> Result<Arc<Figures>> {
        if !filter.tags.is_empty() || !filter.tiers.is_empty() {
            return Ok(Arc::new(read_figures(conn, ctx, filter, today)?));
        }
        let version: i64 = conn.query_row("PRAGMA data_version", [], |r| r.get(0))?;
        let key = (version, conn.total_changes(), day_number(today));
        let mut cache = self.owner_figures.0.borrow_mut();
        if let Some((at, figures)) = cache.as_ref() {
            if *at == key {
                return Ok(Arc::clone(figures));
            }
        }
        // The old figures go before the new are read (a million members' worth each).
        *cache = None;
        let figures = Arc::new(read_figures(conn, ctx, filter, today)?);
        *cache = Some((key, Arc::clone(&figures)));
        Ok(figures)
    }
}

/// Whether a member's segment is among the filter's (all when none given).
fn in_segments(filter: &ListFilter, f: &Fig) -> bool {
    filter.segments.is_empty() || filter.segments.contains(&f.segment)
}

/// The filter's page of `all` in `cmp` order, by a partial selection (only
/// the rows up to the page's end are sorted), and the length of the whole list.
fn pick<T>(mut all: Vec<T>, filter: &ListFilter, cmp: impl Fn(&T, &T) -> Ordering) -> (u32, Vec<T>) {
    let total = all.len();
    let start = (filter.offset as usize).min(total);
    let end = filter.limit.map_or(total, |l| start.saturating_add(l as usize).min(total));
    if end > 0 && end < total {
        all.select_nth_unstable_by(end - 1, &cmp);
        all.truncate(end);
    }
    all.sort_unstable_by(&cmp);
    let rows = all.drain(start.min(all.len())..).collect();
    (u32::try_from(total).unwrap_or(u32::MAX), rows)
}

/// The full rows (numbers and names left for [`finish_page`]) of `ids`, in that order.
fn member_rows(conn: &Connection, ctx: &Ctx, today: NaiveDate, ids: &[i64]) -> Result<Vec<MemberRow>> {
    let mut by_id: HashMap<i64, MemberRow> = HashMap::with_capacity(ids.len());
    if ids.len() > BULK_NAMES {
        for s in scan(conn, ctx, &ListFilter::default(), today, "", FIGURES)? {
            by_id.insert(s.row.member_id, s.row);
        }
    } else if !ids.is_empty() {
        let extra = format!(" AND m.id IN ({})", ids.iter().map(i64::to_string).collect::<Vec<_>>().join(","));
        for s in scan(conn, ctx, &ListFilter::default(), today, &extra, FIGURES)? {
            by_id.insert(s.row.member_id, s.row);
        }
    }
    ids.iter().map(|id| by_id.remove(id).ok_or_else(|| Error::MemberNotFound(id.to_string()))).collect()
}

fn fig_segment_counts(figs: &[Fig]) -> Vec<SegmentCount> {
    let mut counts: Vec<SegmentCount> =
        Nes::ALL.iter().map(|s| SegmentCount { segment: *s, members: 0, spend_minor: 0 }).collect();
    for f in figs {
        if let Some(c) = counts.iter_mut().find(|c| c.segment == f.segment) {
            c.members += 1;
            c.spend_minor += f.spend;
        }
    }
    counts
}

// ---------------------------------------------------------------------------
// Store methods

impl Store {
    /// Runs `f` with the aggregates built (they are built at open, after
    /// an upgrade, and when the time zone changes), in one read transaction:
    /// a list's several queries see one moment even while the counter's
    /// connection commits sales beside it.
    fn with_aggregates<T>(&self, f: impl FnOnce(&Connection, &Ctx) -> Result<T>) -> Result<T> {
        let conn = self.conn();
        // Normally built at open and kept at checkout; another program may
        // have changed the zone since this store was opened.
        if aggregates_stale(conn)? {
            conn.execute_batch("BEGIN IMMEDIATE")?;
            match ensure_aggregates(conn, &Ctx::load(conn)?) {
                Ok(_) => conn.execute_batch("COMMIT")?,
                Err(e) => {
                    let _ = conn.execute_batch("ROLLBACK");
                    return Err(e);
                }
            }
        }
        // Only reads follow; the transaction ends (rolled back) when dropped.
        let snapshot = if conn.is_autocommit() { Some(conn.unchecked_transaction()?) } else { None };
        let ctx = Ctx::load(conn)?;
        let out = f(conn, &ctx);
        drop(snapshot);
        out
    }

    /// The tags members carry (archived members left out), with how many
    /// members carry each, most used first: what a list can be filtered by.
    pub fn tags_in_use(&self) -> Result<Vec<TagCount>> {
        // Counted from the tag index alone, less the few archived members' tags.
        let mut stmt = self.conn().prepare_cached(
            "SELECT tag, SUM(n) FROM (
               SELECT tag, count(*) AS n FROM member_tags GROUP BY tag
               UNION ALL
               SELECT t.tag, -count(*) FROM members m JOIN member_tags t ON t.member_id = m.id
               WHERE m.archived = 1 GROUP BY t.tag)
             GROUP BY tag HAVING SUM(n) > 0 ORDER BY SUM(n) DESC, tag",
        )?;
        let rows = stmt
            .query_map([], |r| Ok(TagCount { tag: r.get(0)?, members: r.get(1)? }))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    pub fn owner_settings(&self) -> Result<OwnerSettings> {
        load_owner_settings(self.conn())
    }

    /// Changes the owner's thresholds and tier basis. Tiers are not moved
    /// here: the next checkout upgrades, [`Store::apply_tier_review`] moves both ways.
    pub fn update_owner_settings(&mut self, patch: &OwnerSettingsPatch, now: DateTime<Utc>) -> Result<OwnerSettings> {
        self.write(|tx| {
            let next = patch.apply(&load_owner_settings(tx)?)?;
            tx.execute(
                "UPDATE owner_settings SET new_days = ?1, s1_days = ?2, s2_days = ?3, s3_days = ?4, s1_pct = ?5,
                   s2_pct = ?6, s3_pct = ?7, min_gap_days = ?8, min_history_visits = ?9, tier_basis = ?10,
                   tier_window_months = ?11, birthday_template = ?12, updated_at = ?13 WHERE id = 1",
                params![
                    next.new_days,
                    next.s1_days,
                    next.s2_days,
                    next.s3_days,
                    next.s1_pct,
                    next.s2_pct,
                    next.s3_pct,
                    next.min_gap_days,
                    next.min_history_visits,
                    next.tier_basis.as_db(),
                    next.tier_window_months,
                    next.birthday_template,
                    now.timestamp_millis()
                ],
            )?;
            Ok(next)
        })
    }

    /// Every member's NES segment: counts per segment and the members, by
    /// segment then longest away first.
    pub fn nes_report(&self, filter: &ListFilter, now: DateTime<Utc>) -> Result<NesReport> {
        check_filter(filter)?;
        self.with_aggregates(|conn, ctx| {
            let today = ctx.today(now);
            let figures = self.member_figures(conn, ctx, filter, today)?;
            let all: Vec<Fig> = figures.figs.iter().filter(|f| in_segments(filter, f)).copied().collect();
            let counts = fig_segment_counts(&all);
            let (total, page) = pick(all, filter, |a, b| {
                (a.segment, std::cmp::Reverse(a.days_since), a.id).cmp(&(
                    b.segment,
                    std::cmp::Reverse(b.days_since),
                    b.id,
                ))
            });
            let ids: Vec<i64> = page.iter().map(|f| f.id).collect();
            let rows = member_rows(conn, ctx, today, &ids)?;
            Ok(NesReport { as_of: today, counts, members: finish_page(conn, ctx, today, total, rows, |r| r)? })
        })
    }

    /// The win-back list: members past their sleeping threshold (S1–S3, or
    /// those of `filter.segments` among them), most valuable first (spend,
    /// then visits), with their last contact.
    pub fn lapsed(&self, filter: &ListFilter, now: DateTime<Utc>) -> Result<Page<LapsedRow>> {
        check_filter(filter)?;
        self.with_aggregates(|conn, ctx| {
            let today = ctx.today(now);
            let figures = self.member_figures(conn, ctx, filter, today)?;
            let all: Vec<Fig> =
                figures.figs.iter().filter(|f| f.segment.is_lapsed() && in_segments(filter, f)).copied().collect();
            let (total, page) = pick(all, filter, |a, b| (b.spend, b.visits, a.id).cmp(&(a.spend, a.visits, b.id)));
            let ids: Vec<i64> = page.iter().map(|f| f.id).collect();
            let rows = member_rows(conn, ctx, today, &ids)?
                .into_iter()
                .map(|member| LapsedRow { member, last_contact: None })
                .collect();
            let mut p = finish_page(conn, ctx, today, total, rows, |r| &mut r.member)?;
            for r in &mut p.rows {
                r.last_contact = contacts_of(conn, r.member.member_id, 1)?.into_iter().next();
            }
            Ok(p)
        })
    }

    /// Members who have bought, by the spend their tier is measured on
    /// (rolling window or total), highest first.
    pub fn vip(&self, filter: &ListFilter, now: DateTime<Utc>) -> Result<Page<MemberRow>> {
        check_filter(filter)?;
        self.with_aggregates(|conn, ctx| {
            let today = ctx.today(now);
            let month = month_number(today);
            let figures = self.member_figures(conn, ctx, filter, today)?;
            let buyers: Vec<(i64, std::cmp::Reverse<i64>)> = figures
                .figs
                .iter()
                .filter(|f| f.visits > 0 && in_segments(filter, f))
                .map(|f| (f.spend, std::cmp::Reverse(f.id)))
                .collect();
            let total = buyers.len();
            let start = (filter.offset as usize).min(total);
            let end = filter.limit.map_or(total, |l| start.saturating_add(l as usize).min(total));
            // The spend in the window of a member's recent months: looked up
            // one by one for a page, read in one pass for a long list.
            let months_text = |t: &str| RecentMonths::parse(t).spend_in_window(month, ctx.cfg.tier_window_months);
            let mut all_windows: HashMap<i64, i64> = HashMap::new();
            if end > BULK_NAMES {
                let mut stmt = conn.prepare("SELECT member_id, recent_months FROM member_stats")?;
                let mut q = stmt.query([])?;
                while let Some(r) = q.next()? {
                    all_windows.insert(r.get(0)?, months_text(r.get_ref(1)?.as_str().unwrap_or("")));
                }
            }
            let mut one = conn.prepare_cached("SELECT recent_months FROM member_stats WHERE member_id = ?1")?;
            let mut window_of = |id: i64| -> Result<i64> {
                if end > BULK_NAMES {
                    return Ok(all_windows.get(&id).copied().unwrap_or(0));
                }
                let text: Option<String> = one.query_row([id], |r| r.get(0)).optional()?;
                Ok(text.map_or(0, |t| months_text(&t)))
            };
            let key = |window: i64, spend: i64| match ctx.cfg.tier_basis {
                TierBasis::Rolling => (window, spend),
                TierBasis::Total => (spend, window),
            };
            // Highest total spend first. The spend in the window is never
            // more than the total (sales are positive), so once the page's
            // last key beats (spend, spend) of the next member, nobody left
            // can reach the page and their windows are not read.
            let mut by_spend = std::collections::BinaryHeap::from(buyers);
            let mut seen: Vec<((i64, i64), i64)> = Vec::new();
            let mut best: std::collections::BinaryHeap<std::cmp::Reverse<(i64, i64)>> =
                std::collections::BinaryHeap::new();
            while let Some((spend, std::cmp::Reverse(id))) = if end == 0 { None } else { by_spend.pop() } {
                let k = key(window_of(id)?, spend);
                seen.push((k, id));
                best.push(std::cmp::Reverse(k));
                if best.len() > end {
                    best.pop();
                }
                let page_last = best.peek().map(|r| r.0).filter(|_| best.len() == end);
                let next = by_spend.peek().map(|(s, _)| (*s, *s));
                if let (Some(last), Some(next)) = (page_last, next) {
                    if last > next {
                        break;
                    }
                }
            }
            let (_, page) = pick(seen, filter, |a, b| (b.0, a.1).cmp(&(a.0, b.1)));
            let ids: Vec<i64> = page.iter().map(|(_, id)| *id).collect();
            let rows = member_rows(conn, ctx, today, &ids)?;
            finish_page(conn, ctx, today, u32::try_from(total).unwrap_or(u32::MAX), rows, |r| r)
        })
    }

    /// RFM scores of the members who have bought (quintiles among the
    /// members the filter's tags and tiers select), the named segments'
    /// counts and revenue shares, and the members of `segments` (all when
    /// empty), best first.
    pub fn rfm(&self, filter: &ListFilter, segments: &[RfmSegment], now: DateTime<Utc>) -> Result<RfmReport> {
        check_filter(filter)?;
        self.with_aggregates(|conn, ctx| {
            let today = ctx.today(now);
            let figures = self.member_figures(conn, ctx, filter, today)?;
            let scanned: Vec<Fig> = figures
                .figs
                .iter()
                .filter(|f| f.visits > 0 && f.days_since.is_some() && in_segments(filter, f))
                .copied()
                .collect();
            let inputs: Vec<RfmInput> = scanned
                .iter()
                .map(|f| RfmInput { days_since: f.days_since.unwrap_or(0), visits: f.visits, spend_minor: f.spend })
                .collect();
            let scores = rfm_scores(&inputs);
            let revenue: i64 = scanned.iter().map(|f| f.spend).sum();
            let counts = RfmSegment::ALL
                .iter()
                .map(|seg| {
                    let (n, rev) = scanned
                        .iter()
                        .zip(&scores)
                        .filter(|(_, s)| s.segment == *seg)
                        .fold((0, 0), |(n, rev), (f, _)| (n + 1, rev + f.spend));
                    RfmSegmentCount {
                        segment: *seg,
                        members: n,
                        revenue_minor: rev,
                        revenue_share_bp: share_bp(rev, revenue),
                    }
                })
                .collect();
            let chosen: Vec<(Fig, RfmScore)> = scanned
                .into_iter()
                .zip(scores)
                .filter(|(_, s)| segments.is_empty() || segments.contains(&s.segment))
                .collect();
            let k = |(f, rfm): &(Fig, RfmScore)| (u16::from(rfm.r) + u16::from(rfm.f) + u16::from(rfm.m), f.spend);
            let (total, page) = pick(chosen, filter, |a, b| (k(b), a.0.id).cmp(&(k(a), b.0.id)));
            let ids: Vec<i64> = page.iter().map(|(f, _)| f.id).collect();
            let rows: Vec<RfmRow> = member_rows(conn, ctx, today, &ids)?
                .into_iter()
                .zip(page)
                .map(|(member, (_, rfm))| RfmRow { member, rfm })
                .collect();
            let members = finish_page(conn, ctx, today, total, rows, |r| &mut r.member)?;
            Ok(RfmReport { as_of: today, segments: counts, members })
        })
    }

    /// Birthdays today, this week or this month (shop's time zone), with
    /// the greeting from `template` (the owner's birthday template when absent).
    pub fn birthdays(
        &self,
        window: BirthdayWindow,
        template: Option<&str>,
        filter: &ListFilter,
        now: DateTime<Utc>,
    ) -> Result<Page<BirthdayRow>> {
        check_filter(filter)?;
        self.with_aggregates(|conn, ctx| {
            let today = ctx.today(now);
            let template = template.map_or_else(|| ctx.cfg.birthday_template.clone(), str::to_string);
            check_template(&template)?;
            let dates: Vec<NaiveDate> = match window {
                BirthdayWindow::Today => vec![today],
                BirthdayWindow::ThisWeek => (0..7).map(|i| week_start(today) + Duration::days(i)).collect(),
                BirthdayWindow::ThisMonth => (1..=31).filter_map(|d| today.with_day(d)).collect(),
            };
            let months: BTreeSet<u32> = dates.iter().map(|d| d.month()).collect();
            let extra = format!(
                " AND m.birthday_month IN ({})",
                months.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
            );
            let mut rows: Vec<BirthdayRow> = Vec::new();
            let detail = Detail { names: true, window: false };
            for s in scan(conn, ctx, filter, today, &extra, detail)? {
                let Some(b) = s.row.birthday else { continue };
                let Some(date) = dates.iter().find(|d| b.is_on(**d)).copied() else { continue };
                rows.push(BirthdayRow {
                    turning: b.year.map(|y| date.year() - y).filter(|age| *age > 0),
                    birthday_date: date,
                    greeting: String::new(),
                    member: s.row,
                });
            }
            let (total, rows) = sort_page(rows, filter, |a, b| {
                (a.birthday_date, &a.member.name, a.member.member_id).cmp(&(
                    b.birthday_date,
                    &b.member.name,
                    b.member.member_id,
                ))
            });
            let mut p = finish_page(conn, ctx, today, total, rows, |r| &mut r.member)?;
            for r in &mut p.rows {
                r.greeting = render(&template, &template_values(conn, ctx, &r.member, &template, now)?);
            }
            Ok(p)
        })
    }

    /// Members due back within `due.within_days` days (today included), by
    /// their own typical interval, or by a product's repurchase cycle.
    /// Soonest first. Members without enough history have no prediction.
    pub fn due_back(&self, due: &DueFilter, filter: &ListFilter, now: DateTime<Utc>) -> Result<Page<DueRow>> {
        check_filter(filter)?;
        if !(0..=366).contains(&due.within_days) {
            return Err(Error::InvalidInput { field: "days", reason: Reason::Range { min: 0, max: 366 } });
        }
        self.with_aggregates(|conn, ctx| {
            let today = ctx.today(now);
            let today_day = day_number(today);
            let scanned = scan(conn, ctx, filter, today, " AND m.visit_count > 0", FIGURES)?;
            let mut rows = Vec::new();
            let mut push = |member: MemberRow, last_day: i64, cycle: i64, product: Option<(i64, String)>| {
                let predicted = last_day + cycle;
                if predicted >= today_day && predicted <= today_day + due.within_days {
                    if let Some(date) = date_of_day(predicted) {
                        rows.push(DueRow {
                            member,
                            predicted_date: date,
                            days_until: predicted - today_day,
                            cycle_days: cycle,
                            product_id: product.as_ref().map(|p| p.0),
                            product_name: product.map(|p| p.1),
                        });
                    }
                }
            };
            match due.product_id {
                None => {
                    for s in scanned {
                        if let (Some(gap), Some(last)) = (s.typical_gap, s.last_day) {
                            push(s.row, last, gap, None);
                        }
                    }
                }
                Some(product_id) => {
                    let name: String = conn
                        .query_row("SELECT name FROM products WHERE id = ?1", [product_id], |r| r.get(0))
                        .optional()?
                        .ok_or_else(|| Error::InvalidInput {
                            field: "product",
                            reason: format!("no product {product_id}").into(),
                        })?;
                    let mut by_member: HashMap<i64, MemberRow> =
                        scanned.into_iter().map(|s| (s.row.member_id, s.row)).collect();
                    let mut stmt = conn.prepare(
                        "SELECT member_id, visit_days, first_day, last_day, recent_gaps FROM member_product_stats
                         WHERE product_id = ?1",
                    )?;
                    let mut q = stmt.query([product_id])?;
                    while let Some(r) = q.next()? {
                        let v = VisitSummary {
                            visit_days: r.get(1)?,
                            first_day: r.get(2)?,
                            last_day: r.get(3)?,
                            recent_gaps: VisitSummary::parse_gaps(&r.get::<_, String>(4)?),
                        };
                        let (Some(gap), Some(last)) = (v.typical_gap(ctx.cfg.min_history_visits), v.last_day) else {
                            continue;
                        };
                        if let Some(member) = by_member.remove(&r.get::<_, i64>(0)?) {
                            push(member, last, gap, Some((product_id, name.clone())));
                        }
                    }
                }
            }
            let (total, rows) = sort_page(rows, filter, |a, b| {
                (a.days_until, std::cmp::Reverse(a.member.spend_minor), a.member.member_id).cmp(&(
                    b.days_until,
                    std::cmp::Reverse(b.member.spend_minor),
                    b.member.member_id,
                ))
            });
            finish_page(conn, ctx, today, total, rows, |r| &mut r.member)
        })
    }

    /// The share of all members' spend that comes from the top 20 % of
    /// customers, and the curve for a chart.
    pub fn pareto(&self, filter: &ListFilter, now: DateTime<Utc>) -> Result<Pareto> {
        check_filter(filter)?;
        self.with_aggregates(|conn, ctx| {
            let figures = self.member_figures(conn, ctx, filter, ctx.today(now))?;
            let spends: Vec<i64> =
                figures.figs.iter().filter(|f| f.spend > 0 && in_segments(filter, f)).map(|f| f.spend).collect();
            Ok(pareto(&spends))
        })
    }

    /// The owner's figures at a glance.
    pub fn dashboard(&self, now: DateTime<Utc>) -> Result<Dashboard> {
        self.with_aggregates(|conn, ctx| {
            let today = ctx.today(now);
            let figures = self.member_figures(conn, ctx, &ListFilter::default(), today)?;
            let first_week = week_start(today) - Duration::weeks(11);
            let mut weeks: Vec<WeekFigures> = (0..12)
                .map(|i| WeekFigures {
                    week_start: first_week + Duration::weeks(i),
                    new_members: 0,
                    visits: 0,
                    revenue_minor: 0,
                    stored_value_end_minor: 0,
                })
                .collect();
            let from = ctx.day_start_ms(first_week);
            let until = ctx.day_start_ms(week_start(today) + Duration::weeks(1));
            let week_of = |ms: i64| -> Option<usize> {
                let d = ctx.local_date_ms(ms);
                let i = (week_start(d) - first_week).num_weeks();
                usize::try_from(i).ok().filter(|i| *i < 12)
            };
            // Sales and stored-value movements per quarter hour (kept at
            // checkout, `owner_quarters`): a shop day starts on a quarter
            // hour in every zone, so each quarter hour is in one week.
            // Stored value held at each week's end: what is held now, less
            // every movement made after that week.
            let mut moved_in_week = [0i64; 12];
            let mut moved_later = 0i64;
            {
                let mut stmt = conn.prepare_cached(
                    "SELECT quarter, sales, revenue_minor, wallet_delta_minor FROM owner_quarters WHERE quarter >= ?1",
                )?;
                let mut q = stmt.query([from.div_euclid(QUARTER_MS)])?;
                while let Some(r) = q.next()? {
                    let at = r.get::<_, i64>(0)? * QUARTER_MS;
                    let delta: i64 = r.get(3)?;
                    match week_of(at).filter(|_| at >= from && at < until) {
                        Some(i) => {
                            weeks[i].visits += r.get::<_, i64>(1)?;
                            weeks[i].revenue_minor += r.get::<_, i64>(2)?;
                            moved_in_week[i] += delta;
                        }
                        None if at >= until => moved_later += delta,
                        None => {}
                    }
                }
                let mut stmt =
                    conn.prepare_cached("SELECT joined_at FROM members WHERE joined_at >= ?1 AND joined_at < ?2")?;
                let mut q = stmt.query([from, until])?;
                while let Some(r) = q.next()? {
                    if let Some(i) = week_of(r.get(0)?) {
                        weeks[i].new_members += 1;
                    }
                }
            }
            let tiers: BTreeMap<Option<String>, i64> = figures.tiers.iter().cloned().collect();
            // Archived members still hold what they hold (the figures leave them out).
            let (archived_paid, archived_bonus): (i64, i64) = conn.query_row(
                "SELECT COALESCE(SUM(wallet_paid_minor), 0), COALESCE(SUM(wallet_bonus_minor), 0)
                 FROM members WHERE archived = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let (paid, bonus) = (figures.paid_minor + archived_paid, figures.bonus_minor + archived_bonus);
            let mut held = paid + bonus - moved_later;
            for i in (0..12).rev() {
                weeks[i].stored_value_end_minor = held;
                held -= moved_in_week[i];
            }
            let rank = |t: &Option<String>| std::cmp::Reverse(rank_of(&ctx.tiers, t.as_deref()));
            let mut tiers: Vec<TierCount> =
                tiers.into_iter().map(|(tier, members)| TierCount { tier, members }).collect();
            tiers.sort_by(|a, b| (rank(&a.tier), &a.tier).cmp(&(rank(&b.tier), &b.tier)));
            Ok(Dashboard {
                as_of: today,
                currency: ctx.currency.clone(),
                members: figures.figs.len() as i64,
                segments: fig_segment_counts(&figures.figs),
                tiers,
                revenue_12_weeks_minor: weeks.iter().map(|w| w.revenue_minor).sum(),
                revenue_total_minor: figures.figs.iter().map(|f| f.spend).sum(),
                weeks,
                stored_value: FloatParts { paid_minor: paid, bonus_minor: bonus },
            })
        })
    }

    // --- tiers ---

    pub fn tiers(&self) -> Result<Vec<Tier>> {
        load_tiers(self.conn())
    }

    /// Replaces the tier definitions (members keep their tier until the
    /// next checkout upgrades them or a review moves them).
    pub fn set_tiers(&mut self, tiers: &[TierInput]) -> Result<Vec<Tier>> {
        let ranked = rank_tiers(tiers)?;
        self.write(|tx| {
            tx.execute("DELETE FROM tiers", [])?;
            for t in &ranked {
                tx.execute(
                    "INSERT INTO tiers (name, rank, min_spend_minor) VALUES (?1, ?2, ?3)",
                    params![t.name, t.rank, t.min_spend_minor],
                )?;
            }
            load_tiers(tx)
        })
    }

    /// Who would change tier if the review ran now (up or down).
    pub fn tier_review(&self, now: DateTime<Utc>) -> Result<Vec<TierChange>> {
        self.with_aggregates(|conn, ctx| review(conn, ctx, now))
    }

    /// Moves every member to the tier their spend reaches now, recording
    /// each change; returns the changes.
    pub fn apply_tier_review(&mut self, now: DateTime<Utc>) -> Result<Vec<TierChange>> {
        self.write(|tx| {
            let ctx = Ctx::load(tx)?;
            ensure_aggregates(tx, &ctx)?;
            let changes = review(tx, &ctx, now)?;
            for c in &changes {
                change_tier(
                    tx,
                    c.member_id,
                    c.from_tier.clone(),
                    c.to_tier.clone(),
                    "review",
                    None,
                    c.spend_minor,
                    now,
                )?;
            }
            Ok(changes)
        })
    }

    /// A member's tier changes, newest first (or the shop's, when `None`), at most `limit`.
    pub fn tier_history(&self, member_id: Option<i64>, limit: u32) -> Result<Vec<TierChange>> {
        let mut stmt = self.conn().prepare(
            "SELECT c.member_id, m.member_no, m.name, c.from_tier, c.to_tier, c.spend_minor, c.reason, c.changed_at
             FROM tier_changes c JOIN members m ON m.id = c.member_id
             WHERE ?1 IS NULL OR c.member_id = ?1 ORDER BY c.id DESC LIMIT ?2",
        )?;
        let rows = stmt
            .query_map(params![member_id, limit], |r| {
                Ok(TierChange {
                    member_id: r.get(0)?,
                    member_no: r.get(1)?,
                    name: r.get(2)?,
                    from_tier: r.get(3)?,
                    to_tier: r.get(4)?,
                    spend_minor: r.get(5)?,
                    reason: r.get(6)?,
                    changed_at: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    // --- win-back ---

    /// Appends to the contact log. Idempotent by request id.
    pub fn record_contact(&mut self, req: &ContactRequest, now: DateTime<Utc>) -> Result<Contact> {
        crate::request::check_request_id(&req.request_id)?;
        let note = req.note.trim().to_string();
        check_len("note", &note, 500)?;
        let cashier = req.cashier.trim();
        check_len("cashier", cashier, 40)?;
        let cashier = if cashier.is_empty() { "staff" } else { cashier };
        self.write(|tx| {
            let existing: Option<i64> = tx
                .query_row("SELECT member_id FROM member_contacts WHERE request_id = ?1", [&req.request_id], |r| {
                    r.get(0)
                })
                .optional()?;
            if let Some(member) = existing {
                if member != req.member_id {
                    return Err(Error::RequestIdReused(req.request_id.clone()));
                }
                return load_contact(tx, &req.request_id);
            }
            super::members::load_member(tx, req.member_id)?;
            tx.execute(
                "INSERT INTO member_contacts (request_id, member_id, channel, outcome, note, cashier, contacted_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    req.request_id,
                    req.member_id,
                    req.channel.as_db(),
                    req.outcome.as_db(),
                    note,
                    cashier,
                    now.timestamp_millis()
                ],
            )?;
            load_contact(tx, &req.request_id)
        })
    }

    /// A member's contact log, newest first.
    pub fn contacts(&self, member_id: i64) -> Result<Vec<Contact>> {
        contacts_of(self.conn(), member_id, 1000)
    }

    /// Members first contacted within `from..=to` (shop days) and whether
    /// they came back within `within_days` days of that contact.
    pub fn win_back(&self, from: NaiveDate, to: NaiveDate, within_days: i64) -> Result<WinBackReport> {
        if !(1..=366).contains(&within_days) {
            return Err(Error::InvalidInput { field: "days", reason: Reason::Range { min: 1, max: 366 } });
        }
        let conn = self.conn();
        let shop = load_settings(conn)?;
        let (start, _) = shop.day_bounds_ms(from);
        let (_, end) = shop.day_bounds_ms(to);
        let mut stmt = conn.prepare(
            "SELECT c.member_id, m.member_no, m.name, MIN(c.contacted_at), c.channel, c.outcome
             FROM member_contacts c JOIN members m ON m.id = c.member_id
             WHERE c.contacted_at >= ?1 AND c.contacted_at < ?2
             GROUP BY c.member_id ORDER BY MIN(c.contacted_at), c.member_id",
        )?;
        let firsts = stmt
            .query_map([start, end], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut sales = conn.prepare(
            "SELECT MIN(r.created_at), count(*), COALESCE(SUM(r.total_minor), 0) FROM receipts r
             WHERE r.member_id = ?1 AND r.kind = 'sale' AND r.created_at > ?2 AND r.created_at <= ?3
               AND NOT EXISTS (SELECT 1 FROM receipts v WHERE v.voids_receipt_id = r.id)",
        )?;
        let mut rows = Vec::new();
        for (member_id, member_no, name, at, channel, outcome) in firsts {
            // The channel and outcome of that first contact (SQLite takes the bare
            // columns from the MIN row).
            let (returned_at, visits, spend): (Option<i64>, i64, i64) = sales
                .query_row(params![member_id, at, at + within_days * 86_400_000], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?;
            rows.push(WinBackRow {
                member_id,
                member_no,
                name,
                contacted_at: at,
                channel: ContactChannel::parse(&channel)?,
                outcome: ContactOutcome::parse(&outcome)?,
                returned_at,
                visits_since: visits,
                spend_since_minor: spend,
            });
        }
        let contacted = rows.len() as i64;
        let came_back = rows.iter().filter(|r| r.returned_at.is_some()).count() as i64;
        Ok(WinBackReport {
            from,
            to,
            within_days,
            contacted,
            came_back,
            rate_bp: share_bp(came_back, contacted),
            revenue_minor: rows.iter().map(|r| r.spend_since_minor).sum(),
            rows,
        })
    }

    // --- outreach ---

    pub fn message_templates(&self) -> Result<Vec<MessageTemplate>> {
        let mut stmt = self.conn().prepare("SELECT name, body FROM message_templates ORDER BY name")?;
        let rows = stmt
            .query_map([], |r| Ok(MessageTemplate { name: r.get(0)?, body: r.get(1)? }))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Saves (or replaces) a named template; unknown placeholders are refused.
    pub fn set_message_template(&mut self, t: &MessageTemplate, now: DateTime<Utc>) -> Result<MessageTemplate> {
        let name = t.name.trim().to_string();
        if name.is_empty() {
            return Err(Error::EmptyField { field: "template name" });
        }
        check_len("template name", &name, 40)?;
        check_len("template", &t.body, 1000)?;
        check_template(&t.body)?;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO message_templates (name, body, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (name) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
                params![name, t.body, now.timestamp_millis()],
            )?;
            Ok(MessageTemplate { name: name.clone(), body: t.body.clone() })
        })
    }

    pub fn remove_message_template(&mut self, name: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute("DELETE FROM message_templates WHERE name = ?1", [name.trim()])?;
            Ok(())
        })
    }

    /// The personalised text of `template` for each member, in the order given.
    pub fn outreach_messages(
        &self,
        member_ids: &[i64],
        template: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<OutreachMessage>> {
        check_template(template)?;
        self.with_aggregates(|conn, ctx| {
            let today = ctx.today(now);
            let mut out = Vec::with_capacity(member_ids.len());
            for chunk in member_ids.chunks(500) {
                let extra =
                    format!(" AND m.id IN ({})", chunk.iter().map(i64::to_string).collect::<Vec<_>>().join(","));
                let by_id: HashMap<i64, MemberRow> =
                    scan(conn, ctx, &ListFilter::default(), today, &extra, EVERYTHING)?
                        .into_iter()
                        .map(|s| (s.row.member_id, s.row))
                        .collect();
                for id in chunk {
                    let m = by_id.get(id).ok_or_else(|| Error::MemberNotFound(id.to_string()))?;
                    out.push(OutreachMessage {
                        member_id: m.member_id,
                        member_no: m.member_no.clone(),
                        name: m.name.clone(),
                        phone: m.phone.clone(),
                        text: render(template, &template_values(conn, ctx, m, template, now)?),
                    });
                }
            }
            Ok(out)
        })
    }

    /// Finds a member by what a person types (member number, phone, card code, `#id`).
    pub fn owner_resolve_member(&self, reference: &str) -> Result<i64> {
        resolve_member(self.conn(), reference)
    }

    // --- consistency ---

    /// Rebuilds every member's aggregates and the quarter hours' sales
    /// (`owner_quarters`) from the receipts.
    pub fn rebuild_owner_aggregates(&mut self) -> Result<()> {
        self.write(|tx| {
            tx.execute_batch(REBUILD_QUARTERS)?;
            rebuild_all(tx, &Ctx::load(tx)?)
        })
    }

    /// Where the kept aggregates differ from a recomputation from the
    /// receipts. Empty when all is well.
    pub fn owner_aggregate_mismatches(&self) -> Result<Vec<LedgerMismatch>> {
        let conn = self.conn();
        let ctx = Ctx::load(conn)?;
        let ready: bool =
            conn.query_row("SELECT aggregates_ready FROM owner_settings WHERE id = 1", [], |r| r.get(0))?;
        let mut out = quarter_mismatches(conn)?;
        if !ready {
            return Ok(out);
        }
        let ids: Vec<i64> = {
            let mut stmt = conn.prepare("SELECT id FROM members ORDER BY id")?;
            let ids = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
            ids
        };
        for id in ids {
            let stored = load_stats(conn, id)?;
            let (v, m) = compute_member(conn, &ctx, id)?;
            let expected = if v.visit_days == 0 { None } else { Some((v, m)) };
            if stored != expected {
                out.push(LedgerMismatch {
                    member_id: id,
                    what: format!("owner aggregates: stored {stored:?}, receipts say {expected:?}"),
                    stored: stored.map_or(0, |s| s.0.visit_days),
                    ledger: expected.map_or(0, |s| s.0.visit_days),
                });
            }
            let mut stmt = conn.prepare_cached("SELECT product_id FROM member_product_stats WHERE member_id = ?1")?;
            let stored_products: BTreeMap<i64, VisitSummary> = stmt
                .query_map([id], |r| r.get::<_, i64>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?
                .into_iter()
                .map(|p| Ok((p, load_product_stats(conn, id, p)?.unwrap_or_default())))
                .collect::<Result<_>>()?;
            let expected_products = compute_member_products(conn, &ctx, id)?;
            if stored_products != expected_products {
                out.push(LedgerMismatch {
                    member_id: id,
                    what: format!("product aggregates: stored {stored_products:?}, receipts say {expected_products:?}"),
                    stored: stored_products.len() as i64,
                    ledger: expected_products.len() as i64,
                });
            }
        }
        Ok(out)
    }
}

/// The quarter hours whose kept sales, revenue or stored-value movement
/// (`owner_quarters`) differ from the receipts and the wallet ledger.
fn quarter_mismatches(conn: &Connection) -> Result<Vec<LedgerMismatch>> {
    type Figures = (i64, i64, i64);
    let read = |sql: &str| -> Result<BTreeMap<i64, Figures>> {
        let mut stmt = conn.prepare(sql)?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, (r.get(1)?, r.get(2)?, r.get(3)?))))?
            .collect::<rusqlite::Result<Vec<(i64, Figures)>>>()?;
        Ok(rows.into_iter().filter(|(_, f)| *f != (0, 0, 0)).collect())
    };
    let stored = read("SELECT quarter, sales, revenue_minor, wallet_delta_minor FROM owner_quarters")?;
    let expected = read(
        "SELECT q, SUM(n), SUM(t), SUM(w) FROM (
           SELECT created_at / 900000 AS q, 1 AS n, total_minor AS t, 0 AS w FROM receipts WHERE kind = 'sale'
           UNION ALL
           SELECT o.created_at / 900000, -1, -o.total_minor, 0
           FROM receipts v CROSS JOIN receipts o ON o.id = v.voids_receipt_id WHERE v.kind = 'void' AND o.kind = 'sale'
           UNION ALL
           SELECT created_at / 900000, 0, 0, paid_delta_minor + bonus_delta_minor FROM wallet_ledger)
         GROUP BY q",
    )?;
    let quarters: BTreeSet<i64> = stored.keys().chain(expected.keys()).copied().collect();
    let mut out = Vec::new();
    for q in quarters {
        let (kept, receipts) = (stored.get(&q).copied(), expected.get(&q).copied());
        if kept != receipts {
            out.push(LedgerMismatch {
                member_id: 0,
                what: format!(
                    "owner quarter {q} (from {} UTC ms): stored {kept:?}, receipts say {receipts:?}",
                    q * QUARTER_MS
                ),
                stored: kept.map_or(0, |k| k.1),
                ledger: receipts.map_or(0, |r| r.1),
            });
        }
    }
    Ok(out)
}

fn review(conn: &Connection, ctx: &Ctx, now: DateTime<Utc>) -> Result<Vec<TierChange>> {
    let today = ctx.today(now);
    let mut out = Vec::new();
    for s in scan(conn, ctx, &ListFilter::default(), today, "", EVERYTHING)? {
        let r = s.row;
        let spend = match ctx.cfg.tier_basis {
            TierBasis::Rolling => r.window_spend_minor,
            TierBasis::Total => r.spend_minor,
        };
        // A tier is for members who have bought: one who never has (or
        // whose every sale was voided) stays without, even at a 0 threshold.
        let target = if r.visits == 0 { None } else { tier_for(&ctx.tiers, spend).map(|t| t.name.clone()) };
        if target != r.tier {
            out.push(TierChange {
                member_id: r.member_id,
                member_no: r.member_no,
                name: r.name,
                from_tier: r.tier,
                to_tier: target,
                spend_minor: spend,
                reason: "review".into(),
                changed_at: now.timestamp_millis(),
            });
        }
    }
    Ok(out)
}

fn contact_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Contact, String, String)> {
    Ok((
        Contact {
            id: r.get(0)?,
            member_id: r.get(1)?,
            channel: ContactChannel::Other,
            outcome: ContactOutcome::Other,
            note: r.get(4)?,
            cashier: r.get(5)?,
            contacted_at: r.get(6)?,
        },
        r.get(2)?,
        r.get(3)?,
    ))
}

fn finish_contact((mut c, channel, outcome): (Contact, String, String)) -> Result<Contact> {
    c.channel = ContactChannel::parse(&channel)?;
    c.outcome = ContactOutcome::parse(&outcome)?;
    Ok(c)
}

const CONTACT_COLUMNS: &str = "id, member_id, channel, outcome, note, cashier, contacted_at";

fn load_contact(conn: &Connection, request_id: &str) -> Result<Contact> {
    finish_contact(conn.query_row(
        &format!("SELECT {CONTACT_COLUMNS} FROM member_contacts WHERE request_id = ?1"),
        [request_id],
        contact_from_row,
    )?)
}

/// The member's latest contact, if any.
pub(crate) fn last_contact(conn: &Connection, member_id: i64) -> Result<Option<Contact>> {
    Ok(contacts_of(conn, member_id, 1)?.into_iter().next())
}

fn contacts_of(conn: &Connection, member_id: i64, limit: i64) -> Result<Vec<Contact>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CONTACT_COLUMNS} FROM member_contacts WHERE member_id = ?1 ORDER BY contacted_at DESC, id DESC LIMIT ?2"
    ))?;
    let rows = stmt.query_map([member_id, limit], contact_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter().map(finish_contact).collect()
}

/// The values a template may use for one member. `{stamps}` is written in
/// the template's own script: Chinese lists take 、, others a comma.
fn template_values(
    conn: &Connection,
    ctx: &Ctx,
    m: &MemberRow,
    template: &str,
    now: DateTime<Utc>,
) -> Result<TemplateValues> {
    let chinese = template.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    let now_ms = now.timestamp_millis();
    let mut stamps = Vec::new();
    for program in super::programs::load_programs(conn, true)? {
        let stored: i64 = conn
            .query_row(
                "SELECT stamps FROM stamp_cards WHERE member_id = ?1 AND program_id = ?2",
                [m.member_id, program.id],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0);
        let usable = stored - super::stamps::expired_stamps(conn, m.member_id, &program, stored, now_ms)?;
        // Named, and only the cards the member has started: "飲品集點卡 7/10";
        // a full card says what it is good for.
        if usable >= program.stamps_needed {
            stamps.push(if chinese {
                format!("{}已集滿（可兌換{}）", program.name, program.reward_text)
            } else {
                format!("{} full, reward waiting: {}", program.name, program.reward_text)
            });
        } else if usable > 0 {
            stamps.push(format!("{} {usable}/{}", program.name, program.stamps_needed));
        }
    }
    let stamps_are_zero = stamps.is_empty();
    if stamps_are_zero {
        stamps.push("0".into());
    }
    Ok(TemplateValues {
        name: m.name.clone(),
        balance: ctx.currency.format(m.stored_value_minor),
        balance_is_zero: m.stored_value_minor == 0,
        stamps: stamps.join(if chinese { "、" } else { ", " }),
        stamps_are_zero,
        member_no: m.member_no.clone(),
        last_visit: m.last_visit_date.map(|d| d.to_string()).unwrap_or_default(),
        tier: m.tier.clone().unwrap_or_default(),
        shop: ctx.shop_name.clone(),
    })
}

// ---------------------------------------------------------------------------
// CSV rows

fn member_header() -> Vec<&'static str> {
    vec![
        "member_no",
        "name",
        "phone",
        "tier",
        "tags",
        "segment",
        "visits",
        "spend",
        "window_spend",
        "last_visit",
        "days_since_last_visit",
        "typical_gap_days",
        "stored_value",
    ]
}

fn member_cells(m: &MemberRow) -> Vec<Cell> {
    vec![
        Cell::Text(m.member_no.clone()),
        Cell::Text(m.name.clone()),
        m.phone.clone().map_or(Cell::Empty, Cell::Phone),
        Cell::opt_text(m.tier.as_ref()),
        Cell::Text(m.tags.join(";")),
        Cell::Code(m.segment.code()),
        Cell::Int(m.visits),
        Cell::Money(m.spend_minor),
        Cell::Money(m.window_spend_minor),
        Cell::opt_text(m.last_visit_date),
        Cell::opt_int(m.days_since_last_visit),
        Cell::opt_int(m.typical_gap_days),
        Cell::Money(m.stored_value_minor),
    ]
}

impl CsvRow for MemberRow {
    fn csv_header() -> Vec<&'static str> {
        member_header()
    }
    fn csv_cells(&self) -> Vec<Cell> {
        member_cells(self)
    }
}

impl CsvRow for LapsedRow {
    fn csv_header() -> Vec<&'static str> {
        let mut h = member_header();
        h.extend(["last_contact_at", "last_contact_channel", "last_contact_outcome", "last_contact_note"]);
        h
    }
    fn csv_cells(&self) -> Vec<Cell> {
        let mut c = member_cells(&self.member);
        let lc = self.last_contact.as_ref();
        c.push(lc.map_or(Cell::Empty, |c| Cell::Time(c.contacted_at)));
        c.push(lc.map_or(Cell::Empty, |c| Cell::Code(c.channel.as_db())));
        c.push(lc.map_or(Cell::Empty, |c| Cell::Code(c.outcome.as_db())));
        c.push(lc.map_or(Cell::Empty, |c| Cell::Text(c.note.clone())));
        c
    }
}

impl CsvRow for RfmRow {
    fn csv_header() -> Vec<&'static str> {
        let mut h = member_header();
        h.extend(["r", "f", "m", "rfm_segment"]);
        h
    }
    fn csv_cells(&self) -> Vec<Cell> {
        let mut c = member_cells(&self.member);
        c.extend([
            Cell::Int(self.rfm.r.into()),
            Cell::Int(self.rfm.f.into()),
            Cell::Int(self.rfm.m.into()),
            Cell::Code(self.rfm.segment.code()),
        ]);
        c
    }
}

impl CsvRow for BirthdayRow {
    fn csv_header() -> Vec<&'static str> {
        let mut h = member_header();
        h.extend(["birthday_date", "turning", "greeting"]);
        h
    }
    fn csv_cells(&self) -> Vec<Cell> {
        let mut c = member_cells(&self.member);
        c.extend([
            Cell::Text(self.birthday_date.to_string()),
            Cell::opt_int(self.turning.map(i64::from)),
            Cell::Text(self.greeting.clone()),
        ]);
        c
    }
}

impl CsvRow for DueRow {
    fn csv_header() -> Vec<&'static str> {
        let mut h = member_header();
        h.extend(["predicted_date", "days_until", "cycle_days", "product"]);
        h
    }
    fn csv_cells(&self) -> Vec<Cell> {
        let mut c = member_cells(&self.member);
        c.extend([
            Cell::Text(self.predicted_date.to_string()),
            Cell::Int(self.days_until),
            Cell::Int(self.cycle_days),
            Cell::opt_text(self.product_name.as_ref()),
        ]);
        c
    }
}

impl CsvRow for OutreachMessage {
    fn csv_header() -> Vec<&'static str> {
        vec!["member_no", "name", "phone", "text"]
    }
    fn csv_cells(&self) -> Vec<Cell> {
        vec![
            Cell::Text(self.member_no.clone()),
            Cell::Text(self.name.clone()),
            self.phone.clone().map_or(Cell::Empty, Cell::Phone),
            Cell::Text(self.text.clone()),
        ]
    }
}

impl CsvRow for TierChange {
    fn csv_header() -> Vec<&'static str> {
        vec!["member_no", "name", "from_tier", "to_tier", "spend", "reason"]
    }
    fn csv_cells(&self) -> Vec<Cell> {
        vec![
            Cell::Text(self.member_no.clone()),
            Cell::Text(self.name.clone()),
            Cell::opt_text(self.from_tier.as_ref()),
            Cell::opt_text(self.to_tier.as_ref()),
            Cell::Money(self.spend_minor),
            Cell::Text(self.reason.clone()),
        ]
    }
}

impl CsvRow for WinBackRow {
    fn csv_header() -> Vec<&'static str> {
        vec!["member_no", "name", "contacted_at", "channel", "outcome", "returned_at", "visits_since", "spend_since"]
    }
    fn csv_cells(&self) -> Vec<Cell> {
        vec![
            Cell::Text(self.member_no.clone()),
            Cell::Text(self.name.clone()),
            Cell::Time(self.contacted_at),
            Cell::Code(self.channel.as_db()),
            Cell::Code(self.outcome.as_db()),
            self.returned_at.map_or(Cell::Empty, Cell::Time),
            Cell::Int(self.visits_since),
            Cell::Money(self.spend_since_minor),
        ]
    }
}
