-- Agreement payments (签约代扣, server/merchant-api/mandate-*.ts, docs/merchant-api.md): a shop asks
-- the holder to sign a mandate on the hosted page (caps per charge and per calendar month in Beijing
-- time, signed with the PIN or a passkey), then charges through the API without the holder each time.

-- status: pending until the holder signs (or it lapses at request_expires_at, read as expired), then
-- active until the holder revokes it or the shop cancels it. user_id is the holder who signed.
CREATE TABLE merchant_api_mandates (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('live', 'test')),
  shop_mandate_number TEXT NOT NULL,
  description TEXT NOT NULL,
  cap_per_charge BIGINT NOT NULL CHECK (cap_per_charge > 0),
  cap_per_month BIGINT NOT NULL CHECK (cap_per_month >= cap_per_charge),
  currency TEXT NOT NULL,
  return_url TEXT,
  status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'revoked', 'cancelled')),
  user_id TEXT,
  wallet_account_id TEXT,
  signed_with TEXT CHECK (signed_with IN ('confirmation', 'test')),
  request_expires_at TIMESTAMPTZ NOT NULL,
  signed_at TIMESTAMPTZ,
  ended_at TIMESTAMPTZ,
  created_by_key TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  UNIQUE (merchant_id, mode, shop_mandate_number)
);
CREATE INDEX merchant_api_mandates_merchant ON merchant_api_mandates (merchant_id, mode, id);
CREATE INDEX merchant_api_mandates_user ON merchant_api_mandates (user_id, id) WHERE user_id IS NOT NULL;

-- What each mandate has charged in a Beijing calendar month (YYYY-MM): raised only by a conditional
-- update that keeps it within the cap, in the charge's transaction, so parallel charges cannot pass it.
CREATE TABLE merchant_api_mandate_months (
  mandate_id TEXT NOT NULL REFERENCES merchant_api_mandates (id),
  month TEXT NOT NULL,
  used BIGINT NOT NULL CHECK (used >= 0),
  PRIMARY KEY (mandate_id, month)
);

-- A charge that went through (a refused charge writes nothing). payment_id: the payments domain's
-- payment of a live charge (null in test mode, where no money moves).
CREATE TABLE merchant_api_mandate_charges (
  id TEXT PRIMARY KEY,
  mandate_id TEXT NOT NULL REFERENCES merchant_api_mandates (id),
  merchant_id TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('live', 'test')),
  user_id TEXT,
  amount BIGINT NOT NULL CHECK (amount > 0),
  currency TEXT NOT NULL,
  description TEXT NOT NULL,
  month TEXT NOT NULL,
  payment_id TEXT,
  created_by_key TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX merchant_api_mandate_charges_mandate ON merchant_api_mandate_charges (mandate_id, id);
CREATE INDEX merchant_api_mandate_charges_merchant ON merchant_api_mandate_charges (merchant_id, mode, created_at);

-- A live charge is a payment of the payments domain with its own source, assessed by the risk engine
-- as its own channel. The lists are those of 007 and 016 with 'mandate' added.
ALTER TABLE payments DROP CONSTRAINT payments_source_check;
ALTER TABLE payments ADD CONSTRAINT payments_source_check
  CHECK (source IN ('static_qr', 'dynamic_qr', 'merchant_number', 'payment_code', 'mandate'));
ALTER TABLE risk_assessments DROP CONSTRAINT risk_assessments_channel_check;
ALTER TABLE risk_assessments ADD CONSTRAINT risk_assessments_channel_check
  CHECK (channel IN ('p2p', 'merchant_qr', 'payment_code', 'withdraw', 'bill', 'mandate'));
