-- Schema 27: central keeps member ledgers folded for the snapshots it makes (docs/STABILITY.md,
-- "Folded member ledgers"), without removing a single entry of its own.
--
-- Per (member, account), the base a store would hold after folding below the frontier — the
-- columns of `member_bases` — plus the digest of the entries it stands for (for the snapshot's
-- `hash_folds`). Advanced from the entries that came since the last snapshot, so a snapshot
-- costs what changed, not the chain's whole history. A row with `rows` 0 is a member whose
-- entries could not fold yet (an order not final): looked at again on the next snapshot.
CREATE TABLE snapshot_member_bases (
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
    d0        INTEGER NOT NULL DEFAULT 0,
    d1        INTEGER NOT NULL DEFAULT 0,
    d2        INTEGER NOT NULL DEFAULT 0,
    d3        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (member, account)
) WITHOUT ROWID;
