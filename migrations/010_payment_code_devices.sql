-- Payment-code devices (issue 14, finding 1): each seed names its device and when it last paid,
-- and says why it was revoked (replaced, device cap, removed by the holder, theft report,
-- password recovery or change, signing out other devices), so a code from it is refused as
-- PAYMENT_CODE_REVOKED rather than merely unknown.
ALTER TABLE payment_code_seeds ADD COLUMN device_name TEXT NOT NULL DEFAULT '';
ALTER TABLE payment_code_seeds ADD COLUMN last_used_at TIMESTAMPTZ;
ALTER TABLE payment_code_seeds ADD COLUMN revoked_reason TEXT;

-- The holder's seeds in use, oldest first (the cap revokes the oldest).
CREATE INDEX payment_code_seeds_user_live_idx ON payment_code_seeds (user_id, created_at) WHERE revoked_at IS NULL;
-- A code whose seed number is no longer in use: found among revoked seeds, newest first.
CREATE INDEX payment_code_seeds_revoked_number_idx ON payment_code_seeds (seed_number, revoked_at DESC) WHERE revoked_at IS NOT NULL;

-- Minting a seed is approved like a movement (PIN or passkey over a bound challenge) but moves no
-- money: its confirmation carries amount 0.
ALTER TABLE payment_confirmations DROP CONSTRAINT payment_confirmations_amount_check;
ALTER TABLE payment_confirmations ADD CONSTRAINT payment_confirmations_amount_check CHECK (amount >= 0);

-- Seeds minted before this migration needed only a session (the finding), and some holders may
-- have more than three: every one is revoked, and each device asks for the PIN once to mint anew.
UPDATE payment_code_seeds SET revoked_at = now(), revoked_reason = 'reissue' WHERE revoked_at IS NULL;
