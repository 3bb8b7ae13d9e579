-- Maker-checker: changes one person asks for and a second, different person approves before they
-- take effect (manual tier changes, weakening a risk rule, money moved through the operator API).
-- The payload is what the checker sees and what is applied; nothing changes while it is pending.

CREATE TABLE approval_requests (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('kyc.tier_change', 'risk.rule_change', 'ledger.operator_movement')),
  subject_type TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  payload JSONB NOT NULL,
  reason TEXT NOT NULL,
  requested_by_kind TEXT NOT NULL CHECK (requested_by_kind IN ('staff', 'operator')),
  requested_by TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'failed')),
  decided_by_kind TEXT CHECK (decided_by_kind IN ('staff', 'operator')),
  decided_by TEXT,
  decided_at TIMESTAMPTZ,
  decision_note TEXT,
  -- What applying it produced (the entry id, the new version), or the code it failed with.
  outcome JSONB,
  created_at TIMESTAMPTZ NOT NULL,
  -- The maker never checks their own request.
  CHECK (decided_by IS NULL OR decided_by_kind <> requested_by_kind OR decided_by <> requested_by)
);
-- One pending request per subject: a second one would be decided against a state that may change.
CREATE UNIQUE INDEX approval_requests_one_pending_idx ON approval_requests (kind, subject_id) WHERE status = 'pending';
CREATE INDEX approval_requests_status_idx ON approval_requests (status, kind, id);
