-- Schema 13 (points given back once per order): a refund's points entries count at most what
-- the order used or earned (`PointsReturnCap`), re-derived from the order's entries when one
-- arrives. They are found by the order they name, without reading the member's whole ledger.
-- (The rule changes what a refund's entries count for, so nodes must run the same schema.)
CREATE INDEX member_ledger_ref ON member_ledger(ref, member, account);
