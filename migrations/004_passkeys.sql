-- Passkeys (WebAuthn): what the verifier needs beyond 003's passkeys and webauthn_challenges.

-- What the authenticator told us at registration, shown to the holder and used for risk.
ALTER TABLE passkeys ADD COLUMN aaguid TEXT NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000';
ALTER TABLE passkeys ADD COLUMN device_type TEXT NOT NULL DEFAULT 'singleDevice';
ALTER TABLE passkeys ADD COLUMN backed_up BOOLEAN NOT NULL DEFAULT false;
CREATE INDEX passkeys_live_user_idx ON passkeys (user_id, created_at) WHERE removed_at IS NULL;

-- A challenge is found by its value (the client echoes it in clientDataJSON) and spent once.
-- The address lets unauthenticated sign-in options be rate limited per client.
ALTER TABLE webauthn_challenges ADD COLUMN ip TEXT NOT NULL DEFAULT '';
ALTER TABLE webauthn_challenges ADD COLUMN created_at TIMESTAMPTZ NOT NULL DEFAULT now();
CREATE UNIQUE INDEX webauthn_challenges_challenge_idx ON webauthn_challenges (challenge);
CREATE INDEX webauthn_challenges_ip_idx ON webauthn_challenges (ip, created_at);
CREATE INDEX webauthn_challenges_expires_idx ON webauthn_challenges (expires_at);
