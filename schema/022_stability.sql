-- Schema 22: causal stability and log compaction (docs/STABILITY.md).
--
-- Central only: each store's promise (the stamp at or below which it will push no new change,
-- sent with every pull), when head office retired it (a retired store no longer holds the
-- frontier back), and the highest seq of it that central's latest `fenxiao backup` holds (a
-- store drops its own changes from its log only once a backup of central carries them).
ALTER TABLE peers ADD COLUMN stable_hlc INTEGER NOT NULL DEFAULT 0;
ALTER TABLE peers ADD COLUMN retired_at INTEGER;
ALTER TABLE peers ADD COLUMN durable_seq INTEGER NOT NULL DEFAULT 0;

-- Stores: per origin, the highest seq whose change left this node's log. A change of that
-- origin at or below it that arrives again (a re-pull) was held already: it is a duplicate.
CREATE TABLE log_compacted (
    origin TEXT PRIMARY KEY,
    seq    INTEGER NOT NULL
) WITHOUT ROWID;

-- The delta a member-ledger change wrote, before the points-return cap counted it: the cap
-- read it from the change, which may now leave the log.
ALTER TABLE member_ledger ADD COLUMN written INTEGER;
UPDATE member_ledger SET written = (
    SELECT json_extract(c.fields, '$.delta') FROM change_log c
    WHERE c.origin = member_ledger.origin AND c.seq = member_ledger.seq);
