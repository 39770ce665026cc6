//! The owner's aggregates: the context every computation reads (settings,
//! tiers, time zone), rebuilding them from the receipts, and checking them.

use super::*;
use crate::store::load_settings;
use crate::store::reports::LedgerMismatch;
use crate::store::Store;

// ---------------------------------------------------------------------------
// Aggregates

/// The `owner_quarters` bucket: a quarter hour in UTC ms.
pub(super) const QUARTER_MS: i64 = 900_000;

/// `owner_quarters` from the receipts and the wallet ledger (as migration 0008 builds it).
pub(super) const REBUILD_QUARTERS: &str = "DELETE FROM owner_quarters;
    INSERT INTO owner_quarters (quarter, sales, revenue_minor, wallet_delta_minor)
    SELECT q, SUM(n), SUM(t), SUM(w) FROM (
      SELECT created_at / 900000 AS q, 1 AS n, total_minor AS t, 0 AS w FROM receipts WHERE kind = 'sale'
      UNION ALL
      SELECT o.created_at / 900000, -1, -o.total_minor, 0
      FROM receipts v CROSS JOIN receipts o ON o.id = v.voids_receipt_id WHERE v.kind = 'void' AND o.kind = 'sale'
      UNION ALL
      SELECT created_at / 900000, 0, 0, paid_delta_minor + bonus_delta_minor FROM wallet_ledger)
    GROUP BY q;";

/// What the owner's computations need from the settings.
pub(super) struct Ctx {
    pub(super) cfg: OwnerSettings,
    pub(super) tz: Tz,
    pub(super) time_zone: String,
    pub(super) currency: Currency,
    pub(super) shop_name: String,
    pub(super) tiers: Vec<Tier>,
}

impl Ctx {
    pub(super) fn load(conn: &Connection) -> Result<Ctx> {
        let shop = load_settings(conn)?;
        Ok(Ctx {
            cfg: load_owner_settings(conn)?,
            tz: shop.tz(),
            time_zone: shop.time_zone.clone(),
            currency: shop.currency.clone(),
            shop_name: shop.name.clone(),
            tiers: load_tiers(conn)?,
        })
    }

    pub(super) fn local_date_ms(&self, ms: i64) -> NaiveDate {
        DateTime::from_timestamp_millis(ms).unwrap_or_default().with_timezone(&self.tz).date_naive()
    }

    pub(super) fn today(&self, now: DateTime<Utc>) -> NaiveDate {
        now.with_timezone(&self.tz).date_naive()
    }

    /// The start (UTC ms) of a shop-local date.
    pub(super) fn day_start_ms(&self, date: NaiveDate) -> i64 {
        let naive = date.and_hms_opt(0, 0, 0).unwrap_or_default();
        (0..4)
            .find_map(|h| (naive + Duration::hours(h)).and_local_timezone(self.tz).earliest())
            .map_or_else(|| naive.and_utc().timestamp_millis(), |t| t.with_timezone(&Utc).timestamp_millis())
    }
}

pub(super) fn load_owner_settings(conn: &Connection) -> Result<OwnerSettings> {
    Ok(conn.query_row(
        "SELECT new_days, s1_days, s2_days, s3_days, s1_pct, s2_pct, s3_pct, min_gap_days, min_history_visits,
                tier_basis, tier_window_months, birthday_template
         FROM owner_settings WHERE id = 1",
        [],
        |r| {
            Ok(OwnerSettings {
                new_days: r.get(0)?,
                s1_days: r.get(1)?,
                s2_days: r.get(2)?,
                s3_days: r.get(3)?,
                s1_pct: r.get(4)?,
                s2_pct: r.get(5)?,
                s3_pct: r.get(6)?,
                min_gap_days: r.get(7)?,
                min_history_visits: r.get(8)?,
                tier_basis: TierBasis::from_db(&r.get::<_, String>(9)?),
                tier_window_months: r.get(10)?,
                birthday_template: r.get(11)?,
            })
        },
    )?)
}

pub(super) fn load_tiers(conn: &Connection) -> Result<Vec<Tier>> {
    let mut stmt =
        conn.prepare_cached("SELECT name, rank, min_spend_minor, points_multiplier_pct FROM tiers ORDER BY rank")?;
    let tiers = stmt
        .query_map([], |r| {
            Ok(Tier { name: r.get(0)?, rank: r.get(1)?, min_spend_minor: r.get(2)?, points_multiplier_pct: r.get(3)? })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(tiers)
}

/// Builds the aggregates when they are missing or were kept in another
/// time zone (an upgraded database, a changed zone); a no-op otherwise.
pub(crate) fn refresh_aggregates(conn: &Connection) -> Result<()> {
    ensure_aggregates(conn, &Ctx::load(conn)?).map(|_| ())
}

/// Whether the aggregates need building (see [`refresh_aggregates`]).
pub(crate) fn aggregates_stale(conn: &Connection) -> Result<bool> {
    let (ready, zone, shop_zone): (bool, Option<String>, String) = conn.query_row(
        "SELECT o.aggregates_ready, o.aggregates_time_zone, s.time_zone
         FROM owner_settings o, shop_settings s WHERE o.id = 1 AND s.id = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    Ok(!ready || zone.as_deref() != Some(shop_zone.as_str()))
}

/// Builds every member's aggregates when [`aggregates_stale`]. True when it did.
pub(super) fn ensure_aggregates(conn: &Connection, ctx: &Ctx) -> Result<bool> {
    if !aggregates_stale(conn)? {
        return Ok(false);
    }
    rebuild_all(conn, ctx)?;
    Ok(true)
}

/// The member's unvoided sales, oldest first: (created_at, total).
pub(super) const MEMBER_SALES: &str = "SELECT r.created_at, r.total_minor FROM receipts r
     WHERE r.member_id = ?1 AND r.kind = 'sale' AND NOT EXISTS (SELECT 1 FROM receipts v WHERE v.voids_receipt_id = r.id)
     ORDER BY r.created_at, r.id";

pub(super) const MEMBER_PRODUCT_DAYS: &str = "SELECT DISTINCT l.product_id, r.created_at FROM receipts r
     JOIN receipt_lines l ON l.receipt_id = r.id
     WHERE r.member_id = ?1 AND r.kind = 'sale' AND l.product_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM receipts v WHERE v.voids_receipt_id = r.id)";

/// A member's purchase summary brought in by an import (schema 17 on):
/// first and last purchase day, purchases, spend.
fn imported_summary(conn: &Connection, member_id: i64) -> Result<Option<(NaiveDate, NaiveDate, i64, i64)>> {
    if !crate::store::has_import_schema(conn)? {
        return Ok(None);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT first_purchase_on, last_purchase_on, purchases, spend_minor FROM member_history_summaries
         WHERE member_id = ?1",
    )?;
    let row: Option<(String, String, i64, i64)> =
        stmt.query_row([member_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).optional()?;
    Ok(row.and_then(|(f, l, n, s)| Some((f.parse().ok()?, l.parse().ok()?, n, s))))
}

/// A member's aggregates computed from their receipts, after the purchase
/// summary an import brought in (`analytics::visits::imported_visits`).
pub(super) fn compute_member(conn: &Connection, ctx: &Ctx, member_id: i64) -> Result<(VisitSummary, RecentMonths)> {
    let mut stmt = conn.prepare_cached(MEMBER_SALES)?;
    let sales = stmt
        .query_map([member_id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let dates: Vec<(NaiveDate, i64)> = sales.iter().map(|(at, total)| (ctx.local_date_ms(*at), *total)).collect();
    let (mut visits, mut months) = match imported_summary(conn, member_id)? {
        Some((first, last, purchases, spend)) => {
            crate::analytics::visits::imported_visits(first, last, purchases, spend)
        }
        None => (VisitSummary::default(), Vec::new()),
    };
    let mut days: Vec<i64> = dates.iter().map(|(d, _)| day_number(*d)).collect();
    days.sort_unstable();
    for day in days {
        // A sale on or before the last imported day is counted in the summary.
        visits.add_day(day);
    }
    months.extend(dates.iter().map(|(d, t)| (month_number(*d), *t)));
    Ok((visits, RecentMonths::from_sales(months)))
}

/// Recomputes the aggregates of the members an import brought a purchase
/// summary for (when the aggregates are built; otherwise the next build
/// counts them).
pub(crate) fn after_import(conn: &Connection, import_id: i64) -> Result<()> {
    if aggregates_stale(conn)? {
        return Ok(());
    }
    let ctx = Ctx::load(conn)?;
    let mut stmt = conn.prepare("SELECT member_id FROM member_history_summaries WHERE import_id = ?1")?;
    let ids = stmt.query_map([import_id], |r| r.get::<_, i64>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    for id in ids {
        recompute_member(conn, &ctx, id)?;
    }
    Ok(())
}

pub(super) fn compute_member_products(
    conn: &Connection,
    ctx: &Ctx,
    member_id: i64,
) -> Result<BTreeMap<i64, VisitSummary>> {
    let mut stmt = conn.prepare_cached(MEMBER_PRODUCT_DAYS)?;
    let rows = stmt
        .query_map([member_id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut days: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for (product, at) in rows {
        days.entry(product).or_default().push(day_number(ctx.local_date_ms(at)));
    }
    Ok(days.into_iter().map(|(p, d)| (p, VisitSummary::from_days(d))).collect())
}

pub(super) fn recompute_member(conn: &Connection, ctx: &Ctx, member_id: i64) -> Result<()> {
    let (v, m) = compute_member(conn, ctx, member_id)?;
    if v.visit_days == 0 {
        conn.execute("DELETE FROM member_stats WHERE member_id = ?1", [member_id])?;
        return Ok(());
    }
    write_stats(conn, member_id, &v, &m)
}

pub(super) fn recompute_member_products(conn: &Connection, ctx: &Ctx, member_id: i64) -> Result<()> {
    conn.execute("DELETE FROM member_product_stats WHERE member_id = ?1", [member_id])?;
    for (product_id, v) in compute_member_products(conn, ctx, member_id)? {
        write_product_stats(conn, member_id, product_id, &v)?;
    }
    Ok(())
}

pub(super) fn rebuild_all(conn: &Connection, ctx: &Ctx) -> Result<()> {
    conn.execute("DELETE FROM member_stats", [])?;
    conn.execute("DELETE FROM member_product_stats", [])?;
    let ids: Vec<i64> = {
        let sql = if crate::store::has_import_schema(conn)? {
            "SELECT member_id FROM receipts WHERE kind = 'sale' UNION SELECT member_id FROM member_history_summaries"
        } else {
            "SELECT DISTINCT member_id FROM receipts WHERE kind = 'sale'"
        };
        let mut stmt = conn.prepare(sql)?;
        let ids = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
        ids
    };
    for id in ids {
        recompute_member(conn, ctx, id)?;
        for (product_id, v) in compute_member_products(conn, ctx, id)? {
            write_product_stats(conn, id, product_id, &v)?;
        }
    }
    conn.execute(
        "UPDATE owner_settings SET aggregates_ready = 1, aggregates_time_zone = ?1 WHERE id = 1",
        [&ctx.time_zone],
    )?;
    Ok(())
}

pub(super) fn load_stats(conn: &Connection, member_id: i64) -> Result<Option<(VisitSummary, RecentMonths)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT visit_days, first_day, last_day, recent_gaps, recent_months FROM member_stats WHERE member_id = ?1",
    )?;
    Ok(stmt
        .query_row([member_id], |r| {
            Ok((
                VisitSummary {
                    visit_days: r.get(0)?,
                    first_day: r.get(1)?,
                    last_day: r.get(2)?,
                    recent_gaps: VisitSummary::parse_gaps(&r.get::<_, String>(3)?),
                },
                RecentMonths::parse(&r.get::<_, String>(4)?),
            ))
        })
        .optional()?)
}

pub(super) fn write_stats(conn: &Connection, member_id: i64, v: &VisitSummary, m: &RecentMonths) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO member_stats (member_id, visit_days, first_day, last_day, gap_sum_days, recent_gaps, recent_months,
           median_gap)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (member_id) DO UPDATE SET visit_days = excluded.visit_days, first_day = excluded.first_day,
           last_day = excluded.last_day, gap_sum_days = excluded.gap_sum_days, recent_gaps = excluded.recent_gaps,
           recent_months = excluded.recent_months, median_gap = excluded.median_gap",
    )?;
    stmt.execute(params![
        member_id,
        v.visit_days,
        v.first_day,
        v.last_day,
        v.gap_sum_days(),
        v.gaps_text(),
        m.to_text(),
        v.median_gap()
    ])?;
    Ok(())
}

pub(super) fn load_product_stats(conn: &Connection, member_id: i64, product_id: i64) -> Result<Option<VisitSummary>> {
    let mut stmt = conn.prepare_cached(
        "SELECT visit_days, first_day, last_day, recent_gaps FROM member_product_stats
         WHERE member_id = ?1 AND product_id = ?2",
    )?;
    Ok(stmt
        .query_row([member_id, product_id], |r| {
            Ok(VisitSummary {
                visit_days: r.get(0)?,
                first_day: r.get(1)?,
                last_day: r.get(2)?,
                recent_gaps: VisitSummary::parse_gaps(&r.get::<_, String>(3)?),
            })
        })
        .optional()?)
}

pub(super) fn write_product_stats(conn: &Connection, member_id: i64, product_id: i64, v: &VisitSummary) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO member_product_stats (member_id, product_id, visit_days, first_day, last_day, gap_sum_days, recent_gaps)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (member_id, product_id) DO UPDATE SET visit_days = excluded.visit_days,
           first_day = excluded.first_day, last_day = excluded.last_day, gap_sum_days = excluded.gap_sum_days,
           recent_gaps = excluded.recent_gaps",
    )?;
    stmt.execute(params![
        member_id,
        product_id,
        v.visit_days,
        v.first_day,
        v.last_day,
        v.gap_sum_days(),
        v.gaps_text()
    ])?;
    Ok(())
}

/// The quarter hours whose kept sales, revenue or stored-value movement
/// (`owner_quarters`) differ from the receipts and the wallet ledger.
pub(super) fn quarter_mismatches(conn: &Connection) -> Result<Vec<LedgerMismatch>> {
    type Figures = (i64, i64, i64);
    let read = |sql: &str| -> Result<BTreeMap<i64, Figures>> {
        let mut stmt = conn.prepare(sql)?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, (r.get(1)?, r.get(2)?, r.get(3)?))))?
            .collect::<rusqlite::Result<Vec<(i64, Figures)>>>()?;
        Ok(rows.into_iter().filter(|(_, f)| *f != (0, 0, 0)).collect())
    };
    let stored = read("SELECT quarter, sales, revenue_minor, wallet_delta_minor FROM owner_quarters")?;
    let expected = read(
        "SELECT q, SUM(n), SUM(t), SUM(w) FROM (
           SELECT created_at / 900000 AS q, 1 AS n, total_minor AS t, 0 AS w FROM receipts WHERE kind = 'sale'
           UNION ALL
           SELECT o.created_at / 900000, -1, -o.total_minor, 0
           FROM receipts v CROSS JOIN receipts o ON o.id = v.voids_receipt_id WHERE v.kind = 'void' AND o.kind = 'sale'
           UNION ALL
           SELECT created_at / 900000, 0, 0, paid_delta_minor + bonus_delta_minor FROM wallet_ledger)
         GROUP BY q",
    )?;
    let quarters: BTreeSet<i64> = stored.keys().chain(expected.keys()).copied().collect();
    let mut out = Vec::new();
    for q in quarters {
        let (kept, receipts) = (stored.get(&q).copied(), expected.get(&q).copied());
        if kept != receipts {
            out.push(LedgerMismatch {
                member_id: 0,
                what: format!(
                    "owner quarter {q} (from {} UTC ms): stored {kept:?}, receipts say {receipts:?}",
                    q * QUARTER_MS
                ),
                stored: kept.map_or(0, |k| k.1),
                ledger: receipts.map_or(0, |r| r.1),
            });
        }
    }
    Ok(out)
}

impl Store {
    /// Runs `f` with the aggregates built (they are built at open, after
    /// an upgrade, and when the time zone changes), in one read transaction:
    /// a list's several queries see one moment even while the counter's
    /// connection commits sales beside it.
    pub(super) fn with_aggregates<T>(&self, f: impl FnOnce(&Connection, &Ctx) -> Result<T>) -> Result<T> {
        self.require_read(Act::OwnerLists)?;
        let conn = self.conn();
        // Normally built at open and kept at checkout; another program may
        // have changed the zone since this store was opened.
        if aggregates_stale(conn)? {
            conn.execute_batch("BEGIN IMMEDIATE")?;
            match ensure_aggregates(conn, &Ctx::load(conn)?) {
                Ok(_) => conn.execute_batch("COMMIT")?,
                Err(e) => {
                    let _ = conn.execute_batch("ROLLBACK");
                    return Err(e);
                }
            }
        }
        // Only reads follow; the transaction ends (rolled back) when dropped.
        let snapshot = if conn.is_autocommit() { Some(conn.unchecked_transaction()?) } else { None };
        let ctx = Ctx::load(conn)?;
        let out = f(conn, &ctx);
        drop(snapshot);
        out
    }

    pub fn owner_settings(&self) -> Result<OwnerSettings> {
        load_owner_settings(self.conn())
    }

    /// Changes the owner's thresholds and tier basis. Tiers are not moved
    /// here: the next checkout upgrades, [`Store::apply_tier_review`] moves both ways.
    pub fn update_owner_settings(&mut self, patch: &OwnerSettingsPatch, now: DateTime<Utc>) -> Result<OwnerSettings> {
        self.write(Act::OwnerSettings, now, |tx, guard| {
            let current = load_owner_settings(tx)?;
            guard.set("before", &current);
            let next = patch.apply(&current)?;
            tx.execute(
                "UPDATE owner_settings SET new_days = ?1, s1_days = ?2, s2_days = ?3, s3_days = ?4, s1_pct = ?5,
                   s2_pct = ?6, s3_pct = ?7, min_gap_days = ?8, min_history_visits = ?9, tier_basis = ?10,
                   tier_window_months = ?11, birthday_template = ?12, updated_at = ?13 WHERE id = 1",
                params![
                    next.new_days,
                    next.s1_days,
                    next.s2_days,
                    next.s3_days,
                    next.s1_pct,
                    next.s2_pct,
                    next.s3_pct,
                    next.min_gap_days,
                    next.min_history_visits,
                    next.tier_basis.as_db(),
                    next.tier_window_months,
                    next.birthday_template,
                    now.timestamp_millis()
                ],
            )?;
            Ok(next)
        })
    }

    // --- consistency ---

    /// Rebuilds every member's aggregates and the quarter hours' sales
    /// (`owner_quarters`) from the receipts.
    pub fn rebuild_owner_aggregates(&mut self, now: DateTime<Utc>) -> Result<()> {
        self.write(Act::RebuildAggregates, now, |tx, _| {
            tx.execute_batch(REBUILD_QUARTERS)?;
            rebuild_all(tx, &Ctx::load(tx)?)
        })
    }

    /// Where the kept aggregates differ from a recomputation from the
    /// receipts. Empty when all is well.
    pub fn owner_aggregate_mismatches(&self) -> Result<Vec<LedgerMismatch>> {
        let conn = self.conn();
        let ctx = Ctx::load(conn)?;
        let ready: bool =
            conn.query_row("SELECT aggregates_ready FROM owner_settings WHERE id = 1", [], |r| r.get(0))?;
        let mut out = quarter_mismatches(conn)?;
        if !ready {
            return Ok(out);
        }
        out.extend(median_gap_mismatches(conn)?);
        let ids: Vec<i64> = {
            let mut stmt = conn.prepare("SELECT id FROM members ORDER BY id")?;
            let ids = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
            ids
        };
        for id in ids {
            let stored = load_stats(conn, id)?;
            let (v, m) = compute_member(conn, &ctx, id)?;
            let expected = if v.visit_days == 0 { None } else { Some((v, m)) };
            if stored != expected {
                out.push(LedgerMismatch {
                    member_id: id,
                    what: format!("owner aggregates: stored {stored:?}, receipts say {expected:?}"),
                    stored: stored.map_or(0, |s| s.0.visit_days),
                    ledger: expected.map_or(0, |s| s.0.visit_days),
                });
            }
            let mut stmt = conn.prepare_cached("SELECT product_id FROM member_product_stats WHERE member_id = ?1")?;
            let stored_products: BTreeMap<i64, VisitSummary> = stmt
                .query_map([id], |r| r.get::<_, i64>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?
                .into_iter()
                .map(|p| Ok((p, load_product_stats(conn, id, p)?.unwrap_or_default())))
                .collect::<Result<_>>()?;
            let expected_products = compute_member_products(conn, &ctx, id)?;
            if stored_products != expected_products {
                out.push(LedgerMismatch {
                    member_id: id,
                    what: format!("product aggregates: stored {stored_products:?}, receipts say {expected_products:?}"),
                    stored: stored_products.len() as i64,
                    ledger: expected_products.len() as i64,
                });
            }
        }
        Ok(out)
    }
}

/// Members whose stored median gap is not the median of their stored gaps
/// (the figures read the one, the member's card and the lists the other).
fn median_gap_mismatches(conn: &Connection) -> Result<Vec<LedgerMismatch>> {
    let mut stmt = conn.prepare("SELECT member_id, recent_gaps, median_gap FROM member_stats ORDER BY member_id")?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let gaps = VisitSummary::parse_gaps(&r.get::<_, String>(1)?);
        let stored: Option<i64> = r.get(2)?;
        let expected = crate::analytics::median(&gaps);
        if stored != expected {
            out.push(LedgerMismatch {
                member_id: r.get(0)?,
                what: format!("owner aggregates: median gap stored {stored:?}, the gaps {gaps:?} say {expected:?}"),
                stored: stored.unwrap_or(0),
                ledger: expected.unwrap_or(0),
            });
        }
    }
    Ok(out)
}
