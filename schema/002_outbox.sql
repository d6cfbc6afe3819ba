-- Schema 2: the notification outbox. Every order status change this node learns of
-- (from its own use cases or from merged changes) becomes an event for a customer-facing
-- system; central delivers them to a webhook with retries. Node-local: never replicated.
CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY,
    topic        TEXT NOT NULL,
    subject      TEXT NOT NULL,
    payload      TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    delivered_at INTEGER,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT
);
CREATE INDEX outbox_pending ON outbox(delivered_at, id);
