-- PostgreSQL central, migration 1: the change log every central server shares (docs/POSTGRES.md).
-- Same columns as the SQLite log (schema/001_init.sql). `pos` is handed out under the row lock
-- of `log_head`, so positions become visible in commit order: a pull's cursor never skips a
-- change a slower transaction commits later.
CREATE TABLE change_log (
    pos    bigint NOT NULL UNIQUE,
    origin text   NOT NULL,
    seq    bigint NOT NULL,
    hlc    bigint NOT NULL,
    kind   text   NOT NULL,
    entity text   NOT NULL,
    op     text   NOT NULL,
    fields text   NOT NULL,
    ctx    text   NOT NULL,
    scope  text   NOT NULL,
    PRIMARY KEY (origin, seq)
);
CREATE INDEX change_log_pull ON change_log (scope, origin, pos);

-- The last position handed out (one row, locked by every append).
CREATE TABLE log_head (
    id  integer PRIMARY KEY CHECK (id = 1),
    pos bigint  NOT NULL
);
INSERT INTO log_head (id, pos) VALUES (1, 0);

-- Highest seq held per origin (each origin's changes are held without gaps).
CREATE TABLE version_vector (
    origin text   PRIMARY KEY,
    seq    bigint NOT NULL
);
