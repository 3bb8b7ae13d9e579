-- Every step-up SMS texted to a holder, so that resends are capped per operation (an assessment)
-- per hour and per holder per day (docs/security.md, "SMS step-up caps"). Rows older than a day
-- no longer count toward any cap.
CREATE TABLE risk_step_up_texts (
  id BIGSERIAL PRIMARY KEY,
  assessment_id TEXT NOT NULL REFERENCES risk_assessments (id),
  user_id TEXT NOT NULL,
  sent_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX risk_step_up_texts_assessment_idx ON risk_step_up_texts (assessment_id, sent_at);
CREATE INDEX risk_step_up_texts_user_idx ON risk_step_up_texts (user_id, sent_at);
