-- Regulars schema, version 2: the shop's catalogue of products, so the
-- cashier picks items with their prices instead of typing amounts.

CREATE TABLE products (
    id               INTEGER PRIMARY KEY,
    name             TEXT    NOT NULL,
    price_minor      INTEGER NOT NULL CHECK (price_minor >= 0),
    earns_stamps     INTEGER NOT NULL DEFAULT 1 CHECK (earns_stamps IN (0, 1)),
    category         TEXT    NOT NULL DEFAULT '',
    sort_order       INTEGER NOT NULL DEFAULT 0,
    active           INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE UNIQUE INDEX products_active_name ON products (name) WHERE active = 1;

-- Which product a sale's line was, when it came from the catalogue
-- (for favourites and per-product repurchase cycles).
ALTER TABLE receipt_lines ADD COLUMN product_id INTEGER REFERENCES products (id);
