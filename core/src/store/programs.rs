//! Stamp programs and top-up bonus rules: the owner's configuration.

use super::Store;
use crate::error::{Error, Reason, Result};
use crate::money::positive_amount;
use crate::program::{EarnRule, NewStampProgram, ProgramEdit, StampProgram};
use crate::staff::Act;
use crate::wallet::BonusRule;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

pub(crate) fn load_programs(conn: &Connection, only_active: bool) -> Result<Vec<StampProgram>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, stamps_needed, reward_text, earn_rule, earn_amount_minor, expiry_days, active
         FROM stamp_programs WHERE active = 1 OR ?1 = 0 ORDER BY id",
    )?;
    let rows = stmt.query_map([only_active], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, Option<i64>>(5)?,
            r.get::<_, Option<i64>>(6)?,
            r.get::<_, bool>(7)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, name, stamps_needed, reward_text, rule, amount, expiry_days, active) = row?;
        out.push(StampProgram {
            id,
            name,
            stamps_needed,
            reward_text,
            earn_rule: EarnRule::from_db(&rule, amount)?,
            expiry_days,
            active,
        });
    }
    Ok(out)
}

pub(crate) fn load_program(conn: &Connection, id: i64) -> Result<StampProgram> {
    load_programs(conn, false)?.into_iter().find(|p| p.id == id).ok_or_else(|| Error::ProgramNotFound(id.to_string()))
}

pub(crate) fn load_bonus_rules(conn: &Connection) -> Result<Vec<BonusRule>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, min_paid_minor, bonus_minor, bonus_bp FROM top_up_bonus_rules ORDER BY min_paid_minor",
    )?;
    let rules = stmt
        .query_map([], |r| {
            Ok(BonusRule { id: r.get(0)?, min_paid_minor: r.get(1)?, bonus_minor: r.get(2)?, bonus_bp: r.get(3)? })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rules)
}

impl Store {
    pub fn add_program(&mut self, new: &NewStampProgram, now: DateTime<Utc>) -> Result<StampProgram> {
        new.validate()?;
        self.write(Act::Programs, now, |tx, _| {
            let exists: Option<i64> = tx
                .query_row("SELECT id FROM stamp_programs WHERE name = ?1", [new.name.trim()], |r| r.get(0))
                .optional()?;
            if exists.is_some() {
                return Err(Error::InvalidInput { field: "program name", reason: Reason::Taken { value: new.name.trim().to_string() } });
            }
            let (rule, amount) = new.earn_rule.as_db();
            tx.execute(
                "INSERT INTO stamp_programs (name, stamps_needed, reward_text, earn_rule, earn_amount_minor, expiry_days, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![new.name.trim(), new.stamps_needed, new.reward_text.trim(), rule, amount, new.expiry_days, now.timestamp_millis()],
            )?;
            load_program(tx, tx.last_insert_rowid())
        })
    }

    /// Changes a program's name, reward text and expiry; its stamps needed
    /// only while no card has started (see [`ProgramEdit`]), else
    /// `StampsNeededLocked`. The name stays unique.
    pub fn edit_program(&mut self, id: i64, edit: &ProgramEdit, now: DateTime<Utc>) -> Result<StampProgram> {
        edit.validate()?;
        self.write(Act::Programs, now, |tx, guard| {
            let current = load_program(tx, id)?;
            guard.set("before", &current);
            let name = edit.name.trim();
            let taken: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM stamp_programs WHERE name = ?1 AND id <> ?2)",
                params![name, id],
                |r| r.get(0),
            )?;
            if taken {
                return Err(Error::InvalidInput { field: "program name", reason: Reason::Taken { value: name.to_string() } });
            }
            if edit.stamps_needed != current.stamps_needed {
                // A card has started once any stamp was written to it, even if
                // it is empty again after a reward.
                let cards: i64 = tx.query_row(
                    "SELECT COUNT(DISTINCT member_id) FROM stamp_ledger WHERE program_id = ?1",
                    [id],
                    |r| r.get(0),
                )?;
                if cards > 0 {
                    return Err(Error::StampsNeededLocked { program: current.name, cards });
                }
            }
            tx.execute(
                "UPDATE stamp_programs SET name = ?2, stamps_needed = ?3, reward_text = ?4, expiry_days = ?5 WHERE id = ?1",
                params![id, name, edit.stamps_needed, edit.reward_text.trim(), edit.expiry_days],
            )?;
            load_program(tx, id)
        })
    }

    pub fn programs(&self) -> Result<Vec<StampProgram>> {
        load_programs(self.conn(), false)
    }

    /// Stops (or restarts) a program earning stamps; cards keep their stamps
    /// and full cards can still be redeemed.
    pub fn set_program_active(&mut self, id: i64, active: bool, now: DateTime<Utc>) -> Result<StampProgram> {
        self.write(Act::Programs, now, |tx, guard| {
            guard.set("before", load_program(tx, id)?);
            tx.execute("UPDATE stamp_programs SET active = ?2 WHERE id = ?1", params![id, active])?;
            load_program(tx, id)
        })
    }

    pub fn bonus_rules(&self) -> Result<Vec<BonusRule>> {
        load_bonus_rules(self.conn())
    }

    /// Adds or replaces the bonus for top-ups of at least `min_paid_minor`.
    pub fn set_bonus_rule(
        &mut self,
        min_paid_minor: i64,
        bonus_minor: i64,
        bonus_bp: i64,
        now: DateTime<Utc>,
    ) -> Result<Vec<BonusRule>> {
        positive_amount("top-up threshold", min_paid_minor)?;
        crate::money::non_negative_amount("bonus", bonus_minor)?;
        if !(0..=10_000).contains(&bonus_bp) {
            return Err(Error::InvalidInput { field: "bonus percent", reason: Reason::Range { min: 0, max: 100 } });
        }
        self.write(Act::BonusRules, now, |tx, guard| {
            guard.set("before", load_bonus_rules(tx)?);
            tx.execute(
                "INSERT INTO top_up_bonus_rules (min_paid_minor, bonus_minor, bonus_bp, created_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (min_paid_minor) DO UPDATE SET bonus_minor = excluded.bonus_minor, bonus_bp = excluded.bonus_bp",
                params![min_paid_minor, bonus_minor, bonus_bp, now.timestamp_millis()],
            )?;
            load_bonus_rules(tx)
        })
    }

    pub fn remove_bonus_rule(&mut self, min_paid_minor: i64, now: DateTime<Utc>) -> Result<Vec<BonusRule>> {
        self.write(Act::BonusRules, now, |tx, guard| {
            guard.set("before", load_bonus_rules(tx)?);
            tx.execute("DELETE FROM top_up_bonus_rules WHERE min_paid_minor = ?1", [min_paid_minor])?;
            load_bonus_rules(tx)
        })
    }
}
