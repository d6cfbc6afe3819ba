-- Schema 8: an optional payment reference (card or wallet transaction id). Payments live in
-- their store's scope, so the reference reaches only that store and head office; it is masked
-- for roles without view_contacts.
ALTER TABLE payments ADD COLUMN reference TEXT;
