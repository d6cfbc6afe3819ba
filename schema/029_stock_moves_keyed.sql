-- Schema 29: a stock movement enters the (SKU, warehouse, hlc) index in batches, not one by
-- one (docs/STABILITY.md, "Movements keyed in batches"). A sale's lines land on random pages of
-- that index — 4 of the ~24 pages a store's sale wrote, 42 % of central's pages per pushed
-- batch. New movements are written with keyed = 0 and found through the small partial index
-- `stock_moves_unkeyed` (appended in id order); `UPDATE … SET keyed = 1` moves a few thousand
-- at a time into the key index, where they share pages. Reads by key take both halves.
ALTER TABLE stock_moves ADD COLUMN keyed INTEGER NOT NULL DEFAULT 1;
DROP INDEX stock_moves_key_hlc;
CREATE INDEX stock_moves_key_hlc ON stock_moves(sku, warehouse, hlc) WHERE keyed = 1;
CREATE INDEX stock_moves_unkeyed ON stock_moves(keyed) WHERE keyed = 0;
