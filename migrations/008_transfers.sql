-- Transfers between wallet holders (P2P), requests for money, and the payee-lookup log that
-- caps how fast one holder can resolve phone numbers to names. Money itself moves only in the
-- ledger; a transfer row records the business side and links to its entry by reference.
-- Names and phones are stored masked only: the receipt never needs more.

CREATE TABLE transfers (
  id TEXT PRIMARY KEY,
  payer_user_id TEXT NOT NULL,
  payer_account_id TEXT NOT NULL,
  payer_name_masked TEXT NOT NULL,
  payer_phone_masked TEXT NOT NULL,
  payee_user_id TEXT NOT NULL,
  payee_account_id TEXT NOT NULL,
  payee_name_masked TEXT NOT NULL,
  payee_phone_masked TEXT NOT NULL,
  amount BIGINT NOT NULL CHECK (amount > 0),
  currency CHAR(3) NOT NULL,
  note TEXT NOT NULL DEFAULT '' CHECK (char_length(note) <= 50),
  status TEXT NOT NULL CHECK (status IN ('awaiting_confirmation', 'completed', 'failed', 'expired')),
  confirmation_id TEXT NOT NULL,
  request_id TEXT,
  -- The payer's Idempotency-Key: a retried prepare finds the same transfer.
  client_key TEXT,
  failure_code TEXT,
  entry_id TEXT,
  expires_at TIMESTAMPTZ NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  completed_at TIMESTAMPTZ,
  CHECK (payer_user_id <> payee_user_id),
  CHECK ((status = 'completed') = (entry_id IS NOT NULL))
);
CREATE UNIQUE INDEX transfers_client_key_idx ON transfers (payer_user_id, client_key) WHERE client_key IS NOT NULL;
CREATE INDEX transfers_payer_idx ON transfers (payer_user_id, id DESC);
CREATE INDEX transfers_payee_idx ON transfers (payee_user_id, id DESC);
CREATE INDEX transfers_awaiting_idx ON transfers (expires_at) WHERE status = 'awaiting_confirmation';
-- One completed transfer per request at most.
CREATE UNIQUE INDEX transfers_request_done_idx ON transfers (request_id) WHERE request_id IS NOT NULL AND status = 'completed';

CREATE TABLE transfer_requests (
  id TEXT PRIMARY KEY,
  -- The holder asking for money (who will receive it) and the holder asked to pay.
  requester_user_id TEXT NOT NULL,
  requester_account_id TEXT NOT NULL,
  requester_name_masked TEXT NOT NULL,
  requester_phone_masked TEXT NOT NULL,
  payer_user_id TEXT NOT NULL,
  payer_name_masked TEXT NOT NULL,
  payer_phone_masked TEXT NOT NULL,
  amount BIGINT NOT NULL CHECK (amount > 0),
  currency CHAR(3) NOT NULL,
  note TEXT NOT NULL DEFAULT '' CHECK (char_length(note) <= 50),
  status TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'declined', 'cancelled', 'expired')),
  transfer_id TEXT,
  expires_at TIMESTAMPTZ NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  resolved_at TIMESTAMPTZ,
  CHECK (requester_user_id <> payer_user_id)
);
CREATE INDEX transfer_requests_requester_idx ON transfer_requests (requester_user_id, id DESC);
CREATE INDEX transfer_requests_payer_idx ON transfer_requests (payer_user_id, id DESC);
CREATE INDEX transfer_requests_pending_idx ON transfer_requests (expires_at) WHERE status = 'pending';

-- Every resolution of a phone number to a masked name, for the hourly cap per holder.
CREATE TABLE payee_lookups (
  user_id TEXT NOT NULL,
  at TIMESTAMPTZ NOT NULL
);
CREATE INDEX payee_lookups_user_idx ON payee_lookups (user_id, at);
