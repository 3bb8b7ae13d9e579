import { expect } from 'vitest';
import type { TestApp } from './app.js';
import { newIdNumber, registerUser } from './identity-factories.js';
import { TEST_PIN, type WalletHolder, fund, moneyHeaders, setLimits } from './transfer-factories.js';

/**
 * Credit applicants: a registered holder with a PIN, money in the wallet and the verified tier. The
 * bureau sandbox picks their file by the birth date in the ID number (docs/credit.md):
 * 2000-01-01 thin file, 2000-01-02 heavy debt, 2000-01-03 past default, anything else clean.
 */
export const BUREAU = { clean: '19900307', thin: '20000101', heavyDebt: '20000102', pastDefault: '20000103' };

export async function creditHolder(
  t: TestApp,
  options: { birth?: string; balanceFen?: bigint; tier?: 'basic' | 'verified' | 'full'; idNumber?: string } = {},
): Promise<WalletHolder> {
  const registered = await registerUser(t, {
    idNumber: options.idNumber ?? newIdNumber(options.birth ?? BUREAU.clean),
  });
  const pinSet = await t.app.inject({
    method: 'PUT',
    url: '/api/v1/me/pin',
    headers: registered.auth,
    payload: { newPin: TEST_PIN, password: registered.password },
  });
  expect(pinSet.statusCode, pinSet.body).toBe(204);
  const me = await t.app.inject({ url: '/api/v1/me', headers: registered.auth });
  const walletId = me.json().walletAccountId as string;
  if ((options.tier ?? 'verified') !== 'basic') {
    await t.db.query('UPDATE users SET tier = $2 WHERE id = $1', [registered.userId, options.tier ?? 'verified']);
    await setLimits(t, walletId, {});
  }
  if (options.balanceFen && options.balanceFen > 0n) await fund(t, walletId, options.balanceFen);
  return { ...registered, walletId, pin: TEST_PIN };
}

export const LOAN = {
  product: 'loan',
  amount: 1_000_000,
  currency: 'CNY',
  termMonths: 12,
  method: 'equal_installment',
  purpose: 'consumption',
  monthlyIncome: 1_500_000,
};

export async function apply(t: TestApp, holder: WalletHolder, body: Record<string, unknown> = LOAN) {
  return t.app.inject({ method: 'POST', url: '/api/v1/credit/applications', headers: holder.auth, payload: body });
}

export async function sign(t: TestApp, holder: WalletHolder, applicationId: string, pin = holder.pin) {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/credit/applications/${applicationId}/sign`,
    headers: moneyHeaders(holder),
    payload: { confirmation: { pin } },
  });
}

/** Applies for the standard loan and signs it: the loan id. */
export async function borrow(t: TestApp, holder: WalletHolder, body: Record<string, unknown> = LOAN): Promise<string> {
  const applied = await apply(t, holder, body);
  expect(applied.statusCode, applied.body).toBe(201);
  expect(applied.json().status, applied.body).toBe('approved');
  const signed = await sign(t, holder, applied.json().id);
  expect(signed.statusCode, signed.body).toBe(201);
  return signed.json().loanId as string;
}

export async function repay(
  t: TestApp,
  holder: WalletHolder,
  loanId: string,
  body: { mode: string; amount?: number },
  pin = holder.pin,
) {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/credit/loans/${loanId}/repayments`,
    headers: moneyHeaders(holder),
    payload: { ...body, currency: 'CNY', confirmation: { pin } },
  });
}
