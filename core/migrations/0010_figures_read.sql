-- Regulars schema, version 10: the members' figures (every list of the
-- owner's view starts from them) read from two narrow indexes instead of
-- the members' and their statistics' whole rows.
--
-- Each member's typical interval is the median of their recent gaps; it is
-- kept beside the gaps (written with them by the one function that writes
-- `member_stats`) so the figures need not parse and sort the gaps of a
-- million members on each read. `Store::owner_aggregate_mismatches` checks
-- it against the gaps.
ALTER TABLE member_stats ADD COLUMN median_gap INTEGER;  -- the lower median of recent_gaps; NULL when none

-- An existing shop's, from its gaps ("7,9,6" is a JSON array in brackets):
-- the lower median, as `analytics::median` takes it.
UPDATE member_stats SET median_gap = (
    SELECT value FROM (
        SELECT g.value, row_number() OVER (ORDER BY g.value) AS n, count(*) OVER () AS gaps
        FROM json_each('[' || member_stats.recent_gaps || ']') g
    ) WHERE n = (gaps + 1) / 2
) WHERE recent_gaps <> '';

-- What the figures read, in member order, each entry a few dozen bytes
-- (a member's row carries names, notes and codes; a statistics row two
-- years of months). `archived` is in the index although the index holds
-- only the members kept: SQLite reads an index alone (covering) only when
-- it holds every column the query names, its WHERE included.
CREATE INDEX members_figures
    ON members (id, tier, visit_count, spend_minor, wallet_paid_minor, wallet_bonus_minor, archived)
    WHERE archived = 0;
CREATE INDEX member_stats_figures ON member_stats (member_id, visit_days, first_day, last_day, median_gap);
