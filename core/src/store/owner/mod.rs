//! The owner's view: per-member aggregates kept up to date at checkout,
//! tiers, segments, lists, the win-back contact log and outreach text.
//!
//! `after_sale` and `after_void` run inside the sale's or void's own
//! transaction, so what they keep (`member_stats`, `member_product_stats`,
//! `members.tier`) stays equal to a recomputation from the receipts
//! ([`Store::owner_aggregate_mismatches`] checks that). Lists scan members
//! and their aggregates, never the receipts, so they open quickly at
//! 100,000 members; the rules themselves are pure (`crate::analytics`).

pub(crate) mod aggregates;
pub(crate) mod contacts;
pub mod csv;
mod dashboard;
pub(crate) mod hooks;
mod lists;
mod outreach;
pub(crate) mod scan;
mod tiers;

use crate::analytics::export::{check_template, render, Cell, CsvRow, TemplateValues};
use crate::analytics::pareto::{pareto, Pareto};
use crate::analytics::rfm::{rfm_scores, RfmInput, RfmScore, RfmSegment};
use crate::analytics::segments::{nes_standing, Nes, OwnerSettings, OwnerSettingsPatch, TierBasis};
use crate::analytics::tiers::{rank_of, rank_tiers, Tier, TierInput};
use crate::analytics::visits::{RecentMonths, VisitFacts, VisitSummary};
use crate::analytics::{date_of_day, day_number, month_number, share_bp, week_start};
use crate::day_close::FloatParts;
use crate::error::{check_len, Error, Reason, Result};
use crate::member::Birthday;
use crate::money::Currency;
use crate::staff::Act;
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
    /// Members registered as brought by this one (filled in by the VIP list).
    pub referred: i64,
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
    /// Of those, the members whose return sale used a coupon.
    pub came_back_with_coupon: i64,
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
    /// The coupon redeemed on the first sale in the window that used one.
    pub coupon_code: Option<String>,
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
// The members' figures, read once for the lists the owner's view opens together

/// One member's figures as the lists sort and count them, without strings:
/// a list of a million members picks its page from these and reads the
/// full rows of that page only ([`member_rows`]).
#[derive(Debug, Clone, Copy)]
pub(super) struct Fig {
    pub(super) id: i64,
    pub(super) spend: i64,
    pub(super) visits: i64,
    pub(super) days_since: Option<i64>,
    pub(super) segment: Nes,
}

/// One pass over the (unarchived) members a filter selects.
pub(super) struct Figures {
    pub(super) figs: Vec<Fig>,
    /// Members per tier (`None`: without one), in the order first met.
    pub(super) tiers: Vec<(Option<String>, i64)>,
    /// The stored value they hold.
    pub(super) paid_minor: i64,
    pub(super) bonus_minor: i64,
}

/// The unfiltered [`Figures`] last read, with the moment they were read at
/// (`PRAGMA data_version`, this connection's total changes, the shop day):
/// after any write, on this connection or another, or on another day they
/// are read afresh. The dashboard, 80/20 and the lists opened beside them
/// share one read.
#[derive(Default)]
pub(crate) struct FigureCache(RefCell<Option<(ReadAt, Arc<Figures>)>>);

/// When figures were read: `PRAGMA data_version`, the connection's total changes, the shop day.
pub(super) type ReadAt = (i64, u64, i64);

// Store methods
