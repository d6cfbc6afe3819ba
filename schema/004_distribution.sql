-- Schema 4: distribution (分销). Commissions are derived, like conflicts: recomputed from the
-- order (its snapshotted upline chain, payments, refunds) and the commission rule version in
-- force when it was paid, so every node holding the same changes has the same ledger.
ALTER TABLE orders ADD COLUMN upline TEXT;
CREATE TABLE commissions (
    order_id       TEXT NOT NULL,
    level          INTEGER NOT NULL,
    scope          TEXT NOT NULL,
    distributor    TEXT NOT NULL,
    rule           TEXT NOT NULL,
    earn_cents     INTEGER NOT NULL,
    reversed_cents INTEGER NOT NULL,
    paid_at        INTEGER,
    completed_at   INTEGER,
    window_days    INTEGER NOT NULL,
    PRIMARY KEY (order_id, level)
) WITHOUT ROWID;
CREATE INDEX commissions_distributor ON commissions(distributor);
