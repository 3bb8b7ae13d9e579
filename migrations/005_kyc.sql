-- Real-name verification (KYC): submissions, their documents encrypted at rest, staff review with
-- maker-checker overrides, and the history of verification tier changes.

CREATE TABLE kyc_submissions (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id),
  document_type TEXT NOT NULL CHECK (document_type IN ('resident_id', 'passport')),
  status TEXT NOT NULL CHECK (status IN ('checking', 'approved', 'rejected', 'manual_review', 'override_pending')),
  -- Stable reason code when rejected or sent to review (DOCUMENT_UNCLEAR, NAME_MISMATCH, ...).
  reason TEXT,
  -- 'auto' for the automated rules, else the id of the staff member who decided.
  decided_by TEXT,
  decided_at TIMESTAMPTZ,
  auto_outcome TEXT CHECK (auto_outcome IN ('approved', 'rejected', 'manual_review')),
  auto_reason TEXT,
  -- What the document check found, without personal data: quality, face score, which fields matched.
  check_report JSONB,
  check_attempts INTEGER NOT NULL DEFAULT 0,
  check_started_at TIMESTAMPTZ,
  claimed_by TEXT,
  claimed_until TIMESTAMPTZ,
  -- Maker-checker: the first reviewer who proposed overriding an automatic rejection.
  override_by TEXT,
  override_note TEXT,
  override_at TIMESTAMPTZ,
  review_note TEXT,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);
-- At most one submission in progress per holder.
CREATE UNIQUE INDEX kyc_submissions_one_open_idx ON kyc_submissions (user_id) WHERE status IN ('checking', 'manual_review', 'override_pending');
CREATE INDEX kyc_submissions_user_idx ON kyc_submissions (user_id, id);
CREATE INDEX kyc_submissions_status_idx ON kyc_submissions (status, id);

-- Each page of the document and the selfie: AES-256-GCM (iv | tag | ciphertext), never in clear.
CREATE TABLE kyc_documents (
  submission_id TEXT NOT NULL REFERENCES kyc_submissions (id),
  side TEXT NOT NULL CHECK (side IN ('front', 'back', 'passport', 'selfie')),
  content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'application/pdf')),
  size_bytes INTEGER NOT NULL CHECK (size_bytes > 0 AND size_bytes <= 5242880),
  content_enc BYTEA NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (submission_id, side)
);

CREATE TABLE kyc_tier_changes (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id),
  from_tier TEXT NOT NULL,
  to_tier TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('verification', 'staff', 'card')),
  actor_id TEXT NOT NULL,
  reason TEXT,
  submission_id TEXT REFERENCES kyc_submissions (id),
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX kyc_tier_changes_user_idx ON kyc_tier_changes (user_id, id);
