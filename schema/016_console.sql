-- Schema 16 (the head-office console): console passwords and console sessions. Node-local
-- bookkeeping like the till's PINs and sessions (schema 14): never replicated, outside the
-- state hash, only hashes kept (bcrypt of a password, SHA-256 of a session's random token).
CREATE TABLE console_passwords (
    user          TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    set_at        INTEGER NOT NULL,
    -- Wrong passwords in a row (counted before the hash is checked); a right one resets it.
    failures      INTEGER NOT NULL DEFAULT 0,
    locked_until  INTEGER
);

CREATE TABLE console_sessions (
    token_hash   TEXT PRIMARY KEY,
    user         TEXT NOT NULL,
    -- The session's CSRF token: every form the console serves carries it, every POST must.
    csrf         TEXT NOT NULL,
    started_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    ended_at     INTEGER
);
CREATE INDEX console_sessions_user ON console_sessions(user);
