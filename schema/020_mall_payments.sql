-- Schema 20 (the members' mall, payment): each payment the mall starts for an online order with
-- a payment provider (the sandbox, WeChat Pay, Alipay) or from the member's stored value, and
-- what its notifications said. Central-only bookkeeping like schema 18: never replicated,
-- outside the state hash. The order's payment itself is the replicated `PaymentChange` the
-- order's transition to paid writes, in the same transaction as the row here turns `paid`.
CREATE TABLE mall_payments (
    id           TEXT PRIMARY KEY,
    order_id     TEXT NOT NULL,
    member       TEXT NOT NULL,
    -- `sandbox` (or a real gateway's name), or `stored` for the member's stored value.
    provider     TEXT NOT NULL,
    -- The order's payment method when this payment settles it: wechat, alipay, stored.
    method       TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    -- created → paid | failed; a success for an order already paid by another payment, or
    -- already cancelled, is `refund_due` (the money came in and must go back).
    state        TEXT NOT NULL CHECK (state IN ('created', 'paid', 'failed', 'refund_due')),
    -- The provider's transaction id, from its success notification.
    provider_txn TEXT,
    created_at   INTEGER NOT NULL,
    notified_at  INTEGER,
    -- Why a payment is refund_due (the order was cancelled, or paid by another payment).
    note         TEXT
);
CREATE INDEX mall_payments_order ON mall_payments(order_id);
CREATE INDEX mall_payments_state ON mall_payments(state, created_at);
