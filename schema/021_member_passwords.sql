-- Schema 21 (the members' mall): a member's optional mall password, as a bcrypt hash. Central-
-- only like the login codes (schema 18): never replicated, outside the state hash.
CREATE TABLE member_passwords (
    member  TEXT PRIMARY KEY,
    hash    TEXT NOT NULL,
    set_at  INTEGER NOT NULL
);
