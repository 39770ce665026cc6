-- Regulars schema, version 1.
-- Money columns are *_minor INTEGER (minor units of the shop's currency);
-- times are *_at INTEGER (UTC milliseconds since the Unix epoch).
-- Receipts and ledgers are append-only: triggers refuse UPDATE and DELETE.

CREATE TABLE shop_settings (
    id                    INTEGER PRIMARY KEY CHECK (id = 1),
    name                  TEXT    NOT NULL,
    address               TEXT    NOT NULL DEFAULT '',
    phone                 TEXT    NOT NULL DEFAULT '',
    currency              TEXT    NOT NULL DEFAULT 'TWD',
    currency_minor_digits INTEGER NOT NULL DEFAULT 0,
    time_zone             TEXT    NOT NULL DEFAULT 'Asia/Taipei',
    receipt_footer        TEXT    NOT NULL DEFAULT '',
    updated_at            INTEGER NOT NULL
);
INSERT INTO shop_settings (id, name, receipt_footer, updated_at)
VALUES (1, '我的小店', '謝謝光臨，歡迎再來！', 0);

CREATE TABLE members (
    id                 INTEGER PRIMARY KEY,
    member_no          TEXT    NOT NULL UNIQUE,
    name               TEXT    NOT NULL,
    name_fold          TEXT    NOT NULL,          -- lower-case name, for prefix search
    name_rev           TEXT    NOT NULL,          -- reversed lower-case name, for suffix search
    phone              TEXT,                      -- as entered
    phone_digits       TEXT    UNIQUE,            -- normalised digits
    phone_rev          TEXT,                      -- reversed digits, for "last 4 digits"
    email              TEXT,
    birthday_month     INTEGER CHECK (birthday_month BETWEEN 1 AND 12),
    birthday_day       INTEGER CHECK (birthday_day BETWEEN 1 AND 31),
    birthday_year      INTEGER,
    notes              TEXT    NOT NULL DEFAULT '',
    card_code          TEXT    NOT NULL UNIQUE,
    referred_by        INTEGER REFERENCES members (id),
    joined_at          INTEGER NOT NULL,
    archived           INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    tier               TEXT,
    request_id         TEXT    UNIQUE,            -- the registration's request id (idempotency)
    -- Derived values, written in the same transaction as the ledger rows
    -- that change them; the ledgers are the truth.
    wallet_paid_minor  INTEGER NOT NULL DEFAULT 0 CHECK (wallet_paid_minor >= 0),
    wallet_bonus_minor INTEGER NOT NULL DEFAULT 0 CHECK (wallet_bonus_minor >= 0),
    visit_count        INTEGER NOT NULL DEFAULT 0 CHECK (visit_count >= 0),
    spend_minor        INTEGER NOT NULL DEFAULT 0,
    first_visit_at     INTEGER,
    last_visit_at      INTEGER,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL
);
CREATE INDEX members_name_fold ON members (name_fold);
CREATE INDEX members_name_rev ON members (name_rev);
CREATE INDEX members_phone_rev ON members (phone_rev);
CREATE INDEX members_birthday ON members (birthday_month, birthday_day);
CREATE INDEX members_last_visit ON members (last_visit_at);

CREATE TABLE member_tags (
    member_id INTEGER NOT NULL REFERENCES members (id),
    tag       TEXT    NOT NULL,
    PRIMARY KEY (member_id, tag)
) WITHOUT ROWID;
CREATE INDEX member_tags_tag ON member_tags (tag);

-- Substring search on names (Chinese or Latin, case-insensitive) for
-- queries of three or more characters.
CREATE VIRTUAL TABLE members_fts USING fts5 (
    name, content = 'members', content_rowid = 'id', tokenize = 'trigram'
);
CREATE TRIGGER members_fts_insert AFTER INSERT ON members BEGIN
    INSERT INTO members_fts (rowid, name) VALUES (new.id, new.name);
END;
CREATE TRIGGER members_fts_update AFTER UPDATE OF name ON members BEGIN
    INSERT INTO members_fts (members_fts, rowid, name) VALUES ('delete', old.id, old.name);
    INSERT INTO members_fts (rowid, name) VALUES (new.id, new.name);
END;
CREATE TRIGGER members_no_delete BEFORE DELETE ON members BEGIN
    SELECT RAISE(ABORT, 'members are archived, never deleted');
END;

CREATE TABLE stamp_programs (
    id                INTEGER PRIMARY KEY,
    name              TEXT    NOT NULL UNIQUE,
    stamps_needed     INTEGER NOT NULL CHECK (stamps_needed BETWEEN 1 AND 1000),
    reward_text       TEXT    NOT NULL,
    earn_rule         TEXT    NOT NULL CHECK (earn_rule IN ('per_visit', 'per_item', 'per_amount')),
    earn_amount_minor INTEGER CHECK (earn_amount_minor IS NULL OR earn_amount_minor > 0),
    expiry_days       INTEGER CHECK (expiry_days IS NULL OR expiry_days > 0),
    active            INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at        INTEGER NOT NULL
);

CREATE TABLE stamp_cards (
    member_id  INTEGER NOT NULL REFERENCES members (id),
    program_id INTEGER NOT NULL REFERENCES stamp_programs (id),
    stamps     INTEGER NOT NULL CHECK (stamps >= 0),
    PRIMARY KEY (member_id, program_id)
) WITHOUT ROWID;

CREATE TABLE top_up_bonus_rules (
    id             INTEGER PRIMARY KEY,
    min_paid_minor INTEGER NOT NULL UNIQUE CHECK (min_paid_minor > 0),
    bonus_minor    INTEGER NOT NULL DEFAULT 0 CHECK (bonus_minor >= 0),
    bonus_bp       INTEGER NOT NULL DEFAULT 0 CHECK (bonus_bp BETWEEN 0 AND 10000),
    created_at     INTEGER NOT NULL
);

CREATE TABLE receipts (
    id                  INTEGER PRIMARY KEY,
    number              INTEGER NOT NULL UNIQUE CHECK (number > 0),
    kind                TEXT    NOT NULL CHECK (kind IN ('sale', 'top_up', 'redeem', 'refund', 'adjust', 'void')),
    request_id          TEXT    NOT NULL UNIQUE,
    member_id           INTEGER NOT NULL REFERENCES members (id),
    cashier             TEXT    NOT NULL,
    currency            TEXT    NOT NULL,
    total_minor         INTEGER NOT NULL,
    bonus_minor         INTEGER NOT NULL DEFAULT 0,
    wallet_paid_before  INTEGER NOT NULL,
    wallet_bonus_before INTEGER NOT NULL,
    wallet_paid_after   INTEGER NOT NULL CHECK (wallet_paid_after >= 0),
    wallet_bonus_after  INTEGER NOT NULL CHECK (wallet_bonus_after >= 0),
    voids_receipt_id    INTEGER UNIQUE REFERENCES receipts (id),
    note                TEXT    NOT NULL DEFAULT '',
    created_at          INTEGER NOT NULL
);
CREATE INDEX receipts_member ON receipts (member_id, created_at);
CREATE INDEX receipts_created ON receipts (created_at);

CREATE TABLE receipt_lines (
    receipt_id       INTEGER NOT NULL REFERENCES receipts (id),
    line_no          INTEGER NOT NULL,
    description      TEXT    NOT NULL,
    quantity         INTEGER NOT NULL,
    unit_price_minor INTEGER NOT NULL,
    amount_minor     INTEGER NOT NULL,
    earns_stamps     INTEGER NOT NULL CHECK (earns_stamps IN (0, 1)),
    PRIMARY KEY (receipt_id, line_no)
) WITHOUT ROWID;

CREATE TABLE receipt_payments (
    receipt_id   INTEGER NOT NULL REFERENCES receipts (id),
    line_no      INTEGER NOT NULL,
    method       TEXT    NOT NULL CHECK (method IN ('cash', 'card', 'stored_value', 'other')),
    amount_minor INTEGER NOT NULL,
    PRIMARY KEY (receipt_id, line_no)
) WITHOUT ROWID;

CREATE TABLE receipt_stamps (
    receipt_id    INTEGER NOT NULL REFERENCES receipts (id),
    program_id    INTEGER NOT NULL REFERENCES stamp_programs (id),
    stamps_before INTEGER NOT NULL,
    earned        INTEGER NOT NULL,
    redeemed      INTEGER NOT NULL,   -- rewards redeemed (each uses stamps_needed)
    expired       INTEGER NOT NULL,
    stamps_after  INTEGER NOT NULL CHECK (stamps_after >= 0),
    PRIMARY KEY (receipt_id, program_id)
) WITHOUT ROWID;

CREATE TABLE wallet_ledger (
    id                INTEGER PRIMARY KEY,
    member_id         INTEGER NOT NULL REFERENCES members (id),
    receipt_id        INTEGER NOT NULL REFERENCES receipts (id),
    kind              TEXT    NOT NULL CHECK (kind IN ('top_up', 'spend', 'refund', 'forfeit', 'adjust', 'void')),
    paid_delta_minor  INTEGER NOT NULL,
    bonus_delta_minor INTEGER NOT NULL,
    created_at        INTEGER NOT NULL
);
CREATE INDEX wallet_ledger_member ON wallet_ledger (member_id);
CREATE INDEX wallet_ledger_receipt ON wallet_ledger (receipt_id);
CREATE INDEX wallet_ledger_created ON wallet_ledger (created_at);

CREATE TABLE stamp_ledger (
    id         INTEGER PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES members (id),
    program_id INTEGER NOT NULL REFERENCES stamp_programs (id),
    receipt_id INTEGER NOT NULL REFERENCES receipts (id),
    kind       TEXT    NOT NULL CHECK (kind IN ('earn', 'redeem', 'expire', 'void', 'adjust')),
    delta      INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX stamp_ledger_card ON stamp_ledger (member_id, program_id, created_at);
CREATE INDEX stamp_ledger_receipt ON stamp_ledger (receipt_id);

CREATE TRIGGER receipts_append_only_u BEFORE UPDATE ON receipts BEGIN SELECT RAISE(ABORT, 'receipts are append-only'); END;
CREATE TRIGGER receipts_append_only_d BEFORE DELETE ON receipts BEGIN SELECT RAISE(ABORT, 'receipts are append-only'); END;
CREATE TRIGGER receipt_lines_append_only_u BEFORE UPDATE ON receipt_lines BEGIN SELECT RAISE(ABORT, 'receipts are append-only'); END;
CREATE TRIGGER receipt_lines_append_only_d BEFORE DELETE ON receipt_lines BEGIN SELECT RAISE(ABORT, 'receipts are append-only'); END;
CREATE TRIGGER receipt_payments_append_only_u BEFORE UPDATE ON receipt_payments BEGIN SELECT RAISE(ABORT, 'receipts are append-only'); END;
CREATE TRIGGER receipt_payments_append_only_d BEFORE DELETE ON receipt_payments BEGIN SELECT RAISE(ABORT, 'receipts are append-only'); END;
CREATE TRIGGER receipt_stamps_append_only_u BEFORE UPDATE ON receipt_stamps BEGIN SELECT RAISE(ABORT, 'receipts are append-only'); END;
CREATE TRIGGER receipt_stamps_append_only_d BEFORE DELETE ON receipt_stamps BEGIN SELECT RAISE(ABORT, 'receipts are append-only'); END;
CREATE TRIGGER wallet_ledger_append_only_u BEFORE UPDATE ON wallet_ledger BEGIN SELECT RAISE(ABORT, 'ledgers are append-only'); END;
CREATE TRIGGER wallet_ledger_append_only_d BEFORE DELETE ON wallet_ledger BEGIN SELECT RAISE(ABORT, 'ledgers are append-only'); END;
CREATE TRIGGER stamp_ledger_append_only_u BEFORE UPDATE ON stamp_ledger BEGIN SELECT RAISE(ABORT, 'ledgers are append-only'); END;
CREATE TRIGGER stamp_ledger_append_only_d BEFORE DELETE ON stamp_ledger BEGIN SELECT RAISE(ABORT, 'ledgers are append-only'); END;
