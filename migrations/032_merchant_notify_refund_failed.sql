-- Orders' notify URLs and failed refunds of the merchant API (docs/merchant-api.md).

-- An order's notifyUrl receives the order's events beside the merchant's endpoints. Those deliveries hang off
-- one hidden endpoint of kind 'notify' per merchant and mode: it holds the whsec_ secret they are signed with
-- (made and rotated by the merchant like an endpoint's), and each delivery carries its own target URL.
ALTER TABLE merchant_webhook_endpoints ADD COLUMN kind TEXT NOT NULL DEFAULT 'endpoint'
  CHECK (kind IN ('endpoint', 'notify'));
CREATE UNIQUE INDEX merchant_webhook_endpoints_notify ON merchant_webhook_endpoints (merchant_id, mode)
  WHERE kind = 'notify' AND status <> 'deleted';
-- The notify URL of the order the event is about, copied when the event is written (null: none).
ALTER TABLE merchant_webhook_events ADD COLUMN notify_url TEXT;
-- Where this delivery goes when it is not the endpoint's own URL (a notify URL).
ALTER TABLE merchant_webhook_deliveries ADD COLUMN url TEXT;

-- A live refund whose money could not move (the merchant's settlement account short or frozen, the payer's
-- wallet gone) is kept as failed, with the ledger's reason, and raises refund.failed.
ALTER TABLE merchant_api_refunds DROP CONSTRAINT merchant_api_refunds_status_check;
ALTER TABLE merchant_api_refunds ADD CONSTRAINT merchant_api_refunds_status_check
  CHECK (status IN ('succeeded', 'failed'));
ALTER TABLE merchant_api_refunds ADD COLUMN failure_code TEXT;
