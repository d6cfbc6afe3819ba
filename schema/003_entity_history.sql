-- Schema 3: a narrow history index instead of indexing every change by entity.
-- Only registers and orders are recomputed from their history; ledger entries, order lines
-- and payments are written once, so indexing them by entity only cost write time.
DROP INDEX change_log_entity;
CREATE TABLE entity_history (
    kind   TEXT NOT NULL,
    entity TEXT NOT NULL,
    origin TEXT NOT NULL,
    seq    INTEGER NOT NULL,
    PRIMARY KEY (kind, entity, origin, seq)
) WITHOUT ROWID;
INSERT INTO entity_history(kind, entity, origin, seq)
    SELECT kind, entity, origin, seq FROM change_log
    WHERE kind IN ('category', 'product', 'sku', 'warehouse', 'promotion', 'coupon', 'member', 'conflict_note',
                   'transfer', 'order');
-- Payments carry their change's identity, so the order rule can order them without the log.
ALTER TABLE payments ADD COLUMN origin TEXT NOT NULL DEFAULT '';
ALTER TABLE payments ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
UPDATE payments SET
    origin = COALESCE((SELECT c.origin FROM change_log c WHERE c.kind = 'payment' AND c.entity = payments.id), ''),
    seq = COALESCE((SELECT c.seq FROM change_log c WHERE c.kind = 'payment' AND c.entity = payments.id), 0);
