-- Online checkout's merchant API (server/merchant-api/, docs/merchant-api.md): the merchant's API
-- keys, the orders a shop creates server to server, and the refunds it asks for. A live order is paid
-- through a dynamic QR code of the payments domain (its row lock makes an order paid at most once);
-- a test-mode order never reaches the payments domain or the ledger.

-- Secrets are never stored: secret_hash is the SHA-256 of the whole key (256 random bits), prefix is
-- what the merchant pages show (`sk_live_ab12…`). A rolled key keeps working until expires_at.
CREATE TABLE merchant_api_keys (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL,
  name TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('live', 'test')),
  prefix TEXT NOT NULL,
  secret_hash TEXT NOT NULL UNIQUE,
  rate_limit_per_minute INTEGER NOT NULL CHECK (rate_limit_per_minute > 0),
  status TEXT NOT NULL CHECK (status IN ('active', 'revoked')),
  expires_at TIMESTAMPTZ,
  last_used_at TIMESTAMPTZ,
  created_by TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  revoked_at TIMESTAMPTZ
);
CREATE INDEX merchant_api_keys_merchant ON merchant_api_keys (merchant_id, id);

-- status: open until paid or closed; an open order past expires_at is expired (read as such).
CREATE TABLE merchant_api_orders (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('live', 'test')),
  shop_order_number TEXT NOT NULL,
  amount BIGINT NOT NULL CHECK (amount > 0),
  currency TEXT NOT NULL,
  description TEXT NOT NULL,
  return_url TEXT,
  notify_url TEXT,
  metadata JSONB NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'paid', 'closed')),
  qr_code_id TEXT,
  payment_id TEXT,
  refunded_amount BIGINT NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0 AND refunded_amount <= amount),
  expires_at TIMESTAMPTZ NOT NULL,
  paid_at TIMESTAMPTZ,
  closed_at TIMESTAMPTZ,
  created_by_key TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  UNIQUE (merchant_id, mode, shop_order_number)
);
CREATE INDEX merchant_api_orders_merchant ON merchant_api_orders (merchant_id, mode, id);
CREATE INDEX merchant_api_orders_open ON merchant_api_orders (qr_code_id) WHERE status = 'open';

CREATE TABLE merchant_api_refunds (
  id TEXT PRIMARY KEY,
  order_id TEXT NOT NULL REFERENCES merchant_api_orders (id),
  merchant_id TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('live', 'test')),
  amount BIGINT NOT NULL CHECK (amount > 0),
  reason TEXT,
  status TEXT NOT NULL CHECK (status IN ('succeeded')),
  payment_refund_id TEXT,
  created_by_key TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX merchant_api_refunds_order ON merchant_api_refunds (order_id, id);
CREATE INDEX merchant_api_refunds_merchant ON merchant_api_refunds (merchant_id, mode, id);
