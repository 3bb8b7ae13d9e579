-- The console's overview sums today's movements by kind (server/ledger/store.ts, volumesBetween):
-- without this index that read scans the whole journal.
CREATE INDEX ledger_entries_created_idx ON ledger_entries (created_at);
