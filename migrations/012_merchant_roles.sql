-- Merchant staff roles: a manager between owner and cashier (server/payments/merchant-roles.ts),
-- and the throttle of password re-entry when a staff member confirms a refund.

ALTER TABLE merchant_staff DROP CONSTRAINT merchant_staff_role_check;
ALTER TABLE merchant_staff ADD CONSTRAINT merchant_staff_role_check CHECK (role IN ('owner', 'manager', 'cashier'));

-- Wrong passwords typed to confirm a refund, counted apart from sign-in; an attempt is counted
-- before the password is checked, so parallel guesses cannot pass the limit.
ALTER TABLE merchant_staff ADD COLUMN reauth_failures INTEGER NOT NULL DEFAULT 0 CHECK (reauth_failures >= 0);
ALTER TABLE merchant_staff ADD COLUMN reauth_locked_until TIMESTAMPTZ;
