-- Regulars schema, version 3: how receipts are printed.

ALTER TABLE shop_settings ADD COLUMN receipt_paper TEXT NOT NULL DEFAULT 'mm80'
    CHECK (receipt_paper IN ('mm58', 'mm80', 'a4', 'a5'));
ALTER TABLE shop_settings ADD COLUMN auto_print INTEGER NOT NULL DEFAULT 0 CHECK (auto_print IN (0, 1));
-- The system printer to use ('' = the system's default printer).
ALTER TABLE shop_settings ADD COLUMN printer_name TEXT NOT NULL DEFAULT '';
-- A CJK-capable font file for receipts ('' = find one on the system).
ALTER TABLE shop_settings ADD COLUMN receipt_font_path TEXT NOT NULL DEFAULT '';
