-- Schema 6: the audit log (who did what, where). Replicated: a store's entries go to central.
CREATE TABLE audit_log (
    id      TEXT PRIMARY KEY,
    scope   TEXT NOT NULL,
    user    TEXT NOT NULL,
    action  TEXT NOT NULL,
    subject TEXT,
    at      INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX audit_log_user ON audit_log(user, at);
