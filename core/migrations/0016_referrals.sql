-- Regulars schema, version 16: referral rewards. When a member registered
-- as referred by another makes their first sale, the referrer receives the
-- shop's reward (a coupon, points or stamps) on a receipt of its own, of
-- the new kind 'reward'; voiding that first sale before the reward is used
-- takes it back (a void of the reward's receipt).
--
-- The receipts' kind list gains 'reward' in place: SQLite's documented way
-- to loosen a CHECK constraint (every existing row still meets it) is to
-- edit the table's definition with writable_schema; the migration runner
-- then bumps the schema cookie so every connection reads the new one.

PRAGMA writable_schema = ON;
UPDATE sqlite_schema
SET sql = replace(sql, '''refund'', ''adjust'', ''void''))', '''refund'', ''adjust'', ''void'', ''reward''))')
WHERE type = 'table' AND name = 'receipts';
PRAGMA writable_schema = OFF;

-- The shop's reward for a referral: none (the default), a coupon of an
-- offer, points, or stamps on a program.
CREATE TABLE referral_settings (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    kind        TEXT NOT NULL DEFAULT 'none' CHECK (kind IN ('none', 'coupon', 'points', 'stamps')),
    offer_id    INTEGER REFERENCES coupon_offers (id),
    points      INTEGER NOT NULL DEFAULT 0 CHECK (points >= 0),
    program_id  INTEGER REFERENCES stamp_programs (id),
    stamps      INTEGER NOT NULL DEFAULT 0 CHECK (stamps >= 0),
    updated_at  INTEGER NOT NULL DEFAULT 0,
    CHECK (kind <> 'coupon' OR offer_id IS NOT NULL),
    CHECK (kind <> 'points' OR points > 0),
    CHECK (kind <> 'stamps' OR (program_id IS NOT NULL AND stamps > 0))
);
INSERT INTO referral_settings (id) VALUES (1);

-- Each reward given: for which referred member's first sale, on which
-- receipt; a reward taken back is its receipt voided (append-only).
CREATE TABLE referral_rewards (
    id                INTEGER PRIMARY KEY,
    referrer_id       INTEGER NOT NULL REFERENCES members (id),
    referred_id       INTEGER NOT NULL REFERENCES members (id),
    sale_receipt_id   INTEGER NOT NULL UNIQUE REFERENCES receipts (id),
    reward_receipt_id INTEGER NOT NULL UNIQUE REFERENCES receipts (id),
    kind              TEXT NOT NULL CHECK (kind IN ('coupon', 'points', 'stamps')),
    coupon_id         INTEGER REFERENCES coupons (id),
    points            INTEGER NOT NULL DEFAULT 0,
    program_id        INTEGER REFERENCES stamp_programs (id),
    stamps            INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL
);
CREATE INDEX referral_rewards_referrer ON referral_rewards (referrer_id);
CREATE INDEX referral_rewards_referred ON referral_rewards (referred_id);
CREATE TRIGGER referral_rewards_append_only_u BEFORE UPDATE ON referral_rewards BEGIN SELECT RAISE(ABORT, 'referral rewards are append-only'); END;
CREATE TRIGGER referral_rewards_append_only_d BEFORE DELETE ON referral_rewards BEGIN SELECT RAISE(ABORT, 'referral rewards are append-only'); END;

-- Who brought whom, for the owner's report and the VIP list.
CREATE INDEX members_referred_by ON members (referred_by) WHERE referred_by IS NOT NULL;
