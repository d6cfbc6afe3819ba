-- Fenxiao schema 1: node bookkeeping, the change log, and the materialized replicated state.
-- Every replicated table carries `scope` ('global' or 'node:<id>') so central can filter
-- pulls and compute a store's state hash.

-- Node-local bookkeeping (never replicated, never hashed).
CREATE TABLE node_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- The change log: every change this node holds, own and received, in receipt order (pos).
CREATE TABLE change_log (
    pos    INTEGER PRIMARY KEY,
    origin TEXT NOT NULL,
    seq    INTEGER NOT NULL,
    hlc    INTEGER NOT NULL,
    kind   TEXT NOT NULL,
    entity TEXT NOT NULL,
    op     TEXT NOT NULL,
    fields TEXT NOT NULL,
    ctx    TEXT NOT NULL,
    scope  TEXT NOT NULL,
    UNIQUE (origin, seq)
);
CREATE INDEX change_log_entity ON change_log(kind, entity);

-- Highest seq held per origin.
CREATE TABLE version_vector (
    origin TEXT PRIMARY KEY,
    seq    INTEGER NOT NULL
) WITHOUT ROWID;

-- Field-level registers: catalog, warehouses, promotions, coupons, members, conflict notes.
CREATE TABLE registers (
    kind   TEXT NOT NULL,
    id     TEXT NOT NULL,
    scope  TEXT NOT NULL,
    fields TEXT NOT NULL,
    stamps TEXT NOT NULL,
    vv     TEXT NOT NULL,
    PRIMARY KEY (kind, id)
) WITHOUT ROWID;

CREATE TABLE orders (
    id             TEXT PRIMARY KEY,
    scope          TEXT NOT NULL,
    store          TEXT,
    member         TEXT,
    channel        TEXT,
    status         TEXT NOT NULL,
    subtotal_cents INTEGER NOT NULL DEFAULT 0,
    discount_cents INTEGER NOT NULL DEFAULT 0,
    total_cents    INTEGER NOT NULL DEFAULT 0,
    paid_cents     INTEGER NOT NULL DEFAULT 0,
    refunded_cents INTEGER NOT NULL DEFAULT 0,
    pay_method     TEXT,
    coupon         TEXT,
    warehouse      TEXT,
    created_at     INTEGER,
    created_hlc    INTEGER
) WITHOUT ROWID;
CREATE INDEX orders_status ON orders(status);

CREATE TABLE order_lines (
    order_id       TEXT NOT NULL,
    line           INTEGER NOT NULL,
    scope          TEXT NOT NULL,
    sku            TEXT NOT NULL,
    name           TEXT NOT NULL,
    qty            INTEGER NOT NULL,
    unit_cents     INTEGER NOT NULL,
    discount_cents INTEGER NOT NULL,
    PRIMARY KEY (order_id, line)
) WITHOUT ROWID;

CREATE TABLE payments (
    id           TEXT PRIMARY KEY,
    scope        TEXT NOT NULL,
    order_id     TEXT NOT NULL,
    method       TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    hlc          INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX payments_order ON payments(order_id);

CREATE TABLE refunds (
    id           TEXT PRIMARY KEY,
    scope        TEXT NOT NULL,
    order_id     TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    method       TEXT,
    reason       TEXT,
    hlc          INTEGER NOT NULL,
    origin       TEXT NOT NULL,
    seq          INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX refunds_order ON refunds(order_id);

CREATE TABLE stock_moves (
    id        TEXT PRIMARY KEY,
    scope     TEXT NOT NULL,
    sku       TEXT NOT NULL,
    warehouse TEXT NOT NULL,
    reason    TEXT NOT NULL,
    qty       INTEGER NOT NULL,
    releases  TEXT,
    ref       TEXT,
    hlc       INTEGER NOT NULL,
    origin    TEXT NOT NULL,
    seq       INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX stock_moves_key ON stock_moves(sku, warehouse);

CREATE TABLE stock_levels (
    sku       TEXT NOT NULL,
    warehouse TEXT NOT NULL,
    scope     TEXT NOT NULL,
    on_hand   INTEGER NOT NULL,
    reserved  INTEGER NOT NULL,
    PRIMARY KEY (sku, warehouse)
) WITHOUT ROWID;

CREATE TABLE member_ledger (
    id      TEXT PRIMARY KEY,
    scope   TEXT NOT NULL,
    member  TEXT NOT NULL,
    account TEXT NOT NULL,
    delta   INTEGER NOT NULL,
    reason  TEXT,
    ref     TEXT,
    hlc     INTEGER NOT NULL,
    origin  TEXT NOT NULL,
    seq     INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX member_ledger_key ON member_ledger(member, account);

CREATE TABLE member_balances (
    member  TEXT NOT NULL,
    account TEXT NOT NULL,
    scope   TEXT NOT NULL,
    balance INTEGER NOT NULL,
    PRIMARY KEY (member, account)
) WITHOUT ROWID;

-- Claims on unique keys ('coupon:CODE', 'phone:138…').
CREATE TABLE claims (
    key          TEXT NOT NULL,
    id           TEXT NOT NULL,
    claimant     TEXT NOT NULL,
    scope        TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    hlc          INTEGER NOT NULL,
    origin       TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    PRIMARY KEY (key, id)
) WITHOUT ROWID;
CREATE INDEX claims_claimant ON claims(claimant);

-- Conflict records, derived deterministically from the changes; status lives in the
-- conflict_note register with the same id.
CREATE TABLE conflicts (
    id          TEXT PRIMARY KEY,
    root        TEXT NOT NULL,
    scope       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    rule        TEXT NOT NULL,
    subject     TEXT NOT NULL,
    winner      TEXT,
    loser       TEXT NOT NULL,
    amount      INTEGER NOT NULL,
    unit        TEXT NOT NULL,
    detail      TEXT NOT NULL,
    created_hlc INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX conflicts_root ON conflicts(root);

-- Central only: enrolled stores (token hash, never the token) and their sync progress.
CREATE TABLE peers (
    node        TEXT PRIMARY KEY,
    token_hash  TEXT NOT NULL,
    revoked     INTEGER NOT NULL DEFAULT 0,
    acked_seq   INTEGER NOT NULL DEFAULT 0,
    last_push   INTEGER,
    last_pull   INTEGER,
    pull_cursor INTEGER NOT NULL DEFAULT 0,
    enrolled_at INTEGER NOT NULL
) WITHOUT ROWID;
