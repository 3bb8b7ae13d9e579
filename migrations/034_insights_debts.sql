-- 我的资产 counts what holders owe on loans and credit cards (issue 20): insights_asset_days gets a
-- 'debt' asset, kept by the insights feed from the postings on each credit receivable account
-- (owned by 'credit:loan:<user>' or 'credit:card:<user>'; accounts are credit-normal, so the debt
-- is the negative of the receivable's postings).
ALTER TABLE insights_asset_days DROP CONSTRAINT insights_asset_days_asset_check;
ALTER TABLE insights_asset_days ADD CONSTRAINT insights_asset_days_asset_check
  CHECK (asset IN ('wallet', 'savings', 'debt'));

-- Entries the feed has already passed were counted before this asset existed: add their debt days
-- once, here, up to the feed's watermark (later entries the feed counts itself). The one place
-- outside server/ledger/ that reads the ledger's tables, read-only, in this one-off backfill.
INSERT INTO insights_asset_days (user_id, day, asset, net_amount)
SELECT substring(a.owner_ref FROM '^credit:(?:loan|card):(.+)$') AS user_id,
       to_char((e.created_at AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD') AS day,
       'debt',
       -sum(p.amount)
FROM ledger_postings p
JOIN ledger_accounts a ON a.id = p.account_id
JOIN ledger_entries e ON e.seq = p.entry_seq
WHERE a.kind = 'credit_receivable'
  AND a.owner_ref ~ '^credit:(loan|card):'
  AND p.entry_seq <= (SELECT seq FROM insights_watermark WHERE id = 1)
GROUP BY 1, 2
HAVING sum(p.amount) <> 0
ON CONFLICT (user_id, asset, day) DO UPDATE SET net_amount = insights_asset_days.net_amount + EXCLUDED.net_amount;
