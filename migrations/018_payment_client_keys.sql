-- A one-step payment ("pay now with the PIN") remembers the client's Idempotency-Key, so a retry
-- after a server crash (once the idempotency record's in-flight lock has lapsed) finds the payment
-- it already made instead of charging again. Transfers do the same (transfers.client_key).
ALTER TABLE payments ADD COLUMN client_key TEXT;
CREATE UNIQUE INDEX payments_client_key_idx ON payments (user_id, client_key) WHERE client_key IS NOT NULL;
