-- Regulars schema, version 8: the owner's view opens quickly at a
-- million members.
--
-- The dashboard's twelve weeks read sales and stored-value movements per
-- quarter hour (UTC) instead of every receipt and ledger row of the
-- period. A quarter hour, not a shop day: every time zone's offset is a
-- multiple of 15 minutes, so each quarter hour falls on one shop day in any
-- zone, and a change of zone (or daylight saving) needs no rebuild. The
-- rows are kept by the triggers below in the transaction of the receipt or
-- ledger row itself, so no code path can forget them;
-- `Store::owner_aggregate_mismatches` checks them against a recomputation.
CREATE TABLE owner_quarters (
    quarter             INTEGER PRIMARY KEY,           -- created_at / 900000 (UTC ms)
    sales               INTEGER NOT NULL DEFAULT 0,    -- unvoided sales made in it
    revenue_minor       INTEGER NOT NULL DEFAULT 0,    -- their totals
    wallet_delta_minor  INTEGER NOT NULL DEFAULT 0     -- stored value moved (paid + bonus)
);

-- A sale counts in its quarter hour; its void takes it back out of the
-- same quarter hour (the sale's, not the void's), as the weeks always read.
CREATE TRIGGER owner_quarters_sale AFTER INSERT ON receipts WHEN NEW.kind = 'sale' BEGIN
    INSERT INTO owner_quarters (quarter, sales, revenue_minor) VALUES (NEW.created_at / 900000, 1, NEW.total_minor)
    ON CONFLICT (quarter) DO UPDATE SET sales = sales + 1, revenue_minor = revenue_minor + excluded.revenue_minor;
END;
CREATE TRIGGER owner_quarters_void AFTER INSERT ON receipts WHEN NEW.kind = 'void' BEGIN
    INSERT INTO owner_quarters (quarter, sales, revenue_minor)
    SELECT o.created_at / 900000, -1, -o.total_minor FROM receipts o WHERE o.id = NEW.voids_receipt_id AND o.kind = 'sale'
    ON CONFLICT (quarter) DO UPDATE SET sales = sales - 1, revenue_minor = revenue_minor + excluded.revenue_minor;
END;
CREATE TRIGGER owner_quarters_wallet AFTER INSERT ON wallet_ledger BEGIN
    INSERT INTO owner_quarters (quarter, wallet_delta_minor)
    VALUES (NEW.created_at / 900000, NEW.paid_delta_minor + NEW.bonus_delta_minor)
    ON CONFLICT (quarter) DO UPDATE SET wallet_delta_minor = wallet_delta_minor + excluded.wallet_delta_minor;
END;

-- An existing shop's history, built once here (`Store::rebuild_owner_aggregates`
-- builds it the same way).
INSERT INTO owner_quarters (quarter, sales, revenue_minor, wallet_delta_minor)
SELECT q, SUM(n), SUM(t), SUM(w) FROM (
    SELECT created_at / 900000 AS q, 1 AS n, total_minor AS t, 0 AS w FROM receipts WHERE kind = 'sale'
    UNION ALL
    SELECT o.created_at / 900000, -1, -o.total_minor, 0
    FROM receipts v CROSS JOIN receipts o ON o.id = v.voids_receipt_id WHERE v.kind = 'void' AND o.kind = 'sale'
    UNION ALL
    SELECT created_at / 900000, 0, 0, paid_delta_minor + bonus_delta_minor FROM wallet_ledger
) GROUP BY q;

-- The few archived members, found without reading the others: the
-- figures read every member once and take the archived ones back out.
CREATE INDEX members_archived ON members (id) WHERE archived = 1;
