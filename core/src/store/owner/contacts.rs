//! Who was contacted, how, and whether they came back (the win-back report).

use super::*;
use crate::store::load_settings;
use crate::store::Store;

pub(super) fn contact_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Contact, String, String)> {
    Ok((
        Contact {
            id: r.get(0)?,
            member_id: r.get(1)?,
            channel: ContactChannel::Other,
            outcome: ContactOutcome::Other,
            note: r.get(4)?,
            cashier: r.get(5)?,
            contacted_at: r.get(6)?,
        },
        r.get(2)?,
        r.get(3)?,
    ))
}

pub(super) fn finish_contact((mut c, channel, outcome): (Contact, String, String)) -> Result<Contact> {
    c.channel = ContactChannel::parse(&channel)?;
    c.outcome = ContactOutcome::parse(&outcome)?;
    Ok(c)
}

pub(super) const CONTACT_COLUMNS: &str = "id, member_id, channel, outcome, note, cashier, contacted_at";

pub(super) fn load_contact(conn: &Connection, request_id: &str) -> Result<Contact> {
    finish_contact(conn.query_row(
        &format!("SELECT {CONTACT_COLUMNS} FROM member_contacts WHERE request_id = ?1"),
        [request_id],
        contact_from_row,
    )?)
}

/// The member's latest contact, if any.
pub(crate) fn last_contact(conn: &Connection, member_id: i64) -> Result<Option<Contact>> {
    Ok(contacts_of(conn, member_id, 1)?.into_iter().next())
}

pub(super) fn contacts_of(conn: &Connection, member_id: i64, limit: i64) -> Result<Vec<Contact>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CONTACT_COLUMNS} FROM member_contacts WHERE member_id = ?1 ORDER BY contacted_at DESC, id DESC LIMIT ?2"
    ))?;
    let rows = stmt.query_map([member_id, limit], contact_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter().map(finish_contact).collect()
}

impl Store {
    // --- win-back ---

    /// Appends to the contact log. Idempotent by request id.
    pub fn record_contact(&mut self, req: &ContactRequest, now: DateTime<Utc>) -> Result<Contact> {
        crate::request::check_request_id(&req.request_id)?;
        let note = req.note.trim().to_string();
        check_len("note", &note, 500)?;
        self.write(Act::Contact, now, |tx, guard| {
            let existing: Option<i64> = tx
                .query_row("SELECT member_id FROM member_contacts WHERE request_id = ?1", [&req.request_id], |r| {
                    r.get(0)
                })
                .optional()?;
            if let Some(member) = existing {
                if member != req.member_id {
                    return Err(Error::RequestIdReused(req.request_id.clone()));
                }
                guard.replayed();
                return load_contact(tx, &req.request_id);
            }
            let cashier = guard.signature(&req.cashier)?.name;
            guard.member(req.member_id);
            guard.request(&req.request_id);
            crate::store::members::load_member(tx, req.member_id)?;
            tx.execute(
                "INSERT INTO member_contacts (request_id, member_id, channel, outcome, note, cashier, contacted_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    req.request_id,
                    req.member_id,
                    req.channel.as_db(),
                    req.outcome.as_db(),
                    note,
                    cashier,
                    now.timestamp_millis()
                ],
            )?;
            load_contact(tx, &req.request_id)
        })
    }

    /// A member's contact log, newest first.
    pub fn contacts(&self, member_id: i64) -> Result<Vec<Contact>> {
        contacts_of(self.conn(), member_id, 1000)
    }

    /// Members first contacted within `from..=to` (shop days) and whether
    /// they came back within `within_days` days of that contact.
    pub fn win_back(&self, from: NaiveDate, to: NaiveDate, within_days: i64) -> Result<WinBackReport> {
        if !(1..=366).contains(&within_days) {
            return Err(Error::InvalidInput { field: "days", reason: Reason::Range { min: 1, max: 366 } });
        }
        let conn = self.conn();
        let shop = load_settings(conn)?;
        let (start, _) = shop.day_bounds_ms(from);
        let (_, end) = shop.day_bounds_ms(to);
        let mut stmt = conn.prepare(
            "SELECT c.member_id, m.member_no, m.name, MIN(c.contacted_at), c.channel, c.outcome
             FROM member_contacts c JOIN members m ON m.id = c.member_id
             WHERE c.contacted_at >= ?1 AND c.contacted_at < ?2
             GROUP BY c.member_id ORDER BY MIN(c.contacted_at), c.member_id",
        )?;
        let firsts = stmt
            .query_map([start, end], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut sales = conn.prepare(
            "SELECT MIN(r.created_at), count(*), COALESCE(SUM(r.total_minor), 0) FROM receipts r
             WHERE r.member_id = ?1 AND r.kind = 'sale' AND r.created_at > ?2 AND r.created_at <= ?3
               AND NOT EXISTS (SELECT 1 FROM receipts v WHERE v.voids_receipt_id = r.id)",
        )?;
        // The first coupon redeemed on a return sale in the window, if any.
        let with_coupons = crate::store::has_coupon_schema(conn)?;
        let mut coupon = conn.prepare(if with_coupons {
            "SELECT d.code FROM receipts r JOIN receipt_discounts d ON d.receipt_id = r.id AND d.coupon_id IS NOT NULL
             WHERE r.member_id = ?1 AND r.kind = 'sale' AND r.created_at > ?2 AND r.created_at <= ?3
               AND NOT EXISTS (SELECT 1 FROM receipts v WHERE v.voids_receipt_id = r.id)
             ORDER BY r.created_at, d.line_no LIMIT 1"
        } else {
            "SELECT NULL WHERE ?1 + ?2 + ?3 IS NULL"
        })?;
        let mut rows = Vec::new();
        for (member_id, member_no, name, at, channel, outcome) in firsts {
            // The channel and outcome of that first contact (SQLite takes the bare
            // columns from the MIN row).
            let (returned_at, visits, spend): (Option<i64>, i64, i64) = sales
                .query_row(params![member_id, at, at + within_days * 86_400_000], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?;
            let coupon_code: Option<String> =
                coupon.query_row(params![member_id, at, at + within_days * 86_400_000], |r| r.get(0)).optional()?;
            rows.push(WinBackRow {
                member_id,
                member_no,
                name,
                contacted_at: at,
                channel: ContactChannel::parse(&channel)?,
                outcome: ContactOutcome::parse(&outcome)?,
                returned_at,
                visits_since: visits,
                spend_since_minor: spend,
                coupon_code,
            });
        }
        let contacted = rows.len() as i64;
        let came_back = rows.iter().filter(|r| r.returned_at.is_some()).count() as i64;
        let came_back_with_coupon = rows.iter().filter(|r| r.coupon_code.is_some()).count() as i64;
        Ok(WinBackReport {
            from,
            to,
            within_days,
            contacted,
            came_back,
            came_back_with_coupon,
            rate_bp: share_bp(came_back, contacted),
            revenue_minor: rows.iter().map(|r| r.spend_since_minor).sum(),
            rows,
        })
    }
}
