-- Schema 15 (till shifts): a payment or a refund taken at a till names its shift, and a cash
-- payment the cash handed over (the change due is the difference). Both are optional fields of
-- the changes, omitted outside a till, so older changes keep their bytes. The Z report of a
-- shift sums its payments and refunds by method.
ALTER TABLE payments ADD COLUMN shift TEXT;
ALTER TABLE payments ADD COLUMN tendered_cents INTEGER;
ALTER TABLE refunds ADD COLUMN shift TEXT;
CREATE INDEX payments_shift ON payments(shift) WHERE shift IS NOT NULL;
CREATE INDEX refunds_shift ON refunds(shift) WHERE shift IS NOT NULL;
