-- Savings and wealth (server/savings/, docs/savings.md): the product catalogue with its versions, the
-- fund company's published figures, risk assessments, orders, fund share movements, term deposits.
-- Days are TEXT YYYY-MM-DD (Asia/Shanghai). Money itself lives only in the ledger: a holder's fund
-- shares and each deposit are ledger accounts.

-- Two new ledger account kinds: a holder's product account (fund shares, one deposit) never goes
-- below zero; a product's own account (the fund paying income, the bank paying interest, money on
-- its way back from an ordinary redemption) mirrors the outside and may.
ALTER TABLE ledger_accounts DROP CONSTRAINT IF EXISTS ledger_accounts_kind_check;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_kind_check CHECK (kind IN (
  'customer_wallet', 'merchant_settlement', 'bank_clearing', 'fee_income', 'suspense', 'expense',
  'savings_holding', 'savings_product'));
ALTER TABLE ledger_accounts DROP CONSTRAINT IF EXISTS ledger_accounts_no_overdraft;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_no_overdraft CHECK (
  kind NOT IN ('customer_wallet', 'merchant_settlement', 'fee_income', 'savings_holding') OR balance - pending_debits >= 0
);

-- Product changes go through maker-checker.
ALTER TABLE approval_requests DROP CONSTRAINT IF EXISTS approval_requests_kind_check;
ALTER TABLE approval_requests ADD CONSTRAINT approval_requests_kind_check CHECK (kind IN (
  'kyc.tier_change', 'risk.rule_change', 'ledger.operator_movement', 'savings.product_change'));

CREATE TABLE savings_products (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('fund', 'term_deposit')),
  code TEXT NOT NULL UNIQUE,
  -- Funds: the code the fund company publishes its figures under.
  fund_code TEXT,
  created_at TIMESTAMPTZ NOT NULL
);

-- Every change is a new version, in effect from effective_at; the one in effect at an instant is the
-- latest version whose effective_at has passed. Nothing is updated in place.
CREATE TABLE savings_product_versions (
  product_id TEXT NOT NULL REFERENCES savings_products (id),
  version INTEGER NOT NULL,
  effective_at TIMESTAMPTZ NOT NULL,
  terms JSONB NOT NULL,
  approval_id TEXT,
  created_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (product_id, version)
);

-- What the fund company published: per fund and day, income per 10,000 units and the 7-day
-- annualised yield, both in 1/10,000 (per10k_e4 4921 = ¥0.4921; yield7d_e4 18520 = 1.8520 %).
CREATE TABLE savings_fund_days (
  fund_code TEXT NOT NULL,
  day TEXT NOT NULL,
  per10k_e4 BIGINT NOT NULL CHECK (per10k_e4 >= 0),
  yield7d_e4 BIGINT NOT NULL,
  published_at TIMESTAMPTZ NOT NULL,
  fetched_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (fund_code, day)
);

-- The fund company sandbox (server/savings/fund-sandbox.ts) keeps its behaviour here.
CREATE TABLE savings_sandbox_funds (
  fund_code TEXT PRIMARY KEY,
  mode TEXT NOT NULL CHECK (mode IN ('normal', 'late', 'silent')),
  late_days INTEGER NOT NULL DEFAULT 0 CHECK (late_days >= 0),
  updated_at TIMESTAMPTZ NOT NULL
);
-- What the sandbox generated, once per fund and day, so a published figure never changes.
CREATE TABLE savings_sandbox_fund_days (
  fund_code TEXT NOT NULL,
  day TEXT NOT NULL,
  per10k_e4 BIGINT NOT NULL,
  yield7d_e4 BIGINT NOT NULL,
  PRIMARY KEY (fund_code, day)
);

CREATE TABLE savings_assessments (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  version TEXT NOT NULL,
  answers JSONB NOT NULL,
  score INTEGER NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('C1', 'C2', 'C3', 'C4', 'C5')),
  taken_at TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX savings_assessments_user_idx ON savings_assessments (user_id, taken_at DESC);

-- The product accounts of the bank side, created once per database.
CREATE TABLE savings_system_accounts (
  name TEXT PRIMARY KEY,
  account_id TEXT NOT NULL
);

-- A holder's shares in a fund: one ledger account per holder and fund.
CREATE TABLE savings_fund_holdings (
  user_id TEXT NOT NULL,
  product_id TEXT NOT NULL REFERENCES savings_products (id),
  account_id TEXT NOT NULL UNIQUE,
  created_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (user_id, product_id)
);

CREATE TABLE savings_orders (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  product_id TEXT NOT NULL REFERENCES savings_products (id),
  product_version INTEGER NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('subscribe', 'redeem_fast', 'redeem_ordinary', 'deposit_open',
    'deposit_early_withdrawal')),
  status TEXT NOT NULL CHECK (status IN ('awaiting_confirmation', 'pending_review', 'processing', 'completed',
    'rejected', 'failed', 'expired')),
  amount BIGINT NOT NULL CHECK (amount > 0),
  currency CHAR(3) NOT NULL,
  interest BIGINT,
  deposit_id TEXT,
  maturity_choice TEXT CHECK (maturity_choice IN ('rollover', 'to_wallet')),
  earns_from TEXT,
  arrives_on TEXT,
  risk_ack_id TEXT,
  confirmation_id TEXT,
  client_key TEXT,
  -- Orders above the review threshold: the money is held until staff decide.
  hold_id TEXT,
  target_account_id TEXT,
  entry_id TEXT,
  failure_code TEXT,
  review_note TEXT,
  decided_by TEXT,
  decided_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  completed_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX savings_orders_client_key_idx ON savings_orders (user_id, client_key) WHERE client_key IS NOT NULL;
CREATE INDEX savings_orders_user_idx ON savings_orders (user_id, id DESC);
CREATE INDEX savings_orders_status_idx ON savings_orders (status, id);

-- Buying above one's risk level, acknowledged: with the questionnaire version and time.
CREATE TABLE savings_risk_acknowledgements (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  product_id TEXT NOT NULL,
  product_risk TEXT NOT NULL,
  investor_level TEXT NOT NULL,
  assessment_id TEXT NOT NULL,
  questionnaire_version TEXT NOT NULL,
  acknowledged_at TIMESTAMPTZ NOT NULL
);

-- Fund share movements, mirroring the ledger postings on the holder's fund account. `day` is the
-- Shanghai day the shares moved (income: the day after the income day, when it is credited);
-- `earns_from` the first day they earn. Shares earning on day D = min(sum of additions earning by D,
-- balance at the end of D): a redemption takes shares that do not earn yet first.
CREATE TABLE savings_share_moves (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  product_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('subscribe', 'income', 'redeem')),
  amount BIGINT NOT NULL CHECK (amount <> 0),
  day TEXT NOT NULL,
  earns_from TEXT,
  income_day TEXT,
  eligible BIGINT,
  per10k_e4 BIGINT,
  order_id TEXT,
  entry_id TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX savings_share_moves_holder_idx ON savings_share_moves (product_id, user_id, day);
-- One income credit per holder, fund and day: a job that runs twice pays once.
CREATE UNIQUE INDEX savings_share_moves_income_idx ON savings_share_moves (user_id, product_id, income_day)
  WHERE kind = 'income';

-- Income days paid to every holder (the job resumes after the last one).
CREATE TABLE savings_income_days (
  product_id TEXT NOT NULL,
  day TEXT NOT NULL,
  holders INTEGER NOT NULL,
  total BIGINT NOT NULL,
  completed_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (product_id, day)
);

-- Fast (T+0) redemptions per holder, fund and Shanghai day, for the ¥10,000 cap.
CREATE TABLE savings_fast_redemptions (
  user_id TEXT NOT NULL,
  product_id TEXT NOT NULL,
  day TEXT NOT NULL,
  total BIGINT NOT NULL CHECK (total >= 0),
  PRIMARY KEY (user_id, product_id, day)
);

CREATE TABLE savings_deposits (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  product_id TEXT NOT NULL REFERENCES savings_products (id),
  account_id TEXT NOT NULL UNIQUE,
  principal BIGINT NOT NULL CHECK (principal > 0),
  currency CHAR(3) NOT NULL,
  term_months INTEGER NOT NULL,
  -- Annual rates in 1/10,000 of a percent (14500 = 1.4500 %).
  rate_e4 BIGINT NOT NULL,
  demand_rate_e4 BIGINT NOT NULL,
  opened_on TEXT NOT NULL,
  matures_on TEXT NOT NULL,
  maturity_choice TEXT NOT NULL CHECK (maturity_choice IN ('rollover', 'to_wallet')),
  status TEXT NOT NULL CHECK (status IN ('open', 'matured', 'withdrawn_early', 'rolled_over')),
  interest_paid BIGINT,
  closed_on TEXT,
  close_entry_id TEXT,
  rolled_from TEXT,
  rolled_into TEXT,
  order_id TEXT,
  open_entry_id TEXT,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX savings_deposits_user_idx ON savings_deposits (user_id, id DESC);
CREATE INDEX savings_deposits_maturity_idx ON savings_deposits (matures_on) WHERE status = 'open';
