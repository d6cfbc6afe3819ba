-- Schema 14 (the till): tills enrolled at this node, staff PINs and till sessions. All three are
-- node-local bookkeeping, never replicated and outside the state hash: a till talks only to its
-- own store node, so every till of a store sees the same PINs offline. Only hashes are kept:
-- SHA-256 of a till's or a session's random token, bcrypt of a PIN.
CREATE TABLE tills (
    id          TEXT PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    added_at    INTEGER NOT NULL,
    revoked_at  INTEGER,
    last_seen_at INTEGER
);

CREATE TABLE staff_pins (
    user         TEXT PRIMARY KEY,
    pin_hash     TEXT NOT NULL,
    set_at       INTEGER NOT NULL,
    -- Wrong PINs in a row (an attempt counts before its hash is checked, so parallel guesses
    -- cannot pass the limit); a right PIN resets it.
    failures     INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER
);

CREATE TABLE till_sessions (
    token_hash   TEXT PRIMARY KEY,
    user         TEXT NOT NULL,
    till         TEXT NOT NULL,
    started_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    ended_at     INTEGER
);
CREATE INDEX till_sessions_till ON till_sessions(till);
