-- Regulars schema, version 17: moving a shop in from another system.
--
-- The money, stamps and points a member brings from the old system start
-- their ledgers at one receipt of the new kind 'opening' (an opening
-- balance: no payment rows, so no drawer counts it as cash taken); its
-- stored value moves by wallet ledger rows of the new kind 'opening'. Both
-- kind lists are loosened in place, as migration 0016 did for 'reward':
-- the runner bumps the schema cookie after a writable_schema edit.

PRAGMA writable_schema = ON;
UPDATE sqlite_schema
SET sql = replace(sql, '''void'', ''reward''))', '''void'', ''reward'', ''opening''))')
WHERE type = 'table' AND name = 'receipts';
UPDATE sqlite_schema
SET sql = replace(sql, '''adjust'', ''void''))', '''adjust'', ''void'', ''opening''))')
WHERE type = 'table' AND name = 'wallet_ledger';
PRAGMA writable_schema = OFF;

-- The member number the old system gave (cards and lists already printed
-- with it keep finding the member).
ALTER TABLE members ADD COLUMN old_member_no TEXT;
CREATE UNIQUE INDEX members_old_member_no ON members (old_member_no) WHERE old_member_no IS NOT NULL;

-- One row per committed import: the file (its SHA-256 refuses a second
-- import of the same file), its rows and what it brought in, who and when.
CREATE TABLE member_imports (
    id           INTEGER PRIMARY KEY,
    file_name    TEXT    NOT NULL,
    file_sha256  TEXT    NOT NULL UNIQUE,
    encoding     TEXT    NOT NULL,
    rows         INTEGER NOT NULL,
    members      INTEGER NOT NULL,
    paid_minor   INTEGER NOT NULL,
    bonus_minor  INTEGER NOT NULL,
    stamps       INTEGER NOT NULL,
    points       INTEGER NOT NULL,
    staff_id     INTEGER REFERENCES staff (id),
    by_name      TEXT    NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE TRIGGER member_imports_append_only_u BEFORE UPDATE ON member_imports BEGIN SELECT RAISE(ABORT, 'import reports are append-only'); END;
CREATE TRIGGER member_imports_append_only_d BEFORE DELETE ON member_imports BEGIN SELECT RAISE(ABORT, 'import reports are append-only'); END;

-- A member's purchases before this till, as the old system summed them
-- (first and last purchase day in the shop's calendar, how many, how
-- much). The owner's figures start from it; no receipt pretends to be one
-- of those purchases.
CREATE TABLE member_history_summaries (
    member_id          INTEGER PRIMARY KEY REFERENCES members (id),
    import_id          INTEGER NOT NULL REFERENCES member_imports (id),
    first_purchase_on  TEXT    NOT NULL CHECK (length(first_purchase_on) = 10),
    last_purchase_on   TEXT    NOT NULL CHECK (length(last_purchase_on) = 10),
    purchases          INTEGER NOT NULL CHECK (purchases > 0),
    spend_minor        INTEGER NOT NULL CHECK (spend_minor >= 0)
);
CREATE TRIGGER member_history_summaries_append_only_u BEFORE UPDATE ON member_history_summaries BEGIN SELECT RAISE(ABORT, 'history summaries are append-only'); END;

-- The column mapping last used for a file layout (its headings' signature).
CREATE TABLE import_mappings (
    signature   TEXT    PRIMARY KEY,
    mapping     TEXT    NOT NULL,
    updated_at  INTEGER NOT NULL
);
