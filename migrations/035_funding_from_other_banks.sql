-- Funding from other banks (issue 18), on the tables of migration 029.
--
-- Online-banking top-ups: when the status query asks the network next (the fallback for a
-- notification that never comes).
ALTER TABLE wallet_online_banking_orders ADD COLUMN next_check_at TIMESTAMPTZ;
CREATE INDEX wallet_online_banking_orders_check_idx ON wallet_online_banking_orders (next_check_at)
  WHERE status = 'pending';

-- The funding domain's own system accounts (the interbank clearing account), by name.
CREATE TABLE funding_system_accounts (
  name TEXT PRIMARY KEY,
  account_id TEXT NOT NULL
);

-- The sandbox's misbehaviour on request: transfers delivered late or more than once, and
-- online-banking payments notified once, twice or never (the status query must find them).
ALTER TABLE interbank_sandbox_transfers ADD COLUMN payer_account TEXT NOT NULL DEFAULT '';
ALTER TABLE interbank_sandbox_transfers ADD COLUMN deliver_at TIMESTAMPTZ;
ALTER TABLE interbank_sandbox_transfers ADD COLUMN deliveries_left INTEGER NOT NULL DEFAULT 1;
CREATE INDEX interbank_sandbox_transfers_due_idx ON interbank_sandbox_transfers (deliver_at)
  WHERE deliveries_left > 0;
ALTER TABLE interbank_sandbox_payments ADD COLUMN notify TEXT NOT NULL DEFAULT 'once'
  CHECK (notify IN ('once', 'twice', 'never'));
