-- Schema 26: a store folds settled member-ledger entries (docs/STABILITY.md, "Folded member
-- ledgers").
--
-- Per (member, account), what the entries stamped before `upto` (a wall millisecond) add up
-- to: their sum (the balance's base), the sum of the credits (lifetime points earned), and —
-- for points — where the expiry walk stands after them (`PointsExpiry.State`: the unspent lots
-- with their expiry, the debt, the expired points, as JSON). Stamped as the latest of them.
-- The entries' rows go; their digests stay in `hash_folds`.
CREATE TABLE member_bases (
    member    TEXT NOT NULL,
    account   TEXT NOT NULL,
    scope     TEXT NOT NULL,
    balance   INTEGER NOT NULL,
    earned    INTEGER NOT NULL,
    expiry    TEXT,
    upto      INTEGER NOT NULL,
    hlc       INTEGER NOT NULL,
    origin    TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    rows      INTEGER NOT NULL,
    PRIMARY KEY (member, account)
) WITHOUT ROWID;

-- Per member, what the orders a store dropped once closed had spent (paid less refunded,
-- pending and cancelled left out): lifetime spend stays what the orders gave.
CREATE TABLE member_spend_bases (
    member    TEXT PRIMARY KEY,
    spend     INTEGER NOT NULL,
    orders    INTEGER NOT NULL
) WITHOUT ROWID;

-- A ledger entry on an order with an after-sale period: when that order closes (the change's
-- `order_closes_at`), so the store can tell the order's entries are final without the order.
ALTER TABLE member_ledger ADD COLUMN order_closes_at INTEGER;
