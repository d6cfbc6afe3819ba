-- Schema 5: each stock level remembers the newest movement it includes and whether the
-- (SKU, warehouse) ever had a reservation, so appending a newer fact (the common case: a
-- sale at the counter, a receipt) updates the level without re-reading the whole ledger.
ALTER TABLE stock_levels ADD COLUMN last_hlc INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stock_levels ADD COLUMN last_origin TEXT NOT NULL DEFAULT '';
ALTER TABLE stock_levels ADD COLUMN last_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stock_levels ADD COLUMN reservations INTEGER NOT NULL DEFAULT 1;
