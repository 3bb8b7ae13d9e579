-- QR interoperability and funding from other banks (issue 18).
--
-- Merchants: the name and city written in tags 59 and 60 of their QR codes, in the EMV common
-- character set (printable ASCII: the registered English or pinyin name, the city in pinyin). The
-- Chinese name and city stay in name and city and go in tag 64. Null for merchants from before
-- this migration that it cannot name; the payments domain then writes the pinyin of the Chinese.
ALTER TABLE merchants ADD COLUMN latin_name TEXT CHECK (latin_name ~ '^[ -~]{1,25}$');
ALTER TABLE merchants ADD COLUMN latin_city TEXT CHECK (latin_city ~ '^[ -~]{1,15}$');

-- The demo merchants by their registered English names; names already in ASCII as they are.
UPDATE merchants SET latin_name = 'OLD STREET NOODLES' WHERE name = '老街面馆';
UPDATE merchants SET latin_name = 'FRESH FRUIT MART' WHERE name = '鲜果便利店';
UPDATE merchants SET latin_name = upper(name) WHERE latin_name IS NULL AND name ~ '^[ -~]{1,25}$';
UPDATE merchants SET latin_city = CASE city
  WHEN '上海' THEN 'SHANGHAI' WHEN '北京' THEN 'BEIJING' WHEN '广州' THEN 'GUANGZHOU'
  WHEN '深圳' THEN 'SHENZHEN' WHEN '杭州' THEN 'HANGZHOU' WHEN '成都' THEN 'CHENGDU'
  WHEN '重庆' THEN 'CHONGQING' WHEN '天津' THEN 'TIANJIN' WHEN '南京' THEN 'NANJING'
  WHEN '武汉' THEN 'WUHAN' WHEN '西安' THEN 'XI''AN' WHEN '苏州' THEN 'SUZHOU'
  WHEN '厦门' THEN 'XIAMEN' WHEN '青岛' THEN 'QINGDAO' WHEN '长沙' THEN 'CHANGSHA'
  ELSE CASE WHEN city ~ '^[ -~]{1,15}$' THEN upper(city) END
END;

-- Each verified wallet's receiving account: a virtual account number at the bank that transfers
-- from any bank are paid into (one per holder, never reused).
CREATE TABLE wallet_receiving_accounts (
  user_id TEXT PRIMARY KEY,
  account_number TEXT NOT NULL UNIQUE CHECK (account_number ~ '^[0-9]{19}$'),
  wallet_account_id TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);

-- Transfers in from other banks, as the interbank network reported them: credited to the wallet,
-- or returned to the payer (unknown account, a payer name that is not the holder's, limits).
-- One row per network reference: a reported transfer is acted on once.
CREATE TABLE wallet_incoming_transfers (
  id TEXT PRIMARY KEY,
  network_ref TEXT NOT NULL UNIQUE,
  account_number TEXT NOT NULL,
  user_id TEXT,
  payer_name_enc TEXT NOT NULL,
  payer_bank TEXT NOT NULL,
  payer_account_last4 TEXT NOT NULL,
  amount BIGINT NOT NULL CHECK (amount > 0),
  currency TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('credited', 'returning', 'returned')),
  return_reason TEXT,
  entry_id TEXT,
  received_at TIMESTAMPTZ NOT NULL,
  returned_at TIMESTAMPTZ,
  next_attempt_at TIMESTAMPTZ,
  attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX wallet_incoming_transfers_user_idx ON wallet_incoming_transfers (user_id, received_at DESC);
CREATE INDEX wallet_incoming_transfers_returning_idx ON wallet_incoming_transfers (next_attempt_at)
  WHERE status = 'returning';

-- Online-banking top-ups (网银支付): the holder pays at their bank's page; only the network's
-- signed notification settles the order.
CREATE TABLE wallet_online_banking_orders (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  wallet_account_id TEXT NOT NULL,
  bank_code TEXT NOT NULL,
  amount BIGINT NOT NULL CHECK (amount > 0),
  currency TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'expired')),
  network_ref TEXT UNIQUE,
  redirect_url TEXT,
  failure_reason TEXT,
  entry_id TEXT,
  created_at TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  completed_at TIMESTAMPTZ
);
CREATE INDEX wallet_online_banking_orders_user_idx ON wallet_online_banking_orders (user_id, created_at DESC);
CREATE INDEX wallet_online_banking_orders_pending_idx ON wallet_online_banking_orders (expires_at)
  WHERE status = 'pending';

-- Every signed notification the interbank network sent, by its id: a replay is acknowledged and
-- changes nothing.
CREATE TABLE wallet_interbank_notifications (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  reference TEXT NOT NULL,
  received_at TIMESTAMPTZ NOT NULL
);

-- The interbank network sandbox's own state (development and tests): the online-banking payments
-- its bank pages take, and the transfers it was asked to send in; survives restarts.
CREATE TABLE interbank_sandbox_payments (
  network_ref TEXT PRIMARY KEY,
  request_id TEXT NOT NULL UNIQUE,
  bank_code TEXT NOT NULL,
  amount BIGINT NOT NULL,
  currency TEXT NOT NULL,
  return_url TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('created', 'paid', 'cancelled')),
  created_at TIMESTAMPTZ NOT NULL,
  decided_at TIMESTAMPTZ
);
CREATE TABLE interbank_sandbox_transfers (
  network_ref TEXT PRIMARY KEY,
  account_number TEXT NOT NULL,
  payer_name TEXT NOT NULL,
  payer_bank TEXT NOT NULL,
  amount BIGINT NOT NULL,
  currency TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('sent', 'returned')),
  return_reason TEXT,
  created_at TIMESTAMPTZ NOT NULL
);
