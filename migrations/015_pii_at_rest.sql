-- Personal data at rest (docs/security.md, "Personal data").

-- The SMS sandbox's outbox: phone and text sealed with the personal-data key (AES-256-GCM), the
-- phone also as a keyed hash to find its messages. Rows written before hold plain phones and codes
-- that SQL cannot seal; they are sandbox messages whose codes are long expired, and are not kept.
DELETE FROM sms_outbox;
ALTER TABLE sms_outbox DROP COLUMN phone, DROP COLUMN text;
ALTER TABLE sms_outbox
  ADD COLUMN phone_hash TEXT NOT NULL,
  ADD COLUMN phone_enc TEXT NOT NULL,
  ADD COLUMN text_enc TEXT NOT NULL;
CREATE INDEX sms_outbox_phone_idx ON sms_outbox (phone_hash, created_at DESC);

-- Merchant staff names sealed the same way. Names written before stay in `name` until the
-- `payments-seal-staff-names` job seals them (the key is not in the database) and clears `name`.
ALTER TABLE merchant_staff ADD COLUMN name_enc TEXT;
ALTER TABLE merchant_staff ALTER COLUMN name DROP NOT NULL;
ALTER TABLE merchant_staff ADD CONSTRAINT merchant_staff_name_kept CHECK (name IS NOT NULL OR name_enc IS NOT NULL);
