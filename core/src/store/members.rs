//! Registering, editing and archiving members.

use super::Store;
use crate::error::{Error, Result};
use crate::input::truncate_for_message;
use crate::member::{Birthday, Member, MemberPatch, NewMember, ValidMember};
use crate::staff::Act;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};

pub(crate) const MEMBER_COLUMNS: &str = "m.id, m.member_no, m.name, m.phone, m.email, m.birthday_month, m.birthday_day,
     m.birthday_year, m.notes, m.card_code, m.referred_by, m.joined_at, m.archived, m.tier, m.erased_at";

pub(crate) fn member_from_row(r: &Row<'_>) -> rusqlite::Result<Member> {
    let month: Option<u8> = r.get(5)?;
    let day: Option<u8> = r.get(6)?;
    let year: Option<i32> = r.get(7)?;
    Ok(Member {
        id: r.get(0)?,
        member_no: r.get(1)?,
        name: r.get(2)?,
        phone: r.get(3)?,
        email: r.get(4)?,
        birthday: match (month, day) {
            (Some(month), Some(day)) => Some(Birthday { month, day, year }),
            _ => None,
        },
        notes: r.get(8)?,
        tags: Vec::new(),
        card_code: r.get(9)?,
        referred_by: r.get(10)?,
        joined_at: r.get(11)?,
        archived: r.get(12)?,
        tier: r.get(13)?,
        erased_at: r.get(14)?,
    })
}

pub(crate) fn load_member(conn: &Connection, id: i64) -> Result<Member> {
    let mut member = conn
        .query_row(&format!("SELECT {MEMBER_COLUMNS} FROM members m WHERE m.id = ?1"), [id], member_from_row)
        .optional()?
        .ok_or_else(|| Error::MemberNotFound(id.to_string()))?;
    member.tags = load_tags(conn, id)?;
    Ok(member)
}

/// An erased member's row is kept for its receipts only: it is not
/// restored, edited or erased again.
fn refuse_erased(member: &Member) -> Result<()> {
    match member.erased_at {
        Some(_) => Err(Error::MemberErased(member.member_no.clone())),
        None => Ok(()),
    }
}

fn load_tags(conn: &Connection, id: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached("SELECT tag FROM member_tags WHERE member_id = ?1 ORDER BY tag")?;
    let tags = stmt.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(tags)
}

/// Finds a member by a reference a person would type: member number,
/// phone number, card code, or the internal id as `#123`.
pub(crate) fn resolve_member(conn: &Connection, reference: &str) -> Result<i64> {
    let r = reference.trim();
    let not_found = || Error::MemberNotFound(truncate_for_message(r));
    if r.is_empty() {
        return Err(not_found());
    }
    if let Some(id) = r.strip_prefix('#').and_then(|s| s.parse::<i64>().ok()) {
        return conn
            .query_row("SELECT id FROM members WHERE id = ?1", [id], |row| row.get(0))
            .optional()?
            .ok_or_else(not_found);
    }
    let upper = crate::input::fold_width(r).to_ascii_uppercase();
    let by_no_or_card: Option<i64> = conn
        .query_row(
            "SELECT id FROM members WHERE member_no = ?1 UNION ALL SELECT id FROM members WHERE card_code = ?1 LIMIT 1",
            [&upper],
            |row| row.get(0),
        )
        .optional()?;
    if let Some(id) = by_no_or_card {
        return Ok(id);
    }
    if super::has_import_schema(conn)? {
        let by_old_no: Option<i64> =
            conn.query_row("SELECT id FROM members WHERE old_member_no = ?1", [&upper], |row| row.get(0)).optional()?;
        if let Some(id) = by_old_no {
            return Ok(id);
        }
    }
    if let Ok(digits) = crate::phone::normalize_phone(r) {
        if let Some(id) =
            conn.query_row("SELECT id FROM members WHERE phone_digits = ?1", [&digits], |row| row.get(0)).optional()?
        {
            return Ok(id);
        }
    }
    Err(not_found())
}

fn reversed(s: &str) -> String {
    s.chars().rev().collect()
}

fn fold(s: &str) -> String {
    s.to_lowercase()
}

/// EAN-13 style check digit, so a scanner's misread is caught.
fn ean13_check_digit(first12: &str) -> u32 {
    let sum: u32 = first12
        .chars()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { d } else { d * 3 })
        .sum();
    (10 - sum % 10) % 10
}

/// The card code printed on a new member's card: `29` (in-store range)
/// + the member id on 10 digits + a check digit, 13 digits in all.
pub fn default_card_code(id: i64) -> String {
    let body = format!("29{id:010}");
    format!("{body}{}", ean13_check_digit(&body))
}

fn check_unique(conn: &Connection, v: &ValidMember, except_id: Option<i64>) -> Result<()> {
    if let Some(digits) = &v.phone_digits {
        let other: Option<(i64, String)> = conn
            .query_row("SELECT id, member_no FROM members WHERE phone_digits = ?1", [digits], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        if let Some((id, no)) = other {
            if Some(id) != except_id {
                return Err(Error::DuplicatePhone(v.phone.clone().unwrap_or_default(), no));
            }
        }
    }
    if let Some(code) = &v.card_code {
        let other: Option<(i64, String)> = conn
            .query_row("SELECT id, member_no FROM members WHERE card_code = ?1", [code], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some((id, no)) = other {
            if Some(id) != except_id {
                return Err(Error::DuplicateCardCode(code.clone(), no));
            }
        }
    }
    Ok(())
}

fn write_tags(conn: &Connection, id: i64, tags: &[String]) -> Result<()> {
    conn.execute("DELETE FROM member_tags WHERE member_id = ?1", [id])?;
    let mut stmt = conn.prepare_cached("INSERT INTO member_tags (member_id, tag) VALUES (?1, ?2)")?;
    for t in tags {
        stmt.execute(params![id, t])?;
    }
    Ok(())
}

fn at_row(index: usize, e: Error) -> Error {
    match e {
        Error::Database(_) | Error::Io(_) => e,
        other => Error::InvalidInput { field: "import", reason: format!("row {}: {other}", index + 1).into() },
    }
}

/// Inserts one validated member unless its request id was seen before;
/// returns the member's id either way.
pub(super) fn insert_member(
    tx: &Connection,
    new: &NewMember,
    v: &ValidMember,
    request_id: &str,
    now: DateTime<Utc>,
) -> Result<i64> {
    let existing: Option<i64> =
        tx.query_row("SELECT id FROM members WHERE request_id = ?1", [request_id], |r| r.get(0)).optional()?;
    if let Some(id) = existing {
        return Ok(id);
    }
    check_unique(tx, v, None)?;
    let referred_by = match new.referred_by.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(r) => Some(resolve_member(tx, r)?),
        None => None,
    };
    let id: i64 = tx.query_row("SELECT COALESCE(MAX(id), 0) + 1 FROM members", [], |r| r.get(0))?;
    let member_no = format!("M{id:06}");
    let card_code = v.card_code.clone().unwrap_or_else(|| default_card_code(id));
    let now_ms = now.timestamp_millis();
    let mut stmt = tx.prepare_cached(
        "INSERT INTO members (id, member_no, name, name_fold, name_rev, phone, phone_digits, phone_rev,
           email, birthday_month, birthday_day, birthday_year, notes, card_code, referred_by, joined_at,
           request_id, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?16, ?16)",
    )?;
    stmt.execute(params![
        id,
        member_no,
        v.name,
        fold(&v.name),
        reversed(&fold(&v.name)),
        v.phone,
        v.phone_digits,
        v.phone_digits.as_deref().map(reversed),
        v.email,
        v.birthday.map(|b| b.month),
        v.birthday.map(|b| b.day),
        v.birthday.and_then(|b| b.year),
        v.notes,
        card_code,
        referred_by,
        now_ms,
        request_id,
    ])?;
    write_tags(tx, id, &v.tags)?;
    Ok(id)
}

impl Store {
    /// Registers a member. Repeating the same `request_id` returns the member
    /// registered the first time.
    pub fn add_member(&mut self, new: &NewMember, request_id: &str, now: DateTime<Utc>) -> Result<Member> {
        crate::request::check_request_id(request_id)?;
        let v = new.validate()?;
        self.write(Act::RegisterMember, now, |tx, guard| {
            let id = insert_member(tx, new, &v, request_id, now)?;
            guard.member(id);
            guard.request(request_id);
            // A welcome coupon, when the owner turned it on (once per member:
            // a repeated request finds it issued).
            if let Some(code) = super::auto_coupons::welcome_coupon(tx, id, now)? {
                guard.set("welcomeCoupon", code);
            }
            load_member(tx, id)
        })
    }

    /// Registers many members at once (moving a shop's list in from paper or
    /// a spreadsheet): all or nothing, in one transaction. Row `i` is
    /// registered with request id `{request_id}#{i}`, so importing the same
    /// file again with the same request id adds nothing. An error names the
    /// row (from 1) it came from.
    pub fn import_members(&mut self, rows: &[NewMember], request_id: &str, now: DateTime<Utc>) -> Result<usize> {
        crate::request::check_request_id(request_id)?;
        let valid = rows
            .iter()
            .enumerate()
            .map(|(i, row)| row.validate().map_err(|e| at_row(i, e)))
            .collect::<Result<Vec<_>>>()?;
        self.write(Act::ImportMembers, now, |tx, guard| {
            for (i, (row, v)) in rows.iter().zip(&valid).enumerate() {
                insert_member(tx, row, v, &format!("{request_id}#{}", i + 1), now).map_err(|e| at_row(i, e))?;
            }
            guard.request(request_id);
            guard.set("rows", rows.len());
            Ok(rows.len())
        })
    }

    pub fn member(&self, id: i64) -> Result<Member> {
        load_member(&self.conn, id)
    }

    /// Finds a member by member number, phone, card code or `#id`; failing
    /// those, by a search (last digits of the phone, a name) that has
    /// exactly one result.
    pub fn resolve_member(&self, reference: &str) -> Result<Member> {
        let id = match resolve_member(&self.conn, reference) {
            Ok(id) => id,
            Err(Error::MemberNotFound(r)) => match self.find_members(reference, 2)?.hits.as_slice() {
                [only] => only.id,
                _ => return Err(Error::MemberNotFound(r)),
            },
            Err(e) => return Err(e),
        };
        load_member(&self.conn, id)
    }

    pub fn edit_member(&mut self, id: i64, patch: &MemberPatch, now: DateTime<Utc>) -> Result<Member> {
        self.write(Act::EditMember, now, |tx, guard| {
            let current = load_member(tx, id)?;
            refuse_erased(&current)?;
            guard.member(id);
            guard.set("before", &current);
            let v = patch.apply(&current)?;
            check_unique(tx, &v, Some(id))?;
            tx.execute(
                "UPDATE members SET name = ?2, name_fold = ?3, name_rev = ?4, phone = ?5, phone_digits = ?6,
                   phone_rev = ?7, email = ?8, birthday_month = ?9, birthday_day = ?10, birthday_year = ?11,
                   notes = ?12, card_code = ?13, updated_at = ?14
                 WHERE id = ?1",
                params![
                    id,
                    v.name,
                    fold(&v.name),
                    reversed(&fold(&v.name)),
                    v.phone,
                    v.phone_digits,
                    v.phone_digits.as_deref().map(reversed),
                    v.email,
                    v.birthday.map(|b| b.month),
                    v.birthday.map(|b| b.day),
                    v.birthday.and_then(|b| b.year),
                    v.notes,
                    v.card_code.clone().unwrap_or(current.card_code.clone()),
                    now.timestamp_millis(),
                ],
            )?;
            write_tags(tx, id, &v.tags)?;
            load_member(tx, id)
        })
    }

    /// Archives (or restores) a member. Archived members keep their history
    /// and balances but leave the cashier's search results.
    pub fn set_member_archived(&mut self, id: i64, archived: bool, now: DateTime<Utc>) -> Result<Member> {
        self.write(Act::ArchiveMember, now, |tx, guard| {
            let before = load_member(tx, id)?;
            refuse_erased(&before)?;
            guard.member(id);
            guard.set("before", before);
            tx.execute(
                "UPDATE members SET archived = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, archived, now.timestamp_millis()],
            )?;
            load_member(tx, id)
        })
    }

    /// Erases a member's personal details on their request: name, phone,
    /// email, birthday, notes and tags are wiped and the member shows as
    /// "已刪除會員" (in `language`) under their member number, archived.
    /// Receipts and ledgers stay: the money history is kept. A member still
    /// holding stored value is refused (`MemberHoldsStoredValue`) unless
    /// `forfeit` confirms it is forfeited, which is written first as a
    /// correction of its own (request id `{request_id}-forfeit`); both in one
    /// transaction.
    pub fn erase_member(
        &mut self,
        id: i64,
        forfeit: bool,
        request_id: &str,
        language: crate::language::ReceiptLanguage,
        now: DateTime<Utc>,
    ) -> Result<Member> {
        crate::request::check_request_id(request_id)?;
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        let done = self.erase_member_now(id, forfeit, request_id, language, now);
        let end = if done.is_ok() { "COMMIT" } else { "ROLLBACK" };
        self.conn.execute_batch(end)?;
        done
    }

    fn erase_member_now(
        &mut self,
        id: i64,
        forfeit: bool,
        request_id: &str,
        language: crate::language::ReceiptLanguage,
        now: DateTime<Utc>,
    ) -> Result<Member> {
        let m = load_member(&self.conn, id)?;
        refuse_erased(&m)?;
        let (paid, bonus): (i64, i64) = self.conn.query_row(
            "SELECT wallet_paid_minor, wallet_bonus_minor FROM members WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if paid + bonus > 0 {
            // Checked before the correction, so a cashier is refused the erase itself.
            self.require_read(Act::EraseMember)?;
            if !forfeit {
                return Err(Error::MemberHoldsStoredValue { member_no: m.member_no, balance: paid + bonus });
            }
            let req = crate::AdjustRequest {
                request_id: format!("{request_id}-forfeit"),
                member_id: id,
                paid_delta_minor: -paid,
                bonus_delta_minor: -bonus,
                reason: language.erased_forfeit_reason().into(),
                cashier: String::new(),
            };
            self.adjust_stored_value(&req, now)?;
        }
        let name = language.erased_member();
        self.write(Act::EraseMember, now, |tx, guard| {
            guard.member(id);
            guard.request(request_id);
            guard.set("memberNo", &m.member_no);
            guard.set("forfeited", paid + bonus);
            tx.execute(
                "UPDATE members SET name = ?2, name_fold = ?3, name_rev = ?4, phone = NULL, phone_digits = NULL,
                   phone_rev = NULL, email = NULL, birthday_month = NULL, birthday_day = NULL, birthday_year = NULL,
                   notes = '', card_code = ?5, archived = 1, updated_at = ?6, erased_at = ?6
                 WHERE id = ?1",
                params![id, name, fold(name), reversed(&fold(name)), default_card_code(id), now.timestamp_millis()],
            )?;
            write_tags(tx, id, &[])?;
            load_member(tx, id)
        })
    }

    pub fn member_count(&self) -> Result<i64> {
        Ok(self.conn.query_row("SELECT count(*) FROM members WHERE archived = 0", [], |r| r.get(0))?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_codes_carry_a_valid_check_digit() {
        // 4006381333931 is a well-known valid EAN-13.
        assert_eq!(ean13_check_digit("400638133393"), 1);
        assert_eq!(default_card_code(1), "2900000000018");
        assert_eq!(default_card_code(1).len(), 13);
    }
}
