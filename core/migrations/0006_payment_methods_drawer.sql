-- Regulars schema, version 6: payment methods the owner names and orders,
-- cash tendered and change on the payment row, and counts of the cash
-- drawer at the day close.

-- The shop's payment methods, each of a kind. An empty name reads as the
-- kind's own word in the reader's language (現金 / 现金 / Cash), so the
-- three methods every shop had before keep reading as they did. Stored
-- value is no row here: it is the member's own balance.
CREATE TABLE payment_methods (
    id         INTEGER PRIMARY KEY,
    kind       TEXT    NOT NULL CHECK (kind IN ('cash', 'card', 'e_wallet', 'transfer', 'other')),
    name       TEXT    NOT NULL DEFAULT '',
    sort_order INTEGER NOT NULL,
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX payment_methods_active_name ON payment_methods (name) WHERE active = 1 AND name <> '';
INSERT INTO payment_methods (id, kind, name, sort_order, created_at, updated_at) VALUES
    (1, 'cash', '', 1, 0, 0),
    (2, 'card', '', 2, 0, 0),
    (3, 'other', '', 3, 0, 0);

-- receipt_payments again, with the new kinds, the method and its name as
-- paid, and the cash tendered with its change (both written at insert).
-- SQLite cannot change a CHECK in place: the rows move to a new table.
-- DROP TABLE removes the append-only triggers before its implicit delete,
-- so they do not fire; they are created again on the new table.
CREATE TABLE receipt_payments_v6 (
    receipt_id     INTEGER NOT NULL REFERENCES receipts (id),
    line_no        INTEGER NOT NULL,
    method         TEXT    NOT NULL CHECK (method IN ('cash', 'card', 'e_wallet', 'transfer', 'stored_value', 'other')),
    method_id      INTEGER REFERENCES payment_methods (id),
    method_name    TEXT    NOT NULL DEFAULT '',
    amount_minor   INTEGER NOT NULL,
    tendered_minor INTEGER,
    change_minor   INTEGER,
    CHECK ((method = 'stored_value') = (method_id IS NULL)),
    CHECK ((tendered_minor IS NULL) = (change_minor IS NULL)),
    CHECK (tendered_minor IS NULL OR (method = 'cash' AND change_minor >= 0 AND change_minor = tendered_minor - amount_minor)),
    PRIMARY KEY (receipt_id, line_no)
) WITHOUT ROWID;
INSERT INTO receipt_payments_v6 (receipt_id, line_no, method, method_id, amount_minor)
SELECT receipt_id, line_no, method,
       CASE method WHEN 'cash' THEN 1 WHEN 'card' THEN 2 WHEN 'other' THEN 3 END,
       amount_minor
FROM receipt_payments;
DROP TABLE receipt_payments;
ALTER TABLE receipt_payments_v6 RENAME TO receipt_payments;
CREATE INDEX receipt_payments_method ON receipt_payments (method_id);
CREATE TRIGGER receipt_payments_append_only_u BEFORE UPDATE ON receipt_payments BEGIN SELECT RAISE(ABORT, 'receipts are append-only'); END;
CREATE TRIGGER receipt_payments_append_only_d BEFORE DELETE ON receipt_payments BEGIN SELECT RAISE(ABORT, 'receipts are append-only'); END;

-- Every count of the cash drawer for a shop day (append-only: a recount
-- is a new row, the latest counts). `expected_minor` is the opening float
-- plus the day's cash as the receipts stood at the count.
CREATE TABLE drawer_counts (
    id               INTEGER PRIMARY KEY,
    request_id       TEXT    NOT NULL UNIQUE,
    shop_day         TEXT    NOT NULL,
    float_minor      INTEGER NOT NULL CHECK (float_minor >= 0),
    counted_minor    INTEGER NOT NULL CHECK (counted_minor >= 0),
    expected_minor   INTEGER NOT NULL,
    over_short_minor INTEGER NOT NULL,
    cashier          TEXT    NOT NULL,
    note             TEXT    NOT NULL DEFAULT '',
    counted_at       INTEGER NOT NULL,
    CHECK (over_short_minor = counted_minor - expected_minor)
);
CREATE INDEX drawer_counts_day ON drawer_counts (shop_day, id);
CREATE TRIGGER drawer_counts_append_only_u BEFORE UPDATE ON drawer_counts BEGIN SELECT RAISE(ABORT, 'drawer counts are append-only'); END;
CREATE TRIGGER drawer_counts_append_only_d BEFORE DELETE ON drawer_counts BEGIN SELECT RAISE(ABORT, 'drawer counts are append-only'); END;
