//! The cashier's lookup: phone (full, prefix or last digits), member number,
//! card code or part of a name, ranked exact-first, and fast at a million
//! members: every branch is an index range scan or an FTS5 lookup, each
//! bounded by the limit.

use super::Store;
use crate::error::Result;
use rusqlite::{params, Connection};
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum MatchKind {
    /// Member number, card code or the whole phone number.
    Exact,
    /// The phone number ends with the digits typed.
    PhoneSuffix,
    /// The phone number starts with the digits typed.
    PhonePrefix,
    /// The name starts with what was typed.
    NamePrefix,
    /// The name ends with, or contains, what was typed.
    Name,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MemberHit {
    pub id: i64,
    pub member_no: String,
    pub name: String,
    pub phone: Option<String>,
    pub match_kind: MatchKind,
    pub wallet_total_minor: i64,
    pub last_visit_at: Option<i64>,
    /// Archived (停用): found only by an exact match, so the shop can open
    /// the card and restore the member; left out of every partial match.
    pub archived: bool,
}

/// The exclusive upper bound of all strings starting with `prefix` under
/// SQLite's BINARY collation.
fn prefix_end(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

fn ids(
    conn: &Connection,
    sql: &str,
    p: impl rusqlite::Params,
    into: &mut HashMap<i64, MatchKind>,
    kind: MatchKind,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(p, |r| r.get::<_, i64>(0))?;
    for id in rows {
        let id = id?;
        into.entry(id).and_modify(|k| *k = (*k).min(kind)).or_insert(kind);
    }
    Ok(())
}

impl Store {
    /// Finds members for the cashier's search box. Archived members are found
    /// only by an exact match (member number, card code, whole phone) or
    /// their whole name, flagged, so the card can be opened to restore them.
    /// Results: exact matches first, then phone, then name matches; within a
    /// kind, the most recent visitors first.
    pub fn find_members(&self, query: &str, limit: usize) -> Result<Vec<MemberHit>> {
        let conn = self.conn();
        let q: String = query.trim().chars().take(100).collect();
        if q.is_empty() {
            return Ok(Vec::new());
        }
        let limit = limit.clamp(1, 200) as i64;
        let mut found: HashMap<i64, MatchKind> = HashMap::new();
        let upper = q.to_ascii_uppercase();
        let compact: String = q.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.' | '+')).collect();
        let all_digits = !compact.is_empty() && compact.chars().all(|c| c.is_ascii_digit());

        ids(
            conn,
            "SELECT id FROM members WHERE member_no = ?1 OR card_code = ?1",
            [&upper],
            &mut found,
            MatchKind::Exact,
        )?;
        if all_digits {
            if let Ok(n) = compact.parse::<u32>() {
                if n < 1_000_000 {
                    ids(
                        conn,
                        "SELECT id FROM members WHERE member_no = ?1",
                        [format!("M{n:06}")],
                        &mut found,
                        MatchKind::Exact,
                    )?;
                }
            }
            if let Ok(digits) = crate::phone::normalize_phone(&q) {
                ids(conn, "SELECT id FROM members WHERE phone_digits = ?1", [&digits], &mut found, MatchKind::Exact)?;
            }
            if compact.len() >= 3 {
                let rev: String = compact.chars().rev().collect();
                ids(
                    conn,
                    "SELECT id FROM members WHERE phone_rev >= ?1 AND phone_rev < ?2 LIMIT ?3",
                    params![rev, prefix_end(&rev), limit],
                    &mut found,
                    MatchKind::PhoneSuffix,
                )?;
                ids(
                    conn,
                    "SELECT id FROM members WHERE phone_digits >= ?1 AND phone_digits < ?2 LIMIT ?3",
                    params![compact, prefix_end(&compact), limit],
                    &mut found,
                    MatchKind::PhonePrefix,
                )?;
            }
        } else {
            let folded = q.to_lowercase();
            ids(
                conn,
                "SELECT id FROM members WHERE name_fold >= ?1 AND name_fold < ?2 LIMIT ?3",
                params![folded, prefix_end(&folded), limit],
                &mut found,
                MatchKind::NamePrefix,
            )?;
            let rev: String = folded.chars().rev().collect();
            ids(
                conn,
                "SELECT id FROM members WHERE name_rev >= ?1 AND name_rev < ?2 LIMIT ?3",
                params![rev, prefix_end(&rev), limit],
                &mut found,
                MatchKind::Name,
            )?;
            if q.chars().count() >= 3 {
                let phrase = format!("\"{}\"", q.replace('"', "\"\""));
                ids(
                    conn,
                    "SELECT rowid FROM members_fts WHERE members_fts MATCH ?1 LIMIT ?2",
                    params![phrase, limit],
                    &mut found,
                    MatchKind::Name,
                )?;
            }
        }
        if found.is_empty() {
            return Ok(Vec::new());
        }
        let mut stmt = conn.prepare_cached(
            "SELECT id, member_no, name, phone, wallet_paid_minor + wallet_bonus_minor, last_visit_at, archived, name_fold
             FROM members WHERE id = ?1",
        )?;
        let whole_name = q.to_lowercase();
        let mut hits = Vec::with_capacity(found.len());
        for (id, kind) in found {
            let (hit, kind, name_fold) = stmt.query_row([id], |r| {
                Ok((
                    MemberHit {
                        id: r.get(0)?,
                        member_no: r.get(1)?,
                        name: r.get(2)?,
                        phone: r.get(3)?,
                        match_kind: kind,
                        wallet_total_minor: r.get(4)?,
                        last_visit_at: r.get(5)?,
                        archived: r.get(6)?,
                    },
                    kind,
                    r.get::<_, String>(7)?,
                ))
            })?;
            if !hit.archived || kind == MatchKind::Exact || name_fold == whole_name {
                hits.push(hit);
            }
        }
        hits.sort_by(|a, b| {
            a.match_kind
                .cmp(&b.match_kind)
                .then(b.last_visit_at.cmp(&a.last_visit_at))
                .then(a.name.cmp(&b.name))
                .then(a.id.cmp(&b.id))
        });
        hits.truncate(limit as usize);
        Ok(hits)
    }
}
