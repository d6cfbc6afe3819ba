-- Schema 7: carrier and tracking number of an order's shipment (from its `shipped` event).
ALTER TABLE orders ADD COLUMN carrier TEXT;
ALTER TABLE orders ADD COLUMN tracking TEXT;
