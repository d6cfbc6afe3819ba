-- Schema 19 (the members' mall: shop, cart, checkout, address book). Central-only bookkeeping
-- like schema 18: never replicated, outside the state hash. A member's contact data (their
-- addresses and the ship-to of their orders) stays at central.
CREATE TABLE mall_cart (
    member    TEXT NOT NULL,
    sku       TEXT NOT NULL,
    qty       INTEGER NOT NULL CHECK (qty BETWEEN 1 AND 9999),
    added_at  INTEGER NOT NULL,
    PRIMARY KEY (member, sku)
);

CREATE TABLE mall_addresses (
    id          TEXT PRIMARY KEY,
    member      TEXT NOT NULL,
    name        TEXT NOT NULL,
    phone       TEXT NOT NULL,
    address     TEXT NOT NULL,
    is_default  INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX mall_addresses_member ON mall_addresses(member);

-- Where an online order from the mall goes (a copy: editing the address book later does not move it).
CREATE TABLE mall_ship_to (
    order_id    TEXT PRIMARY KEY,
    member      TEXT NOT NULL,
    name        TEXT NOT NULL,
    phone       TEXT NOT NULL,
    address     TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

-- One row per checkout form submitted: its one-time token and the order it made, so a repeated
-- submit (a double click, a reload) answers with the same order.
CREATE TABLE mall_checkouts (
    member      TEXT NOT NULL,
    token       TEXT NOT NULL,
    order_id    TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (member, token)
);
