-- Schema 17 (parked sales, 挂单): a cart a cashier set aside to serve the next customer, to be
-- resumed at any till of this store. Node-local like PINs (a cart is not a sale): never
-- replicated, outside the state hash. `cart` is the till's cart as JSON (lines, member, coupon).
CREATE TABLE parked_sales (
    id          TEXT PRIMARY KEY,
    till        TEXT NOT NULL,
    user        TEXT,
    shift       TEXT,
    parked_at   INTEGER NOT NULL,
    items       INTEGER NOT NULL,
    total_cents INTEGER NOT NULL,
    cart        TEXT NOT NULL
);
CREATE INDEX parked_sales_at ON parked_sales(parked_at);
