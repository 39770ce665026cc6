//! The scan every list starts from: each member's figures, read once, and
//! the page a list shows.

use super::aggregates::*;
use super::*;
use crate::store::Store;

// ---------------------------------------------------------------------------
// The scan behind every list

/// One scanned member, with the values its list needs.
pub(super) struct Scanned {
    pub(super) row: MemberRow,
    pub(super) typical_gap: Option<i64>,
    pub(super) last_day: Option<i64>,
}

/// What a scan reads besides the figures every list needs. A list of
/// 100,000 members sorts on figures; the names and the spend in the tier
/// window are read for the rows on the page only ([`finish_page`]).
#[derive(Debug, Clone, Copy)]
pub(super) struct Detail {
    /// Member number, name, phone and tier.
    pub(super) names: bool,
    /// The spend in the tier window (parses the recent months).
    pub(super) window: bool,
}

pub(super) const FIGURES: Detail = Detail { names: false, window: false };

pub(super) const EVERYTHING: Detail = Detail { names: true, window: true };

/// Adds the filter's tiers and tags to a query of `members m`; returns their values.
pub(super) fn push_filter(sql: &mut String, filter: &ListFilter) -> Vec<Value> {
    let mut values: Vec<Value> = Vec::new();
    let placeholders = |n: usize| vec!["?"; n].join(", ");
    if !filter.tiers.is_empty() {
        sql.push_str(&format!(" AND m.tier IN ({})", placeholders(filter.tiers.len())));
        values.extend(filter.tiers.iter().map(|t| Value::Text(t.trim().to_string())));
    }
    if !filter.tags.is_empty() {
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM member_tags t WHERE t.member_id = m.id AND t.tag IN ({}))",
            placeholders(filter.tags.len())
        ));
        values.extend(filter.tags.iter().map(|t| Value::Text(t.trim().to_string())));
    }
    values
}

pub(super) fn scan(
    conn: &Connection,
    ctx: &Ctx,
    filter: &ListFilter,
    today: NaiveDate,
    extra_where: &str,
    detail: Detail,
) -> Result<Vec<Scanned>> {
    // Columns left out are read as empty values (no allocation), same positions.
    let names = if detail.names { "m.member_no, m.name, m.phone" } else { "'', '', NULL" };
    let tier = if detail.names { "m.tier" } else { "NULL" };
    let months = if detail.window { "s.recent_months" } else { "NULL" };
    let mut sql = format!(
        "SELECT m.id, {names}, m.birthday_month, m.birthday_day, m.birthday_year, {tier},
                m.joined_at, m.visit_count, m.spend_minor, m.first_visit_at, m.last_visit_at,
                m.wallet_paid_minor + m.wallet_bonus_minor,
                s.visit_days, s.first_day, s.last_day, s.recent_gaps, {months}
         FROM members m LEFT JOIN member_stats s ON s.member_id = m.id
         WHERE m.archived = 0"
    );
    let values = push_filter(&mut sql, filter);
    sql.push_str(extra_where);
    let today_day = day_number(today);
    let month = month_number(today);
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(params_from_iter(values))?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let visits = VisitSummary {
            visit_days: r.get::<_, Option<i64>>(14)?.unwrap_or(0),
            first_day: r.get(15)?,
            last_day: r.get(16)?,
            recent_gaps: r.get::<_, Option<String>>(17)?.map(|g| VisitSummary::parse_gaps(&g)).unwrap_or_default(),
        };
        let months = r.get::<_, Option<String>>(18)?.map(|m| RecentMonths::parse(&m)).unwrap_or_default();
        let standing = nes_standing(&visits.facts(), today_day, &ctx.cfg);
        if !filter.segments.is_empty() && !filter.segments.contains(&standing.segment) {
            continue;
        }
        let (bm, bd, by): (Option<u8>, Option<u8>, Option<i32>) = (r.get(4)?, r.get(5)?, r.get(6)?);
        out.push(Scanned {
            row: MemberRow {
                member_id: r.get(0)?,
                member_no: r.get(1)?,
                name: r.get(2)?,
                phone: r.get(3)?,
                birthday: match (bm, bd) {
                    (Some(month), Some(day)) => Some(Birthday { month, day, year: by }),
                    _ => None,
                },
                tier: r.get(7)?,
                tags: Vec::new(),
                joined_at: r.get(8)?,
                segment: standing.segment,
                visits: r.get(9)?,
                visit_days: visits.visit_days,
                spend_minor: r.get(10)?,
                window_spend_minor: months.spend_in_window(month, ctx.cfg.tier_window_months),
                first_visit_at: r.get(11)?,
                last_visit_at: r.get(12)?,
                last_visit_date: visits.last_day.and_then(date_of_day),
                days_since_last_visit: standing.days_since,
                typical_gap_days: standing.typical_gap,
                sleep_after_days: standing.thresholds[0],
                stored_value_minor: r.get(13)?,
                referred: 0,
            },
            typical_gap: standing.typical_gap,
            last_day: visits.last_day,
        });
    }
    Ok(out)
}

/// Sorts `all` by `cmp` and cuts out the filter's page. Only indices move
/// while sorting (a row is a few hundred bytes, a list 100,000 rows).
/// Returns the length of the whole list and the page's rows.
pub(super) fn sort_page<T>(all: Vec<T>, filter: &ListFilter, cmp: impl Fn(&T, &T) -> Ordering) -> (u32, Vec<T>) {
    let total = all.len();
    let mut order: Vec<usize> = (0..total).collect();
    order.sort_unstable_by(|&a, &b| cmp(&all[a], &all[b]));
    let start = (filter.offset as usize).min(total);
    let end = filter.limit.map_or(total, |l| start.saturating_add(l as usize).min(total));
    let mut slots: Vec<Option<T>> = all.into_iter().map(Some).collect();
    let rows = order[start..end].iter().filter_map(|&i| slots[i].take()).collect();
    (u32::try_from(total).unwrap_or(u32::MAX), rows)
}

/// Past this many rows a page reads every member's names in one pass
/// rather than one query per row (an export of the whole list).
pub(super) const BULK_NAMES: usize = 500;

/// Fills in what a scan left out for the rows on the page: member number,
/// name, phone, tier, tags and the spend in the tier window.
pub(super) fn finish_page<T: ts_rs::TS>(
    conn: &Connection,
    ctx: &Ctx,
    today: NaiveDate,
    total: u32,
    mut rows: Vec<T>,
    member: impl Fn(&mut T) -> &mut MemberRow,
) -> Result<Page<T>> {
    type Names = (String, String, Option<String>, Option<String>, Option<String>);
    const NAMES: &str = "SELECT m.id, m.member_no, m.name, m.phone, m.tier, s.recent_months
         FROM members m LEFT JOIN member_stats s ON s.member_id = m.id";
    let read = |r: &rusqlite::Row<'_>| -> rusqlite::Result<(i64, Names)> {
        Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
    };
    let mut bulk: HashMap<i64, Names> = HashMap::new();
    let mut bulk_tags: HashMap<i64, Vec<String>> = HashMap::new();
    let in_bulk = rows.len() > BULK_NAMES;
    if in_bulk {
        let mut stmt = conn.prepare(NAMES)?;
        bulk = stmt.query_map([], read)?.collect::<rusqlite::Result<_>>()?;
        let mut stmt = conn.prepare("SELECT member_id, tag FROM member_tags ORDER BY member_id, tag")?;
        let mut q = stmt.query([])?;
        while let Some(r) = q.next()? {
            bulk_tags.entry(r.get(0)?).or_default().push(r.get(1)?);
        }
    }
    let mut one = conn.prepare_cached(&format!("{NAMES} WHERE m.id = ?1"))?;
    let mut tags = conn.prepare_cached("SELECT tag FROM member_tags WHERE member_id = ?1 ORDER BY tag")?;
    let month = month_number(today);
    for r in &mut rows {
        let m = member(r);
        let names = match bulk.remove(&m.member_id) {
            Some(names) => names,
            None => one.query_row([m.member_id], read)?.1,
        };
        let (member_no, name, phone, tier, months) = names;
        (m.member_no, m.name, m.phone, m.tier) = (member_no, name, phone, tier);
        m.window_spend_minor =
            months.map(|t| RecentMonths::parse(&t).spend_in_window(month, ctx.cfg.tier_window_months)).unwrap_or(0);
        m.tags = if in_bulk {
            bulk_tags.remove(&m.member_id).unwrap_or_default()
        } else {
            tags.query_map([m.member_id], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?
        };
    }
    Ok(Page { total, rows })
}

pub(super) fn check_filter(filter: &ListFilter) -> Result<()> {
    if filter.tags.len() > 50 || filter.tiers.len() > 50 {
        return Err(Error::InvalidInput { field: "filter", reason: Reason::TooMany { max: 50 } });
    }
    Ok(())
}

/// Reads the figures: the members in id order and their `member_stats` in
/// the same order, merged (two sequential reads of narrow indexes,
/// `members_figures` and `member_stats_figures`, no lookup per member).
pub(super) fn read_figures(conn: &Connection, ctx: &Ctx, filter: &ListFilter, today: NaiveDate) -> Result<Figures> {
    let mut sql = String::from(
        "SELECT m.id, m.tier, m.visit_count, m.spend_minor, m.wallet_paid_minor, m.wallet_bonus_minor
         FROM members m WHERE m.archived = 0",
    );
    let values = push_filter(&mut sql, filter);
    sql.push_str(" ORDER BY m.id");
    let mut members = conn.prepare(&sql)?;
    let mut stats = conn.prepare_cached(
        "SELECT member_id, visit_days, first_day, last_day, median_gap FROM member_stats ORDER BY member_id",
    )?;
    let mut m_rows = members.query(params_from_iter(values))?;
    let mut s_rows = stats.query([])?;
    let today_day = day_number(today);
    let none = VisitFacts::default();
    // The stats row read last (its member id).
    let mut held = VisitFacts::default();
    let mut held_id = i64::MIN;
    let mut out = Figures { figs: Vec::new(), tiers: Vec::new(), paid_minor: 0, bonus_minor: 0 };
    while let Some(r) = m_rows.next()? {
        let id: i64 = r.get(0)?;
        while held_id < id {
            match s_rows.next()? {
                Some(s) => {
                    held_id = s.get(0)?;
                    held = VisitFacts {
                        visit_days: s.get(1)?,
                        first_day: s.get(2)?,
                        last_day: s.get(3)?,
                        median_gap: s.get(4)?,
                    };
                }
                None => held_id = i64::MAX,
            }
        }
        let visits = if held_id == id { &held } else { &none };
        let standing = nes_standing(visits, today_day, &ctx.cfg);
        let tier = match r.get_ref(1)? {
            rusqlite::types::ValueRef::Text(t) => Some(t),
            _ => None,
        };
        match out.tiers.iter_mut().find(|(name, _)| name.as_deref().map(str::as_bytes) == tier) {
            Some((_, n)) => *n += 1,
            None => out.tiers.push((tier.map(|t| String::from_utf8_lossy(t).into_owned()), 1)),
        }
        out.paid_minor += r.get::<_, i64>(4)?;
        out.bonus_minor += r.get::<_, i64>(5)?;
        out.figs.push(Fig {
            id,
            spend: r.get(3)?,
            visits: r.get(2)?,
            days_since: standing.days_since,
            segment: standing.segment,
        });
    }
    Ok(out)
}

/// Whether a member's segment is among the filter's (all when none given).
pub(super) fn in_segments(filter: &ListFilter, f: &Fig) -> bool {
    filter.segments.is_empty() || filter.segments.contains(&f.segment)
}

/// The filter's page of `all` in `cmp` order, by a partial selection (only
/// the rows up to the page's end are sorted), and the length of the whole list.
pub(super) fn pick<T>(mut all: Vec<T>, filter: &ListFilter, cmp: impl Fn(&T, &T) -> Ordering) -> (u32, Vec<T>) {
    let total = all.len();
    let start = (filter.offset as usize).min(total);
    let end = filter.limit.map_or(total, |l| start.saturating_add(l as usize).min(total));
    if end > 0 && end < total {
        all.select_nth_unstable_by(end - 1, &cmp);
        all.truncate(end);
    }
    all.sort_unstable_by(&cmp);
    let rows = all.drain(start.min(all.len())..).collect();
    (u32::try_from(total).unwrap_or(u32::MAX), rows)
}

/// The full rows (numbers and names left for [`finish_page`]) of `ids`, in that order.
pub(super) fn member_rows(conn: &Connection, ctx: &Ctx, today: NaiveDate, ids: &[i64]) -> Result<Vec<MemberRow>> {
    let mut by_id: HashMap<i64, MemberRow> = HashMap::with_capacity(ids.len());
    if ids.len() > BULK_NAMES {
        for s in scan(conn, ctx, &ListFilter::default(), today, "", FIGURES)? {
            by_id.insert(s.row.member_id, s.row);
        }
    } else if !ids.is_empty() {
        let extra = format!(" AND m.id IN ({})", ids.iter().map(i64::to_string).collect::<Vec<_>>().join(","));
        for s in scan(conn, ctx, &ListFilter::default(), today, &extra, FIGURES)? {
            by_id.insert(s.row.member_id, s.row);
        }
    }
    ids.iter().map(|id| by_id.remove(id).ok_or_else(|| Error::MemberNotFound(id.to_string()))).collect()
}

pub(super) fn fig_segment_counts(figs: &[Fig]) -> Vec<SegmentCount> {
    let mut counts: Vec<SegmentCount> =
        Nes::ALL.iter().map(|s| SegmentCount { segment: *s, members: 0, spend_minor: 0 }).collect();
    for f in figs {
        if let Some(c) = counts.iter_mut().find(|c| c.segment == f.segment) {
            c.members += 1;
            c.spend_minor += f.spend;
        }
    }
    counts
}

impl Store {
    /// The figures of the members `filter`'s tags and tiers select (its
    /// segments are left to the caller), shared until the next write when
    /// it selects every member.
    pub(super) fn member_figures(
        &self,
        conn: &Connection,
        ctx: &Ctx,
        filter: &ListFilter,
        today: NaiveDate,
    ) -> Result<Arc<Figures>> {
        if !filter.tags.is_empty() || !filter.tiers.is_empty() {
            return Ok(Arc::new(read_figures(conn, ctx, filter, today)?));
        }
        let version: i64 = conn.query_row("PRAGMA data_version", [], |r| r.get(0))?;
        let key = (version, conn.total_changes(), day_number(today));
        let mut cache = self.owner_figures.0.borrow_mut();
        if let Some((at, figures)) = cache.as_ref() {
            if *at == key {
                return Ok(Arc::clone(figures));
            }
        }
        // The old figures go before the new are read (a million members' worth each).
        *cache = None;
        let figures = Arc::new(read_figures(conn, ctx, filter, today)?);
        *cache = Some((key, Arc::clone(&figures)));
        Ok(figures)
    }
}

/// Members asleep for the first time since their last visit (S1) on the
/// shop's day at `now`, each with that last visit's day: the win-back
/// coupons' candidates. The aggregates are read as they stand.
pub(crate) fn first_sleepers(conn: &Connection, now: DateTime<Utc>) -> Result<Vec<(i64, NaiveDate)>> {
    let ctx = Ctx::load(conn)?;
    let today = ctx.today(now);
    let figures = read_figures(conn, &ctx, &ListFilter::default(), today)?;
    Ok(figures
        .figs
        .iter()
        .filter(|f| f.segment == Nes::Sleeping1)
        .filter_map(|f| f.days_since.map(|d| (f.id, today - Duration::days(d))))
        .collect())
}
