-- Schema 12 (conflict facts): a conflict record keeps what happened as data (`facts`, JSON of
-- `ConflictFacts`), so each face renders it in its reader's language. `detail` keeps the English
-- sentence. Conflicts are derived: rows written before this migration get their facts when
-- their key is next recomputed, and are shown with their stored sentence until then.
ALTER TABLE conflicts ADD COLUMN facts TEXT;
