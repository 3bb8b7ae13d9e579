-- Self-service (issue 19): notification preferences by e-mail too, and the e-mail outbox found by
-- address. Migration 019 created notification_preferences (in-app, SMS), user_emails, email_codes
-- and email_outbox; this adds what they lacked.

-- The e-mail channel of a category's preference (it applies only while the holder has a verified
-- address). Security notices ignore the row: they always go out.
ALTER TABLE notification_preferences ADD COLUMN email BOOLEAN NOT NULL DEFAULT false;

-- The development outbox: the address as a keyed hash (to list one address's mail) and what the
-- message was for ('code:verify', 'code:recover', a notification kind).
ALTER TABLE email_outbox ADD COLUMN to_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE email_outbox ADD COLUMN purpose TEXT NOT NULL DEFAULT '';
CREATE INDEX email_outbox_to_idx ON email_outbox (to_hash, created_at DESC);
