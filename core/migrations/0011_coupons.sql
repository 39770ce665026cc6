-- Regulars schema, version 11: coupons (issue #12). The owner's offers, the
-- codes issued to members (one by one, or to a list as a named campaign),
-- the coupons' append-only ledger, and each receipt's discount lines.
--
-- A coupon's `state` is derived: it is what its latest `coupon_ledger` row
-- says (issued or restored: 'issued'; redeemed: 'redeemed'; expired:
-- 'expired'), written in the same transaction as that row;
-- `Store::audit` finds a coupon whose state disagrees with its ledger.
-- Shop days (validity) are TEXT 'YYYY-MM-DD' in the shop's time zone.

CREATE TABLE coupon_offers (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('amount_off', 'percent_off', 'free_item', 'extra_stamps')),
    amount_off_minor INTEGER CHECK (amount_off_minor IS NULL OR amount_off_minor > 0),
    percent_off      INTEGER CHECK (percent_off IS NULL OR percent_off BETWEEN 1 AND 100),
    cap_minor        INTEGER CHECK (cap_minor IS NULL OR cap_minor > 0),
    product_id       INTEGER REFERENCES products (id),
    program_id       INTEGER REFERENCES stamp_programs (id),
    extra_stamps     INTEGER CHECK (extra_stamps IS NULL OR extra_stamps > 0),
    min_spend_minor  INTEGER NOT NULL DEFAULT 0 CHECK (min_spend_minor >= 0),
    valid_days       INTEGER CHECK (valid_days IS NULL OR valid_days > 0),
    valid_from       TEXT CHECK (valid_from IS NULL OR length(valid_from) = 10),
    valid_until      TEXT CHECK (valid_until IS NULL OR length(valid_until) = 10),
    combinable       INTEGER NOT NULL DEFAULT 0 CHECK (combinable IN (0, 1)),
    active           INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    CHECK ((valid_days IS NULL) <> (valid_until IS NULL)),
    CHECK ((valid_from IS NULL) = (valid_until IS NULL)),
    CHECK (kind <> 'amount_off' OR amount_off_minor IS NOT NULL),
    CHECK (kind <> 'percent_off' OR (percent_off IS NOT NULL AND cap_minor IS NOT NULL)),
    CHECK (kind <> 'free_item' OR product_id IS NOT NULL),
    CHECK (kind <> 'extra_stamps' OR (program_id IS NOT NULL AND extra_stamps IS NOT NULL))
);
CREATE TRIGGER coupon_offers_no_delete BEFORE DELETE ON coupon_offers BEGIN
    SELECT RAISE(ABORT, 'coupon offers are paused, never deleted');
END;

CREATE TABLE coupon_campaigns (
    id          INTEGER PRIMARY KEY,
    request_id  TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    offer_id    INTEGER NOT NULL REFERENCES coupon_offers (id),
    list_name   TEXT NOT NULL DEFAULT '',
    staff_id    INTEGER REFERENCES staff (id),
    created_at  INTEGER NOT NULL
);
CREATE TRIGGER coupon_campaigns_append_only_u BEFORE UPDATE ON coupon_campaigns BEGIN SELECT RAISE(ABORT, 'campaigns are append-only'); END;
CREATE TRIGGER coupon_campaigns_append_only_d BEFORE DELETE ON coupon_campaigns BEGIN SELECT RAISE(ABORT, 'campaigns are append-only'); END;

CREATE TABLE coupons (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE CHECK (length(code) = 9),
    offer_id     INTEGER NOT NULL REFERENCES coupon_offers (id),
    member_id    INTEGER NOT NULL REFERENCES members (id),
    campaign_id  INTEGER REFERENCES coupon_campaigns (id),
    -- A coupon issued on its own: its request id (a campaign's are NULL).
    request_id   TEXT UNIQUE,
    valid_from   TEXT NOT NULL CHECK (length(valid_from) = 10),
    valid_until  TEXT NOT NULL CHECK (length(valid_until) = 10 AND valid_until >= valid_from),
    state        TEXT NOT NULL DEFAULT 'issued' CHECK (state IN ('issued', 'redeemed', 'expired')),
    issued_at    INTEGER NOT NULL
);
CREATE INDEX coupons_member ON coupons (member_id, state);
CREATE INDEX coupons_campaign ON coupons (campaign_id);
CREATE TRIGGER coupons_no_delete BEFORE DELETE ON coupons BEGIN SELECT RAISE(ABORT, 'coupons are never deleted'); END;

CREATE TABLE coupon_ledger (
    id              INTEGER PRIMARY KEY,
    coupon_id       INTEGER NOT NULL REFERENCES coupons (id),
    kind            TEXT NOT NULL CHECK (kind IN ('issued', 'redeemed', 'restored', 'expired')),
    receipt_id      INTEGER REFERENCES receipts (id),
    discount_minor  INTEGER NOT NULL DEFAULT 0 CHECK (discount_minor >= 0),
    created_at      INTEGER NOT NULL,
    CHECK (kind = 'issued' OR receipt_id IS NOT NULL)
);
CREATE INDEX coupon_ledger_coupon ON coupon_ledger (coupon_id, id);
CREATE INDEX coupon_ledger_receipt ON coupon_ledger (receipt_id);
-- A coupon is redeemed on one receipt at most once.
CREATE UNIQUE INDEX coupon_ledger_one_redemption ON coupon_ledger (coupon_id, receipt_id) WHERE kind = 'redeemed';
CREATE TRIGGER coupon_ledger_append_only_u BEFORE UPDATE ON coupon_ledger BEGIN SELECT RAISE(ABORT, 'ledgers are append-only'); END;
CREATE TRIGGER coupon_ledger_append_only_d BEFORE DELETE ON coupon_ledger BEGIN SELECT RAISE(ABORT, 'ledgers are append-only'); END;

-- A receipt's discounts, each its own line: the receipt's total is its
-- lines' amounts less its discounts (a void's are negative, as its lines).
CREATE TABLE receipt_discounts (
    receipt_id     INTEGER NOT NULL REFERENCES receipts (id),
    line_no        INTEGER NOT NULL,
    coupon_id      INTEGER REFERENCES coupons (id),
    code           TEXT NOT NULL,
    description    TEXT NOT NULL,
    amount_minor   INTEGER NOT NULL,
    extra_stamps   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (receipt_id, line_no)
);
CREATE TRIGGER receipt_discounts_append_only_u BEFORE UPDATE ON receipt_discounts BEGIN SELECT RAISE(ABORT, 'receipts are append-only'); END;
CREATE TRIGGER receipt_discounts_append_only_d BEFORE DELETE ON receipt_discounts BEGIN SELECT RAISE(ABORT, 'receipts are append-only'); END;
