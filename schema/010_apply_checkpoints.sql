-- Schema 10 (apply checkpoints): derived state is advanced from a checkpoint by the changes
-- after it, so applying a change costs the same on day 1 and in year 3 (see
-- `ChangeApplier+Checkpoints.swift`). A row with checkpoint = 0 (every row written before this
-- migration) is re-folded from its whole ledger on its next change, then advanced.

-- Stock: on_hand is "the latest count plus every fact after it"; the level remembers that
-- count, so a later fact is added and an older one is ignored without re-reading the ledger.
ALTER TABLE stock_levels ADD COLUMN count_hlc INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stock_levels ADD COLUMN count_origin TEXT NOT NULL DEFAULT '';
ALTER TABLE stock_levels ADD COLUMN count_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stock_levels ADD COLUMN checkpoint INTEGER NOT NULL DEFAULT 0;

-- The allocations of a (SKU, warehouse) that no movement has released yet (usually a handful):
-- reservations are granted over these, not over every allocation ever made. A release counts
-- as in `StockMoveRule` (a cancel's release only while its order is cancelled). `reallocated`: a
-- `reallocate` movement names it (it stays displaced until released).
CREATE TABLE stock_open_allocations (
    sku         TEXT NOT NULL,
    warehouse   TEXT NOT NULL,
    id          TEXT NOT NULL,
    qty         INTEGER NOT NULL,
    hlc         INTEGER NOT NULL,
    origin      TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    reallocated INTEGER NOT NULL,
    PRIMARY KEY (sku, warehouse, id)
) WITHOUT ROWID;

-- Which movements end an allocation (also serves the order use cases' "not yet released" look-ups).
CREATE INDEX stock_moves_releases ON stock_moves(releases) WHERE releases IS NOT NULL;
-- The latest debits of a key, newest first (who oversold), without reading its whole ledger.
CREATE INDEX stock_moves_key_hlc ON stock_moves(sku, warehouse, hlc);
DROP INDEX stock_moves_key;

INSERT INTO stock_open_allocations(sku, warehouse, id, qty, hlc, origin, seq, reallocated)
SELECT a.sku, a.warehouse, a.id, a.qty, a.hlc, a.origin, a.seq,
       EXISTS (SELECT 1 FROM stock_moves r WHERE r.releases = a.id AND r.sku = a.sku AND r.warehouse = a.warehouse
               AND r.reason = 'reallocate')
FROM stock_moves a
WHERE a.reason = 'allocate'
  AND NOT EXISTS (SELECT 1 FROM stock_moves r WHERE r.releases = a.id AND r.sku = a.sku AND r.warehouse = a.warehouse
                  AND r.reason <> 'reallocate'
                  AND (r.cancel_of IS NULL
                       OR COALESCE((SELECT o.status FROM orders o WHERE o.id = r.cancel_of), 'cancelled') = 'cancelled'));

-- Member ledgers: the newest entry the balance includes; newer entries are added to it.
ALTER TABLE member_balances ADD COLUMN last_hlc INTEGER NOT NULL DEFAULT 0;
ALTER TABLE member_balances ADD COLUMN last_origin TEXT NOT NULL DEFAULT '';
ALTER TABLE member_balances ADD COLUMN last_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE member_balances ADD COLUMN checkpoint INTEGER NOT NULL DEFAULT 0;
