import { expect } from 'vitest';
import type { AccountLimits } from '../server/ledger/types.js';
import type { TestApp } from './app.js';
import { type TestUser, registerUser } from './identity-factories.js';

/** Wallet holders with a PIN and money, for transfer and payment tests. */

export const TEST_PIN = '482915';

export interface WalletHolder extends TestUser {
  walletId: string;
  pin: string;
}

let bankAccountId: string | null = null;
let bankOf: TestApp | null = null;
let fundings = 0;

/** The bank clearing account test money comes from (one per test app). */
export async function bankAccount(t: TestApp): Promise<string> {
  if (bankOf !== t || !bankAccountId) {
    bankAccountId = (await t.services.ledger.createAccount({ kind: 'bank_clearing', currency: 'CNY' })).id;
    bankOf = t;
  }
  return bankAccountId;
}

/** Moves money from the bank into a wallet, as a top-up would. */
export async function fund(t: TestApp, walletId: string, amountFen: bigint): Promise<void> {
  const funded = await t.services.ledger.transfer({
    reference: `test-fund:${walletId}:${++fundings}`,
    currency: 'CNY',
    legs: [{ debitAccountId: await bankAccount(t), creditAccountId: walletId, amountFen }],
    limitExempt: true,
  });
  if (!funded.ok) throw new Error(`funding failed: ${funded.error.code}`);
}

export async function setLimits(t: TestApp, walletId: string, limits: AccountLimits): Promise<void> {
  const result = await t.db.transaction((tx) => t.services.ledger.setLimits(tx, walletId, limits));
  if (!result.ok) throw new Error(`setLimits failed: ${result.error.code}`);
}

/** Registers a holder through the API, sets their PIN, funds the wallet and optionally replaces its limits. */
export async function walletHolder(
  t: TestApp,
  options: { name?: string; balanceFen?: bigint; limits?: AccountLimits } = {},
): Promise<WalletHolder> {
  const registered = await registerUser(t, { name: options.name ?? '张三' });
  const pinSet = await t.app.inject({
    method: 'PUT',
    url: '/api/v1/me/pin',
    headers: registered.auth,
    payload: { newPin: TEST_PIN, password: registered.password },
  });
  expect(pinSet.statusCode, pinSet.body).toBe(204);
  const me = await t.app.inject({ url: '/api/v1/me', headers: registered.auth });
  const walletId = me.json().walletAccountId as string;
  if (options.limits) await setLimits(t, walletId, options.limits);
  if (options.balanceFen && options.balanceFen > 0n) await fund(t, walletId, options.balanceFen);
  return { ...registered, walletId, pin: TEST_PIN };
}

export async function balanceOf(t: TestApp, walletId: string): Promise<bigint> {
  const account = await t.services.ledger.getAccount(walletId);
  if (!account) throw new Error(`no account ${walletId}`);
  return account.balanceFen;
}

let keys = 0;
/** A fresh Idempotency-Key header merged with the holder's authorization. */
export function moneyHeaders(
  holder: { auth: { authorization: string } },
  key = `tk-${process.pid}-${Date.now()}-${++keys}`,
) {
  return { ...holder.auth, 'idempotency-key': key };
}
