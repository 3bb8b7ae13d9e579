-- Risk engine: rules as versioned data, every assessed outgoing movement with its decision and
-- reasons, holds waiting for the holder's "was this you?", analyst alerts, and restrictions.
-- Risk reads only its own tables; what it knows about identity comes through identity's service.

-- The current version of each rule. Thresholds are JSON, changed by admins through the API.
CREATE TABLE risk_rules (
  rule TEXT PRIMARY KEY,
  version INTEGER NOT NULL CHECK (version > 0),
  enabled BOOLEAN NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('step_up', 'hold', 'block')),
  thresholds JSONB NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);

-- Every version a rule ever had, so a decision can be explained with the thresholds it used.
CREATE TABLE risk_rule_versions (
  rule TEXT NOT NULL,
  version INTEGER NOT NULL,
  enabled BOOLEAN NOT NULL,
  action TEXT NOT NULL,
  thresholds JSONB NOT NULL,
  changed_by TEXT NOT NULL,
  reason TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (rule, version)
);

-- Amounts in fen; windows in milliseconds; hours are Asia/Shanghai hours.
INSERT INTO risk_rules (rule, version, enabled, action, thresholds, updated_by, updated_at) VALUES
  ('velocity', 1, true, 'step_up', '{"windowMs": 600000, "maxCount": 5, "maxAmountFen": 2000000}', 'migration', now()),
  ('new_device', 1, true, 'step_up', '{"deviceAgeMs": 86400000, "minAmountFen": 50000}', 'migration', now()),
  ('new_payee_large', 1, true, 'hold', '{"payeeAgeMs": 86400000, "minAmountFen": 500000}', 'migration', now()),
  ('deviation', 1, true, 'hold', '{"historyMs": 7776000000, "minHistory": 10, "sigmas": 3}', 'migration', now()),
  ('night_large', 1, true, 'hold', '{"fromHour": 0, "toHour": 6, "minAmountFen": 200000}', 'migration', now()),
  ('post_reset', 1, true, 'hold', '{"windowMs": 259200000, "capFen": 100000}', 'migration', now()),
  ('network_change', 1, true, 'step_up', '{"historyMs": 2592000000, "minAmountFen": 20000, "datacenterPrefixes": ["198.18.", "203.0.113."]}', 'migration', now()),
  ('repeated_denials', 1, true, 'block', '{"windowMs": 2592000000, "count": 2}', 'migration', now()),
  ('takeover', 1, true, 'block', '{"windowMs": 259200000}', 'migration', now());

INSERT INTO risk_rule_versions (rule, version, enabled, action, thresholds, changed_by, reason, created_at)
  SELECT rule, version, enabled, action, thresholds, updated_by, 'initial thresholds', updated_at FROM risk_rules;

-- Every outgoing movement assessed: the features history is built from, and the decision.
CREATE TABLE risk_assessments (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  wallet_account_id TEXT NOT NULL,
  reference TEXT NOT NULL UNIQUE,
  channel TEXT NOT NULL CHECK (channel IN ('p2p', 'merchant_qr', 'payment_code', 'withdraw')),
  amount BIGINT NOT NULL CHECK (amount > 0),
  currency CHAR(3) NOT NULL,
  payee_key TEXT NOT NULL,
  payee_display TEXT NOT NULL,
  device_id TEXT,
  ip TEXT,
  network TEXT,
  outcome TEXT NOT NULL CHECK (outcome IN ('allow', 'step_up', 'hold', 'block')),
  reasons JSONB NOT NULL,
  -- The movement went ahead (allowed, stepped up, or held and then confirmed or released):
  -- only these build the holder's history of amounts, payees and networks.
  proceeded BOOLEAN NOT NULL DEFAULT false,
  step_up_verified_at TIMESTAMPTZ,
  step_up_code_hash TEXT,
  step_up_code_expires_at TIMESTAMPTZ,
  step_up_code_attempts INTEGER NOT NULL DEFAULT 0,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX risk_assessments_user_idx ON risk_assessments (user_id, created_at);
CREATE INDEX risk_assessments_payee_idx ON risk_assessments (user_id, payee_key, created_at) WHERE proceeded;

-- A movement held until the holder confirms it; exactly one of confirm, deny, expire or an
-- analyst's decision resolves it (the row is locked FOR UPDATE, the ledger hold resolves once).
CREATE TABLE risk_holds (
  id TEXT PRIMARY KEY,
  assessment_id TEXT NOT NULL UNIQUE REFERENCES risk_assessments (id),
  user_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  reference TEXT NOT NULL,
  hold_id TEXT NOT NULL UNIQUE,
  hold_reference TEXT NOT NULL,
  amount BIGINT NOT NULL CHECK (amount > 0),
  currency CHAR(3) NOT NULL,
  payee_key TEXT NOT NULL,
  payee_display TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'denied', 'expired', 'released', 'voided')),
  auth_confirmation_id TEXT,
  auth_reference TEXT,
  expires_at TIMESTAMPTZ NOT NULL,
  resolved_at TIMESTAMPTZ,
  resolved_by TEXT,
  entry_id TEXT,
  -- When the channel's onResolved handler ran; a job retries until it has.
  delivered_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX risk_holds_user_idx ON risk_holds (user_id, status, id);
CREATE INDEX risk_holds_expiry_idx ON risk_holds (expires_at) WHERE status = 'pending';
CREATE INDEX risk_holds_undelivered_idx ON risk_holds (resolved_at) WHERE status <> 'pending' AND delivered_at IS NULL;

-- The analysts' queue.
CREATE TABLE risk_alerts (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('hold', 'block', 'denial', 'restriction')),
  assessment_id TEXT REFERENCES risk_assessments (id),
  risk_hold_id TEXT REFERENCES risk_holds (id),
  status TEXT NOT NULL CHECK (status IN ('open', 'claimed', 'resolved')),
  claimed_by TEXT,
  claimed_at TIMESTAMPTZ,
  resolution TEXT,
  resolution_note TEXT,
  resolved_by TEXT,
  resolved_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX risk_alerts_status_idx ON risk_alerts (status, id);
CREATE INDEX risk_alerts_hold_idx ON risk_alerts (risk_hold_id);

-- Outgoing payments restricted for a holder; at most one active restriction each.
CREATE TABLE risk_restrictions (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  reason_code TEXT NOT NULL,
  details JSONB NOT NULL DEFAULT '{}',
  lift_by TEXT NOT NULL CHECK (lift_by IN ('reverify', 'support')),
  source TEXT NOT NULL CHECK (source IN ('auto', 'staff')),
  created_by TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  lifted_at TIMESTAMPTZ,
  lifted_by TEXT,
  lift_reason TEXT
);
CREATE UNIQUE INDEX risk_restrictions_active_idx ON risk_restrictions (user_id) WHERE lifted_at IS NULL;
CREATE INDEX risk_restrictions_user_idx ON risk_restrictions (user_id, created_at);
