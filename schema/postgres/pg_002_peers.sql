-- PostgreSQL central, migration 2: the enrolled nodes every central server shares
-- (Storage's `peers` columns). `version` is raised on every change under the row lock of
-- `peers_head`, so versions become visible in commit order and a server copying the rows
-- changed after the version it last saw never misses one.
CREATE TABLE peers (
    node        text    PRIMARY KEY,
    token_hash  text    NOT NULL,
    revoked     boolean NOT NULL DEFAULT false,
    acked_seq   bigint  NOT NULL DEFAULT 0,
    last_push   bigint,
    last_pull   bigint,
    pull_cursor bigint  NOT NULL DEFAULT 0,
    enrolled_at bigint  NOT NULL,
    stable_hlc  bigint  NOT NULL DEFAULT 0,
    retired_at  bigint,
    durable_seq bigint  NOT NULL DEFAULT 0,
    version     bigint  NOT NULL
);
CREATE INDEX peers_version ON peers (version);

-- The last version handed out (one row, locked by every change of `peers`).
CREATE TABLE peers_head (
    id      integer PRIMARY KEY CHECK (id = 1),
    version bigint  NOT NULL
);
INSERT INTO peers_head (id, version) VALUES (1, 0);

-- The chain's identity (`central@created_at` in `hello`): the first server's creation time,
-- which every server initialized later takes, so stores see one chain whichever they reach.
CREATE TABLE chain (
    id         integer PRIMARY KEY CHECK (id = 1),
    created_at bigint  NOT NULL
);
