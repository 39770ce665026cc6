//! The audit log: who did what, written in the transaction of the change it
//! records, and the gate every write passes first. `Store::write` makes a
//! [`Guard`] for the act, checks the signed-in staff member's role against
//! the permission matrix (`crate::staff`), hands the guard to the write to
//! name what it changed, and appends one hash-chained row before commit.

use crate::audit::{verify_chain, AuditBreak, AuditEntry, GENESIS};
use crate::error::{Error, Result};
use crate::receipt::Receipt;
use crate::request::clean_cashier;
use crate::staff::{Act, Attempt, Role, Session, StaffPolicy};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Deserialize;

/// Who a write is done by.
#[derive(Debug, Clone)]
pub(crate) enum Actor {
    /// A signed-in staff member.
    Staff(Session),
    /// A shop with no staff accounts yet (or a test of the core): the
    /// typed cashier's name, with the owner's rights.
    Unsigned,
    /// The app's own work (the daily backup): no one signed in.
    System,
}

/// The names a receipt carries: who wrote it and who approved it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Signature {
    pub(crate) staff_id: Option<i64>,
    pub(crate) name: String,
    pub(crate) approver: Option<(i64, String)>,
}

/// A write's pass: what it is, who makes it, and what the audit row will say.
pub(crate) struct Guard {
    act: Act,
    actor: Actor,
    policy: StaffPolicy,
    /// A manager's or the owner's session offered for this one write.
    offered_approval: Option<Session>,
    approver: Option<Session>,
    checked: bool,
    replayed: bool,
    typed_name: Option<String>,
    request_id: Option<String>,
    receipt_number: Option<i64>,
    member_id: Option<i64>,
    detail: serde_json::Value,
}

impl Guard {
    pub(crate) fn new(act: Act, actor: Actor, policy: StaffPolicy, offered_approval: Option<Session>) -> Guard {
        Guard {
            act,
            actor,
            policy,
            offered_approval,
            approver: None,
            checked: false,
            replayed: false,
            typed_name: None,
            request_id: None,
            receipt_number: None,
            member_id: None,
            detail: serde_json::Value::Object(Default::default()),
        }
    }

    pub(crate) fn act(&self) -> Act {
        self.act
    }

    /// The caller has decided the actor may (their own PIN, say).
    pub(crate) fn allow(&mut self) {
        self.checked = true;
    }

    pub(crate) fn is_checked(&self) -> bool {
        self.checked
    }

    /// Whether the acting role (or an offered approval) may make `attempt`;
    /// the approval is used only when the actor's own role is not enough.
    pub(crate) fn require(&mut self, attempt: Attempt) -> Result<()> {
        let role = match &self.actor {
            Actor::Staff(s) => s.role(),
            Actor::Unsigned | Actor::System => Role::Owner,
        };
        match crate::staff::check(&self.policy, role, attempt) {
            Ok(()) => {}
            Err(refused) => {
                let approval = self.offered_approval.take();
                match approval {
                    Some(a) if crate::staff::check(&self.policy, a.role(), attempt).is_ok() => self.approver = Some(a),
                    _ => return Err(refused),
                }
            }
        }
        self.checked = true;
        Ok(())
    }

    /// The name a receipt carries: the signed-in staff member's, else the
    /// cashier typed into the request (shops without staff accounts).
    pub(crate) fn signature(&mut self, typed_cashier: &str) -> Result<Signature> {
        let approver = self.approver.as_ref().map(|a| (a.staff_id(), a.name().to_string()));
        Ok(match &self.actor {
            Actor::Staff(s) => Signature { staff_id: Some(s.staff_id()), name: s.name().to_string(), approver },
            Actor::Unsigned | Actor::System => {
                let name = clean_cashier(typed_cashier)?;
                self.typed_name = Some(name.clone());
                Signature { staff_id: None, name, approver }
            }
        })
    }

    /// A repeated request: the stored result is returned and nothing is
    /// written, the audit row neither.
    pub(crate) fn replayed(&mut self) {
        self.replayed = true;
        self.checked = true;
    }

    /// The acting staff member's id, when one is signed in.
    pub(crate) fn staff_id(&self) -> Option<i64> {
        match &self.actor {
            Actor::Staff(s) => Some(s.staff_id()),
            Actor::Unsigned | Actor::System => None,
        }
    }

    /// The receipt the write produced, named in the row.
    pub(crate) fn receipt(&mut self, r: &Receipt) {
        self.request_id = Some(r.request_id.clone());
        self.receipt_number = Some(r.number);
        self.member_id = Some(r.member_id);
        self.set("total", r.total_minor);
        if r.bonus_minor != 0 {
            self.set("bonus", r.bonus_minor);
        }
    }

    pub(crate) fn member(&mut self, id: i64) {
        self.member_id = Some(id);
    }

    pub(crate) fn request(&mut self, request_id: &str) {
        self.request_id = Some(request_id.to_string());
    }

    /// One named value of the row's detail.
    pub(crate) fn set(&mut self, key: &str, value: impl serde::Serialize) {
        if let serde_json::Value::Object(map) = &mut self.detail {
            map.insert(key.to_string(), serde_json::to_value(value).unwrap_or(serde_json::Value::Null));
        }
    }

    /// What the write returned, as the row's `after` (unless it named a
    /// receipt or its own `after`).
    pub(crate) fn result(&mut self, out: &impl serde::Serialize) {
        let has_after = matches!(&self.detail, serde_json::Value::Object(m) if m.contains_key("after"));
        if self.receipt_number.is_none() && !has_after {
            self.set("after", out);
        }
    }

    /// What a change replaced and what it wrote.
    pub(crate) fn before_after(&mut self, before: impl serde::Serialize, after: impl serde::Serialize) {
        self.set("before", before);
        self.set("after", after);
    }

    /// Appends the row, unless the write was a replay.
    pub(crate) fn append(self, conn: &Connection, now_ms: i64) -> Result<()> {
        if self.replayed {
            return Ok(());
        }
        let (staff_id, staff_name) = match &self.actor {
            Actor::Staff(s) => (Some(s.staff_id()), s.name().to_string()),
            Actor::Unsigned => (None, self.typed_name.clone().unwrap_or_else(|| "staff".to_string())),
            Actor::System => (None, "system".to_string()),
        };
        let approver = self.approver.as_ref().map(|a| (a.staff_id(), a.name().to_string()));
        append_row(
            conn,
            Row {
                at: now_ms,
                kind: self.act,
                staff_id,
                staff_name: &staff_name,
                approver: approver.as_ref().map(|(id, name)| (*id, name.as_str())),
                request_id: self.request_id.as_deref(),
                receipt_number: self.receipt_number,
                member_id: self.member_id,
                detail: &self.detail.to_string(),
            },
        )
    }
}

/// One row to append.
pub(crate) struct Row<'a> {
    pub(crate) at: i64,
    pub(crate) kind: Act,
    pub(crate) staff_id: Option<i64>,
    pub(crate) staff_name: &'a str,
    pub(crate) approver: Option<(i64, &'a str)>,
    pub(crate) request_id: Option<&'a str>,
    pub(crate) receipt_number: Option<i64>,
    pub(crate) member_id: Option<i64>,
    pub(crate) detail: &'a str,
}

/// Appends a row chained to the last one; the caller's transaction holds
/// the write lock, so no other row can come in between.
pub(crate) fn append_row(conn: &Connection, row: Row<'_>) -> Result<()> {
    let last: Option<(i64, String)> = conn
        .query_row("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (prev_id, prev_hash) = last.unwrap_or((0, GENESIS.to_string()));
    let mut entry = AuditEntry {
        id: prev_id + 1,
        at: row.at,
        kind: row.kind.as_db().to_string(),
        staff_id: row.staff_id,
        staff_name: row.staff_name.to_string(),
        approver_name: row.approver.map(|(_, n)| n.to_string()),
        request_id: row.request_id.map(str::to_string),
        receipt_number: row.receipt_number,
        member_id: row.member_id,
        detail: row.detail.to_string(),
        prev_hash,
        hash: String::new(),
    };
    entry.hash = entry.compute_hash();
    conn.execute(
        "INSERT INTO audit_log (id, at, kind, staff_id, staff_name, approver_id, approver_name, request_id,
           receipt_number, member_id, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            entry.id,
            entry.at,
            entry.kind,
            entry.staff_id,
            entry.staff_name,
            row.approver.map(|(id, _)| id),
            entry.approver_name,
            entry.request_id,
            entry.receipt_number,
            entry.member_id,
            entry.detail,
            entry.prev_hash,
            entry.hash
        ],
    )?;
    Ok(())
}

/// Which rows of the log to read.
#[derive(Debug, Clone, Default, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AuditFilter {
    #[serde(default)]
    #[ts(optional)]
    pub staff_id: Option<i64>,
    #[serde(default)]
    #[ts(optional)]
    pub kind: Option<Act>,
    /// UTC milliseconds, from (included) and to (excluded).
    #[serde(default)]
    #[ts(optional)]
    pub from: Option<i64>,
    #[serde(default)]
    #[ts(optional)]
    pub to: Option<i64>,
    /// At most this many of the latest rows (0: all).
    #[serde(default)]
    pub limit: u32,
}

fn entry_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        id: r.get(0)?,
        at: r.get(1)?,
        kind: r.get(2)?,
        staff_id: r.get(3)?,
        staff_name: r.get(4)?,
        approver_name: r.get(5)?,
        request_id: r.get(6)?,
        receipt_number: r.get(7)?,
        member_id: r.get(8)?,
        detail: r.get(9)?,
        prev_hash: r.get(10)?,
        hash: r.get(11)?,
    })
}

const COLUMNS: &str =
    "id, at, kind, staff_id, staff_name, approver_name, request_id, receipt_number, member_id, detail, prev_hash, hash";

/// The rows a filter picks, newest first.
pub(crate) fn read_log(conn: &Connection, f: &AuditFilter) -> Result<Vec<AuditEntry>> {
    let limit = if f.limit == 0 { -1 } else { i64::from(f.limit) };
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM audit_log
         WHERE (?1 IS NULL OR staff_id = ?1) AND (?2 IS NULL OR kind = ?2)
           AND (?3 IS NULL OR at >= ?3) AND (?4 IS NULL OR at < ?4)
         ORDER BY id DESC LIMIT ?5"
    ))?;
    let rows = stmt
        .query_map(params![f.staff_id, f.kind.map(Act::as_db), f.from, f.to, limit], entry_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Checks the whole chain; the first broken row, if any.
pub(crate) fn verify(conn: &Connection) -> Result<Option<AuditBreak>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM audit_log ORDER BY id"))?;
    let rows = stmt.query_map([], entry_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(verify_chain(&rows))
}

/// A refused write leaves a row of its own, in its own transaction (the
/// write's was rolled back).
pub(crate) fn refused_detail(err: &Error, act: Act) -> Option<String> {
    match err {
        Error::PermissionDenied { needed, .. } => {
            Some(serde_json::json!({ "act": act.as_db(), "needed": needed }).to_string())
        }
        _ => None,
    }
}
