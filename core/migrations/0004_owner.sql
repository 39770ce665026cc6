-- Regulars schema, version 4: the owner's view. Per-member visit
-- aggregates kept at checkout, the owner's thresholds, tiers with their
-- history, message templates and the win-back contact log.

-- The owner's thresholds (one row). Percentages are of a member's own
-- typical interval between visits (the median gap), used once the member
-- has `min_history_visits` visit days; the *_days defaults apply before.
CREATE TABLE owner_settings (
    id                  INTEGER PRIMARY KEY CHECK (id = 1),
    new_days            INTEGER NOT NULL DEFAULT 30  CHECK (new_days BETWEEN 1 AND 3650),
    s1_days             INTEGER NOT NULL DEFAULT 30  CHECK (s1_days >= 1),
    s2_days             INTEGER NOT NULL DEFAULT 60  CHECK (s2_days > s1_days),
    s3_days             INTEGER NOT NULL DEFAULT 120 CHECK (s3_days > s2_days AND s3_days <= 3650),
    s1_pct              INTEGER NOT NULL DEFAULT 200 CHECK (s1_pct >= 100),
    s2_pct              INTEGER NOT NULL DEFAULT 300 CHECK (s2_pct > s1_pct),
    s3_pct              INTEGER NOT NULL DEFAULT 500 CHECK (s3_pct > s2_pct AND s3_pct <= 10000),
    min_gap_days        INTEGER NOT NULL DEFAULT 7   CHECK (min_gap_days >= 1),
    min_history_visits  INTEGER NOT NULL DEFAULT 3   CHECK (min_history_visits BETWEEN 2 AND 100),
    tier_basis          TEXT    NOT NULL DEFAULT 'rolling' CHECK (tier_basis IN ('rolling', 'total')),
    tier_window_months  INTEGER NOT NULL DEFAULT 12  CHECK (tier_window_months BETWEEN 1 AND 24),
    birthday_template   TEXT    NOT NULL DEFAULT '{name} 生日快樂！生日當月來店，送您一杯招牌飲品。',
    -- The time zone the aggregates' days and months were computed in, and
    -- whether they are built at all (a shop upgraded from schema 3 has
    -- receipts but no aggregates yet: they are built on first use).
    aggregates_time_zone TEXT,
    aggregates_ready    INTEGER NOT NULL DEFAULT 0 CHECK (aggregates_ready IN (0, 1)),
    updated_at          INTEGER NOT NULL DEFAULT 0
);
INSERT INTO owner_settings (id, aggregates_ready, aggregates_time_zone)
SELECT 1, NOT EXISTS (SELECT 1 FROM receipts WHERE kind = 'sale'), time_zone FROM shop_settings WHERE id = 1;

-- Derived from the member's unvoided sales, written in the sale's or
-- void's own transaction (`store::owner`). Days are shop-local calendar
-- days counted from 0001-01-01 (day 1); months are YYYYMM.
CREATE TABLE member_stats (
    member_id      INTEGER PRIMARY KEY REFERENCES members (id),
    visit_days     INTEGER NOT NULL CHECK (visit_days >= 0),  -- distinct days with a sale
    first_day      INTEGER,
    last_day       INTEGER,
    gap_sum_days   INTEGER NOT NULL DEFAULT 0,                -- last_day - first_day
    recent_gaps    TEXT    NOT NULL DEFAULT '',               -- newest first, at most 12: "7,9,6"
    recent_months  TEXT    NOT NULL DEFAULT ''                -- newest first, at most 24: "202603:2:1200,202602:1:300"
);
CREATE INDEX member_stats_last_day ON member_stats (last_day);

-- The same per product, for repurchase cycles (lines with a product_id).
CREATE TABLE member_product_stats (
    member_id    INTEGER NOT NULL REFERENCES members (id),
    product_id   INTEGER NOT NULL REFERENCES products (id),
    visit_days   INTEGER NOT NULL CHECK (visit_days >= 0),
    first_day    INTEGER,
    last_day     INTEGER,
    gap_sum_days INTEGER NOT NULL DEFAULT 0,
    recent_gaps  TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (member_id, product_id)
) WITHOUT ROWID;
CREATE INDEX member_product_stats_product ON member_product_stats (product_id, last_day);

CREATE INDEX members_spend ON members (spend_minor);
CREATE INDEX members_tier ON members (tier);
CREATE INDEX members_joined ON members (joined_at);
CREATE INDEX receipts_kind_created ON receipts (kind, created_at);

-- Tiers the owner defines: a member holds the highest tier whose minimum
-- spend (over the rolling window, or in total) they reach.
CREATE TABLE tiers (
    id              INTEGER PRIMARY KEY,
    name            TEXT    NOT NULL UNIQUE,
    rank            INTEGER NOT NULL UNIQUE CHECK (rank >= 1),
    min_spend_minor INTEGER NOT NULL UNIQUE CHECK (min_spend_minor >= 0)
);

-- Every change of a member's tier (append-only).
CREATE TABLE tier_changes (
    id         INTEGER PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES members (id),
    from_tier  TEXT,
    to_tier    TEXT,
    reason     TEXT    NOT NULL CHECK (reason IN ('checkout', 'void', 'review')),
    receipt_id INTEGER REFERENCES receipts (id),
    spend_minor INTEGER NOT NULL,
    changed_at INTEGER NOT NULL
);
CREATE INDEX tier_changes_member ON tier_changes (member_id, changed_at);
CREATE INDEX tier_changes_receipt ON tier_changes (receipt_id);
CREATE TRIGGER tier_changes_append_only_u BEFORE UPDATE ON tier_changes BEGIN SELECT RAISE(ABORT, 'tier history is append-only'); END;
CREATE TRIGGER tier_changes_append_only_d BEFORE DELETE ON tier_changes BEGIN SELECT RAISE(ABORT, 'tier history is append-only'); END;

-- Outreach message templates, by name.
CREATE TABLE message_templates (
    name       TEXT    PRIMARY KEY,
    body       TEXT    NOT NULL,
    updated_at INTEGER NOT NULL
);

-- Win-back follow-up: who was contacted, how, and what they said (append-only).
CREATE TABLE member_contacts (
    id           INTEGER PRIMARY KEY,
    request_id   TEXT    NOT NULL UNIQUE,
    member_id    INTEGER NOT NULL REFERENCES members (id),
    channel      TEXT    NOT NULL CHECK (channel IN ('phone', 'sms', 'line', 'email', 'in_person', 'other')),
    outcome      TEXT    NOT NULL CHECK (outcome IN ('no_answer', 'reached', 'promised_visit', 'declined', 'wrong_number', 'other')),
    note         TEXT    NOT NULL DEFAULT '',
    cashier      TEXT    NOT NULL,
    contacted_at INTEGER NOT NULL
);
CREATE INDEX member_contacts_member ON member_contacts (member_id, contacted_at);
CREATE INDEX member_contacts_at ON member_contacts (contacted_at);
CREATE TRIGGER member_contacts_append_only_u BEFORE UPDATE ON member_contacts BEGIN SELECT RAISE(ABORT, 'the contact log is append-only'); END;
CREATE TRIGGER member_contacts_append_only_d BEFORE DELETE ON member_contacts BEGIN SELECT RAISE(ABORT, 'the contact log is append-only'); END;
