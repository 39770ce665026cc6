//! Coupons the shop issues by itself (`crate::auto_coupon`'s rules): the
//! owner's rule per kind, the welcome coupon written in the registration's
//! own transaction, and the runs that issue birthday and win-back coupons
//! (the app runs one at start and every hour; `regulars coupon auto run`).
//! Each coupon is keyed by its occasion, unique per member, so a run
//! repeated — or run by two tills at once — issues it once.

use super::coupons::{insert_auto_coupon, offer_is_usable};
use super::{load_settings, Store};
use crate::auto_coupon::{
    birthday_due, birthday_key, birthdays_in_window, win_back_key, AutoCouponKind, AutoCouponRule, WELCOME_KEY,
};
use crate::error::{Error, Result};
use crate::staff::Act;
use chrono::{DateTime, Utc};
use rusqlite::{params, params_from_iter, Connection};
use serde::Serialize;
use std::collections::HashSet;

/// What one run issued.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AutoCouponRun {
    pub birthday: i64,
    pub win_back: i64,
}

/// Whether the file has the automatic coupons (schema 15 on).
fn has_auto_schema(conn: &Connection) -> Result<bool> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    Ok(version >= 15)
}

pub(crate) fn load_rules(conn: &Connection) -> Result<Vec<AutoCouponRule>> {
    if !has_auto_schema(conn)? {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare_cached("SELECT kind, offer_id, enabled, days_before FROM auto_coupons")?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<Vec<(String, Option<i64>, bool, i64)>>>()?;
    let mut rules = Vec::new();
    for kind in AutoCouponKind::ALL {
        if let Some((_, offer_id, enabled, days_before)) = rows.iter().find(|r| r.0 == kind.as_db()) {
            rules.push(AutoCouponRule { kind, offer_id: *offer_id, enabled: *enabled, days_before: *days_before });
        }
    }
    Ok(rules)
}

/// The rule of `kind` when it is on and its offer can be issued.
fn live_rule(conn: &Connection, kind: AutoCouponKind) -> Result<Option<(AutoCouponRule, i64)>> {
    let Some(rule) = load_rules(conn)?.into_iter().find(|r| r.kind == kind && r.enabled) else { return Ok(None) };
    let Some(offer_id) = rule.offer_id else { return Ok(None) };
    Ok(offer_is_usable(conn, offer_id)?.then_some((rule, offer_id)))
}

/// A coupon a run is to issue.
struct Due {
    kind: AutoCouponKind,
    offer_id: i64,
    member_id: i64,
    key: String,
}

/// Every coupon due on the shop's day at `now` and not issued yet.
fn due_coupons(conn: &Connection, now: DateTime<Utc>) -> Result<Vec<Due>> {
    let today = load_settings(conn)?.local_date(now);
    let mut due = Vec::new();
    if let Some((rule, offer_id)) = live_rule(conn, AutoCouponKind::Birthday)? {
        let window = birthdays_in_window(today, rule.days_before);
        let placeholders = window.iter().map(|_| "(?, ?)").collect::<Vec<_>>().join(", ");
        let sql = format!(
            "SELECT m.id, m.birthday_month, m.birthday_day FROM members m
             WHERE m.archived = 0 AND (m.birthday_month, m.birthday_day) IN (VALUES {placeholders})
               AND m.birthday_month IS NOT NULL"
        );
        let values: Vec<u32> = window.iter().flat_map(|(m, d)| [*m, *d]).collect();
        let mut stmt = conn.prepare(&sql)?;
        let members = stmt
            .query_map(params_from_iter(values), |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, u32>(1)?, r.get::<_, u32>(2)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let issued = issued_keys(conn, "birthday:%")?;
        for (member_id, month, day) in members {
            if let Some(birthday) = birthday_due(today, month, day, rule.days_before) {
                let key = birthday_key(birthday);
                if !issued.contains(&(member_id, key.clone())) {
                    due.push(Due { kind: AutoCouponKind::Birthday, offer_id, member_id, key });
                }
            }
        }
    }
    if let Some((_, offer_id)) = live_rule(conn, AutoCouponKind::WinBack)? {
        let issued = issued_keys(conn, "winBack:%")?;
        for (member_id, last_visit) in super::owner::scan::first_sleepers(conn, now)? {
            let key = win_back_key(last_visit);
            if !issued.contains(&(member_id, key.clone())) {
                due.push(Due { kind: AutoCouponKind::WinBack, offer_id, member_id, key });
            }
        }
    }
    Ok(due)
}

fn issued_keys(conn: &Connection, pattern: &str) -> Result<HashSet<(i64, String)>> {
    let mut stmt = conn.prepare("SELECT member_id, auto_key FROM coupons WHERE auto_key LIKE ?1")?;
    let rows = stmt.query_map([pattern], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Issues the welcome coupon to a member just registered, in the
/// registration's transaction, when the rule is on; the code, if any.
pub(crate) fn welcome_coupon(tx: &Connection, member_id: i64, now: DateTime<Utc>) -> Result<Option<String>> {
    let Some((_, offer_id)) = live_rule(tx, AutoCouponKind::Welcome)? else { return Ok(None) };
    insert_auto_coupon(tx, AutoCouponKind::Welcome, offer_id, member_id, WELCOME_KEY, now)
}

impl Store {
    /// The owner's rules for the automatic coupons (each off until turned on).
    pub fn auto_coupon_rules(&self) -> Result<Vec<AutoCouponRule>> {
        load_rules(self.conn())
    }

    /// Sets one kind's rule (the owner's). Turning one on needs an active offer.
    pub fn set_auto_coupon_rule(&mut self, rule: &AutoCouponRule, now: DateTime<Utc>) -> Result<AutoCouponRule> {
        rule.validate()?;
        self.write(Act::AutoCoupons, now, |tx, guard| {
            if !has_auto_schema(tx)? {
                return Err(Error::InvalidInput {
                    field: "automatic coupon",
                    reason: "this database is from before automatic coupons (schema 15)".into(),
                });
            }
            guard.set("before", load_rules(tx)?.into_iter().find(|r| r.kind == rule.kind));
            if let Some(offer_id) = rule.offer_id {
                let offer = super::coupons::load_offer(tx, offer_id)?;
                if rule.enabled && !offer.active {
                    return Err(Error::OfferPaused(offer.terms.name));
                }
            }
            tx.execute(
                "UPDATE auto_coupons SET offer_id = ?2, enabled = ?3, days_before = ?4, updated_at = ?5 WHERE kind = ?1",
                params![rule.kind.as_db(), rule.offer_id, rule.enabled, rule.days_before, now.timestamp_millis()],
            )?;
            Ok(*rule)
        })
    }

    /// Issues the birthday and win-back coupons due on the shop's day at
    /// `now` that are not issued yet, as the app's own work ("system" in
    /// the audit log). A run with nothing due writes nothing.
    pub fn issue_automatic_coupons(&mut self, now: DateTime<Utc>) -> Result<AutoCouponRun> {
        if !has_auto_schema(self.conn())? || due_coupons(self.conn(), now)?.is_empty() {
            return Ok(AutoCouponRun::default());
        }
        self.write_as_system(Act::AutoCoupons, now, |tx, guard| {
            super::owner::aggregates::refresh_aggregates(tx)?;
            let mut run = AutoCouponRun::default();
            for due in due_coupons(tx, now)? {
                if insert_auto_coupon(tx, due.kind, due.offer_id, due.member_id, &due.key, now)?.is_some() {
                    match due.kind {
                        AutoCouponKind::Birthday => run.birthday += 1,
                        AutoCouponKind::WinBack => run.win_back += 1,
                        AutoCouponKind::Welcome => {}
                    }
                }
            }
            guard.set("issued", run);
            Ok(run)
        })
    }
}
