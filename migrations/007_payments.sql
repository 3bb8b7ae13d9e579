-- Payments: merchants and their staff, merchant sessions, QR codes, payments, payment-code
-- seeds and uses, password-free settings and daily usage, refunds and payouts.
-- Money itself lives in the ledger; these rows are the business records beside it.

CREATE TABLE merchants (
  id TEXT PRIMARY KEY,
  merchant_number TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  mcc CHAR(4) NOT NULL CHECK (mcc ~ '^[0-9]{4}$'),
  city TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'suspended', 'rejected')),
  settlement_account_id TEXT UNIQUE,
  payout_bank_name TEXT NOT NULL,
  payout_account_enc TEXT NOT NULL,
  payout_account_last4 TEXT NOT NULL,
  contact_phone_enc TEXT NOT NULL,
  status_reason TEXT,
  created_by TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  decided_at TIMESTAMPTZ
);
CREATE INDEX merchants_status_idx ON merchants (status, id);

CREATE TABLE merchant_staff (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants (id),
  phone_hash TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('owner', 'cashier')),
  password_hash TEXT NOT NULL,
  active BOOLEAN NOT NULL DEFAULT true,
  login_failures INTEGER NOT NULL DEFAULT 0,
  login_locked_until TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX merchant_staff_merchant_idx ON merchant_staff (merchant_id);

CREATE TABLE merchant_sessions (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  staff_id TEXT NOT NULL REFERENCES merchant_staff (id),
  merchant_id TEXT NOT NULL REFERENCES merchants (id),
  csrf_token TEXT NOT NULL,
  ip TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  last_seen_at TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  revoked_at TIMESTAMPTZ
);

CREATE TABLE merchant_qr_codes (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants (id),
  kind TEXT NOT NULL CHECK (kind IN ('static', 'dynamic')),
  -- Tag 62.05 of a dynamic code: finds the code from a scanned payload (≤ 25 characters).
  label TEXT NOT NULL UNIQUE,
  amount BIGINT CHECK (amount > 0),
  order_reference TEXT,
  terminal_label TEXT,
  payload TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'paid', 'revoked')),
  paid_payment_id TEXT,
  expires_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL,
  CHECK ((kind = 'dynamic') = (amount IS NOT NULL AND expires_at IS NOT NULL))
);
CREATE INDEX merchant_qr_codes_merchant_idx ON merchant_qr_codes (merchant_id, id DESC);

CREATE TABLE payments (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants (id),
  user_id TEXT NOT NULL,
  wallet_account_id TEXT NOT NULL,
  amount BIGINT NOT NULL CHECK (amount > 0),
  currency CHAR(3) NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('static_qr', 'dynamic_qr', 'merchant_number', 'payment_code')),
  qr_code_id TEXT REFERENCES merchant_qr_codes (id),
  -- Set only for dynamic codes: at most one completed payment per dynamic code.
  dynamic_qr_id TEXT REFERENCES merchant_qr_codes (id),
  order_reference TEXT,
  note TEXT,
  status TEXT NOT NULL CHECK (status IN ('awaiting_confirmation', 'completed', 'failed', 'expired', 'declined')),
  confirmation_id TEXT,
  password_free BOOLEAN NOT NULL DEFAULT false,
  failure_code TEXT,
  entry_id TEXT,
  refunded_amount BIGINT NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0 AND refunded_amount <= amount),
  created_by TEXT NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  completed_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX payments_dynamic_qr_once ON payments (dynamic_qr_id) WHERE status = 'completed';
CREATE INDEX payments_merchant_idx ON payments (merchant_id, id DESC);
CREATE INDEX payments_merchant_completed_idx ON payments (merchant_id, completed_at) WHERE status = 'completed';
CREATE INDEX payments_user_idx ON payments (user_id, id DESC);
CREATE INDEX payments_awaiting_idx ON payments (expires_at) WHERE status = 'awaiting_confirmation';

CREATE TABLE payment_code_seeds (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  device_hash TEXT NOT NULL,
  -- The 8 digits after the prefix in every code from this seed; unique among seeds in use.
  seed_number CHAR(8) NOT NULL,
  secret_enc TEXT NOT NULL,
  failures INTEGER NOT NULL DEFAULT 0,
  created_at TIMESTAMPTZ NOT NULL,
  revoked_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX payment_code_seeds_number_idx ON payment_code_seeds (seed_number) WHERE revoked_at IS NULL;
CREATE UNIQUE INDEX payment_code_seeds_device_idx ON payment_code_seeds (user_id, device_hash) WHERE revoked_at IS NULL;

-- A payment code is accepted once: one row per user and 60-second step, kept even if the payment fails.
CREATE TABLE payment_code_uses (
  user_id TEXT NOT NULL,
  step BIGINT NOT NULL,
  seed_id TEXT NOT NULL REFERENCES payment_code_seeds (id),
  merchant_id TEXT NOT NULL,
  payment_id TEXT,
  used_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (user_id, step)
);

CREATE TABLE password_free_settings (
  user_id TEXT PRIMARY KEY,
  enabled BOOLEAN NOT NULL,
  per_payment_fen BIGINT NOT NULL CHECK (per_payment_fen > 0),
  daily_fen BIGINT NOT NULL CHECK (daily_fen > 0),
  updated_at TIMESTAMPTZ NOT NULL
);

-- Usage per user, Asia/Shanghai day and cap ('password_free', 'static_qr'); changed only by an
-- atomic upsert that refuses to pass the cap.
CREATE TABLE payment_daily_usage (
  user_id TEXT NOT NULL,
  day DATE NOT NULL,
  cap TEXT NOT NULL CHECK (cap IN ('password_free', 'static_qr')),
  used_fen BIGINT NOT NULL CHECK (used_fen >= 0),
  PRIMARY KEY (user_id, day, cap)
);

CREATE TABLE refunds (
  id TEXT PRIMARY KEY,
  payment_id TEXT NOT NULL REFERENCES payments (id),
  merchant_id TEXT NOT NULL REFERENCES merchants (id),
  user_id TEXT NOT NULL,
  amount BIGINT NOT NULL CHECK (amount > 0),
  reason TEXT,
  entry_id TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX refunds_payment_idx ON refunds (payment_id);
CREATE INDEX refunds_merchant_idx ON refunds (merchant_id, id DESC);

CREATE TABLE merchant_payouts (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants (id),
  day DATE NOT NULL,
  amount BIGINT NOT NULL CHECK (amount > 0),
  status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
  entry_id TEXT NOT NULL,
  rail_reference TEXT,
  failure_reason TEXT,
  created_at TIMESTAMPTZ NOT NULL,
  resolved_at TIMESTAMPTZ,
  UNIQUE (merchant_id, day)
);
CREATE INDEX merchant_payouts_pending_idx ON merchant_payouts (created_at) WHERE status = 'pending';
