-- Regulars schema, version 9: staff accounts with PINs, the limits of each
-- role, and an append-only, hash-chained audit log of every write and every
-- security event.

-- A PIN is kept as an Argon2id hash under one salt per shop (`pin_salt`
-- below), so the PIN alone finds its staff member in one check and two
-- staff members cannot share a PIN (the unique index).
CREATE TABLE staff (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL,
    role         TEXT    NOT NULL CHECK (role IN ('owner', 'manager', 'cashier')),
    pin_hash     TEXT    NOT NULL,
    active       INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at   INTEGER NOT NULL,
    disabled_at  INTEGER
);
CREATE UNIQUE INDEX staff_pin ON staff (pin_hash) WHERE active = 1;
CREATE UNIQUE INDEX staff_active_name ON staff (name) WHERE active = 1;
CREATE TRIGGER staff_no_delete BEFORE DELETE ON staff BEGIN
    SELECT RAISE(ABORT, 'staff are disabled, never deleted');
END;

-- The shop's PIN salt, the PIN pad's failure count and lock (kept here so a
-- restart does not reset them), and the limits the owner set.
CREATE TABLE staff_security (
    id                        INTEGER PRIMARY KEY CHECK (id = 1),
    pin_salt                  BLOB    NOT NULL,
    failures                  INTEGER NOT NULL DEFAULT 0,
    locked_until              INTEGER NOT NULL DEFAULT 0,
    cashier_void_minutes      INTEGER,
    cashier_void_max_minor    INTEGER,
    manager_adjust_max_minor  INTEGER,
    idle_lock_minutes         INTEGER,
    denied                    TEXT    NOT NULL DEFAULT '[]'
);
INSERT INTO staff_security (id, pin_salt) VALUES (1, randomblob(16));

-- Receipts name the staff member who wrote them and the one who approved
-- them; receipts from before keep their free-text cashier.
ALTER TABLE receipts ADD COLUMN staff_id INTEGER REFERENCES staff (id);
ALTER TABLE receipts ADD COLUMN approver_id INTEGER REFERENCES staff (id);
ALTER TABLE receipts ADD COLUMN approver_name TEXT;

CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY,
    at              INTEGER NOT NULL,
    kind            TEXT    NOT NULL,
    staff_id        INTEGER,
    staff_name      TEXT    NOT NULL,
    approver_id     INTEGER,
    approver_name   TEXT,
    request_id      TEXT,
    receipt_number  INTEGER,
    member_id       INTEGER,
    detail          TEXT    NOT NULL DEFAULT '{}',
    prev_hash       TEXT    NOT NULL,
    hash            TEXT    NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_staff ON audit_log (staff_id, at);
CREATE TRIGGER audit_log_append_only_u BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_append_only_d BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
