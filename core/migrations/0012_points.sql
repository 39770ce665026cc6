-- Regulars schema, version 12: points (積分). Earned on what a customer
-- pays for a sale, redeemed at checkout for money off (a discount line of
-- its own), lapsing oldest first after the shop's expiry. Every movement is
-- an append-only `points_ledger` row on a receipt; `member_points.points` is
-- what a member's ledger sums to (`Store::audit` checks it).

CREATE TABLE points_settings (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    earn_per_minor    INTEGER NOT NULL DEFAULT 0 CHECK (earn_per_minor >= 0),  -- 0: points are off
    point_value_minor INTEGER NOT NULL DEFAULT 1 CHECK (point_value_minor > 0),
    expiry_days       INTEGER CHECK (expiry_days IS NULL OR expiry_days > 0),
    updated_at        INTEGER NOT NULL DEFAULT 0
);
INSERT INTO points_settings (id) VALUES (1);

CREATE TABLE member_points (
    member_id  INTEGER PRIMARY KEY REFERENCES members (id),
    points     INTEGER NOT NULL CHECK (points >= 0)
);

CREATE TABLE points_ledger (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members (id),
    receipt_id  INTEGER NOT NULL REFERENCES receipts (id),
    kind        TEXT NOT NULL CHECK (kind IN ('earn', 'redeem', 'expire', 'void')),
    delta       INTEGER NOT NULL CHECK (delta <> 0),
    created_at  INTEGER NOT NULL
);
CREATE INDEX points_ledger_member ON points_ledger (member_id, created_at);
CREATE INDEX points_ledger_receipt ON points_ledger (receipt_id);
CREATE TRIGGER points_ledger_append_only_u BEFORE UPDATE ON points_ledger BEGIN SELECT RAISE(ABORT, 'ledgers are append-only'); END;
CREATE TRIGGER points_ledger_append_only_d BEFORE DELETE ON points_ledger BEGIN SELECT RAISE(ABORT, 'ledgers are append-only'); END;

-- A receipt's points: the balance before, what it earned, redeemed and
-- let lapse, the balance after (a void's are the original's negated).
CREATE TABLE receipt_points (
    receipt_id     INTEGER PRIMARY KEY REFERENCES receipts (id),
    points_before  INTEGER NOT NULL,
    earned         INTEGER NOT NULL,
    redeemed       INTEGER NOT NULL,
    expired        INTEGER NOT NULL,
    points_after   INTEGER NOT NULL CHECK (points_after >= 0)
);
CREATE TRIGGER receipt_points_append_only_u BEFORE UPDATE ON receipt_points BEGIN SELECT RAISE(ABORT, 'receipts are append-only'); END;
CREATE TRIGGER receipt_points_append_only_d BEFORE DELETE ON receipt_points BEGIN SELECT RAISE(ABORT, 'receipts are append-only'); END;

-- Points redeemed on a discount line (0 on a coupon's).
ALTER TABLE receipt_discounts ADD COLUMN points INTEGER NOT NULL DEFAULT 0;
