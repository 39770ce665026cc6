-- When the shop was set up (the first start's welcome finished: demo data
-- loaded, or the setup steps done or skipped). NULL = a new database, and
-- the app shows the welcome. A shop already in use before this migration
-- counts as set up.
ALTER TABLE shop_settings ADD COLUMN set_up_at INTEGER;
UPDATE shop_settings SET set_up_at = updated_at
WHERE id = 1
  AND (EXISTS (SELECT 1 FROM members) OR EXISTS (SELECT 1 FROM receipts)
       OR EXISTS (SELECT 1 FROM stamp_programs) OR EXISTS (SELECT 1 FROM products)
       OR updated_at > 0);

-- A receipt keeps the stamp program's name and reward as they were when it
-- was written, so editing a program later does not rewrite old receipts
-- (NULL on rows from before: those show the program's current words).
ALTER TABLE receipt_stamps ADD COLUMN program_name TEXT;
ALTER TABLE receipt_stamps ADD COLUMN reward_text TEXT;
