//! The cashier's lookup: phone (whole, last digits or first digits), member
//! number, card code or part of a name, and a name with digits ("林 2345").
//!
//! The order is the contract a cashier relies on when pressing Enter:
//! exact matches first (the whole phone, a member number with its `M`, a
//! card code), then phones ending with the digits typed, then the member
//! whose whole number is those bare digits, then phones starting with
//! them, then names. Bare digits are a member number only when they are
//! the whole number (at least as many digits as member numbers have), and
//! even then rank below the phone whose last digits they are: the last
//! four digits of a phone never open member M00xxxx.
//! Within a kind, the most recent visitors come first, also when more
//! members match than are shown; the answer says how many matched.
//!
//! Fast at a million members: every branch is an index range scan or an
//! FTS5 lookup, bounded; a branch with more candidates than
//! [`CANDIDATES_PER_BRANCH`] is counted and asked for its most recent
//! visitors instead of being read whole.

use super::Store;
use crate::error::Result;
use rusqlite::{params_from_iter, types::Value, Connection};
use serde::Serialize;
use std::collections::HashMap;

/// Member numbers are `M` and (at least) this many digits: `M000042`.
pub const MEMBER_NO_DIGITS: usize = 6;

/// A branch with more candidates than this is counted and its most recent
/// visitors are fetched by an ordered query instead of reading it whole.
const CANDIDATES_PER_BRANCH: usize = 500;

/// Matches are counted up to this many; beyond, the count says "at least"
/// (a count reads the rows, so it is bounded like everything else).
const COUNT_CAP: i64 = 2_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum MatchKind {
    /// Member number typed with its `M`, card code or the whole phone number.
    Exact,
    /// The phone number ends with the digits typed.
    PhoneSuffix,
    /// The whole member number typed as bare digits (`000042`).
    MemberNumber,
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

/// The answer to a lookup: the members shown, and how many matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MemberLookup {
    /// At most the limit asked for, in the order described on [`Store::find_members`].
    pub hits: Vec<MemberHit>,
    /// How many members matched in all; more than `hits.len()` when the
    /// list was cut to the limit.
    pub matched: i64,
    /// `matched` is a lower bound: too many matched to count them all
    /// (a name of one common character at a million members).
    pub matched_at_least: bool,
}

/// The exclusive upper bound of all strings starting with `prefix` under
/// SQLite's BINARY collation.
fn prefix_end(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

/// What a query asks for, once folded and split.
struct Query {
    /// Trimmed and folded to half width, at most 100 characters.
    text: String,
    /// The digits, when the query is only digits and phone punctuation.
    digits: Option<String>,
    /// A name part and a digits part ("林 2345", "Alice 0912").
    name_and_digits: Option<(String, String)>,
}

fn is_phone_punctuation(c: char) -> bool {
    matches!(c, ' ' | '-' | '(' | ')' | '.' | '+')
}

impl Query {
    fn parse(raw: &str) -> Query {
        let text: String = crate::input::fold_width(raw).trim().chars().take(100).collect();
        let compact: String = text.chars().filter(|c| !is_phone_punctuation(*c)).collect();
        let digits = (!compact.is_empty() && compact.chars().all(|c| c.is_ascii_digit())).then_some(compact);
        let name_and_digits = if digits.is_none() {
            let (mut name, mut num) = (Vec::new(), String::new());
            for token in text.split_whitespace() {
                let token_digits: String = token.chars().filter(|c| !is_phone_punctuation(*c)).collect();
                if !token_digits.is_empty() && token_digits.chars().all(|c| c.is_ascii_digit()) {
                    num.push_str(&token_digits);
                } else {
                    name.push(token);
                }
            }
            (num.len() >= 3 && !name.is_empty()).then(|| (name.join(" ").to_lowercase(), num))
        } else {
            None
        };
        Query { text, digits, name_and_digits }
    }

    /// The member number the query names: `M42`, `m000042` (an exact
    /// match), or bare digits only when they are a whole member number
    /// (`000042`, a [`MatchKind::MemberNumber`]).
    fn member_no(&self) -> Option<(String, MatchKind)> {
        let (explicit, digits) = match self.text.strip_prefix(['M', 'm']) {
            Some(rest) => (true, rest),
            None => (false, self.text.as_str()),
        };
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        if !explicit && digits.len() < MEMBER_NO_DIGITS {
            return None;
        }
        let n: u64 = digits.parse().ok()?;
        let kind = if explicit { MatchKind::Exact } else { MatchKind::MemberNumber };
        (n > 0).then(|| (format!("M{n:0width$}", width = MEMBER_NO_DIGITS), kind))
    }
}

/// One partial-match branch: a condition on `members` and its parameters.
struct Branch {
    kind: MatchKind,
    condition: String,
    params: Vec<Value>,
}

/// A candidate: its best kind, and its last visit for the ordering.
#[derive(Clone, Copy)]
struct Candidate {
    kind: MatchKind,
    last_visit_at: Option<i64>,
}

fn add(found: &mut HashMap<i64, Candidate>, id: i64, kind: MatchKind, last_visit_at: Option<i64>) {
    found.entry(id).and_modify(|c| c.kind = c.kind.min(kind)).or_insert(Candidate { kind, last_visit_at });
}

fn exact(
    conn: &Connection,
    sql: &str,
    value: &str,
    kind: MatchKind,
    found: &mut HashMap<i64, Candidate>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([value], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Option<i64>>(1)?)))?;
    for row in rows {
        let (id, last) = row?;
        add(found, id, kind, last);
    }
    Ok(())
}

/// Runs one branch: all its candidates when there are few, else its count
/// and its `limit` most recent visitors (never-seen members last).
/// Returns how many members the branch matches, at most [`COUNT_CAP`].
fn run_branch(conn: &Connection, branch: &Branch, limit: usize, found: &mut HashMap<i64, Candidate>) -> Result<i64> {
    let read = format!(
        "SELECT id, last_visit_at FROM members WHERE archived = 0 AND {} LIMIT {}",
        branch.condition,
        CANDIDATES_PER_BRANCH + 1
    );
    let mut stmt = conn.prepare_cached(&read)?;
    let rows: Vec<(i64, Option<i64>)> = stmt
        .query_map(params_from_iter(branch.params.iter()), |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    if rows.len() <= CANDIDATES_PER_BRANCH {
        for &(id, last) in &rows {
            add(found, id, branch.kind, last);
        }
        return Ok(rows.len() as i64);
    }
    let count_sql = format!(
        "SELECT count(*) FROM (SELECT 1 FROM members WHERE archived = 0 AND {} LIMIT {COUNT_CAP})",
        branch.condition
    );
    let count: i64 =
        conn.prepare_cached(&count_sql)?.query_row(params_from_iter(branch.params.iter()), |r| r.get(0))?;
    // The most recent visitors, walking the visit index from the latest:
    // with this many matches they are dense, so the walk is short. Those who
    // never came fill the rest, in any order.
    let recent_sql = format!(
        "SELECT id, last_visit_at FROM members INDEXED BY members_last_visit
         WHERE last_visit_at IS NOT NULL AND archived = 0 AND {}
         ORDER BY last_visit_at DESC LIMIT {limit}",
        branch.condition
    );
    let mut stmt = conn.prepare_cached(&recent_sql)?;
    let rows: Vec<(i64, Option<i64>)> = stmt
        .query_map(params_from_iter(branch.params.iter()), |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let visitors = rows.len();
    for (id, last) in rows {
        add(found, id, branch.kind, last);
    }
    if visitors < limit {
        let never_sql = format!(
            "SELECT id FROM members WHERE last_visit_at IS NULL AND archived = 0 AND {} LIMIT {}",
            branch.condition,
            limit - visitors
        );
        let mut stmt = conn.prepare_cached(&never_sql)?;
        let ids = stmt.query_map(params_from_iter(branch.params.iter()), |r| r.get::<_, i64>(0))?;
        for id in ids {
            add(found, id?, branch.kind, None);
        }
    }
    Ok(count)
}

fn range(column: &str) -> String {
    format!("{column} >= ? AND {column} < ?")
}

fn range_params(prefix: &str) -> Vec<Value> {
    vec![Value::Text(prefix.to_string()), Value::Text(prefix_end(prefix))]
}

/// The partial-match branches a query asks for.
fn branches(q: &Query) -> Vec<Branch> {
    let mut out = Vec::new();
    let phone_branches = |digits: &str, name: Option<&str>, out: &mut Vec<Branch>| {
        let rev: String = digits.chars().rev().collect();
        let name_filter = if name.is_some() { " AND instr(name_fold, ?) > 0" } else { "" };
        let with_name = |mut p: Vec<Value>| {
            if let Some(n) = name {
                p.push(Value::Text(n.to_string()));
            }
            p
        };
        out.push(Branch {
            kind: MatchKind::PhoneSuffix,
            condition: format!("{}{name_filter}", range("phone_rev")),
            params: with_name(range_params(&rev)),
        });
        out.push(Branch {
            kind: MatchKind::PhonePrefix,
            condition: format!("{}{name_filter}", range("phone_digits")),
            params: with_name(range_params(digits)),
        });
    };
    if let Some(digits) = &q.digits {
        if digits.len() >= 3 {
            phone_branches(digits, None, &mut out);
        }
        return out;
    }
    if let Some((name, digits)) = &q.name_and_digits {
        phone_branches(digits, Some(name), &mut out);
        return out;
    }
    let folded = q.text.to_lowercase();
    out.push(Branch { kind: MatchKind::NamePrefix, condition: range("name_fold"), params: range_params(&folded) });
    let rev: String = folded.chars().rev().collect();
    out.push(Branch { kind: MatchKind::Name, condition: range("name_rev"), params: range_params(&rev) });
    if q.text.chars().count() >= 3 {
        let phrase = format!("\"{}\"", q.text.replace('"', "\"\""));
        out.push(Branch {
            kind: MatchKind::Name,
            condition: "id IN (SELECT rowid FROM members_fts WHERE members_fts MATCH ?)".into(),
            params: vec![Value::Text(phrase)],
        });
    }
    out
}

impl Store {
    /// Finds members for the cashier's search box (see the module's
    /// documentation for the order). Archived members are found only by an
    /// exact match (member number, card code, whole phone) or their whole
    /// name, flagged, so the card can be opened to restore them. Input is
    /// folded first: full-width digits and letters find the same members.
    pub fn find_members(&self, query: &str, limit: usize) -> Result<MemberLookup> {
        let conn = self.conn();
        let q = Query::parse(query);
        let none = MemberLookup { hits: Vec::new(), matched: 0, matched_at_least: false };
        if q.text.is_empty() {
            return Ok(none);
        }
        let limit = limit.clamp(1, 200);
        let mut found: HashMap<i64, Candidate> = HashMap::new();

        let code = q.text.to_ascii_uppercase();
        exact(conn, "SELECT id, last_visit_at FROM members WHERE card_code = ?1", &code, MatchKind::Exact, &mut found)?;
        exact(conn, "SELECT id, last_visit_at FROM members WHERE member_no = ?1", &code, MatchKind::Exact, &mut found)?;
        if super::has_import_schema(conn)? {
            // The member number the shop's old system gave.
            let sql = "SELECT id, last_visit_at FROM members WHERE old_member_no = ?1";
            exact(conn, sql, &code, MatchKind::Exact, &mut found)?;
        }
        if let Some((member_no, kind)) = q.member_no() {
            let sql = "SELECT id, last_visit_at FROM members WHERE member_no = ?1";
            exact(conn, sql, &member_no, kind, &mut found)?;
        }
        if q.digits.is_some() {
            if let Ok(digits) = crate::phone::normalize_phone(&q.text) {
                let sql = "SELECT id, last_visit_at FROM members WHERE phone_digits = ?1";
                exact(conn, sql, &digits, MatchKind::Exact, &mut found)?;
            }
        } else if q.name_and_digits.is_none() {
            // The whole name finds an archived member too (ranked as a name).
            let sql = "SELECT id, last_visit_at FROM members WHERE name_fold = ?1";
            exact(conn, sql, &q.text.to_lowercase(), MatchKind::NamePrefix, &mut found)?;
        }

        // Every candidate is in `found` unless a branch was too large to
        // read whole. Then its count is exact when nothing else matched;
        // otherwise overlapping branches cannot be told apart cheaply, and
        // the count is "at least" the largest one.
        let exact_matches = found.len();
        let counts: Vec<i64> =
            branches(&q).iter().map(|branch| run_branch(conn, branch, limit, &mut found)).collect::<Result<_>>()?;
        let largest = counts.iter().copied().max().unwrap_or(0);
        let (matched, matched_at_least) = if largest <= CANDIDATES_PER_BRANCH as i64 {
            (found.len() as i64, false)
        } else if exact_matches == 0 && counts.iter().filter(|c| **c > 0).count() == 1 {
            (largest, largest >= COUNT_CAP)
        } else {
            (largest.max(found.len() as i64), true)
        };

        let mut order: Vec<(i64, Candidate)> = found.into_iter().collect();
        order.sort_by(|(a_id, a), (b_id, b)| {
            a.kind.cmp(&b.kind).then(b.last_visit_at.cmp(&a.last_visit_at)).then(a_id.cmp(b_id))
        });
        order.truncate(limit);
        let mut stmt = conn.prepare_cached(
            "SELECT id, member_no, name, phone, wallet_paid_minor + wallet_bonus_minor, last_visit_at, archived
             FROM members WHERE id = ?1",
        )?;
        let mut hits = Vec::with_capacity(order.len());
        for (id, candidate) in order {
            let hit = stmt.query_row([id], |r| {
                Ok(MemberHit {
                    id: r.get(0)?,
                    member_no: r.get(1)?,
                    name: r.get(2)?,
                    phone: r.get(3)?,
                    match_kind: candidate.kind,
                    wallet_total_minor: r.get(4)?,
                    last_visit_at: r.get(5)?,
                    archived: r.get(6)?,
                })
            })?;
            hits.push(hit);
        }
        // A cashier sees phones masked in a list of results, whole only on
        // the card they open (privacy: the till is shared).
        if self.session().is_some_and(|s| s.role() == crate::staff::Role::Cashier) {
            for hit in &mut hits {
                hit.phone = hit
                    .phone
                    .as_deref()
                    .map(|p| crate::phone::mask_phone(&p.chars().filter(char::is_ascii_digit).collect::<String>()));
            }
        }
        Ok(MemberLookup { hits, matched, matched_at_least })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_digits_are_a_member_number_only_when_whole() {
        let member_no = |q: &str| Query::parse(q).member_no();
        let bare = |no: &str| Some((no.to_string(), MatchKind::MemberNumber));
        let with_m = |no: &str| Some((no.to_string(), MatchKind::Exact));
        assert_eq!(member_no("0001"), None, "the last four digits of a phone");
        assert_eq!(member_no("2345"), None);
        assert_eq!(member_no("000002"), bare("M000002"));
        assert_eq!(member_no("1000001"), bare("M1000001"));
        assert_eq!(member_no("M2"), with_m("M000002"));
        assert_eq!(member_no("m000002"), with_m("M000002"));
        assert_eq!(member_no("ｍ０００００２"), with_m("M000002"));
        assert_eq!(member_no("M0"), None);
        assert_eq!(member_no("林"), None);
    }

    #[test]
    fn a_name_with_digits_is_split_into_both() {
        let q = Query::parse("林 2345");
        assert_eq!(q.name_and_digits, Some(("林".into(), "2345".into())));
        let q = Query::parse("Alice Chen 0912-345");
        assert_eq!(q.name_and_digits, Some(("alice chen".into(), "0912345".into())));
        assert_eq!(Query::parse("０９１２ ３４５ ６７８").digits.as_deref(), Some("0912345678"));
        assert_eq!(Query::parse("林 12").name_and_digits, None, "two digits are too few to narrow");
    }
}
