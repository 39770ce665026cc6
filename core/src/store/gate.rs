//! The gate every write passes: who is signed in, whether their role may
//! (`crate::staff`'s matrix), one transaction (a savepoint inside an open
//! one) that also appends the act's audit row; and the role checks of the
//! reads the matrix guards.

use super::audit::{self, Actor, Guard};
use super::staff;
use super::Store;
use crate::error::{Error, Result};
use crate::staff::{Act, Attempt};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, TransactionBehavior};

impl Store {
    /// Runs `f` as the write `act`, made by the signed-in staff member: the
    /// role is checked against the permission matrix first (acts whose
    /// limits depend on what they touch, a void or a correction, check
    /// inside `f` through the guard), then `f` runs in one IMMEDIATE
    /// transaction (a savepoint when one is already open), which also
    /// appends the act's audit row. A refused write changes nothing and
    /// leaves a `refused` row of its own.
    pub(crate) fn write<T: serde::Serialize>(
        &mut self,
        act: Act,
        now: DateTime<Utc>,
        f: impl FnOnce(&Connection, &mut Guard) -> Result<T>,
    ) -> Result<T> {
        self.write_checked(act, now, false, f)
    }

    /// [`Store::write`], with `allowed` saying the caller has already
    /// decided the actor may (a staff member changing their own PIN).
    pub(crate) fn write_checked<T: serde::Serialize>(
        &mut self,
        act: Act,
        now: DateTime<Utc>,
        allowed: bool,
        f: impl FnOnce(&Connection, &mut Guard) -> Result<T>,
    ) -> Result<T> {
        let approval = self.approval.take();
        if !self.has_staff_schema()? {
            // A file kept at an older schema by an upgrade test: no staff, no log.
            let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut guard = Guard::new(act, Actor::Unsigned, crate::staff::StaffPolicy::defaults(0), None);
            guard.allow();
            let out = f(&tx, &mut guard)?;
            tx.commit()?;
            return Ok(out);
        }
        let actor = match &self.session {
            Some(s) => Actor::Staff(s.clone()),
            None if staff::any_staff(&self.conn)? => return Err(Error::SignInRequired),
            None => Actor::Unsigned,
        };
        let mut guard = Guard::new(act, actor.clone(), staff::load_policy(&self.conn)?, approval);
        let result = if allowed {
            guard.allow();
            Ok(())
        } else if matches!(act, Act::Void | Act::Adjust) {
            Ok(())
        } else {
            guard.require(Attempt::Plain(act))
        }
        .and_then(|()| self.run_guarded(&actor, guard, now, f));
        if let Err(e) = &result {
            if let Some(detail) = audit::refused_detail(e, act) {
                self.log_refusal(&actor, &detail, now);
            }
        }
        result
    }

    /// Runs `f` as the app's own work (`act` by "system" in the audit log):
    /// no one need be signed in, no role is checked; one transaction with
    /// its audit row, as [`Store::write`].
    pub(crate) fn write_as_system<T: serde::Serialize>(
        &mut self,
        act: Act,
        now: DateTime<Utc>,
        f: impl FnOnce(&Connection, &mut Guard) -> Result<T>,
    ) -> Result<T> {
        let mut guard = Guard::new(act, Actor::System, staff::load_policy(&self.conn)?, None);
        guard.allow();
        self.run_guarded(&Actor::System, guard, now, f)
    }

    fn run_guarded<T: serde::Serialize>(
        &mut self,
        actor: &Actor,
        mut guard: Guard,
        now: DateTime<Utc>,
        f: impl FnOnce(&Connection, &mut Guard) -> Result<T>,
    ) -> Result<T> {
        let now_ms = now.timestamp_millis();
        let body = |tx: &Connection, guard: &mut Guard| -> Result<T> {
            if let Actor::Staff(s) = actor {
                if !staff::still_active(tx, s)? {
                    return Err(Error::SignInRequired);
                }
            }
            let out = f(tx, guard)?;
            guard.result(&out);
            if !guard.is_checked() {
                // A write that forgot to check its limits is refused, not let through.
                return Err(Error::PermissionDenied { act: guard.act().as_db(), needed: "owner", role: "unchecked" });
            }
            Ok(out)
        };
        if self.conn.is_autocommit() {
            let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let out = body(&tx, &mut guard)?;
            guard.append(&tx, now_ms)?;
            tx.commit()?;
            Ok(out)
        } else {
            let sp = self.conn.savepoint()?;
            let out = body(&sp, &mut guard)?;
            guard.append(&sp, now_ms)?;
            sp.commit()?;
            Ok(out)
        }
    }

    /// A refused write's row, in a transaction of its own; a failure to
    /// write it does not hide the refusal itself.
    fn log_refusal(&mut self, actor: &Actor, detail: &str, now: DateTime<Utc>) {
        let (staff_id, name) = match actor {
            Actor::Staff(s) => (Some(s.staff_id()), s.name().to_string()),
            Actor::Unsigned => (None, "staff".to_string()),
            Actor::System => (None, "system".to_string()),
        };
        let row = audit::Row {
            at: now.timestamp_millis(),
            kind: Act::Refused,
            staff_id,
            staff_name: &name,
            approver: None,
            request_id: None,
            receipt_number: None,
            member_id: None,
            detail,
        };
        let _ = (|| -> Result<()> {
            let sp = self.conn.savepoint()?;
            audit::append_row(&sp, row)?;
            sp.commit()?;
            Ok(())
        })();
    }

    /// Records an act that changes no table of the shop (a backup, an
    /// export) after checking the signed-in role may do it. `None` actor
    /// name: the app's own work ("system").
    pub(crate) fn log_event(
        &self,
        act: Act,
        system: bool,
        now: DateTime<Utc>,
        detail: serde_json::Value,
    ) -> Result<()> {
        if !self.has_staff_schema()? {
            return Ok(());
        }
        let actor = match (&self.session, system) {
            (_, true) => Actor::System,
            (Some(s), false) => Actor::Staff(s.clone()),
            (None, false) if staff::any_staff(&self.conn)? => return Err(Error::SignInRequired),
            (None, false) => Actor::Unsigned,
        };
        let mut guard = Guard::new(act, actor, staff::load_policy(&self.conn)?, None);
        if !system {
            guard.require(Attempt::Plain(act))?;
        }
        if let serde_json::Value::Object(map) = detail {
            for (k, v) in map {
                guard.set(&k, v);
            }
        }
        // IMMEDIATE: a deferred transaction that turns into a write fails at
        // once, not after the busy timeout, when the counter is writing.
        let outer = self.conn.is_autocommit();
        self.conn.execute_batch(if outer { "BEGIN IMMEDIATE" } else { "SAVEPOINT log_event" })?;
        match guard.append(&self.conn, now.timestamp_millis()) {
            Ok(()) => self.conn.execute_batch(if outer { "COMMIT" } else { "RELEASE log_event" })?,
            Err(e) => {
                let _ = self.conn.execute_batch(if outer {
                    "ROLLBACK"
                } else {
                    "ROLLBACK TO log_event; RELEASE log_event"
                });
                return Err(e);
            }
        }
        Ok(())
    }

    fn has_staff_schema(&self) -> Result<bool> {
        super::has_staff_schema(&self.conn)
    }

    /// The audit log's rows a filter picks, newest first (the owner's and
    /// managers' right, as the owner's lists).
    pub fn audit_log(&self, filter: &audit::AuditFilter) -> Result<Vec<crate::audit::AuditEntry>> {
        self.require_read(Act::OwnerLists)?;
        audit::read_log(&self.conn, filter)
    }

    /// Checks the audit log's hash chain: the first broken row, if any.
    /// Anyone may run the check (the app does at every start).
    pub fn verify_audit(&self) -> Result<Option<crate::audit::AuditBreak>> {
        audit::verify(&self.conn)
    }

    /// Records an act done outside the store's tables (a restore, which
    /// replaces the file itself) after checking the signed-in role may.
    pub fn record_event(&self, act: Act, now: DateTime<Utc>, detail: serde_json::Value) -> Result<()> {
        self.log_event(act, false, now, detail)
    }

    /// Whether the signed-in staff member may do `act` (refused with
    /// `PermissionDenied` or `SignInRequired`); for interfaces that check
    /// before they start something the store does not do itself (a restore).
    pub fn may(&self, act: Act) -> Result<()> {
        self.require_read(act)
    }

    /// Checks the signed-in role may read what `act` names (the owner's
    /// lists, the audit log) before a read.
    pub(crate) fn require_read(&self, act: Act) -> Result<()> {
        if !self.has_staff_schema()? {
            return Ok(());
        }
        let actor = match &self.session {
            Some(s) => Actor::Staff(s.clone()),
            None if staff::any_staff(&self.conn)? => return Err(Error::SignInRequired),
            None => Actor::Unsigned,
        };
        Guard::new(act, actor, staff::load_policy(&self.conn)?, None).require(Attempt::Plain(act))
    }
}
