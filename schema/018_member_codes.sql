-- Schema 18 (the members' mall, first part): one-time login codes sent to members' phones, the
-- requests counted for rate limits, and members' mall sessions. Central-only bookkeeping like the
-- console's passwords and sessions (schema 16): never replicated, outside the state hash, only
-- hashes kept (SHA-256 of a code with its salt, SHA-256 of a session's random token).
CREATE TABLE member_codes (
    phone       TEXT PRIMARY KEY,
    code_hash   TEXT NOT NULL,
    salt        TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    -- Wrong codes given for this code; at the limit it is dead (a new one must be requested).
    tries       INTEGER NOT NULL DEFAULT 0,
    used_at     INTEGER
);

-- One row per code request or login attempt, by what it counts against (`phone:<number>`,
-- `ip:<address>`, `login-ip:<address>`); rows older than a day are dropped as new ones come.
CREATE TABLE member_code_requests (
    key TEXT NOT NULL,
    at  INTEGER NOT NULL
);
CREATE INDEX member_code_requests_key ON member_code_requests(key, at);

CREATE TABLE member_sessions (
    token_hash   TEXT PRIMARY KEY,
    member       TEXT NOT NULL,
    -- The session's CSRF token: every form the mall serves carries it, every POST must.
    csrf         TEXT NOT NULL,
    started_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    ended_at     INTEGER
);
CREATE INDEX member_sessions_member ON member_sessions(member);
