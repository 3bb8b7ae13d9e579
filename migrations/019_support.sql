-- Customer service (server/support/, docs/support.md): tickets with a conversation and attachments,
-- the complaint clock, help-centre articles kept as versioned data, disputes of merchant payments,
-- evidence on security cases, claw-backs of stolen money, notification preferences and a verified
-- e-mail address as a second recovery channel.

CREATE TABLE support_tickets (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id),
  category TEXT NOT NULL CHECK (category IN ('payment_failed', 'account_restricted', 'suspected_fraud',
    'complaint_merchant', 'complaint_service', 'suggestion', 'other')),
  subject TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'resolved', 'closed')),
  complaint BOOLEAN NOT NULL,
  linked_records JSONB NOT NULL DEFAULT '[]',
  assignee_id TEXT,
  escalated BOOLEAN NOT NULL DEFAULT false,
  escalation_reason TEXT,
  -- The complaint clock: received (created_at), acknowledged at once, due in 15 days or 30 when complex.
  acknowledged_at TIMESTAMPTZ,
  due_at TIMESTAMPTZ,
  complex_reason TEXT,
  decision_text TEXT,
  decided_at TIMESTAMPTZ,
  rating_score INTEGER CHECK (rating_score BETWEEN 1 AND 5),
  rating_comment TEXT,
  dispute_id TEXT,
  first_reply_at TIMESTAMPTZ,
  last_message_at TIMESTAMPTZ NOT NULL,
  holder_unread INTEGER NOT NULL DEFAULT 0,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  closed_at TIMESTAMPTZ
);
CREATE INDEX support_tickets_user_idx ON support_tickets (user_id, id DESC);
CREATE INDEX support_tickets_queue_idx ON support_tickets (status, due_at, id);

CREATE TABLE support_attachments (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id),
  ticket_id TEXT REFERENCES support_tickets (id),
  case_id TEXT,
  content_type TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  file_name TEXT NOT NULL,
  -- AES-256-GCM, bound to the attachment id (server/support/attachments.ts).
  sealed BYTEA NOT NULL,
  uploaded_by TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE support_messages (
  seq BIGSERIAL UNIQUE,
  id TEXT PRIMARY KEY,
  ticket_id TEXT NOT NULL REFERENCES support_tickets (id),
  author_kind TEXT NOT NULL CHECK (author_kind IN ('holder', 'staff', 'system')),
  author_id TEXT,
  author_name TEXT,
  internal BOOLEAN NOT NULL DEFAULT false,
  body TEXT NOT NULL,
  attachment_id TEXT REFERENCES support_attachments (id),
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX support_messages_ticket_idx ON support_messages (ticket_id, seq);

CREATE TABLE help_articles (
  slug TEXT PRIMARY KEY,
  category TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version > 0),
  content JSONB NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE help_article_versions (
  slug TEXT NOT NULL REFERENCES help_articles (slug),
  version INTEGER NOT NULL,
  category TEXT NOT NULL,
  content JSONB NOT NULL,
  edited_by TEXT NOT NULL,
  edited_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (slug, version)
);

CREATE TABLE support_disputes (
  id TEXT PRIMARY KEY,
  payment_id TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id),
  merchant_id TEXT NOT NULL,
  ticket_id TEXT NOT NULL REFERENCES support_tickets (id),
  reason TEXT NOT NULL CHECK (reason IN ('not_received', 'charged_twice', 'wrong_amount')),
  body TEXT NOT NULL,
  claimed_amount BIGINT NOT NULL CHECK (claimed_amount > 0),
  payment_amount BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('awaiting_merchant', 'merchant_answered', 'merchant_refunded',
    'refunded', 'rejected')),
  merchant_due_at TIMESTAMPTZ NOT NULL,
  merchant_answer TEXT,
  merchant_evidence TEXT,
  merchant_answered_at TIMESTAMPTZ,
  decision_outcome TEXT CHECK (decision_outcome IN ('refund', 'reject')),
  decision_amount BIGINT,
  decision_note TEXT,
  decided_by TEXT,
  decided_at TIMESTAMPTZ,
  refund_id TEXT,
  refund_amount BIGINT,
  refund_entry_id TEXT,
  refund_by TEXT CHECK (refund_by IN ('merchant', 'bank')),
  refunded_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX support_disputes_one_open_idx ON support_disputes (payment_id)
  WHERE status IN ('awaiting_merchant', 'merchant_answered');
CREATE INDEX support_disputes_user_idx ON support_disputes (user_id, id DESC);
CREATE INDEX support_disputes_merchant_idx ON support_disputes (merchant_id, id DESC);

CREATE TABLE support_case_evidence (
  id TEXT PRIMARY KEY,
  case_id TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id),
  kind TEXT NOT NULL CHECK (kind IN ('police_report', 'note', 'file')),
  body TEXT,
  attachment_id TEXT REFERENCES support_attachments (id),
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX support_case_evidence_case_idx ON support_case_evidence (case_id, id);

CREATE TABLE support_clawbacks (
  id TEXT PRIMARY KEY,
  case_id TEXT NOT NULL,
  transfer_id TEXT NOT NULL,
  from_user_id TEXT NOT NULL,
  to_user_id TEXT NOT NULL,
  victim_wallet_id TEXT NOT NULL,
  receiver_wallet_id TEXT NOT NULL,
  amount BIGINT NOT NULL CHECK (amount > 0),
  hold_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('held', 'return_pending', 'returned', 'released')),
  -- Maker-checker for the return: who asked and why, who approved (never the same person).
  return_requested_by TEXT,
  return_reason TEXT,
  return_approved_by TEXT,
  reason TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  returned_at TIMESTAMPTZ,
  entry_id TEXT
);
CREATE UNIQUE INDEX support_clawbacks_one_open_idx ON support_clawbacks (transfer_id)
  WHERE status IN ('held', 'return_pending');
CREATE INDEX support_clawbacks_case_idx ON support_clawbacks (case_id);

CREATE TABLE notification_preferences (
  user_id TEXT NOT NULL REFERENCES users (id),
  category TEXT NOT NULL,
  in_app BOOLEAN NOT NULL,
  sms BOOLEAN NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (user_id, category)
);

-- A verified e-mail address per holder (encrypted, with a keyed hash to look it up) and the codes
-- sent to confirm it or to recover the password.
CREATE TABLE user_emails (
  user_id TEXT PRIMARY KEY REFERENCES users (id),
  email_enc TEXT,
  email_hash TEXT,
  verified_at TIMESTAMPTZ,
  pending_email_enc TEXT,
  pending_email_hash TEXT,
  updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX user_emails_hash_idx ON user_emails (email_hash);

CREATE TABLE email_codes (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id),
  purpose TEXT NOT NULL CHECK (purpose IN ('verify', 'recover')),
  email_hash TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  expires_at TIMESTAMPTZ NOT NULL,
  used_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX email_codes_user_idx ON email_codes (user_id, purpose, created_at DESC);

-- The development e-mail outbox: what a real provider would have delivered (never in production).
CREATE TABLE email_outbox (
  id TEXT PRIMARY KEY,
  to_enc TEXT NOT NULL,
  subject TEXT NOT NULL,
  body_enc TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX email_outbox_created_idx ON email_outbox (created_at DESC);
