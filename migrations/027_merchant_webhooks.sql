-- Webhooks of the merchant API (server/merchant-api/webhook-*.ts, docs/merchant-api.md): the merchant's
-- endpoints, the events recorded in the same transaction as the change that causes them (the outbox),
-- one delivery per event and endpoint with its retry schedule, and every attempt (the delivery log).

-- secret_enc holds the whsec_ secret sealed with the personal-data key (it must be read to sign);
-- during a rotation previous_secret_enc signs too until previous_secret_expires_at. failing_since is
-- the first failed attempt since the last acknowledged one; an endpoint failing for days is disabled.
CREATE TABLE merchant_webhook_endpoints (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('live', 'test')),
  url TEXT NOT NULL,
  description TEXT NOT NULL,
  events JSONB NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'disabled', 'deleted')),
  secret_enc TEXT NOT NULL,
  previous_secret_enc TEXT,
  previous_secret_expires_at TIMESTAMPTZ,
  failing_since TIMESTAMPTZ,
  disabled_at TIMESTAMPTZ,
  disabled_reason TEXT,
  created_by TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX merchant_webhook_endpoints_merchant ON merchant_webhook_endpoints (merchant_id, mode, id);

-- body is the exact JSON text every delivery of the event sends (signed as is); fanned_out_at is set once
-- the event has a delivery row for each endpoint that listened for it then.
CREATE TABLE merchant_webhook_events (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('live', 'test')),
  type TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  fanned_out_at TIMESTAMPTZ
);
CREATE INDEX merchant_webhook_events_pending ON merchant_webhook_events (created_at) WHERE fanned_out_at IS NULL;
CREATE INDEX merchant_webhook_events_merchant ON merchant_webhook_events (merchant_id, mode, id);

-- status: pending (next_attempt_at is when), succeeded (a 2xx), failed (retries used up, or the endpoint was
-- disabled); a manual resend makes any of them pending again.
CREATE TABLE merchant_webhook_deliveries (
  id TEXT PRIMARY KEY,
  event_id TEXT NOT NULL REFERENCES merchant_webhook_events (id),
  endpoint_id TEXT NOT NULL REFERENCES merchant_webhook_endpoints (id),
  merchant_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TIMESTAMPTZ,
  last_attempt_at TIMESTAMPTZ,
  last_status_code INTEGER,
  created_at TIMESTAMPTZ NOT NULL,
  UNIQUE (event_id, endpoint_id)
);
CREATE INDEX merchant_webhook_deliveries_due ON merchant_webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX merchant_webhook_deliveries_endpoint ON merchant_webhook_deliveries (endpoint_id, id);

-- The delivery log: what was sent (headers and the event's body), the answer's status (null: no answer),
-- the first bytes of the answer, the latency, the reason when nothing came back.
CREATE TABLE merchant_webhook_attempts (
  id TEXT PRIMARY KEY,
  delivery_id TEXT NOT NULL REFERENCES merchant_webhook_deliveries (id),
  endpoint_id TEXT NOT NULL,
  merchant_id TEXT NOT NULL,
  url TEXT NOT NULL,
  request_headers JSONB NOT NULL,
  response_status INTEGER,
  response_body TEXT,
  latency_ms INTEGER NOT NULL,
  error TEXT,
  manual BOOLEAN NOT NULL,
  at TIMESTAMPTZ NOT NULL
);
CREATE INDEX merchant_webhook_attempts_delivery ON merchant_webhook_attempts (delivery_id, id);
