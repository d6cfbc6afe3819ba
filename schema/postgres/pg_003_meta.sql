-- PostgreSQL central, migration 3: central's epoch bookkeeping (sync/PROTOCOL.md §8.6) shared
-- by every server — the epoch, where a restored log ends, central's own seq floor, the stores
-- still waited for and what they reported. Versions come from `peers_head`, under its row
-- lock, so they become visible in commit order.
CREATE TABLE central_meta (
    key     text   PRIMARY KEY,
    value   text   NOT NULL,
    version bigint NOT NULL
);
CREATE INDEX central_meta_version ON central_meta (version);
