-- The owner's weekly figures sum the sales of a period: with the total in
-- the index they are read from the index alone (about four times faster at
-- two million receipts) instead of one table lookup per sale.
DROP INDEX receipts_kind_created;
CREATE INDEX receipts_kind_created ON receipts (kind, created_at, total_minor);
