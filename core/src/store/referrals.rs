//! Referral rewards in the store: the shop's reward (`crate::referral`),
//! given to the referrer on a receipt of its own when the member they
//! brought makes a first sale (`after_sale`, in the sale's transaction), and
//! taken back with a void of that receipt when the first sale is voided
//! before the reward is used (`after_void`); the owner's report of who
//! brought whom.

use super::audit::Signature;
use super::writes::{card_stamps, insert_receipt, member_state, plan_card, write_card, Draft};
use super::Store;
use crate::error::{Error, Result};
use crate::receipt::{Receipt, ReceiptKind};
use crate::referral::{ReferralRewardKind, ReferralSettings};
use crate::staff::Act;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

/// One member who brought others, with what those members spend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReferrerRow {
    pub member_id: i64,
    pub member_no: String,
    pub name: String,
    /// Members registered as brought by this one.
    pub referred: i64,
    /// Of those, the ones who have bought.
    pub referred_buying: i64,
    /// What the members they brought have spent (sales not voided).
    pub referred_spend_minor: i64,
    /// Rewards given and not taken back.
    pub rewards: i64,
}

/// Who brought whom: the referrers, most members brought first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReferralReport {
    pub settings: ReferralSettings,
    /// Members registered as referred, in all.
    pub referred: i64,
    pub referred_spend_minor: i64,
    pub rows: Vec<ReferrerRow>,
}

fn has_referral_schema(conn: &Connection) -> Result<bool> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    Ok(version >= 16)
}

pub(crate) fn load_settings(conn: &Connection) -> Result<ReferralSettings> {
    if !has_referral_schema(conn)? {
        return Ok(ReferralSettings::NONE);
    }
    let (kind, offer_id, points, program_id, stamps): (String, Option<i64>, i64, Option<i64>, i64) = conn.query_row(
        "SELECT kind, offer_id, points, program_id, stamps FROM referral_settings WHERE id = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
    )?;
    Ok(ReferralSettings { kind: ReferralRewardKind::parse(&kind)?, offer_id, points, program_id, stamps })
}

/// Whether the member has a sale that stands (not voided) besides `except`.
fn has_other_sale(tx: &Connection, member_id: i64, except: i64) -> Result<bool> {
    Ok(tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM receipts r WHERE r.member_id = ?1 AND r.kind = 'sale' AND r.id <> ?2
           AND NOT EXISTS (SELECT 1 FROM receipts v WHERE v.voids_receipt_id = r.id))",
        params![member_id, except],
        |r| r.get(0),
    )?)
}

/// Whether a reward for bringing `referred` stands (its receipt not voided).
fn reward_stands(tx: &Connection, referred: i64) -> Result<bool> {
    Ok(tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM referral_rewards w WHERE w.referred_id = ?1
           AND NOT EXISTS (SELECT 1 FROM receipts v WHERE v.voids_receipt_id = w.reward_receipt_id))",
        [referred],
        |r| r.get(0),
    )?)
}

/// After a sale (`sale_receipt_id`, request `request_id`) by `member_id`:
/// when it is the member's first and they were referred, the referrer gets
/// the shop's reward on a receipt of its own, signed as the sale was.
pub(crate) fn after_sale(
    tx: &Connection,
    member_id: i64,
    sale_receipt_id: i64,
    request_id: &str,
    by: &Signature,
    now: DateTime<Utc>,
) -> Result<()> {
    let settings = load_settings(tx)?;
    if settings.kind == ReferralRewardKind::None {
        return Ok(());
    }
    let (referrer, referred_no, referred_name): (Option<i64>, String, String) =
        tx.query_row("SELECT referred_by, member_no, name FROM members WHERE id = ?1", [member_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    let Some(referrer) = referrer else { return Ok(()) };
    if has_other_sale(tx, member_id, sale_receipt_id)? || reward_stands(tx, member_id)? {
        return Ok(());
    }
    let r = member_state(tx, referrer)?;
    if r.archived || r.erased {
        return Ok(());
    }
    // A reward that cannot be given now (its offer paused, its program
    // stopped) is not given: the sale goes on.
    let usable = match settings.kind {
        ReferralRewardKind::Coupon => {
            settings.offer_id.is_some_and(|o| super::coupons::offer_is_usable(tx, o).unwrap_or(false))
        }
        ReferralRewardKind::Stamps => {
            settings.program_id.is_some_and(|p| super::programs::load_program(tx, p).map(|p| p.active).unwrap_or(false))
        }
        ReferralRewardKind::Points => super::points::load_rules(tx)?.is_some(),
        ReferralRewardKind::None => false,
    };
    if !usable {
        return Ok(());
    }
    let now_ms = now.timestamp_millis();
    let note = format!("{referred_no} {referred_name}");
    let (receipt_id, _) = insert_receipt(
        tx,
        &Draft {
            kind: ReceiptKind::Reward,
            request_id: &format!("{request_id}:referral"),
            member_id: referrer,
            by,
            total_minor: 0,
            bonus_minor: 0,
            wallet_before: (r.paid, r.bonus),
            wallet_after: (r.paid, r.bonus),
            voids_receipt_id: None,
            note: &note,
            now_ms,
        },
    )?;
    let (mut coupon_id, mut points, mut program_id, mut stamps) = (None, 0, None, 0);
    match settings.kind {
        ReferralRewardKind::Coupon => {
            let offer = settings.offer_id.ok_or(Error::EmptyField { field: "referral coupon offer" })?;
            coupon_id = Some(super::coupons::give_coupon(tx, offer, referrer, receipt_id, now)?.0);
        }
        ReferralRewardKind::Points => {
            points = settings.points;
            super::points::give_points(tx, referrer, receipt_id, points, now)?;
        }
        ReferralRewardKind::Stamps => {
            let program = super::programs::load_program(tx, settings.program_id.unwrap_or_default())?;
            program_id = Some(program.id);
            stamps = settings.stamps;
            let plan = plan_card(tx, referrer, program, stamps, 0, now_ms)?;
            write_card(tx, referrer, receipt_id, &plan, now_ms)?;
        }
        ReferralRewardKind::None => {}
    }
    tx.execute(
        "INSERT INTO referral_rewards (referrer_id, referred_id, sale_receipt_id, reward_receipt_id, kind, coupon_id,
           points, program_id, stamps, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            referrer,
            member_id,
            sale_receipt_id,
            receipt_id,
            settings.kind.as_db(),
            coupon_id,
            points,
            program_id,
            stamps,
            now_ms
        ],
    )?;
    Ok(())
}

/// The reward receipt a voided first sale gave, when it stands and its
/// reward is still unused: the void of the sale voids it too. A reward
/// used since stays with the referrer.
pub(crate) fn reward_to_take_back(tx: &Connection, sale: &Receipt) -> Result<Option<i64>> {
    if sale.kind != ReceiptKind::Sale || !has_referral_schema(tx)? {
        return Ok(None);
    }
    // The reward's receipt, its referrer, kind, coupon, points, program and stamps.
    type Given = (i64, i64, String, Option<i64>, i64, Option<i64>, i64);
    let found: Option<Given> = tx
        .query_row(
            "SELECT w.reward_receipt_id, w.referrer_id, w.kind, w.coupon_id, w.points, w.program_id, w.stamps
             FROM referral_rewards w WHERE w.sale_receipt_id = ?1
               AND NOT EXISTS (SELECT 1 FROM receipts v WHERE v.voids_receipt_id = w.reward_receipt_id)",
            [sale.id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)),
        )
        .optional()?;
    let Some((receipt, referrer, kind, coupon, points, program, stamps)) = found else { return Ok(None) };
    let unused = match ReferralRewardKind::parse(&kind)? {
        ReferralRewardKind::Coupon => match coupon {
            Some(id) => tx.query_row("SELECT state = 'issued' FROM coupons WHERE id = ?1", [id], |r| r.get(0))?,
            None => false,
        },
        ReferralRewardKind::Points => super::points::balance(tx, referrer)? >= points,
        ReferralRewardKind::Stamps => card_stamps(tx, referrer, program.unwrap_or_default())? >= stamps,
        ReferralRewardKind::None => false,
    };
    Ok(unused.then_some(receipt))
}

impl Store {
    /// The shop's referral reward.
    pub fn referral_settings(&self) -> Result<ReferralSettings> {
        load_settings(self.conn())
    }

    /// Sets the shop's referral reward (the owner's); its offer or program
    /// must exist.
    pub fn set_referral_settings(
        &mut self,
        settings: &ReferralSettings,
        now: DateTime<Utc>,
    ) -> Result<ReferralSettings> {
        let s = settings.checked()?;
        self.write(Act::Referrals, now, |tx, guard| {
            if !has_referral_schema(tx)? {
                return Err(Error::InvalidInput {
                    field: "referral reward",
                    reason: "this database is from before referral rewards (schema 16)".into(),
                });
            }
            guard.set("before", load_settings(tx)?);
            if let Some(offer) = s.offer_id {
                super::coupons::load_offer(tx, offer)?;
            }
            if let Some(program) = s.program_id {
                super::programs::load_program(tx, program)?;
            }
            tx.execute(
                "UPDATE referral_settings SET kind = ?1, offer_id = ?2, points = ?3, program_id = ?4, stamps = ?5,
                   updated_at = ?6 WHERE id = 1",
                params![s.kind.as_db(), s.offer_id, s.points, s.program_id, s.stamps, now.timestamp_millis()],
            )?;
            Ok(s)
        })
    }

    /// Who brought whom (the owner's and managers' read, as the lists).
    pub fn referral_report(&self, limit: usize) -> Result<ReferralReport> {
        self.require_read(Act::OwnerLists)?;
        let conn = self.conn();
        let settings = load_settings(conn)?;
        let with_rewards = has_referral_schema(conn)?;
        let rewards = if with_rewards {
            "(SELECT count(*) FROM referral_rewards w WHERE w.referrer_id = m.id
               AND NOT EXISTS (SELECT 1 FROM receipts v WHERE v.voids_receipt_id = w.reward_receipt_id))"
        } else {
            "0"
        };
        let mut stmt = conn.prepare(&format!(
            "SELECT m.id, m.member_no, m.name, count(*), SUM(f.visit_count > 0), COALESCE(SUM(f.spend_minor), 0), {rewards}
             FROM members f JOIN members m ON m.id = f.referred_by
             GROUP BY m.id ORDER BY count(*) DESC, SUM(f.spend_minor) DESC, m.id LIMIT ?1"
        ))?;
        let rows = stmt
            .query_map([limit as i64], |r| {
                Ok(ReferrerRow {
                    member_id: r.get(0)?,
                    member_no: r.get(1)?,
                    name: r.get(2)?,
                    referred: r.get(3)?,
                    referred_buying: r.get(4)?,
                    referred_spend_minor: r.get(5)?,
                    rewards: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let (referred, referred_spend_minor): (i64, i64) = conn.query_row(
            "SELECT count(*), COALESCE(SUM(spend_minor), 0) FROM members WHERE referred_by IS NOT NULL",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(ReferralReport { settings, referred, referred_spend_minor, rows })
    }
}
