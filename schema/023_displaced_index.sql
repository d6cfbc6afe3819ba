-- Schema 23: central looks, after every push, for reservations displaced by counter sales that
-- nobody has followed up yet (`allocation_displaced` conflicts without a note). That read
-- scanned every conflict ever recorded — overdrafts, duplicate claims, … — a per-push cost
-- growing with the chain's age; this index holds only the displacement records.
CREATE INDEX conflicts_displaced ON conflicts(id) WHERE rule = 'allocation_displaced';
