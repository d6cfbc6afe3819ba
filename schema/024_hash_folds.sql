-- Schema 24: closed orders leave the stores, and a state hash that survives it (docs/STABILITY.md, "Closed orders").
--
-- The state hash of a table is a multiset digest: the sum, lane by lane (four 64-bit lanes,
-- wrapping), of the SHA-256 of each row. A node that removes settled rows (a store dropping
-- orders whose after-sale period closed below the frontier) adds their digests here, per
-- table and scope, so its hash stays the one of a node that kept them.
CREATE TABLE hash_folds (
    tbl   TEXT NOT NULL,
    scope TEXT NOT NULL,
    d0    INTEGER NOT NULL DEFAULT 0,
    d1    INTEGER NOT NULL DEFAULT 0,
    d2    INTEGER NOT NULL DEFAULT 0,
    d3    INTEGER NOT NULL DEFAULT 0,
    rows  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tbl, scope)
) WITHOUT ROWID;

-- The after-sale period an order was sold with (`OrderClosing`; null: it never closes). Once
-- the stability frontier passes its closing time nothing can change it, and a store drops it.
ALTER TABLE orders ADD COLUMN close_days INTEGER;
CREATE INDEX orders_closing ON orders(created_hlc) WHERE close_days IS NOT NULL;
