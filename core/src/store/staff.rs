//! Staff accounts, signing in with a PIN, the PIN pad's lock, and the
//! limits the owner sets. A PIN is stored as an Argon2id hash under the
//! shop's salt, so the PIN alone finds who is signing in with one check.

use super::audit::{append_row, Row};
use super::Store;
use crate::error::{Error, Result};
use crate::staff::{
    clean_pin, clean_staff_name, Act, Denied, Role, Session, StaffPolicy, PIN_FAILURES_BEFORE_LOCK, PIN_LOCK_MINUTES,
};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::{Deserialize, Serialize};

/// A staff account as the owner sees it (never the PIN's hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StaffMember {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub active: bool,
    pub created_at: i64,
    #[ts(optional)]
    pub disabled_at: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NewStaff {
    pub name: String,
    pub role: Role,
    pub pin: String,
}

/// The PIN pad's state: how many wrong PINs in a row, and until when it is locked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PinPadState {
    pub failures: i64,
    /// UTC milliseconds; 0 or in the past: not locked.
    pub locked_until: i64,
}

/// Argon2id with 19 MiB, 2 passes, 1 lane (OWASP's minimum for Argon2id):
/// about 30 ms on a recent laptop, well under 200 ms on a small shop PC.
fn hash_pin(pin: &str, salt: &[u8]) -> String {
    use argon2::{Algorithm, Argon2, Params, Version};
    let params = Params::new(19 * 1024, 2, 1, Some(32)).expect("valid Argon2 parameters");
    let mut out = [0u8; 32];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(pin.as_bytes(), salt, &mut out)
        .expect("Argon2 takes a 16-byte salt and any PIN");
    out.iter().map(|b| format!("{b:02x}")).collect()
}

fn salt(conn: &Connection) -> Result<Vec<u8>> {
    Ok(conn.query_row("SELECT pin_salt FROM staff_security WHERE id = 1", [], |r| r.get(0))?)
}

fn member_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StaffMember> {
    let role: String = r.get(2)?;
    Ok(StaffMember {
        id: r.get(0)?,
        name: r.get(1)?,
        role: Role::parse(&role).unwrap_or(Role::Cashier),
        active: r.get(3)?,
        created_at: r.get(4)?,
        disabled_at: r.get(5)?,
    })
}

pub(crate) fn load_staff(conn: &Connection, id: i64) -> Result<StaffMember> {
    conn.query_row(
        "SELECT id, name, role, active, created_at, disabled_at FROM staff WHERE id = ?1",
        [id],
        member_from_row,
    )
    .optional()?
    .ok_or_else(|| Error::StaffNotFound(id.to_string()))
}

pub(crate) fn any_staff(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM staff)", [], |r| r.get(0))?)
}

/// Whether the session's staff member is still active (a disabled
/// account's session ends at its next write).
pub(crate) fn still_active(conn: &Connection, s: &Session) -> Result<bool> {
    Ok(conn
        .query_row("SELECT active FROM staff WHERE id = ?1", [s.staff_id()], |r| r.get::<_, bool>(0))
        .optional()?
        .unwrap_or(false))
}

pub(crate) fn load_policy(conn: &Connection) -> Result<StaffPolicy> {
    let digits: u32 =
        conn.query_row("SELECT currency_minor_digits FROM shop_settings WHERE id = 1", [], |r| r.get(0))?;
    let d = StaffPolicy::defaults(digits);
    conn.query_row(
        "SELECT cashier_void_minutes, cashier_void_max_minor, manager_adjust_max_minor, idle_lock_minutes, denied
         FROM staff_security WHERE id = 1",
        [],
        |r| {
            let denied: String = r.get(4)?;
            Ok(StaffPolicy {
                cashier_void_minutes: r.get::<_, Option<i64>>(0)?.unwrap_or(d.cashier_void_minutes),
                cashier_void_max_minor: r.get::<_, Option<i64>>(1)?.unwrap_or(d.cashier_void_max_minor),
                manager_adjust_max_minor: r.get::<_, Option<i64>>(2)?.unwrap_or(d.manager_adjust_max_minor),
                idle_lock_minutes: r.get::<_, Option<i64>>(3)?.unwrap_or(d.idle_lock_minutes),
                denied: serde_json::from_str::<Vec<Denied>>(&denied).unwrap_or_default(),
            })
        },
    )
    .map_err(Error::from)
}

fn unique_pin(e: Error, name: &str) -> Error {
    match &e {
        Error::Database(rusqlite::Error::SqliteFailure(f, Some(msg)))
            if f.code == rusqlite::ErrorCode::ConstraintViolation && msg.contains("staff.pin_hash") =>
        {
            Error::DuplicatePin
        }
        Error::Database(rusqlite::Error::SqliteFailure(f, Some(msg)))
            if f.code == rusqlite::ErrorCode::ConstraintViolation && msg.contains("staff.name") =>
        {
            Error::InvalidInput { field: "staff name", reason: crate::error::Reason::Taken { value: name.to_string() } }
        }
        _ => e,
    }
}

fn insert_staff(conn: &Connection, name: &str, role: Role, pin_hash: &str, now_ms: i64) -> Result<i64> {
    conn.execute(
        "INSERT INTO staff (name, role, pin_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![name, role.as_db(), pin_hash, now_ms],
    )
    .map_err(|e| unique_pin(e.into(), name))?;
    Ok(conn.last_insert_rowid())
}

impl Store {
    /// Whether the shop has staff accounts; once it has, every write needs
    /// a signed-in staff member.
    pub fn has_staff(&self) -> Result<bool> {
        any_staff(self.conn())
    }

    /// The signed-in staff member, if any.
    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    /// Takes up a session made by another handle on the same database (the
    /// app's reading connection follows its writing one). It is checked
    /// again at every write.
    pub fn resume(&mut self, session: Option<Session>) {
        self.session = session;
    }

    /// The shop's first owner, made once, on a shop with no staff yet; the
    /// owner is signed in.
    pub fn create_first_owner(&mut self, name: &str, pin: &str, now: DateTime<Utc>) -> Result<Session> {
        let name = clean_staff_name(name)?;
        let pin = clean_pin(pin)?;
        let hash = hash_pin(&pin, &salt(self.conn())?);
        let now_ms = now.timestamp_millis();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        if any_staff(&tx)? {
            return Err(Error::StaffExists);
        }
        let id = insert_staff(&tx, &name, Role::Owner, &hash, now_ms)?;
        let detail = serde_json::json!({ "added": { "id": id, "name": name, "role": "owner" } }).to_string();
        append_row(&tx, staff_row(Act::Staff, id, &name, now_ms, &detail))?;
        tx.commit()?;
        let session = Session::new(id, name, Role::Owner, now_ms);
        self.session = Some(session.clone());
        Ok(session)
    }

    /// Adds a staff member (the owner's right).
    pub fn add_staff(&mut self, new: &NewStaff, now: DateTime<Utc>) -> Result<StaffMember> {
        let name = clean_staff_name(&new.name)?;
        let pin = clean_pin(&new.pin)?;
        let hash = hash_pin(&pin, &salt(self.conn())?);
        let now_ms = now.timestamp_millis();
        self.write(Act::Staff, now, |tx, guard| {
            let id = insert_staff(tx, &name, new.role, &hash, now_ms)?;
            guard.set("added", serde_json::json!({ "id": id, "name": name, "role": new.role }));
            load_staff(tx, id)
        })
    }

    /// Every staff account, active ones first, by name.
    pub fn staff(&self) -> Result<Vec<StaffMember>> {
        let mut stmt = self.conn().prepare(
            "SELECT id, name, role, active, created_at, disabled_at FROM staff ORDER BY active DESC, name, id",
        )?;
        let rows = stmt.query_map([], member_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Finds a staff member by number or by (active) name.
    pub fn resolve_staff(&self, reference: &str) -> Result<StaffMember> {
        let r = reference.trim();
        if let Ok(id) = r.parse::<i64>() {
            if let Ok(s) = load_staff(self.conn(), id) {
                return Ok(s);
            }
        }
        let id: Option<i64> = self
            .conn()
            .query_row("SELECT id FROM staff WHERE name = ?1 ORDER BY active DESC, id DESC LIMIT 1", [r], |row| {
                row.get(0)
            })
            .optional()?;
        load_staff(self.conn(), id.ok_or_else(|| Error::StaffNotFound(r.to_string()))?)
    }

    /// Turns a staff account off: its PIN stops working, its name stays on
    /// receipts. The last active owner cannot be turned off.
    pub fn disable_staff(&mut self, id: i64, now: DateTime<Utc>) -> Result<StaffMember> {
        let now_ms = now.timestamp_millis();
        self.write(Act::Staff, now, |tx, guard| {
            let before = load_staff(tx, id)?;
            if before.active && before.role == Role::Owner {
                let owners: i64 =
                    tx.query_row("SELECT COUNT(*) FROM staff WHERE role = 'owner' AND active = 1", [], |r| r.get(0))?;
                if owners <= 1 {
                    return Err(Error::LastOwner);
                }
            }
            tx.execute(
                "UPDATE staff SET active = 0, disabled_at = COALESCE(disabled_at, ?2) WHERE id = ?1",
                params![id, now_ms],
            )?;
            let after = load_staff(tx, id)?;
            guard.before_after(&before, &after);
            Ok(after)
        })
    }

    /// Gives a staff member a new PIN: the owner for anyone, anyone for
    /// their own.
    pub fn set_staff_pin(&mut self, id: i64, pin: &str, now: DateTime<Utc>) -> Result<StaffMember> {
        let pin = clean_pin(pin)?;
        let hash = hash_pin(&pin, &salt(self.conn())?);
        let own = self.session.as_ref().is_some_and(|s| s.staff_id() == id);
        self.write_checked(Act::Staff, now, own, |tx, guard| {
            let member = load_staff(tx, id)?;
            if !member.active {
                return Err(Error::StaffNotFound(id.to_string()));
            }
            tx.execute("UPDATE staff SET pin_hash = ?2 WHERE id = ?1", params![id, hash])
                .map_err(|e| unique_pin(e.into(), &member.name))?;
            guard.set("pinChanged", serde_json::json!({ "id": id, "name": member.name }));
            Ok(member)
        })
    }

    /// The limits and rights in force.
    pub fn staff_policy(&self) -> Result<StaffPolicy> {
        load_policy(self.conn())
    }

    /// Sets the limits and the rights taken away (the owner's right).
    pub fn set_staff_policy(&mut self, policy: &StaffPolicy, now: DateTime<Utc>) -> Result<StaffPolicy> {
        policy.validate()?;
        self.write(Act::StaffPolicy, now, |tx, guard| {
            let before = load_policy(tx)?;
            tx.execute(
                "UPDATE staff_security SET cashier_void_minutes = ?1, cashier_void_max_minor = ?2,
                   manager_adjust_max_minor = ?3, idle_lock_minutes = ?4, denied = ?5 WHERE id = 1",
                params![
                    policy.cashier_void_minutes,
                    policy.cashier_void_max_minor,
                    policy.manager_adjust_max_minor,
                    policy.idle_lock_minutes,
                    serde_json::to_string(&policy.denied).unwrap_or_else(|_| "[]".into())
                ],
            )?;
            let after = load_policy(tx)?;
            guard.before_after(&before, &after);
            Ok(after)
        })
    }

    /// The PIN pad's failure count and lock.
    pub fn pin_pad(&self) -> Result<PinPadState> {
        Ok(self.conn().query_row("SELECT failures, locked_until FROM staff_security WHERE id = 1", [], |r| {
            Ok(PinPadState { failures: r.get(0)?, locked_until: r.get(1)? })
        })?)
    }

    /// Signs in whoever `pin` belongs to. Wrong PINs are counted in the
    /// database; the fifth in a row locks the pad for five minutes. Every
    /// sign-in, failure and lock is in the audit log.
    pub fn sign_in(&mut self, pin: &str, now: DateTime<Utc>) -> Result<Session> {
        let session = self.check_pin(pin, now)?;
        self.session = Some(session.clone());
        Ok(session)
    }

    /// Ends the session (the till is handed over or locks).
    pub fn sign_out(&mut self, now: DateTime<Utc>) -> Result<()> {
        if let Some(s) = self.session.take() {
            let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            append_row(&tx, staff_row(Act::SignOut, s.staff_id(), s.name(), now.timestamp_millis(), "{}"))?;
            tx.commit()?;
        }
        self.approval = None;
        Ok(())
    }

    /// A manager's or the owner's PIN typed to approve the next write, which
    /// the signed-in staff member's role alone may not do. Wrong PINs count
    /// toward the lock as at sign-in.
    pub fn approve_next(&mut self, pin: &str, now: DateTime<Utc>) -> Result<Session> {
        let approver = self.check_pin(pin, now)?;
        self.approval = Some(approver.clone());
        Ok(approver)
    }

    fn check_pin(&mut self, pin: &str, now: DateTime<Utc>) -> Result<Session> {
        let pin = clean_pin(pin)?;
        let now_ms = now.timestamp_millis();
        let pad = self.pin_pad()?;
        if pad.locked_until > now_ms {
            return Err(Error::PinLocked { until: pad.locked_until });
        }
        let hash = hash_pin(&pin, &salt(self.conn())?);
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let found = tx
            .query_row("SELECT id, name, role FROM staff WHERE pin_hash = ?1 AND active = 1", [&hash], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
            })
            .optional()?;
        let (failures, locked_until): (i64, i64) =
            tx.query_row("SELECT failures, locked_until FROM staff_security WHERE id = 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        if locked_until > now_ms {
            return Err(Error::PinLocked { until: locked_until });
        }
        let outcome = match found {
            Some((id, name, role)) => {
                tx.execute("UPDATE staff_security SET failures = 0 WHERE id = 1", [])?;
                append_row(&tx, staff_row(Act::SignIn, id, &name, now_ms, "{}"))?;
                Ok(Session::new(id, name, Role::parse(&role)?, now_ms))
            }
            None => {
                let failures = failures + 1;
                let detail = serde_json::json!({ "failures": failures }).to_string();
                append_row(&tx, system_row(Act::PinFailed, now_ms, &detail))?;
                if failures >= PIN_FAILURES_BEFORE_LOCK {
                    let until = now_ms + PIN_LOCK_MINUTES * 60_000;
                    tx.execute("UPDATE staff_security SET failures = 0, locked_until = ?1 WHERE id = 1", [until])?;
                    let detail = serde_json::json!({ "until": until }).to_string();
                    append_row(&tx, system_row(Act::PinLocked, now_ms, &detail))?;
                    Err(Error::PinLocked { until })
                } else {
                    tx.execute("UPDATE staff_security SET failures = ?1 WHERE id = 1", [failures])?;
                    Err(Error::WrongPin { left: PIN_FAILURES_BEFORE_LOCK - failures })
                }
            }
        };
        tx.commit()?;
        outcome
    }
}

fn staff_row<'a>(kind: Act, staff_id: i64, name: &'a str, at: i64, detail: &'a str) -> Row<'a> {
    Row {
        at,
        kind,
        staff_id: Some(staff_id),
        staff_name: name,
        approver: None,
        request_id: None,
        receipt_number: None,
        member_id: None,
        detail,
    }
}

fn system_row(kind: Act, at: i64, detail: &str) -> Row<'_> {
    Row {
        at,
        kind,
        staff_id: None,
        staff_name: "PIN pad",
        approver: None,
        request_id: None,
        receipt_number: None,
        member_id: None,
        detail,
    }
}
