-- When the holder last reset a forgotten payment PIN (issue 21): the risk engine reads it with the
-- holder's other risk signals in one statement, instead of a second query on the audit log.
ALTER TABLE users ADD COLUMN pin_reset_at TIMESTAMPTZ;
UPDATE users u SET pin_reset_at = (
  SELECT max(a.created_at) FROM audit_log a WHERE a.subject_id = u.id AND a.action = 'user.pin_reset'
);
