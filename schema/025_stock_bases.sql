-- Schema 25: a store folds settled stock movements (docs/STABILITY.md, "Closed orders").
--
-- Per (SKU, warehouse), the sum of the fact movements a store folded away — sales, receipts,
-- returns, transfers, adjustments stamped at or below the frontier, after the latest count at
-- or below it — stamped as the latest of them. The full fold reads it as one movement, so the
-- level is what it was; the movements' rows go (their digests stay in `hash_folds`).
CREATE TABLE stock_bases (
    sku       TEXT NOT NULL,
    warehouse TEXT NOT NULL,
    qty       INTEGER NOT NULL,
    hlc       INTEGER NOT NULL,
    origin    TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    rows      INTEGER NOT NULL,
    PRIMARY KEY (sku, warehouse)
) WITHOUT ROWID;
