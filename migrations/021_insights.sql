-- Spending insights and budgets (server/insights/, docs/insights.md). The insights domain never reads
-- the ledger's tables: a job (and every insights read) follows the ledger's entries after a watermark
-- through the ledger service and writes, in one transaction with the watermark, one row per holder
-- and entry (insights_movements) and the per-holder rollups the views read. Days are TEXT YYYY-MM-DD
-- and months TEXT YYYY-MM, Asia/Shanghai.

-- The last ledger sequence number counted. One row; every write to the rollups locks it, so a movement
-- is counted exactly once and rules never race the feed.
CREATE TABLE insights_watermark (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq BIGINT NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);
INSERT INTO insights_watermark (id, seq, updated_at) VALUES (1, 0, now());

-- One ledger entry seen from one holder's wallet. amount is signed from the wallet (negative out).
-- A refund (or reversal) counts on the day and in the category of the payment it reduces (refund_of).
CREATE TABLE insights_movements (
  user_id TEXT NOT NULL,
  entry_id TEXT NOT NULL,
  entry_seq BIGINT NOT NULL,
  occurred_at TIMESTAMPTZ NOT NULL,
  day TEXT NOT NULL,
  kind TEXT NOT NULL,
  amount BIGINT NOT NULL,
  counterparty TEXT,
  note TEXT,
  mcc TEXT,
  business_ref TEXT,
  refund_of TEXT,
  auto_category TEXT,
  auto_source TEXT NOT NULL,
  manual_category TEXT,
  rule_id TEXT,
  category TEXT,
  category_source TEXT NOT NULL,
  categorisable BOOLEAN NOT NULL,
  PRIMARY KEY (user_id, entry_id)
);
CREATE INDEX insights_movements_day_idx ON insights_movements (user_id, day, entry_seq);
CREATE INDEX insights_movements_ref_idx ON insights_movements (user_id, business_ref) WHERE business_ref IS NOT NULL;
CREATE INDEX insights_movements_refund_idx ON insights_movements (user_id, refund_of) WHERE refund_of IS NOT NULL;

-- Per holder, day, kind and category (category '' when none): money out and in, and how many.
CREATE TABLE insights_daily (
  user_id TEXT NOT NULL,
  day TEXT NOT NULL,
  kind TEXT NOT NULL,
  category TEXT NOT NULL,
  out_amount BIGINT NOT NULL,
  in_amount BIGINT NOT NULL,
  out_count INTEGER NOT NULL,
  PRIMARY KEY (user_id, day, kind, category)
);

-- Per holder, month and counterparty, spending only (payments minus their refunds).
CREATE TABLE insights_merchant_months (
  user_id TEXT NOT NULL,
  month TEXT NOT NULL,
  counterparty TEXT NOT NULL,
  category TEXT NOT NULL,
  amount BIGINT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (user_id, month, counterparty, category)
);

-- Per holder and day, the net change of what they own here: the wallet and savings accounts.
CREATE TABLE insights_asset_days (
  user_id TEXT NOT NULL,
  day TEXT NOT NULL,
  asset TEXT NOT NULL CHECK (asset IN ('wallet', 'savings')),
  net_amount BIGINT NOT NULL,
  PRIMARY KEY (user_id, asset, day)
);

-- "Payments to 张*三 are rent": applied to the past and to every new movement; newest wins.
CREATE TABLE insights_rules (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  pattern TEXT NOT NULL,
  category TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX insights_rules_user_idx ON insights_rules (user_id, created_at);

-- Monthly budgets, overall (category '') or per category. A change keeps the amount in force before it.
CREATE TABLE insights_budgets (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  category TEXT NOT NULL,
  amount BIGINT NOT NULL CHECK (amount > 0),
  previous_amount BIGINT,
  changed_month TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  UNIQUE (user_id, category)
);

-- An alert goes out once per budget, month and level: the key says it was sent.
CREATE TABLE insights_budget_alerts (
  budget_id TEXT NOT NULL,
  month TEXT NOT NULL,
  level INTEGER NOT NULL CHECK (level IN (80, 100)),
  user_id TEXT NOT NULL,
  category TEXT NOT NULL,
  spent BIGINT NOT NULL,
  amount BIGINT NOT NULL,
  at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (budget_id, month, level)
);
CREATE INDEX insights_budget_alerts_user_idx ON insights_budget_alerts (user_id, month);
