-- The ledger: accounts, immutable journal entries with postings, two-phase holds, limit usage.
-- Only server/ledger/ reads or writes these tables.

CREATE TABLE ledger_accounts (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('customer_wallet', 'merchant_settlement', 'bank_clearing', 'fee_income', 'suspense')),
  currency CHAR(3) NOT NULL,
  owner_ref TEXT,
  -- Credit-normal: balance = credits - debits. Wallets hold a non-negative balance.
  balance BIGINT NOT NULL DEFAULT 0,
  pending_debits BIGINT NOT NULL DEFAULT 0 CHECK (pending_debits >= 0),
  pending_credits BIGINT NOT NULL DEFAULT 0 CHECK (pending_credits >= 0),
  frozen BOOLEAN NOT NULL DEFAULT false,
  limits JSONB,
  version BIGINT NOT NULL DEFAULT 0,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  -- The ledger enforces this in code too; the constraint is the last line of defence.
  CONSTRAINT ledger_accounts_no_overdraft CHECK (
    kind NOT IN ('customer_wallet', 'merchant_settlement', 'fee_income') OR balance - pending_debits >= 0
  )
);
CREATE INDEX ledger_accounts_owner_idx ON ledger_accounts (owner_ref);

-- The head of the hash chain: one row, locked by every writer just before it appends entries.
CREATE TABLE ledger_chain_head (
  id SMALLINT PRIMARY KEY CHECK (id = 1),
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO ledger_chain_head (id, seq, hash) VALUES (1, 0, repeat('0', 64));

CREATE TABLE ledger_entries (
  seq BIGINT PRIMARY KEY,              -- position in the hash chain, gapless
  id TEXT NOT NULL UNIQUE,
  reference TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('transfer', 'hold_post', 'reversal')),
  currency CHAR(3) NOT NULL,
  command_hash TEXT NOT NULL,          -- what was asked, so a retried reference with other content is refused
  metadata JSONB NOT NULL,
  hold_id TEXT,
  reverses_entry_id TEXT,
  created_at TIMESTAMPTZ NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  CONSTRAINT ledger_entries_reference_key UNIQUE (reference),
  CONSTRAINT ledger_entries_reverses_key UNIQUE (reverses_entry_id)
);

CREATE TABLE ledger_postings (
  entry_seq BIGINT NOT NULL REFERENCES ledger_entries (seq),
  idx SMALLINT NOT NULL,
  account_id TEXT NOT NULL REFERENCES ledger_accounts (id),
  amount BIGINT NOT NULL CHECK (amount <> 0), -- positive credits, negative debits
  PRIMARY KEY (entry_seq, idx)
);
CREATE INDEX ledger_postings_account_idx ON ledger_postings (account_id, entry_seq);

CREATE TABLE ledger_holds (
  id TEXT PRIMARY KEY,
  reference TEXT NOT NULL,
  command_hash TEXT NOT NULL,
  debit_account_id TEXT NOT NULL REFERENCES ledger_accounts (id),
  credit_account_id TEXT NOT NULL REFERENCES ledger_accounts (id),
  currency CHAR(3) NOT NULL,
  amount BIGINT NOT NULL CHECK (amount > 0),
  status TEXT NOT NULL CHECK (status IN ('pending', 'posted', 'voided', 'expired')),
  posted_amount BIGINT,
  resolve_reference TEXT,
  metadata JSONB NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  resolved_at TIMESTAMPTZ,
  -- limit usage the hold reserved, released again if it is voided
  usage_day TEXT,
  CONSTRAINT ledger_holds_reference_key UNIQUE (reference),
  CONSTRAINT ledger_holds_resolve_reference_key UNIQUE (resolve_reference)
);
CREATE INDEX ledger_holds_pending_expiry_idx ON ledger_holds (expires_at) WHERE status = 'pending';

-- Outgoing amounts per account per Asia/Shanghai day and year, for limits. Protected by the
-- account row lock: every writer locks the account before touching its usage.
CREATE TABLE ledger_limit_usage (
  account_id TEXT NOT NULL REFERENCES ledger_accounts (id),
  period TEXT NOT NULL,                -- 'D2026-11-23' or 'Y2026'
  debit_amount BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (account_id, period)
);
