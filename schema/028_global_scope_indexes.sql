-- Schema 28: a snapshot reads the global rows of central's big node-scoped tables by index
-- (docs/STABILITY.md, "Snapshot bootstrap"). Partial indexes: a row in a store's own scope —
-- nearly every row of these tables — is not in them, so writing one costs nothing more.
CREATE INDEX orders_global ON orders(scope) WHERE scope = 'global';
CREATE INDEX order_lines_global ON order_lines(scope) WHERE scope = 'global';
CREATE INDEX payments_global ON payments(scope) WHERE scope = 'global';
CREATE INDEX refunds_global ON refunds(scope) WHERE scope = 'global';
CREATE INDEX refund_lines_global ON refund_lines(scope) WHERE scope = 'global';
CREATE INDEX refund_parts_global ON refund_parts(scope) WHERE scope = 'global';
CREATE INDEX stock_moves_global ON stock_moves(scope) WHERE scope = 'global';
CREATE INDEX stock_levels_global ON stock_levels(scope) WHERE scope = 'global';
CREATE INDEX commissions_global ON commissions(scope) WHERE scope = 'global';
CREATE INDEX audit_log_global ON audit_log(scope) WHERE scope = 'global';
