-- Bills (生活缴费): billers reached through the bill network, holders' saved biller accounts,
-- bill payments (two-phase through the ledger), reminders, autopay mandates and their runs, the
-- daily reconciliation with each biller's settlement file, and the bill network sandbox's state.

-- An expense account kind: Tongbao's own costs, e.g. the late fee it bears when an autopay run
-- failed through its own fault. Like clearing accounts it may go below zero (the bank funds it).
ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_kind_check;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_kind_check
  CHECK (kind IN ('customer_wallet', 'merchant_settlement', 'bank_clearing', 'fee_income', 'suspense', 'expense'));

-- The risk engine assesses bill payments as their own channel.
ALTER TABLE risk_assessments DROP CONSTRAINT risk_assessments_channel_check;
ALTER TABLE risk_assessments ADD CONSTRAINT risk_assessments_channel_check
  CHECK (channel IN ('p2p', 'merchant_qr', 'payment_code', 'withdraw', 'bill'));

CREATE TABLE bill_system_accounts (
  name TEXT PRIMARY KEY,
  account_id TEXT NOT NULL
);

CREATE TABLE bill_billers (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  name_en TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('water', 'electricity', 'gas', 'telecom', 'property')),
  city TEXT NOT NULL,
  city_name TEXT NOT NULL,
  city_name_en TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('postpaid', 'prepaid')),
  prepaid_minimum BIGINT,
  prepaid_maximum BIGINT,
  account_length INTEGER NOT NULL CHECK (account_length BETWEEN 4 AND 32),
  account_prefix TEXT NOT NULL DEFAULT '',
  check_digit TEXT CHECK (check_digit IN ('luhn')),
  example TEXT NOT NULL,
  hint_zh TEXT NOT NULL,
  hint_en TEXT NOT NULL,
  late_fee_per_mille NUMERIC(6, 3) NOT NULL DEFAULT 0,
  enabled BOOLEAN NOT NULL DEFAULT true,
  disabled_reason TEXT,
  maintenance_starts_at TIMESTAMPTZ,
  maintenance_ends_at TIMESTAMPTZ,
  maintenance_zh TEXT,
  maintenance_en TEXT,
  settlement_account_id TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE bill_saved_accounts (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id),
  biller_id TEXT NOT NULL REFERENCES bill_billers (id),
  account_number TEXT NOT NULL,
  label TEXT NOT NULL,
  reminder_days_before INTEGER NOT NULL DEFAULT 3 CHECK (reminder_days_before BETWEEN 0 AND 10),
  holder_name TEXT,
  created_at TIMESTAMPTZ NOT NULL,
  UNIQUE (user_id, biller_id, account_number)
);
CREATE INDEX bill_saved_accounts_biller_idx ON bill_saved_accounts (biller_id, account_number);

-- Our copy of the bills the network reported (on inquiry and by the refresh job).
CREATE TABLE bill_statements (
  biller_id TEXT NOT NULL,
  bill_ref TEXT NOT NULL,
  account_number TEXT NOT NULL,
  period TEXT NOT NULL,
  amount BIGINT NOT NULL CHECK (amount > 0),
  late_fee BIGINT NOT NULL DEFAULT 0,
  issued_at TIMESTAMPTZ NOT NULL,
  due_date TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('unpaid', 'paid', 'paid_elsewhere')),
  first_seen_at TIMESTAMPTZ NOT NULL,
  last_seen_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (biller_id, bill_ref)
);
CREATE INDEX bill_statements_account_idx ON bill_statements (biller_id, account_number, status);

CREATE TABLE bill_payments (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id),
  wallet_account_id TEXT NOT NULL,
  biller_id TEXT NOT NULL REFERENCES bill_billers (id),
  account_number TEXT NOT NULL,
  saved_account_id TEXT,
  bill_ref TEXT,
  period TEXT,
  bill_amount BIGINT NOT NULL,
  late_fee BIGINT NOT NULL DEFAULT 0,
  amount BIGINT NOT NULL CHECK (amount > 0),
  currency CHAR(3) NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('awaiting_confirmation', 'processing', 'succeeded', 'failed', 'expired')),
  failure_reason TEXT,
  source TEXT NOT NULL CHECK (source IN ('holder', 'autopay')),
  mandate_id TEXT,
  password_free BOOLEAN NOT NULL DEFAULT false,
  confirmation_id TEXT,
  hold_id TEXT,
  entry_id TEXT,
  network_ref TEXT,
  holder_name TEXT,
  late_fee_borne BIGINT NOT NULL DEFAULT 0,
  late_fee_entry_id TEXT,
  receipt_number TEXT UNIQUE,
  next_check_at TIMESTAMPTZ,
  checks INTEGER NOT NULL DEFAULT 0,
  created_at TIMESTAMPTZ NOT NULL,
  submitted_at TIMESTAMPTZ,
  completed_at TIMESTAMPTZ
);
CREATE INDEX bill_payments_user_idx ON bill_payments (user_id, id DESC);
CREATE INDEX bill_payments_check_idx ON bill_payments (next_check_at) WHERE status IN ('processing', 'awaiting_confirmation');
CREATE INDEX bill_payments_completed_idx ON bill_payments (biller_id, completed_at) WHERE status = 'succeeded';

-- At most one payment in flight or paid per bill: the claim is taken in the transaction that
-- places the hold, kept on success, released on failure.
CREATE TABLE bill_claims (
  biller_id TEXT NOT NULL,
  bill_ref TEXT NOT NULL,
  payment_id TEXT NOT NULL,
  PRIMARY KEY (biller_id, bill_ref)
);

CREATE TABLE bill_reminders (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  saved_account_id TEXT NOT NULL,
  biller_id TEXT NOT NULL,
  bill_ref TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('new_bill', 'before_due', 'due_today', 'overdue')),
  send_at TIMESTAMPTZ NOT NULL,
  sent_at TIMESTAMPTZ,
  cancelled BOOLEAN NOT NULL DEFAULT false,
  UNIQUE (saved_account_id, bill_ref, kind)
);
CREATE INDEX bill_reminders_due_idx ON bill_reminders (send_at) WHERE sent_at IS NULL AND NOT cancelled;

CREATE TABLE bill_autopay_mandates (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id),
  saved_account_id TEXT NOT NULL,
  cap_per_bill BIGINT NOT NULL CHECK (cap_per_bill > 0),
  cap_per_month BIGINT NOT NULL CHECK (cap_per_month > 0),
  timing TEXT NOT NULL CHECK (timing IN ('on_arrival', 'before_due')),
  days_before_due INTEGER CHECK (days_before_due BETWEEN 1 AND 10),
  status TEXT NOT NULL CHECK (status IN ('active', 'paused', 'cancelled')),
  confirmed_with TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX bill_autopay_one_per_account ON bill_autopay_mandates (saved_account_id) WHERE status <> 'cancelled';

-- What autopay does about one bill under one mandate: pending, paid, left for the holder.
CREATE TABLE bill_autopay_items (
  mandate_id TEXT NOT NULL,
  bill_ref TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('waiting', 'retrying', 'paid', 'left')),
  last_outcome TEXT,
  tongbao_fault BOOLEAN NOT NULL DEFAULT false,
  next_attempt_at TIMESTAMPTZ,
  payment_id TEXT,
  updated_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (mandate_id, bill_ref)
);

CREATE TABLE bill_autopay_runs (
  id TEXT PRIMARY KEY,
  mandate_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  biller_id TEXT NOT NULL,
  account_number TEXT NOT NULL,
  bill_ref TEXT NOT NULL,
  period TEXT NOT NULL,
  amount BIGINT NOT NULL,
  outcome TEXT NOT NULL,
  payment_id TEXT,
  detail TEXT,
  next_attempt_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX bill_autopay_runs_mandate_idx ON bill_autopay_runs (mandate_id, id DESC);
CREATE INDEX bill_autopay_runs_user_idx ON bill_autopay_runs (user_id, id DESC);

CREATE TABLE bill_recon_runs (
  day TEXT NOT NULL,
  biller_id TEXT NOT NULL,
  file_count INTEGER NOT NULL,
  file_total BIGINT NOT NULL,
  ledger_count INTEGER NOT NULL,
  ledger_total BIGINT NOT NULL,
  mismatches INTEGER NOT NULL,
  ran_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (day, biller_id)
);

CREATE TABLE bill_recon_mismatches (
  id TEXT PRIMARY KEY,
  day TEXT,
  biller_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  payment_id TEXT,
  network_ref TEXT,
  file_amount BIGINT,
  wallet_amount BIGINT,
  status TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
  note TEXT,
  resolved_by TEXT,
  resolved_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX bill_recon_mismatches_key ON bill_recon_mismatches (biller_id, kind, COALESCE(payment_id, ''), COALESCE(network_ref, ''));

-- The bill network sandbox: its own accounts, bills, payment requests and confirmations.
CREATE TABLE bill_sandbox_accounts (
  biller_id TEXT NOT NULL,
  account_number TEXT NOT NULL,
  holder_name TEXT NOT NULL,
  address TEXT NOT NULL,
  prepaid_balance BIGINT NOT NULL DEFAULT 0,
  created_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (biller_id, account_number)
);

CREATE TABLE bill_sandbox_bills (
  bill_ref TEXT PRIMARY KEY,
  biller_id TEXT NOT NULL,
  account_number TEXT NOT NULL,
  period TEXT NOT NULL,
  amount BIGINT NOT NULL,
  issued_at TIMESTAMPTZ NOT NULL,
  due_date TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('unpaid', 'paid')),
  paid_by TEXT,
  paid_at TIMESTAMPTZ,
  UNIQUE (biller_id, account_number, period)
);

CREATE TABLE bill_sandbox_txns (
  request_id TEXT PRIMARY KEY,
  biller_id TEXT NOT NULL,
  account_number TEXT NOT NULL,
  bill_ref TEXT,
  amount BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('processing', 'succeeded', 'failed')),
  final_status TEXT NOT NULL CHECK (final_status IN ('succeeded', 'failed')),
  reason TEXT,
  network_ref TEXT NOT NULL,
  completes_at TIMESTAMPTZ NOT NULL,
  completed_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX bill_sandbox_txns_done_idx ON bill_sandbox_txns (biller_id, completed_at) WHERE status = 'succeeded';

CREATE TABLE bill_sandbox_confirmations (
  id TEXT PRIMARY KEY,
  request_id TEXT NOT NULL,
  deliver_at TIMESTAMPTZ NOT NULL,
  delivered_at TIMESTAMPTZ
);
CREATE INDEX bill_sandbox_confirmations_due_idx ON bill_sandbox_confirmations (deliver_at) WHERE delivered_at IS NULL;
