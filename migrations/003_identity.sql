-- Identity: wallet holders and staff, credentials, sessions, devices, SMS codes, payment
-- confirmations, notifications, security cases, and the append-only audit log.
-- Personal data is stored encrypted (*_enc) and found by keyed hashes (*_hash).

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  phone_hash TEXT NOT NULL UNIQUE,
  phone_enc TEXT NOT NULL,
  id_number_hash TEXT NOT NULL UNIQUE,
  id_number_enc TEXT NOT NULL,
  name_enc TEXT NOT NULL,
  birth_date_enc TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  password_changed_at TIMESTAMPTZ NOT NULL,
  password_reminded_at TIMESTAMPTZ,
  pin_hash TEXT,
  pin_failures INTEGER NOT NULL DEFAULT 0,
  pin_locked_until TIMESTAMPTZ,
  totp_secret_enc TEXT,
  totp_enabled BOOLEAN NOT NULL DEFAULT false,
  totp_last_step BIGINT,
  wallet_account_id TEXT NOT NULL,
  tier TEXT NOT NULL DEFAULT 'basic',
  frozen BOOLEAN NOT NULL DEFAULT false,
  frozen_reason TEXT,
  frozen_at TIMESTAMPTZ,
  recovered_at TIMESTAMPTZ,
  login_failures INTEGER NOT NULL DEFAULT 0,
  login_locked_until TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE staff (
  id TEXT PRIMARY KEY,
  phone_hash TEXT NOT NULL UNIQUE,
  phone_enc TEXT NOT NULL,
  name_enc TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  totp_secret_enc TEXT NOT NULL,
  totp_last_step BIGINT,
  roles TEXT[] NOT NULL,
  active BOOLEAN NOT NULL DEFAULT true,
  login_failures INTEGER NOT NULL DEFAULT 0,
  login_locked_until TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL
);

-- Failed sign-ins, for the hourly cap per account and the throttle per IP address.
CREATE TABLE login_failures (
  id BIGSERIAL PRIMARY KEY,
  subject_hash TEXT NOT NULL,          -- keyed hash of the phone tried (known or not)
  ip TEXT NOT NULL,
  at TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failures_subject_idx ON login_failures (subject_hash, at);
CREATE INDEX login_failures_ip_idx ON login_failures (ip, at);

CREATE TABLE sms_codes (
  id TEXT PRIMARY KEY,
  phone_hash TEXT NOT NULL,
  purpose TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  ip TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  expires_at TIMESTAMPTZ NOT NULL,
  consumed_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sms_codes_phone_idx ON sms_codes (phone_hash, purpose, created_at);
CREATE INDEX sms_codes_ip_idx ON sms_codes (ip, created_at);

CREATE TABLE devices (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id),
  device_hash TEXT NOT NULL,
  label TEXT NOT NULL,
  first_seen_at TIMESTAMPTZ NOT NULL,
  last_seen_at TIMESTAMPTZ NOT NULL,
  UNIQUE (user_id, device_hash)
);

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  principal_kind TEXT NOT NULL CHECK (principal_kind IN ('user', 'staff')),
  principal_id TEXT NOT NULL,
  device_id TEXT,
  csrf_token TEXT NOT NULL,
  ip TEXT NOT NULL,
  user_agent TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  last_seen_at TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  revoked_at TIMESTAMPTZ
);
CREATE INDEX sessions_principal_idx ON sessions (principal_kind, principal_id);

CREATE TABLE passkeys (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id),
  credential_id TEXT NOT NULL UNIQUE,
  public_key TEXT NOT NULL,
  counter BIGINT NOT NULL,
  transports TEXT[] NOT NULL DEFAULT '{}',
  name TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  last_used_at TIMESTAMPTZ,
  removed_at TIMESTAMPTZ
);
CREATE INDEX passkeys_user_idx ON passkeys (user_id);

CREATE TABLE webauthn_challenges (
  id TEXT PRIMARY KEY,
  user_id TEXT,
  purpose TEXT NOT NULL,
  challenge TEXT NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  consumed_at TIMESTAMPTZ
);

-- A confirmation approves exactly one movement (PSD2 dynamic linking).
CREATE TABLE payment_confirmations (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id),
  reference TEXT NOT NULL UNIQUE,
  amount BIGINT NOT NULL CHECK (amount > 0),
  currency CHAR(3) NOT NULL,
  payee TEXT NOT NULL,
  nonce TEXT NOT NULL,
  challenge TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'used', 'failed', 'expired')),
  method TEXT,
  failures INTEGER NOT NULL DEFAULT 0,
  expires_at TIMESTAMPTZ NOT NULL,
  confirmed_at TIMESTAMPTZ,
  used_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE notifications (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  title_zh TEXT NOT NULL,
  title_en TEXT NOT NULL,
  body_zh TEXT NOT NULL,
  body_en TEXT NOT NULL,
  data JSONB NOT NULL DEFAULT '{}',
  created_at TIMESTAMPTZ NOT NULL,
  read_at TIMESTAMPTZ
);
CREATE INDEX notifications_user_idx ON notifications (user_id, id DESC);

-- The SMS sandbox's outbox: what a real gateway would have delivered.
CREATE TABLE sms_outbox (
  id TEXT PRIMARY KEY,
  phone TEXT NOT NULL,
  text TEXT NOT NULL,
  purpose TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sms_outbox_created_idx ON sms_outbox (created_at DESC);

CREATE TABLE security_cases (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id),
  kind TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open',
  details JSONB NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX security_cases_user_idx ON security_cases (user_id);

CREATE TABLE audit_log (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  actor_kind TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  action TEXT NOT NULL,
  subject_type TEXT,
  subject_id TEXT,
  details JSONB NOT NULL DEFAULT '{}',
  ip TEXT,
  request_id TEXT,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, seq);
CREATE INDEX audit_log_subject_idx ON audit_log (subject_id, seq);

CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
