-- Issue 17: the holder's own card controls, bureau corrections retried, card interest reversed.
-- A statement day change waits for the next cycle (next_statement_day) and is allowed once a year
-- (statement_day_changed_on, a Shanghai day); a frozen card keeps its daily work.
ALTER TABLE credit_cards ADD COLUMN IF NOT EXISTS next_statement_day INTEGER
  CHECK (next_statement_day BETWEEN 1 AND 28);
ALTER TABLE credit_cards ADD COLUMN IF NOT EXISTS statement_day_changed_on TEXT;
ALTER TABLE credit_cards ADD COLUMN IF NOT EXISTS frozen_at TIMESTAMPTZ;

-- A correction the bureau did not take (a false-positive lift, an upheld dispute) waits here and is
-- tried again by the daily work until it is taken; staff see the ones that keep failing.
CREATE TABLE IF NOT EXISTS credit_bureau_retries (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('correct_record', 'fault_correction')),
  reference TEXT NOT NULL UNIQUE,
  payload JSONB NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'done')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TIMESTAMPTZ NOT NULL,
  last_error TEXT,
  created_at TIMESTAMPTZ NOT NULL,
  done_at TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS credit_bureau_retries_due_idx ON credit_bureau_retries (next_attempt_at)
  WHERE status = 'pending';

-- Interest reversed on a card when a due date fell under a restriction lifted as a false positive.
ALTER TABLE credit_card_transactions DROP CONSTRAINT IF EXISTS credit_card_transactions_kind_check;
ALTER TABLE credit_card_transactions ADD CONSTRAINT credit_card_transactions_kind_check
  CHECK (kind IN ('purchase', 'repayment', 'interest', 'penalty', 'refund', 'interest_reversal'));
