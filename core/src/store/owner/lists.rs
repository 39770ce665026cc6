//! The owner's lists: NES, lapsed (win-back), VIP, RFM, birthdays, due
//! back, 80/20, and the tags to filter them by.

use super::contacts::*;
use super::outreach::*;
use super::scan::*;
use super::*;
use crate::store::members::resolve_member;
use crate::store::Store;

impl Store {
    /// The tags members carry (archived members left out), with how many
    /// members carry each, most used first: what a list can be filtered by.
    pub fn tags_in_use(&self) -> Result<Vec<TagCount>> {
        // Counted from the tag index alone, less the few archived members' tags.
        let mut stmt = self.conn().prepare_cached(
            "SELECT tag, SUM(n) FROM (
               SELECT tag, count(*) AS n FROM member_tags GROUP BY tag
               UNION ALL
               SELECT t.tag, -count(*) FROM members m JOIN member_tags t ON t.member_id = m.id
               WHERE m.archived = 1 GROUP BY t.tag)
             GROUP BY tag HAVING SUM(n) > 0 ORDER BY SUM(n) DESC, tag",
        )?;
        let rows = stmt
            .query_map([], |r| Ok(TagCount { tag: r.get(0)?, members: r.get(1)? }))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Every member's NES segment: counts per segment and the members, by
    /// segment then longest away first.
    pub fn nes_report(&self, filter: &ListFilter, now: DateTime<Utc>) -> Result<NesReport> {
        check_filter(filter)?;
        self.with_aggregates(|conn, ctx| {
            let today = ctx.today(now);
            let figures = self.member_figures(conn, ctx, filter, today)?;
            let all: Vec<Fig> = figures.figs.iter().filter(|f| in_segments(filter, f)).copied().collect();
            let counts = fig_segment_counts(&all);
            let (total, page) = pick(all, filter, |a, b| {
                (a.segment, std::cmp::Reverse(a.days_since), a.id).cmp(&(
                    b.segment,
                    std::cmp::Reverse(b.days_since),
                    b.id,
                ))
            });
            let ids: Vec<i64> = page.iter().map(|f| f.id).collect();
            let rows = member_rows(conn, ctx, today, &ids)?;
            Ok(NesReport { as_of: today, counts, members: finish_page(conn, ctx, today, total, rows, |r| r)? })
        })
    }

    /// The win-back list: members past their sleeping threshold (S1–S3, or
    /// those of `filter.segments` among them), most valuable first (spend,
    /// then visits), with their last contact.
    pub fn lapsed(&self, filter: &ListFilter, now: DateTime<Utc>) -> Result<Page<LapsedRow>> {
        check_filter(filter)?;
        self.with_aggregates(|conn, ctx| {
            let today = ctx.today(now);
            let figures = self.member_figures(conn, ctx, filter, today)?;
            let all: Vec<Fig> =
                figures.figs.iter().filter(|f| f.segment.is_lapsed() && in_segments(filter, f)).copied().collect();
            let (total, page) = pick(all, filter, |a, b| (b.spend, b.visits, a.id).cmp(&(a.spend, a.visits, b.id)));
            let ids: Vec<i64> = page.iter().map(|f| f.id).collect();
            let rows = member_rows(conn, ctx, today, &ids)?
                .into_iter()
                .map(|member| LapsedRow { member, last_contact: None })
                .collect();
            let mut p = finish_page(conn, ctx, today, total, rows, |r| &mut r.member)?;
            for r in &mut p.rows {
                r.last_contact = contacts_of(conn, r.member.member_id, 1)?.into_iter().next();
            }
            Ok(p)
        })
    }

    /// Members who have bought, by the spend their tier is measured on
    /// (rolling window or total), highest first.
    pub fn vip(&self, filter: &ListFilter, now: DateTime<Utc>) -> Result<Page<MemberRow>> {
        check_filter(filter)?;
        self.with_aggregates(|conn, ctx| {
            let today = ctx.today(now);
            let month = month_number(today);
            let figures = self.member_figures(conn, ctx, filter, today)?;
            let buyers: Vec<(i64, std::cmp::Reverse<i64>)> = figures
                .figs
                .iter()
                .filter(|f| f.visits > 0 && in_segments(filter, f))
                .map(|f| (f.spend, std::cmp::Reverse(f.id)))
                .collect();
            let total = buyers.len();
            let start = (filter.offset as usize).min(total);
            let end = filter.limit.map_or(total, |l| start.saturating_add(l as usize).min(total));
            // The spend in the window of a member's recent months: looked up
            // one by one for a page, read in one pass for a long list.
            let months_text = |t: &str| RecentMonths::parse(t).spend_in_window(month, ctx.cfg.tier_window_months);
            let mut all_windows: HashMap<i64, i64> = HashMap::new();
            if end > BULK_NAMES {
                let mut stmt = conn.prepare("SELECT member_id, recent_months FROM member_stats")?;
                let mut q = stmt.query([])?;
                while let Some(r) = q.next()? {
                    all_windows.insert(r.get(0)?, months_text(r.get_ref(1)?.as_str().unwrap_or("")));
                }
            }
            let mut one = conn.prepare_cached("SELECT recent_months FROM member_stats WHERE member_id = ?1")?;
            let mut window_of = |id: i64| -> Result<i64> {
                if end > BULK_NAMES {
                    return Ok(all_windows.get(&id).copied().unwrap_or(0));
                }
                let text: Option<String> = one.query_row([id], |r| r.get(0)).optional()?;
                Ok(text.map_or(0, |t| months_text(&t)))
            };
            let key = |window: i64, spend: i64| match ctx.cfg.tier_basis {
                TierBasis::Rolling => (window, spend),
                TierBasis::Total => (spend, window),
            };
            // Highest total spend first. The spend in the window is never
            // more than the total (sales are positive), so once the page's
            // last key beats (spend, spend) of the next member, nobody left
            // can reach the page and their windows are not read.
            let mut by_spend = std::collections::BinaryHeap::from(buyers);
            let mut seen: Vec<((i64, i64), i64)> = Vec::new();
            let mut best: std::collections::BinaryHeap<std::cmp::Reverse<(i64, i64)>> =
                std::collections::BinaryHeap::new();
            while let Some((spend, std::cmp::Reverse(id))) = if end == 0 { None } else { by_spend.pop() } {
                let k = key(window_of(id)?, spend);
                seen.push((k, id));
                best.push(std::cmp::Reverse(k));
                if best.len() > end {
                    best.pop();
                }
                let page_last = best.peek().map(|r| r.0).filter(|_| best.len() == end);
                let next = by_spend.peek().map(|(s, _)| (*s, *s));
                if let (Some(last), Some(next)) = (page_last, next) {
                    if last > next {
                        break;
                    }
                }
            }
            let (_, page) = pick(seen, filter, |a, b| (b.0, a.1).cmp(&(a.0, b.1)));
            let ids: Vec<i64> = page.iter().map(|(_, id)| *id).collect();
            let mut rows = member_rows(conn, ctx, today, &ids)?;
            // How many members each VIP brought.
            let mut brought = conn.prepare_cached("SELECT count(*) FROM members WHERE referred_by = ?1")?;
            for row in &mut rows {
                row.referred = brought.query_row([row.member_id], |r| r.get(0))?;
            }
            finish_page(conn, ctx, today, u32::try_from(total).unwrap_or(u32::MAX), rows, |r| r)
        })
    }

    /// RFM scores of the members who have bought (quintiles among the
    /// members the filter's tags and tiers select), the named segments'
    /// counts and revenue shares, and the members of `segments` (all when
    /// empty), best first.
    pub fn rfm(&self, filter: &ListFilter, segments: &[RfmSegment], now: DateTime<Utc>) -> Result<RfmReport> {
        check_filter(filter)?;
        self.with_aggregates(|conn, ctx| {
            let today = ctx.today(now);
            let figures = self.member_figures(conn, ctx, filter, today)?;
            let scanned: Vec<Fig> = figures
                .figs
                .iter()
                .filter(|f| f.visits > 0 && f.days_since.is_some() && in_segments(filter, f))
                .copied()
                .collect();
            let inputs: Vec<RfmInput> = scanned
                .iter()
                .map(|f| RfmInput { days_since: f.days_since.unwrap_or(0), visits: f.visits, spend_minor: f.spend })
                .collect();
            let scores = rfm_scores(&inputs);
            let revenue: i64 = scanned.iter().map(|f| f.spend).sum();
            let counts = RfmSegment::ALL
                .iter()
                .map(|seg| {
                    let (n, rev) = scanned
                        .iter()
                        .zip(&scores)
                        .filter(|(_, s)| s.segment == *seg)
                        .fold((0, 0), |(n, rev), (f, _)| (n + 1, rev + f.spend));
                    RfmSegmentCount {
                        segment: *seg,
                        members: n,
                        revenue_minor: rev,
                        revenue_share_bp: share_bp(rev, revenue),
                    }
                })
                .collect();
            let chosen: Vec<(Fig, RfmScore)> = scanned
                .into_iter()
                .zip(scores)
                .filter(|(_, s)| segments.is_empty() || segments.contains(&s.segment))
                .collect();
            let k = |(f, rfm): &(Fig, RfmScore)| (u16::from(rfm.r) + u16::from(rfm.f) + u16::from(rfm.m), f.spend);
            let (total, page) = pick(chosen, filter, |a, b| (k(b), a.0.id).cmp(&(k(a), b.0.id)));
            let ids: Vec<i64> = page.iter().map(|(f, _)| f.id).collect();
            let rows: Vec<RfmRow> = member_rows(conn, ctx, today, &ids)?
                .into_iter()
                .zip(page)
                .map(|(member, (_, rfm))| RfmRow { member, rfm })
                .collect();
            let members = finish_page(conn, ctx, today, total, rows, |r| &mut r.member)?;
            Ok(RfmReport { as_of: today, segments: counts, members })
        })
    }

    /// Birthdays today, this week or this month (shop's time zone), with
    /// the greeting from `template` (the owner's birthday template when
    /// absent), written in `language`.
    pub fn birthdays(
        &self,
        window: BirthdayWindow,
        template: Option<&str>,
        language: crate::language::ReceiptLanguage,
        filter: &ListFilter,
        now: DateTime<Utc>,
    ) -> Result<Page<BirthdayRow>> {
        check_filter(filter)?;
        self.with_aggregates(|conn, ctx| {
            let today = ctx.today(now);
            let template = template.map_or_else(|| ctx.cfg.birthday_template.clone(), str::to_string);
            check_template(&template)?;
            let dates: Vec<NaiveDate> = match window {
                BirthdayWindow::Today => vec![today],
                BirthdayWindow::ThisWeek => (0..7).map(|i| week_start(today) + Duration::days(i)).collect(),
                BirthdayWindow::ThisMonth => (1..=31).filter_map(|d| today.with_day(d)).collect(),
            };
            let months: BTreeSet<u32> = dates.iter().map(|d| d.month()).collect();
            let extra = format!(
                " AND m.birthday_month IN ({})",
                months.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
            );
            let mut rows: Vec<BirthdayRow> = Vec::new();
            let detail = Detail { names: true, window: false };
            for s in scan(conn, ctx, filter, today, &extra, detail)? {
                let Some(b) = s.row.birthday else { continue };
                let Some(date) = dates.iter().find(|d| b.is_on(**d)).copied() else { continue };
                rows.push(BirthdayRow {
                    turning: b.year.map(|y| date.year() - y).filter(|age| *age > 0),
                    birthday_date: date,
                    greeting: String::new(),
                    member: s.row,
                });
            }
            let (total, rows) = sort_page(rows, filter, |a, b| {
                (a.birthday_date, &a.member.name, a.member.member_id).cmp(&(
                    b.birthday_date,
                    &b.member.name,
                    b.member.member_id,
                ))
            });
            let mut p = finish_page(conn, ctx, today, total, rows, |r| &mut r.member)?;
            for r in &mut p.rows {
                r.greeting = render(&template, &template_values(conn, ctx, &r.member, language, now)?);
            }
            Ok(p)
        })
    }

    /// Members due back within `due.within_days` days (today included), by
    /// their own typical interval, or by a product's repurchase cycle.
    /// Soonest first. Members without enough history have no prediction.
    pub fn due_back(&self, due: &DueFilter, filter: &ListFilter, now: DateTime<Utc>) -> Result<Page<DueRow>> {
        check_filter(filter)?;
        if !(0..=366).contains(&due.within_days) {
            return Err(Error::InvalidInput { field: "days", reason: Reason::Range { min: 0, max: 366 } });
        }
        self.with_aggregates(|conn, ctx| {
            let today = ctx.today(now);
            let today_day = day_number(today);
            let scanned = scan(conn, ctx, filter, today, " AND m.visit_count > 0", FIGURES)?;
            let mut rows = Vec::new();
            let mut push = |member: MemberRow, last_day: i64, cycle: i64, product: Option<(i64, String)>| {
                let predicted = last_day + cycle;
                if predicted >= today_day && predicted <= today_day + due.within_days {
                    if let Some(date) = date_of_day(predicted) {
                        rows.push(DueRow {
                            member,
                            predicted_date: date,
                            days_until: predicted - today_day,
                            cycle_days: cycle,
                            product_id: product.as_ref().map(|p| p.0),
                            product_name: product.map(|p| p.1),
                        });
                    }
                }
            };
            match due.product_id {
                None => {
                    for s in scanned {
                        if let (Some(gap), Some(last)) = (s.typical_gap, s.last_day) {
                            push(s.row, last, gap, None);
                        }
                    }
                }
                Some(product_id) => {
                    let name: String = conn
                        .query_row("SELECT name FROM products WHERE id = ?1", [product_id], |r| r.get(0))
                        .optional()?
                        .ok_or_else(|| Error::InvalidInput {
                            field: "product",
                            reason: format!("no product {product_id}").into(),
                        })?;
                    let mut by_member: HashMap<i64, MemberRow> =
                        scanned.into_iter().map(|s| (s.row.member_id, s.row)).collect();
                    let mut stmt = conn.prepare(
                        "SELECT member_id, visit_days, first_day, last_day, recent_gaps FROM member_product_stats
                         WHERE product_id = ?1",
                    )?;
                    let mut q = stmt.query([product_id])?;
                    while let Some(r) = q.next()? {
                        let v = VisitSummary {
                            visit_days: r.get(1)?,
                            first_day: r.get(2)?,
                            last_day: r.get(3)?,
                            recent_gaps: VisitSummary::parse_gaps(&r.get::<_, String>(4)?),
                        };
                        let (Some(gap), Some(last)) = (v.typical_gap(ctx.cfg.min_history_visits), v.last_day) else {
                            continue;
                        };
                        if let Some(member) = by_member.remove(&r.get::<_, i64>(0)?) {
                            push(member, last, gap, Some((product_id, name.clone())));
                        }
                    }
                }
            }
            let (total, rows) = sort_page(rows, filter, |a, b| {
                (a.days_until, std::cmp::Reverse(a.member.spend_minor), a.member.member_id).cmp(&(
                    b.days_until,
                    std::cmp::Reverse(b.member.spend_minor),
                    b.member.member_id,
                ))
            });
            finish_page(conn, ctx, today, total, rows, |r| &mut r.member)
        })
    }

    /// The share of all members' spend that comes from the top 20 % of
    /// customers, and the curve for a chart.
    pub fn pareto(&self, filter: &ListFilter, now: DateTime<Utc>) -> Result<Pareto> {
        check_filter(filter)?;
        self.with_aggregates(|conn, ctx| {
            let figures = self.member_figures(conn, ctx, filter, ctx.today(now))?;
            let spends: Vec<i64> =
                figures.figs.iter().filter(|f| f.spend > 0 && in_segments(filter, f)).map(|f| f.spend).collect();
            Ok(pareto(&spends))
        })
    }

    /// Finds a member by what a person types (member number, phone, card code, `#id`).
    pub fn owner_resolve_member(&self, reference: &str) -> Result<i64> {
        resolve_member(self.conn(), reference)
    }
}
