-- Throttles (server/platform/throttle.ts): fixed-window attempt counters, one row per scope, keyed
-- hash of what is throttled (an address, a phone) and window. The counter is bumped with one
-- INSERT … ON CONFLICT DO UPDATE, so parallel requests never both see the last free slot.
CREATE TABLE throttle_counters (
  scope TEXT NOT NULL,
  key_hash TEXT NOT NULL,              -- keyed hash: no address or phone in clear
  window_start TIMESTAMPTZ NOT NULL,
  window_end TIMESTAMPTZ NOT NULL,
  hits INTEGER NOT NULL CHECK (hits > 0),
  PRIMARY KEY (scope, key_hash, window_start)
);
CREATE INDEX throttle_counters_end_idx ON throttle_counters (window_end);
