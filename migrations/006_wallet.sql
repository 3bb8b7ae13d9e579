-- Wallet: linked bank cards, top-ups and withdrawals through the card network, daily
-- reconciliation with the network's settlement file, and the card network sandbox's own state.
-- Card numbers and reserved phones are stored encrypted (*_enc) and found by keyed hashes.

-- The system accounts the wallet domain uses (the card network's clearing account), by name.
CREATE TABLE wallet_system_accounts (
  name TEXT PRIMARY KEY,
  account_id TEXT NOT NULL
);

CREATE TABLE wallet_cards (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id),
  card_number_enc TEXT NOT NULL,
  card_hash TEXT NOT NULL,
  last4 TEXT NOT NULL,
  bank_code TEXT NOT NULL,
  card_type TEXT NOT NULL CHECK (card_type IN ('debit', 'credit')),
  reserved_phone_enc TEXT NOT NULL,
  nickname TEXT,
  status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'removed', 'abandoned')),
  is_default BOOLEAN NOT NULL DEFAULT false,
  binding_id TEXT,                     -- the network's binding session while pending
  binding_expires_at TIMESTAMPTZ,
  agreement_id TEXT,                   -- the network's token for charging and paying this card
  created_at TIMESTAMPTZ NOT NULL,
  activated_at TIMESTAMPTZ,
  removed_at TIMESTAMPTZ
);
CREATE INDEX wallet_cards_user_idx ON wallet_cards (user_id, created_at);
-- A card is bound to at most one wallet at a time, and each wallet has at most one default card.
CREATE UNIQUE INDEX wallet_cards_active_card_key ON wallet_cards (card_hash) WHERE status = 'active';
CREATE UNIQUE INDEX wallet_cards_one_default_key ON wallet_cards (user_id) WHERE is_default AND status = 'active';

-- Top-ups (card → wallet) and withdrawals (wallet → card). The id is the business reference and
-- the request id sent to the network; ledger references are derived from it.
CREATE TABLE wallet_card_orders (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('topup', 'withdraw')),
  user_id TEXT NOT NULL REFERENCES users (id),
  wallet_account_id TEXT NOT NULL,
  card_id TEXT NOT NULL REFERENCES wallet_cards (id),
  counterparty TEXT NOT NULL,          -- masked display string, e.g. '招商银行 **** 1234'
  amount BIGINT NOT NULL CHECK (amount > 0),
  currency CHAR(3) NOT NULL,
  arrival TEXT CHECK (arrival IN ('realtime', 'within_2h', 'next_day')),
  status TEXT NOT NULL CHECK (status IN ('awaiting_confirmation', 'processing', 'succeeded', 'failed', 'expired')),
  failure_reason TEXT,
  confirmation_id TEXT,
  hold_id TEXT,
  entry_id TEXT,
  network_ref TEXT,
  next_check_at TIMESTAMPTZ,
  checks INTEGER NOT NULL DEFAULT 0,
  created_at TIMESTAMPTZ NOT NULL,
  submitted_at TIMESTAMPTZ,
  completed_at TIMESTAMPTZ
);
CREATE INDEX wallet_card_orders_user_idx ON wallet_card_orders (user_id, created_at DESC, id DESC);
CREATE INDEX wallet_card_orders_check_idx ON wallet_card_orders (next_check_at) WHERE status IN ('processing', 'awaiting_confirmation');

-- Daily reconciliation of the network's settlement file against the ledger's clearing account.
CREATE TABLE wallet_reconciliation_runs (
  day TEXT PRIMARY KEY,                -- Asia/Shanghai day, YYYY-MM-DD
  network_count INTEGER NOT NULL,
  network_total BIGINT NOT NULL,
  ledger_count INTEGER NOT NULL,
  ledger_total BIGINT NOT NULL,
  breaks INTEGER NOT NULL,
  ran_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE wallet_reconciliation_breaks (
  id TEXT PRIMARY KEY,
  day TEXT NOT NULL,
  kind TEXT NOT NULL,                  -- missing_in_ledger | missing_in_network | amount_mismatch | late_network_result
  reference TEXT NOT NULL,             -- the order id (network request id)
  network_amount BIGINT,
  ledger_amount BIGINT,
  details JSONB NOT NULL DEFAULT '{}',
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  created_at TIMESTAMPTZ NOT NULL,
  UNIQUE (day, kind, reference)
);
CREATE INDEX wallet_reconciliation_breaks_open_idx ON wallet_reconciliation_breaks (status, created_at DESC, id DESC);

-- The card network sandbox: what the outside network would remember. Only the sandbox adapter
-- (server/wallet/card-network-sandbox.ts) reads or writes these tables.
CREATE TABLE card_network_sandbox_bindings (
  id TEXT PRIMARY KEY,
  card_hash TEXT NOT NULL,
  last4 TEXT NOT NULL,
  phone TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL CHECK (status IN ('code_sent', 'bound', 'failed')),
  agreement_id TEXT,
  expires_at TIMESTAMPTZ NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE card_network_sandbox_agreements (
  id TEXT PRIMARY KEY,
  card_hash TEXT NOT NULL,
  last4 TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE card_network_sandbox_txns (
  request_id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('charge', 'payout')),
  agreement_id TEXT NOT NULL,
  amount BIGINT NOT NULL,
  currency CHAR(3) NOT NULL,
  scenario TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('processing', 'succeeded', 'failed')),
  final_status TEXT NOT NULL CHECK (final_status IN ('succeeded', 'failed')),
  reason TEXT,
  network_ref TEXT NOT NULL,
  visible BOOLEAN NOT NULL,            -- false: the request never reached the network
  received_at TIMESTAMPTZ NOT NULL,
  completes_at TIMESTAMPTZ NOT NULL,
  completed_at TIMESTAMPTZ
);
CREATE INDEX card_network_sandbox_txns_completes_idx ON card_network_sandbox_txns (completes_at) WHERE status = 'processing';
CREATE INDEX card_network_sandbox_txns_completed_idx ON card_network_sandbox_txns (completed_at);

CREATE TABLE card_network_sandbox_callbacks (
  id TEXT PRIMARY KEY,
  request_id TEXT NOT NULL,
  deliver_at TIMESTAMPTZ NOT NULL,
  delivered_at TIMESTAMPTZ,
  attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX card_network_sandbox_callbacks_due_idx ON card_network_sandbox_callbacks (deliver_at) WHERE delivered_at IS NULL;
