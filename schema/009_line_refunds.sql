-- Schema 9 (orders): what each refund gave back per order line and per payment, a marker on
-- the stock movements a cancel wrote, and a derived "released" flag on claims.
--
-- refund_lines: the units and money of each line a refund returned (`order refund --line`),
-- so per line refunded qty ≤ sold qty and refunded money ≤ the line's paid amount.
CREATE TABLE refund_lines (
    refund_id    TEXT NOT NULL,
    order_id     TEXT NOT NULL,
    line         INTEGER NOT NULL,
    scope        TEXT NOT NULL,
    qty          INTEGER NOT NULL,
    amount_cents INTEGER NOT NULL,
    PRIMARY KEY (refund_id, line)
) WITHOUT ROWID;
CREATE INDEX refund_lines_order ON refund_lines(order_id);

-- refund_parts: how a refund went back — per payment, by that payment's method (cash, card,
-- wallet, qrpay, stored value) and the points share. Sums to the refund's amount.
CREATE TABLE refund_parts (
    refund_id    TEXT NOT NULL,
    part         INTEGER NOT NULL,
    order_id     TEXT NOT NULL,
    scope        TEXT NOT NULL,
    method       TEXT NOT NULL,
    payment_id   TEXT,
    amount_cents INTEGER NOT NULL,
    PRIMARY KEY (refund_id, part)
) WITHOUT ROWID;
CREATE INDEX refund_parts_order ON refund_parts(order_id);

-- The order whose cancel wrote this movement (the release of its reservation). Such a
-- movement counts only while that order's derived status is `cancelled`: a cancel that lost
-- to a payment loses its stock effect too.
ALTER TABLE stock_moves ADD COLUMN cancel_of TEXT;
CREATE INDEX stock_moves_cancel_of ON stock_moves(cancel_of) WHERE cancel_of IS NOT NULL;

-- 1 when the claimant is an order whose derived status is `cancelled` (it gave the claim
-- back: a single-use coupon, a holder's use). Derived; recomputed with the claim key.
ALTER TABLE claims ADD COLUMN released INTEGER NOT NULL DEFAULT 0;
