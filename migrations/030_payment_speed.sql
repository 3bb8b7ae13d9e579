-- Issue 21 (payments at database speed): a payment finds its payer and its payee (by wallet account)
-- in one statement on users; the payee side needs an index on the wallet account id.
CREATE INDEX IF NOT EXISTS users_wallet_account_idx ON users (wallet_account_id);
