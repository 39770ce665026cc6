//! The bench's shop history: members with habits, two years of sales,
//! top-ups and voids written by raw SQL in bulk (the real operations would
//! take hours at a million members), then checked by the core's audit.
#![allow(clippy::disallowed_methods)] // Writes the bench's shop with raw SQL.

use super::*;

/// How a member shops over the two years.
pub(crate) struct Profile {
    pub(crate) join_day: i64,
    pub(crate) stop_day: i64,
    /// Visits before scaling to the requested total (0: never bought).
    pub(crate) weight: f64,
    pub(crate) favourite: usize,
    pub(crate) wallet: bool,
    pub(crate) lapsed: bool,
}

/// What a member holds as the history is written, oldest receipt first.
#[derive(Default, Clone)]
pub(crate) struct Held {
    pub(crate) paid: i64,
    pub(crate) bonus: i64,
    pub(crate) stamps: i64,
    pub(crate) visits: i64,
    pub(crate) spend: i64,
    pub(crate) first: Option<i64>,
    pub(crate) last: Option<i64>,
}

/// The statements of the raw history writer.
pub(crate) struct Writer<'c> {
    pub(crate) receipt: rusqlite::CachedStatement<'c>,
    pub(crate) line: rusqlite::CachedStatement<'c>,
    pub(crate) payment: rusqlite::CachedStatement<'c>,
    pub(crate) stamps: rusqlite::CachedStatement<'c>,
    pub(crate) stamp_ledger: rusqlite::CachedStatement<'c>,
    pub(crate) wallet_ledger: rusqlite::CachedStatement<'c>,
    pub(crate) number: i64,
    pub(crate) program_id: i64,
    pub(crate) product_ids: Vec<i64>,
}

impl<'c> Writer<'c> {
    fn new(conn: &'c Connection, program_id: i64, product_ids: Vec<i64>) -> rusqlite::Result<Self> {
        Ok(Writer {
            receipt: conn.prepare_cached(
                "INSERT INTO receipts (id, number, kind, request_id, member_id, cashier, currency, total_minor,
                   bonus_minor, wallet_paid_before, wallet_bonus_before, wallet_paid_after, wallet_bonus_after,
                   voids_receipt_id, note, created_at)
                 VALUES (?1, ?1, ?2, ?3, ?4, 'bench', 'TWD', ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )?,
            line: conn.prepare_cached(
                "INSERT INTO receipt_lines (receipt_id, line_no, description, quantity, unit_price_minor, amount_minor,
                   earns_stamps, product_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?,
            payment: conn.prepare_cached(
                "INSERT INTO receipt_payments (receipt_id, line_no, method, method_id, amount_minor)
                 VALUES (?1, 1, ?2, CASE ?2 WHEN 'cash' THEN 1 WHEN 'card' THEN 2 END, ?3)",
            )?,
            stamps: conn.prepare_cached(
                "INSERT INTO receipt_stamps (receipt_id, program_id, stamps_before, earned, redeemed, expired, stamps_after)
                 VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6)",
            )?,
            stamp_ledger: conn.prepare_cached(
                "INSERT INTO stamp_ledger (member_id, program_id, receipt_id, kind, delta, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?,
            wallet_ledger: conn.prepare_cached(
                "INSERT INTO wallet_ledger (member_id, receipt_id, kind, paid_delta_minor, bonus_delta_minor, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?,
            number: 0,
            program_id,
            product_ids,
        })
    }

    /// A receipt header with the next gap-free number (its id is the number too).
    #[allow(clippy::too_many_arguments)]
    fn header(
        &mut self,
        kind: &str,
        member: i64,
        total: i64,
        bonus: i64,
        before: (i64, i64),
        after: (i64, i64),
        voids: Option<i64>,
        note: &str,
        at: i64,
    ) -> rusqlite::Result<i64> {
        self.number += 1;
        let n = self.number;
        self.receipt.execute(params![
            n,
            kind,
            format!("bench-{n}"),
            member,
            total,
            bonus,
            before.0,
            before.1,
            after.0,
            after.1,
            voids,
            note,
            at
        ])?;
        Ok(n)
    }

    /// Lines of a sale (or, negated, of its void).
    fn lines(&mut self, receipt: i64, lines: &[(usize, i64)], sign: i64) -> rusqlite::Result<()> {
        for (i, (p, qty)) in lines.iter().enumerate() {
            let (name, price, earns) = PRODUCTS[*p];
            self.line.execute(params![
                receipt,
                i as i64 + 1,
                name,
                sign * qty,
                price,
                sign * qty * price,
                earns,
                self.product_ids[*p]
            ])?;
        }
        Ok(())
    }

    /// The stamp card's movement on a receipt: earned, redeemed (rewards) and a void's reversal.
    fn card(
        &mut self,
        member: i64,
        receipt: i64,
        h: &mut Held,
        earned: i64,
        redeemed: i64,
        at: i64,
    ) -> rusqlite::Result<()> {
        let before = h.stamps;
        let after = before + earned - redeemed * STAMPS_NEEDED;
        self.stamps.execute(params![receipt, self.program_id, before, earned, redeemed, after])?;
        if earned > 0 {
            self.stamp_ledger.execute(params![member, self.program_id, receipt, "earn", earned, at])?;
        }
        if earned < 0 {
            self.stamp_ledger.execute(params![member, self.program_id, receipt, "void", earned, at])?;
        }
        if redeemed > 0 {
            self.stamp_ledger.execute(params![
                member,
                self.program_id,
                receipt,
                "redeem",
                -redeemed * STAMPS_NEEDED,
                at
            ])?;
        }
        h.stamps = after;
        Ok(())
    }

    fn wallet(
        &mut self,
        member: i64,
        receipt: i64,
        kind: &str,
        paid: i64,
        bonus: i64,
        at: i64,
    ) -> rusqlite::Result<()> {
        self.wallet_ledger.execute(params![member, receipt, kind, paid, bonus, at])?;
        Ok(())
    }
}

/// A sale's lines: the member's favourite most of the time, sometimes something to go with it.
pub(crate) fn basket(rng: &mut Rng, favourite: usize) -> Vec<(usize, i64)> {
    let first = if rng.chance(0.75) { favourite } else { rng.below(PRODUCTS.len() as u64) as usize };
    let mut lines = vec![(first, if rng.chance(0.1) { 2 } else { 1 })];
    for _ in 0..rng.below(3) {
        lines.push((8 + rng.below(4) as usize, 1));
    }
    lines
}

pub(crate) fn total_of(lines: &[(usize, i64)]) -> i64 {
    lines.iter().map(|(p, q)| PRODUCTS[*p].1 * q).sum()
}

/// Writes two years of receipts for `profiles` (member ids 1..=n) and the
/// members' derived columns; returns (sales, voided sales, top-ups, receipts).
#[allow(clippy::too_many_lines)]
pub(crate) fn write_history(
    conn: &mut Connection,
    profiles: &[Profile],
    counts: &[u32],
    day0_ms: i64,
    program_id: i64,
    product_ids: Vec<i64>,
    rng: &mut Rng,
) -> rusqlite::Result<(u64, u64, u64, i64)> {
    // Every visit, as (UTC ms, member index), in time order.
    let total: usize = counts.iter().map(|c| *c as usize).sum();
    let mut events: Vec<(i64, u32)> = Vec::with_capacity(total);
    for (i, (p, c)) in profiles.iter().zip(counts).enumerate() {
        let c = i64::from(*c);
        let span = p.stop_day - p.join_day + 1;
        for k in 0..c {
            let at = if k == 0 {
                day0_ms + p.join_day * DAY_MS + 10 * HOUR_MS + rng.below(HOUR_MS as u64) as i64
            } else {
                let day = p.join_day + (((k as f64 + rng.unit()) * span as f64 / c as f64) as i64).min(span - 1);
                day0_ms + day * DAY_MS + 8 * HOUR_MS + rng.below(13 * HOUR_MS as u64) as i64
            };
            events.push((at, i as u32));
        }
    }
    events.sort_unstable();

    let mut held = vec![Held::default(); profiles.len()];
    let (mut sales, mut voided, mut top_ups) = (0u64, 0u64, 0u64);
    let chunk = 200_000;
    for part in events.chunks(chunk) {
        let tx = conn.transaction()?;
        {
            let mut w = Writer::new(&tx, program_id, product_ids.clone())?;
            w.number = tx.query_row("SELECT COALESCE(MAX(number), 0) FROM receipts", [], |r| r.get(0))?;
            for &(at, i) in part {
                let p = &profiles[i as usize];
                let h = &mut held[i as usize];
                let member = i64::from(i) + 1;
                let lines = basket(rng, p.favourite);
                let total = total_of(&lines);
                // Now and then a sale is rung up by mistake and voided at once.
                if rng.chance(0.005) {
                    let wallet = (h.paid, h.bonus);
                    let wrong = w.header("sale", member, total, 0, wallet, wallet, None, "", at)?;
                    w.lines(wrong, &lines, 1)?;
                    w.payment.execute(params![wrong, "cash", total])?;
                    w.card(member, wrong, h, 1, 0, at)?;
                    let void =
                        w.header("void", member, -total, 0, wallet, wallet, Some(wrong), "按錯了", at + 60_000)?;
                    w.lines(void, &lines, -1)?;
                    w.payment.execute(params![void, "cash", -total])?;
                    w.card(member, void, h, -1, 0, at + 60_000)?;
                    voided += 1;
                }
                let at = at + 120_000;
                let mut method = if rng.chance(0.6) { "cash" } else { "card" };
                if p.wallet {
                    if h.paid + h.bonus < total && rng.chance(0.8) {
                        let (paid, bonus) = if rng.chance(0.5) { (1000, 100) } else { (2000, 300) };
                        let before = (h.paid, h.bonus);
                        let after = (h.paid + paid, h.bonus + bonus);
                        let n = w.header("top_up", member, paid, bonus, before, after, None, "", at - 30_000)?;
                        w.payment.execute(params![n, method, paid])?;
                        w.wallet(member, n, "top_up", paid, bonus, at - 30_000)?;
                        (h.paid, h.bonus) = after;
                        top_ups += 1;
                    }
                    if h.paid + h.bonus >= total {
                        method = "stored_value";
                    }
                }
                let before = (h.paid, h.bonus);
                let (from_paid, from_bonus) =
                    if method == "stored_value" { (total.min(h.paid), total - total.min(h.paid)) } else { (0, 0) };
                let after = (h.paid - from_paid, h.bonus - from_bonus);
                let n = w.header("sale", member, total, 0, before, after, None, "", at)?;
                w.lines(n, &lines, 1)?;
                w.payment.execute(params![n, method, total])?;
                if method == "stored_value" {
                    w.wallet(member, n, "spend", -from_paid, -from_bonus, at)?;
                    (h.paid, h.bonus) = after;
                }
                let redeemed = i64::from(h.stamps + 1 >= STAMPS_NEEDED);
                w.card(member, n, h, 1, redeemed, at)?;
                h.visits += 1;
                h.spend += total;
                h.first = Some(h.first.map_or(at, |f| f.min(at)));
                h.last = Some(h.last.map_or(at, |l| l.max(at)));
                sales += 1;
            }
        }
        tx.commit()?;
    }

    let tx = conn.transaction()?;
    {
        let mut member = tx.prepare(
            "UPDATE members SET wallet_paid_minor = ?2, wallet_bonus_minor = ?3, visit_count = ?4, spend_minor = ?5,
               first_visit_at = ?6, last_visit_at = ?7 WHERE id = ?1",
        )?;
        let mut card = tx.prepare("INSERT INTO stamp_cards (member_id, program_id, stamps) VALUES (?1, ?2, ?3)")?;
        let mut contact = tx.prepare(
            "INSERT INTO member_contacts (request_id, member_id, channel, outcome, note, cashier, contacted_at)
             VALUES (?1, ?2, ?3, ?4, '', 'bench', ?5)",
        )?;
        let now_ms = day0_ms + DAYS * DAY_MS;
        for (i, (h, p)) in held.iter().zip(profiles).enumerate() {
            let id = i as i64 + 1;
            if h.visits == 0 && h.stamps == 0 {
                continue;
            }
            member.execute(params![id, h.paid, h.bonus, h.visits, h.spend, h.first, h.last])?;
            card.execute(params![id, program_id, h.stamps])?;
            // The owner has called a fifth of the lapsed customers.
            if let Some(last) = h.last.filter(|_| p.lapsed && rng.chance(0.2)) {
                // Most have not come back since; some came once more after the call.
                let at = if rng.chance(0.3) {
                    last - (3 + rng.below(20) as i64) * DAY_MS
                } else {
                    last + (45 + rng.below(60) as i64) * DAY_MS
                };
                if at < now_ms {
                    let (channel, outcome) =
                        [("phone", "reached"), ("line", "promised_visit"), ("sms", "no_answer")][rng.below(3) as usize];
                    contact.execute(params![format!("bench-contact-{id}"), id, channel, outcome, at])?;
                }
            }
        }
    }
    tx.commit()?;
    let receipts = conn.query_row("SELECT count(*) FROM receipts", [], |r| r.get(0))?;
    Ok((sales, voided, top_ups, receipts))
}
