-- Credit (server/credit/, docs/credit.md): loans and credit cards, the automated decision with its
-- scorecard versions, the credit bureau sandbox, repayments, overdue handling and notices.
-- Days are TEXT YYYY-MM-DD (Asia/Shanghai). Money lives only in the ledger: each loan and each card
-- has its own receivable account (negative balance = what the holder owes).

-- Two new ledger account kinds: what a holder owes on one loan or card (goes below zero), and the
-- bank's credit income (interest and penalty interest).
ALTER TABLE ledger_accounts DROP CONSTRAINT IF EXISTS ledger_accounts_kind_check;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_kind_check CHECK (kind IN (
  'customer_wallet', 'merchant_settlement', 'bank_clearing', 'fee_income', 'suspense', 'expense',
  'savings_holding', 'savings_product', 'credit_receivable', 'credit_income'));

-- Referral decisions above the threshold and write-offs go through maker-checker.
ALTER TABLE approval_requests DROP CONSTRAINT IF EXISTS approval_requests_kind_check;
ALTER TABLE approval_requests ADD CONSTRAINT approval_requests_kind_check CHECK (kind IN (
  'kyc.tier_change', 'risk.rule_change', 'ledger.operator_movement', 'savings.product_change',
  'credit.referral_decision', 'credit.write_off'));

-- The scorecard is data: every version kept, the one in effect is the latest whose effective_from passed.
CREATE TABLE credit_scorecards (
  version TEXT PRIMARY KEY,
  effective_from TIMESTAMPTZ NOT NULL,
  rules JSONB NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);

-- The bank-side accounts (interest income, card network clearing, credit losses), created once.
CREATE TABLE credit_system_accounts (
  name TEXT PRIMARY KEY,
  account_id TEXT NOT NULL
);

-- The credit bureau sandbox (server/credit/bureau-sandbox.ts): a person is the keyed hash of their ID
-- number; their file is made once from the marker in the ID (docs/credit.md) and kept.
CREATE TABLE credit_bureau_people (
  person TEXT PRIMARY KEY,
  marker TEXT NOT NULL CHECK (marker IN ('clean', 'thin', 'heavy_debt', 'past_default')),
  score INTEGER,
  created_at TIMESTAMPTZ NOT NULL
);
-- Debts held elsewhere (other lenders), made with the person's file.
CREATE TABLE credit_bureau_debts (
  id TEXT PRIMARY KEY,
  person TEXT NOT NULL REFERENCES credit_bureau_people (person),
  lender TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('loan', 'card')),
  balance BIGINT NOT NULL,
  monthly_payment BIGINT NOT NULL,
  opened_on TEXT NOT NULL,
  overdue_months_24 INTEGER NOT NULL DEFAULT 0,
  defaulted BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX credit_bureau_debts_person_idx ON credit_bureau_debts (person);
CREATE TABLE credit_bureau_inquiries (
  id TEXT PRIMARY KEY,
  person TEXT NOT NULL,
  day TEXT NOT NULL,
  inquirer TEXT NOT NULL,
  reason TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX credit_bureau_inquiries_person_idx ON credit_bureau_inquiries (person, day);
-- Accounts the bank reports, each month's status (N on time, 1..3 months overdue, C closed, W written off).
CREATE TABLE credit_bureau_accounts (
  account_ref TEXT PRIMARY KEY,
  person TEXT NOT NULL,
  lender TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('loan', 'card')),
  opened_on TEXT NOT NULL,
  balance BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('current', 'overdue', 'closed', 'written_off')),
  updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX credit_bureau_accounts_person_idx ON credit_bureau_accounts (person);
CREATE TABLE credit_bureau_statuses (
  account_ref TEXT NOT NULL REFERENCES credit_bureau_accounts (account_ref),
  month TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('N', '1', '2', '3', 'C', 'W')),
  reported_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (account_ref, month)
);
-- Negative records: one per overdue installment past its grace, or a write-off; a dispute upheld removes it.
CREATE TABLE credit_bureau_records (
  id TEXT PRIMARY KEY,
  person TEXT NOT NULL,
  account_ref TEXT NOT NULL REFERENCES credit_bureau_accounts (account_ref),
  event_ref TEXT NOT NULL UNIQUE,
  month TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('overdue', 'write_off')),
  amount BIGINT NOT NULL,
  removed BOOLEAN NOT NULL DEFAULT false,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX credit_bureau_records_person_idx ON credit_bureau_records (person);
CREATE TABLE credit_bureau_settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE credit_applications (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  product TEXT NOT NULL CHECK (product IN ('loan', 'card')),
  status TEXT NOT NULL CHECK (status IN ('approved', 'declined', 'referred', 'awaiting_signature', 'signed',
    'expired')),
  amount BIGINT,
  term_months INTEGER,
  method TEXT,
  purpose TEXT,
  monthly_income BIGINT NOT NULL CHECK (monthly_income >= 0),
  scorecard_version TEXT NOT NULL,
  score INTEGER,
  inputs JSONB NOT NULL,
  components JSONB NOT NULL,
  outcome TEXT CHECK (outcome IN ('approve', 'decline', 'refer')),
  reasons JSONB NOT NULL,
  decided_by TEXT,
  decided_at TIMESTAMPTZ,
  offer JSONB,
  offer_expires_at TIMESTAMPTZ,
  confirmation_id TEXT,
  loan_id TEXT,
  card_id TEXT,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX credit_applications_user_idx ON credit_applications (user_id, id DESC);
CREATE INDEX credit_applications_status_idx ON credit_applications (status, id DESC);
-- One undecided or unsigned application per holder and product at a time.
CREATE UNIQUE INDEX credit_applications_open_idx ON credit_applications (user_id, product)
  WHERE status IN ('approved', 'referred', 'awaiting_signature');

CREATE TABLE credit_reviews (
  id TEXT PRIMARY KEY,
  application_id TEXT NOT NULL REFERENCES credit_applications (id),
  staff_id TEXT NOT NULL,
  decision TEXT NOT NULL CHECK (decision IN ('approve', 'decline')),
  credit_limit BIGINT,
  annual_rate_bp INTEGER,
  note TEXT NOT NULL,
  approval_id TEXT,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX credit_reviews_application_idx ON credit_reviews (application_id);

CREATE TABLE credit_loans (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  application_id TEXT NOT NULL UNIQUE REFERENCES credit_applications (id),
  account_id TEXT NOT NULL UNIQUE,
  wallet_account_id TEXT NOT NULL,
  principal BIGINT NOT NULL CHECK (principal > 0),
  currency CHAR(3) NOT NULL,
  term_months INTEGER NOT NULL,
  method TEXT NOT NULL CHECK (method IN ('equal_installment', 'equal_principal', 'interest_first')),
  purpose TEXT NOT NULL,
  annual_rate_bp INTEGER NOT NULL,
  apr_bp INTEGER NOT NULL,
  penalty_rate_bp INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'overdue', 'paid_off', 'written_off')),
  disbursed_on TEXT NOT NULL,
  disbursed_at TIMESTAMPTZ NOT NULL,
  contract JSONB NOT NULL,
  -- What has been posted to the receivable as interest and as penalty, and through which day.
  interest_accrued BIGINT NOT NULL DEFAULT 0,
  penalty_accrued BIGINT NOT NULL DEFAULT 0,
  accrued_through TEXT,
  closed_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX credit_loans_user_idx ON credit_loans (user_id, id DESC);
CREATE INDEX credit_loans_status_idx ON credit_loans (status, id);

-- A loan's schedule. Interest of an installment accrues linearly from start_day to due_day; after a
-- part prepayment the current one restarts from that day (interest_base is what had accrued).
CREATE TABLE credit_installments (
  loan_id TEXT NOT NULL REFERENCES credit_loans (id),
  number INTEGER NOT NULL,
  start_day TEXT NOT NULL,
  due_day TEXT NOT NULL,
  original_due_day TEXT NOT NULL,
  principal BIGINT NOT NULL CHECK (principal >= 0),
  interest BIGINT NOT NULL CHECK (interest >= 0),
  interest_base BIGINT NOT NULL DEFAULT 0,
  penalty BIGINT NOT NULL DEFAULT 0,
  paid_principal BIGINT NOT NULL DEFAULT 0,
  paid_interest BIGINT NOT NULL DEFAULT 0,
  paid_penalty BIGINT NOT NULL DEFAULT 0,
  paid_on TEXT,
  autopay_tried_on TEXT,
  reported BOOLEAN NOT NULL DEFAULT false,
  PRIMARY KEY (loan_id, number)
);
CREATE INDEX credit_installments_due_idx ON credit_installments (due_day) WHERE paid_on IS NULL;

CREATE TABLE credit_cards (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  application_id TEXT NOT NULL UNIQUE REFERENCES credit_applications (id),
  account_id TEXT NOT NULL UNIQUE,
  pan_enc TEXT NOT NULL,
  pan_hash TEXT NOT NULL UNIQUE,
  last4 TEXT NOT NULL,
  expiry TEXT NOT NULL,
  credit_limit BIGINT NOT NULL CHECK (credit_limit > 0),
  annual_rate_bp INTEGER NOT NULL,
  statement_day INTEGER NOT NULL CHECK (statement_day BETWEEN 1 AND 28),
  due_day INTEGER NOT NULL CHECK (due_day BETWEEN 1 AND 28),
  status TEXT NOT NULL CHECK (status IN ('active', 'frozen', 'closed')),
  interest_through TEXT,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX credit_cards_user_idx ON credit_cards (user_id) WHERE status <> 'closed';

CREATE TABLE credit_statements (
  id TEXT PRIMARY KEY,
  card_id TEXT NOT NULL REFERENCES credit_cards (id),
  period_from TEXT NOT NULL,
  period_to TEXT NOT NULL,
  statement_day TEXT NOT NULL,
  due_day TEXT NOT NULL,
  original_due_day TEXT NOT NULL,
  balance BIGINT NOT NULL,
  minimum_payment BIGINT NOT NULL,
  paid BIGINT NOT NULL DEFAULT 0,
  interest BIGINT NOT NULL DEFAULT 0,
  status TEXT NOT NULL CHECK (status IN ('open', 'paid', 'minimum_paid', 'overdue')),
  autopay_tried_on TEXT,
  reported BOOLEAN NOT NULL DEFAULT false,
  created_at TIMESTAMPTZ NOT NULL,
  UNIQUE (card_id, statement_day)
);

CREATE TABLE credit_card_transactions (
  id TEXT PRIMARY KEY,
  card_id TEXT NOT NULL REFERENCES credit_cards (id),
  kind TEXT NOT NULL CHECK (kind IN ('purchase', 'repayment', 'interest', 'penalty', 'refund')),
  amount BIGINT NOT NULL CHECK (amount > 0),
  merchant_name TEXT,
  mcc TEXT,
  day TEXT NOT NULL,
  statement_id TEXT,
  reference TEXT NOT NULL UNIQUE,
  entry_id TEXT,
  posted_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX credit_card_transactions_card_idx ON credit_card_transactions (card_id, id DESC);

CREATE TABLE credit_repayments (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  target TEXT NOT NULL CHECK (target IN ('loan', 'card')),
  target_id TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('due', 'payoff', 'custom', 'full', 'minimum')),
  source TEXT NOT NULL CHECK (source IN ('manual', 'auto_wallet', 'auto_card')),
  status TEXT NOT NULL CHECK (status IN ('awaiting_confirmation', 'completed', 'failed', 'expired')),
  amount BIGINT NOT NULL CHECK (amount > 0),
  currency CHAR(3) NOT NULL,
  alloc_penalty BIGINT NOT NULL DEFAULT 0,
  alloc_interest BIGINT NOT NULL DEFAULT 0,
  alloc_principal BIGINT NOT NULL DEFAULT 0,
  confirmation_id TEXT,
  client_key TEXT,
  entry_id TEXT,
  failure_code TEXT,
  created_at TIMESTAMPTZ NOT NULL,
  completed_at TIMESTAMPTZ
);
CREATE INDEX credit_repayments_target_idx ON credit_repayments (target_id, id DESC);
CREATE UNIQUE INDEX credit_repayments_client_key_idx ON credit_repayments (user_id, client_key)
  WHERE client_key IS NOT NULL;

-- Reminders, pre-report notices, moved due dates: once per subject and kind (the job reruns safely).
CREATE TABLE credit_notices (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  subject TEXT NOT NULL,
  kind TEXT NOT NULL,
  text JSONB NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  UNIQUE (subject, kind)
);
CREATE INDEX credit_notices_user_idx ON credit_notices (user_id, id DESC);

CREATE TABLE credit_contacts (
  id TEXT PRIMARY KEY,
  target TEXT NOT NULL CHECK (target IN ('loan', 'card')),
  target_id TEXT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('phone', 'sms', 'in_app')),
  note TEXT NOT NULL,
  contacted_by TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX credit_contacts_target_idx ON credit_contacts (target_id, id DESC);

CREATE TABLE credit_disputes (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  record_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'upheld', 'rejected')),
  resolution TEXT,
  resolved_by TEXT,
  created_at TIMESTAMPTZ NOT NULL,
  resolved_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX credit_disputes_open_idx ON credit_disputes (record_id) WHERE status = 'open';

CREATE TABLE credit_settings (
  user_id TEXT PRIMARY KEY,
  card_fallback BOOLEAN NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);

-- Scorecard v1 (docs/credit.md explains each band). Inputs never include sex, age or region.
INSERT INTO credit_scorecards (version, effective_from, rules, created_at) VALUES ('v1', '2026-01-01T00:00:00Z', '{
  "base": 560,
  "factors": [
    {"factor": "tier", "bands": [{"equals": "full", "points": 40}, {"equals": "verified", "points": 20},
      {"points": 0}]},
    {"factor": "accountAgeDays", "bands": [{"min": 365, "points": 40}, {"min": 90, "points": 25},
      {"min": 30, "points": 10}, {"points": 0}]},
    {"factor": "monthlyIncomeYuan", "bands": [{"min": 20000, "points": 60}, {"min": 8000, "points": 45},
      {"min": 3000, "points": 25}, {"points": 0}]},
    {"factor": "walletBalanceYuan", "bands": [{"min": 10000, "points": 30}, {"min": 1000, "points": 20},
      {"min": 100, "points": 10}, {"points": 0}]},
    {"factor": "walletActivity", "bands": [{"min": 20, "points": 20}, {"min": 5, "points": 10}, {"points": 0}]},
    {"factor": "onTimeRepayments", "bands": [{"min": 6, "points": 30}, {"min": 1, "points": 15}, {"points": 0}]},
    {"factor": "lateRepayments", "bands": [{"min": 3, "points": -80}, {"min": 1, "points": -40}, {"points": 0}]},
    {"factor": "riskFlags", "bands": [{"min": 2, "points": -100}, {"min": 1, "points": -50}, {"points": 0}]},
    {"factor": "bureauScore", "bands": [{"min": 700, "points": 120}, {"min": 650, "points": 80},
      {"min": 600, "points": 40}, {"points": 0}]},
    {"factor": "debtToIncomePct", "bands": [{"min": 70, "points": -150}, {"min": 50, "points": -80},
      {"min": 30, "points": -20}, {"points": 0}]},
    {"factor": "overdueMonths24", "bands": [{"min": 3, "points": -150}, {"min": 1, "points": -60}, {"points": 0}]},
    {"factor": "inquiries3m", "bands": [{"min": 6, "points": -60}, {"min": 3, "points": -20}, {"points": 0}]},
    {"factor": "pastDefault", "bands": [{"equals": true, "points": -250}, {"points": 0}]}
  ],
  "cutoffs": {"approve": 720, "refer": 650},
  "limits": [{"minScore": 820, "incomeMultiple": 8}, {"minScore": 760, "incomeMultiple": 5},
    {"minScore": 0, "incomeMultiple": 3}],
  "rates": [{"minScore": 820, "annualRateBp": 720}, {"minScore": 760, "annualRateBp": 1080},
    {"minScore": 0, "annualRateBp": 1440}],
  "loan": {"minFen": 100000, "maxFen": 20000000, "terms": [3, 6, 12, 24]},
  "card": {"annualRateBp": 1825, "incomeMultiple": 2, "maxFen": 5000000},
  "reasons": {
    "tier": {"zh": "账户实名等级较低", "en": "Your account verification level is low"},
    "accountAgeDays": {"zh": "在通宝开户时间较短", "en": "Your Tongbao account is new"},
    "monthlyIncomeYuan": {"zh": "申报收入不足以支持该额度", "en": "Your declared income is too low for this amount"},
    "walletBalanceYuan": {"zh": "钱包余额较低", "en": "Your wallet balance is low"},
    "walletActivity": {"zh": "钱包使用记录较少", "en": "Your wallet has little payment history"},
    "onTimeRepayments": {"zh": "在通宝的按时还款记录较少", "en": "You have few on-time repayments with Tongbao"},
    "lateRepayments": {"zh": "在通宝有逾期还款记录", "en": "You have repaid late at Tongbao"},
    "riskFlags": {"zh": "账户存在安全风险提示", "en": "Your account has security warnings"},
    "bureauScore": {"zh": "征信评分较低", "en": "Your credit bureau score is low"},
    "debtToIncomePct": {"zh": "现有负债占收入比例过高", "en": "Your existing debt payments are high compared with your income"},
    "overdueMonths24": {"zh": "近两年征信有逾期记录", "en": "Your credit report shows overdue payments in the last two years"},
    "inquiries3m": {"zh": "近期征信查询次数较多", "en": "Your credit report shows many recent applications"},
    "pastDefault": {"zh": "征信有违约记录", "en": "Your credit report shows a past default"},
    "thinFile": {"zh": "征信记录不足，需人工审核",
      "en": "Your credit history is too short to decide automatically: a person will review it"},
    "score": {"zh": "综合评分未达到标准", "en": "Your overall score is below our standard"}
  }
}', '2026-01-01T00:00:00Z');
