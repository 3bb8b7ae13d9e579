-- Platform tables: idempotent request records and maintenance windows with announcements.

CREATE TABLE idempotency_keys (
  scope TEXT NOT NULL,                 -- who made the request (principal), so keys never collide across callers
  key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,           -- sha256 of method, route and body
  state TEXT NOT NULL CHECK (state IN ('in_flight', 'done')),
  response_status INTEGER,
  response_body TEXT,
  response_content_type TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  locked_until TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at);

CREATE TABLE maintenance_windows (
  id TEXT PRIMARY KEY,
  feature TEXT NOT NULL,               -- a feature tag on routes, or 'all'
  starts_at TIMESTAMPTZ NOT NULL,
  ends_at TIMESTAMPTZ NOT NULL,
  title_zh TEXT NOT NULL,
  title_en TEXT NOT NULL,
  message_zh TEXT NOT NULL,
  message_en TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  ended_early_at TIMESTAMPTZ,
  CHECK (ends_at > starts_at)
);
CREATE INDEX maintenance_windows_ends_idx ON maintenance_windows (ends_at);
