-- Regulars schema, version 14: points lapse by the batch they were earned
-- in, dated when earned; the owner sets the share of a bill points may pay
-- and multipliers for tiers and the birthday month.
--
-- Each points_ledger row that adds points (earned, or given back by a void)
-- is a batch with its own last usable shop day, `expires_on` ('9999-12-31'
-- when it never lapses). Rows that take points (redeemed, lapsed) have
-- none: they use the batches oldest first. A change of the shop's rule
-- never re-dates a batch already earned.

ALTER TABLE points_settings ADD COLUMN expiry_months INTEGER CHECK (expiry_months IS NULL OR expiry_months BETWEEN 1 AND 120);
ALTER TABLE points_settings ADD COLUMN max_redeem_percent INTEGER NOT NULL DEFAULT 100 CHECK (max_redeem_percent BETWEEN 1 AND 100);
ALTER TABLE points_settings ADD COLUMN birthday_multiplier_pct INTEGER NOT NULL DEFAULT 100 CHECK (birthday_multiplier_pct BETWEEN 100 AND 1000);
-- The rule in days (schema 12) becomes whole months, rounded up.
UPDATE points_settings SET expiry_months = MIN(120, MAX(1, (expiry_days + 29) / 30)) WHERE expiry_days IS NOT NULL;

-- 100: a tier's members earn the plain rate; 200: twice as many points.
ALTER TABLE tiers ADD COLUMN points_multiplier_pct INTEGER NOT NULL DEFAULT 100 CHECK (points_multiplier_pct BETWEEN 100 AND 1000);

ALTER TABLE points_ledger ADD COLUMN expires_on TEXT CHECK (expires_on IS NULL OR length(expires_on) = 10);

-- Batches earned before this version keep the day their old rule gave
-- them (earned + the expiry in days). The ledger's append-only triggers
-- are lifted for this one fill of a new column and put back at once.
DROP TRIGGER points_ledger_append_only_u;
UPDATE points_ledger SET expires_on = COALESCE(
    (SELECT date((points_ledger.created_at + s.expiry_days * 86400000) / 1000, 'unixepoch')
     FROM points_settings s WHERE s.id = 1 AND s.expiry_days IS NOT NULL),
    '9999-12-31')
WHERE kind IN ('earn', 'void');
CREATE TRIGGER points_ledger_append_only_u BEFORE UPDATE ON points_ledger BEGIN SELECT RAISE(ABORT, 'ledgers are append-only'); END;

-- What a receipt says of the points that lapse next: how many, and the
-- last day they can be used (none: nothing is due to lapse).
ALTER TABLE receipt_points ADD COLUMN expiring_points INTEGER NOT NULL DEFAULT 0;
ALTER TABLE receipt_points ADD COLUMN expiring_on TEXT;
