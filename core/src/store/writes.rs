//! The rows every operation writes, below the operations themselves
//! (`ops`, `voids`, `referrals`): a receipt's header with the next
//! gap-free number, a member's stored value and standing as an operation
//! finds them, and a stamp card's movement planned and written.

use super::audit::Signature;
use super::stamps::{expired_stamps, set_card, stamp_row};
use crate::error::{Error, Result};
use crate::program::StampProgram;
use crate::receipt::ReceiptKind;
use rusqlite::{params, Connection, OptionalExtension};

pub(super) struct MemberState {
    pub(super) member_no: String,
    pub(super) archived: bool,
    /// Erased on their request: no money or stamps move for them again.
    pub(super) erased: bool,
    pub(super) paid: i64,
    pub(super) bonus: i64,
}

pub(super) fn member_state(tx: &Connection, member_id: i64) -> Result<MemberState> {
    tx.query_row(
        "SELECT member_no, archived, erased_at IS NOT NULL, wallet_paid_minor, wallet_bonus_minor
         FROM members WHERE id = ?1",
        [member_id],
        |r| {
            Ok(MemberState {
                member_no: r.get(0)?,
                archived: r.get(1)?,
                erased: r.get(2)?,
                paid: r.get(3)?,
                bonus: r.get(4)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| Error::MemberNotFound(member_id.to_string()))
}

/// A member whose stored value may move by hand (a refund or a
/// correction): archived members too, erased ones not.
pub(super) fn unerased_member(tx: &Connection, member_id: i64) -> Result<MemberState> {
    let m = member_state(tx, member_id)?;
    if m.erased {
        return Err(Error::MemberErased(m.member_no));
    }
    Ok(m)
}

pub(super) fn active_member(tx: &Connection, member_id: i64) -> Result<MemberState> {
    let m = unerased_member(tx, member_id)?;
    if m.archived {
        return Err(Error::MemberArchived(m.member_no));
    }
    Ok(m)
}

/// The header of a receipt about to be written.
pub(super) struct Draft<'a> {
    pub(super) kind: ReceiptKind,
    pub(super) request_id: &'a str,
    pub(super) member_id: i64,
    pub(super) by: &'a Signature,
    pub(super) total_minor: i64,
    pub(super) bonus_minor: i64,
    pub(super) wallet_before: (i64, i64),
    pub(super) wallet_after: (i64, i64),
    pub(super) voids_receipt_id: Option<i64>,
    pub(super) note: &'a str,
    pub(super) now_ms: i64,
}

/// Writes the receipt header with the next gap-free number; the
/// surrounding transaction makes the number and the rows one unit.
/// Returns the new receipt's row id and number.
pub(super) fn insert_receipt(tx: &Connection, d: &Draft<'_>) -> Result<(i64, i64)> {
    let currency: String = tx.query_row("SELECT currency FROM shop_settings WHERE id = 1", [], |r| r.get(0))?;
    let number: i64 = tx.query_row("SELECT COALESCE(MAX(number), 0) + 1 FROM receipts", [], |r| r.get(0))?;
    let approver_id = d.by.approver.as_ref().map(|a| a.0);
    let approver_name = d.by.approver.as_ref().map(|a| a.1.as_str());
    let kind = d.kind.as_db();
    let mut values: Vec<&dyn rusqlite::ToSql> = vec![
        &number,
        &kind,
        &d.request_id,
        &d.member_id,
        &d.by.name,
        &currency,
        &d.total_minor,
        &d.bonus_minor,
        &d.wallet_before.0,
        &d.wallet_before.1,
        &d.wallet_after.0,
        &d.wallet_after.1,
        &d.voids_receipt_id,
        &d.note,
        &d.now_ms,
    ];
    let mut columns = String::new();
    if d.by.staff_id.is_some() || approver_id.is_some() {
        // Left out when no staff account wrote it: NULL either way, and a
        // file an upgrade test keeps at an older schema has no such columns.
        columns.push_str(", staff_id, approver_id, approver_name");
        values.extend([&d.by.staff_id as &dyn rusqlite::ToSql, &approver_id, &approver_name]);
    }
    let placeholders = (1..=values.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
    tx.execute(
        &format!(
            "INSERT INTO receipts (number, kind, request_id, member_id, cashier, currency, total_minor, bonus_minor,
               wallet_paid_before, wallet_bonus_before, wallet_paid_after, wallet_bonus_after, voids_receipt_id, note,
               created_at{columns})
             VALUES ({placeholders})"
        ),
        values.as_slice(),
    )?;
    Ok((tx.last_insert_rowid(), number))
}

pub(super) fn card_stamps(tx: &Connection, member_id: i64, program_id: i64) -> Result<i64> {
    Ok(tx
        .query_row(
            "SELECT stamps FROM stamp_cards WHERE member_id = ?1 AND program_id = ?2",
            [member_id, program_id],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0))
}

/// A card's movement planned before anything is written.
pub(super) struct CardPlan {
    pub(super) program: StampProgram,
    pub(super) before: i64,
    pub(super) expired: i64,
    pub(super) earned: i64,
    pub(super) redeemed: i64,
}

impl CardPlan {
    fn after(&self) -> i64 {
        self.before - self.expired + self.earned - self.redeemed * self.program.stamps_needed
    }
}

pub(super) fn plan_card(
    tx: &Connection,
    member_id: i64,
    program: StampProgram,
    earned: i64,
    redeemed: i64,
    now_ms: i64,
) -> Result<CardPlan> {
    let before = card_stamps(tx, member_id, program.id)?;
    let expired = expired_stamps(tx, member_id, &program, before, now_ms)?;
    let plan = CardPlan { program, before, expired, earned, redeemed };
    let available = plan.before - plan.expired + plan.earned;
    if plan.redeemed > 0 && available < plan.redeemed * plan.program.stamps_needed {
        return Err(Error::CardNotFull {
            program: plan.program.name.clone(),
            stamps: available,
            needed: plan.redeemed * plan.program.stamps_needed,
        });
    }
    Ok(plan)
}

pub(super) fn write_card(tx: &Connection, member_id: i64, receipt_id: i64, plan: &CardPlan, now_ms: i64) -> Result<()> {
    let pid = plan.program.id;
    stamp_row(tx, member_id, pid, receipt_id, "expire", -plan.expired, now_ms)?;
    stamp_row(tx, member_id, pid, receipt_id, "earn", plan.earned, now_ms)?;
    stamp_row(tx, member_id, pid, receipt_id, "redeem", -plan.redeemed * plan.program.stamps_needed, now_ms)?;
    set_card(tx, member_id, pid, plan.after())?;
    tx.execute(
        "INSERT INTO receipt_stamps (receipt_id, program_id, stamps_before, earned, redeemed, expired, stamps_after,
           program_name, reward_text)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            receipt_id,
            pid,
            plan.before,
            plan.earned,
            plan.redeemed,
            plan.expired,
            plan.after(),
            plan.program.name,
            plan.program.reward_text
        ],
    )?;
    Ok(())
}
