//! The audit log's rows and their hash chain: each row carries a SHA-256
//! over its own content and the previous row's hash, so a row edited,
//! deleted or slipped in between with raw SQL breaks the chain from there
//! on. Pure: the store writes and reads the rows.

use serde::Serialize;
use sha2::{Digest, Sha256};

/// The hash the first row chains to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One row of the audit log, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AuditEntry {
    pub id: i64,
    /// UTC milliseconds.
    pub at: i64,
    /// An [`crate::staff::Act`]'s name.
    pub kind: String,
    #[ts(optional)]
    pub staff_id: Option<i64>,
    /// Who did it: the signed-in staff member, or the free-text cashier
    /// of a shop without staff accounts, or "system" for automatic work.
    pub staff_name: String,
    /// The manager or owner whose PIN approved it, when one did.
    #[ts(optional)]
    pub approver_name: Option<String>,
    #[ts(optional)]
    pub request_id: Option<String>,
    #[ts(optional)]
    pub receipt_number: Option<i64>,
    #[ts(optional)]
    pub member_id: Option<i64>,
    /// What changed, as JSON: the operation's details, or before/after.
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditEntry {
    /// The row's hash from its content and `prev_hash`. Fields are written
    /// with their lengths, so no two different rows hash the same text.
    pub fn compute_hash(&self) -> String {
        let mut h = Sha256::new();
        let mut field = |s: &str| {
            h.update((s.len() as u64).to_le_bytes());
            h.update(s.as_bytes());
        };
        let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        field(&self.id.to_string());
        field(&self.at.to_string());
        field(&self.kind);
        field(&opt(self.staff_id));
        field(&self.staff_name);
        field(self.approver_name.as_deref().unwrap_or("\u{0}"));
        field(self.request_id.as_deref().unwrap_or("\u{0}"));
        field(&opt(self.receipt_number));
        field(&opt(self.member_id));
        field(&self.detail);
        field(&self.prev_hash);
        let digest = h.finalize();
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// The first row where the chain breaks, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AuditBreak {
    /// The row whose content or link does not check (for a deleted row:
    /// the row after the gap).
    pub id: i64,
    /// `edited` (its hash does not match its content), `unlinked` (it does
    /// not chain to the row before: a row before it was removed or
    /// slipped in), `gap` (row numbers skip: a row was deleted).
    pub problem: String,
}

/// Checks rows in id order; the first break, if any.
pub fn verify_chain(rows: &[AuditEntry]) -> Option<AuditBreak> {
    let mut prev_hash = GENESIS.to_string();
    let mut prev_id = 0;
    for row in rows {
        let problem = if row.compute_hash() != row.hash {
            Some("edited")
        } else if row.prev_hash != prev_hash {
            Some("unlinked")
        } else if row.id != prev_id + 1 {
            Some("gap")
        } else {
            None
        };
        if let Some(problem) = problem {
            return Some(AuditBreak { id: row.id, problem: problem.to_string() });
        }
        prev_hash = row.hash.clone();
        prev_id = row.id;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|id| {
                let mut e = AuditEntry {
                    id,
                    at: 1_700_000_000_000 + id,
                    kind: "sale".into(),
                    staff_id: Some(1),
                    staff_name: "小美".into(),
                    approver_name: None,
                    request_id: Some(format!("r{id}")),
                    receipt_number: Some(id),
                    member_id: Some(7),
                    detail: format!("{{\"total\":{}}}", id * 100),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                e.hash = e.compute_hash();
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    #[test]
    fn an_untouched_chain_checks() {
        assert_eq!(verify_chain(&chain(5)), None);
    }

    #[test]
    fn an_edited_row_is_named() {
        let mut rows = chain(5);
        rows[2].detail = "{\"total\":1}".into();
        assert_eq!(verify_chain(&rows), Some(AuditBreak { id: 3, problem: "edited".into() }));
    }

    #[test]
    fn a_deleted_row_is_found_at_the_row_after_it() {
        let mut rows = chain(5);
        rows.remove(1);
        assert_eq!(verify_chain(&rows).map(|b| b.id), Some(3));
    }

    #[test]
    fn a_row_slipped_in_with_its_own_hash_still_breaks_the_link() {
        let mut rows = chain(3);
        let mut forged = rows[1].clone();
        forged.id = 4;
        forged.prev_hash = GENESIS.into();
        forged.hash = forged.compute_hash();
        rows.push(forged);
        assert_eq!(verify_chain(&rows), Some(AuditBreak { id: 4, problem: "unlinked".into() }));
    }
}
