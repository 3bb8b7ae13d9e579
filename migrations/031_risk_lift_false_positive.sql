-- Issue 17 (our own fault never hurts the holder's record): staff can lift a restriction as a false
-- positive. Credit then treats what the restriction got in the way of as Tongbao's own fault.
ALTER TABLE risk_restrictions ADD COLUMN IF NOT EXISTS false_positive BOOLEAN NOT NULL DEFAULT false;
