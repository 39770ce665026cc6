//! The owner's dashboard: members, segments, tiers and twelve weeks of figures.

use super::aggregates::*;
use super::scan::*;
use super::*;
use crate::store::Store;

impl Store {
    /// The owner's figures at a glance.
    pub fn dashboard(&self, now: DateTime<Utc>) -> Result<Dashboard> {
        self.with_aggregates(|conn, ctx| {
            let today = ctx.today(now);
            let figures = self.member_figures(conn, ctx, &ListFilter::default(), today)?;
            let first_week = week_start(today) - Duration::weeks(11);
            let mut weeks: Vec<WeekFigures> = (0..12)
                .map(|i| WeekFigures {
                    week_start: first_week + Duration::weeks(i),
                    new_members: 0,
                    visits: 0,
                    revenue_minor: 0,
                    stored_value_end_minor: 0,
                })
                .collect();
            let from = ctx.day_start_ms(first_week);
            let until = ctx.day_start_ms(week_start(today) + Duration::weeks(1));
            let week_of = |ms: i64| -> Option<usize> {
                let d = ctx.local_date_ms(ms);
                let i = (week_start(d) - first_week).num_weeks();
                usize::try_from(i).ok().filter(|i| *i < 12)
            };
            // Sales and stored-value movements per quarter hour (kept at
            // checkout, `owner_quarters`): a shop day starts on a quarter
            // hour in every zone, so each quarter hour is in one week.
            // Stored value held at each week's end: what is held now, less
            // every movement made after that week.
            let mut moved_in_week = [0i64; 12];
            let mut moved_later = 0i64;
            {
                let mut stmt = conn.prepare_cached(
                    "SELECT quarter, sales, revenue_minor, wallet_delta_minor FROM owner_quarters WHERE quarter >= ?1",
                )?;
                let mut q = stmt.query([from.div_euclid(QUARTER_MS)])?;
                while let Some(r) = q.next()? {
                    let at = r.get::<_, i64>(0)? * QUARTER_MS;
                    let delta: i64 = r.get(3)?;
                    match week_of(at).filter(|_| at >= from && at < until) {
                        Some(i) => {
                            weeks[i].visits += r.get::<_, i64>(1)?;
                            weeks[i].revenue_minor += r.get::<_, i64>(2)?;
                            moved_in_week[i] += delta;
                        }
                        None if at >= until => moved_later += delta,
                        None => {}
                    }
                }
                let mut stmt =
                    conn.prepare_cached("SELECT joined_at FROM members WHERE joined_at >= ?1 AND joined_at < ?2")?;
                let mut q = stmt.query([from, until])?;
                while let Some(r) = q.next()? {
                    if let Some(i) = week_of(r.get(0)?) {
                        weeks[i].new_members += 1;
                    }
                }
            }
            let tiers: BTreeMap<Option<String>, i64> = figures.tiers.iter().cloned().collect();
            // Archived members still hold what they hold (the figures leave them out).
            let (archived_paid, archived_bonus): (i64, i64) = conn.query_row(
                "SELECT COALESCE(SUM(wallet_paid_minor), 0), COALESCE(SUM(wallet_bonus_minor), 0)
                 FROM members WHERE archived = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let (paid, bonus) = (figures.paid_minor + archived_paid, figures.bonus_minor + archived_bonus);
            let mut held = paid + bonus - moved_later;
            for i in (0..12).rev() {
                weeks[i].stored_value_end_minor = held;
                held -= moved_in_week[i];
            }
            let rank = |t: &Option<String>| std::cmp::Reverse(rank_of(&ctx.tiers, t.as_deref()));
            let mut tiers: Vec<TierCount> =
                tiers.into_iter().map(|(tier, members)| TierCount { tier, members }).collect();
            tiers.sort_by(|a, b| (rank(&a.tier), &a.tier).cmp(&(rank(&b.tier), &b.tier)));
            Ok(Dashboard {
                as_of: today,
                currency: ctx.currency.clone(),
                members: figures.figs.len() as i64,
                segments: fig_segment_counts(&figures.figs),
                tiers,
                revenue_12_weeks_minor: weeks.iter().map(|w| w.revenue_minor).sum(),
                revenue_total_minor: figures.figs.iter().map(|f| f.spend).sum(),
                weeks,
                stored_value: FloatParts { paid_minor: paid, bonus_minor: bonus },
            })
        })
    }
}
