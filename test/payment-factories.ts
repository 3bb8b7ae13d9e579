import { expect } from 'vitest';
import { type PaymentCodeSeed, paymentCodeAt } from '../server/payments/payment-code.js';
import type { MerchantInput } from '../server/payments/merchants.js';
import type { MerchantRole } from '../server/payments/merchant-roles.js';
import { insertSession } from '../server/payments/store-merchants.js';
import { randomToken, sha256Hex } from '../server/platform/crypto.js';
import { newId } from '../server/platform/ids.js';
import type { TestApp } from './app.js';
import { newPhone } from './identity-factories.js';
import { type WalletHolder, moneyHeaders } from './transfer-factories.js';

/** Merchants with a signed-in owner, and helpers to pay them, for payment tests. */

export const MERCHANT_PASSWORD = 'noodle-lantern-river-77';

export interface TestMerchant {
  id: string;
  merchantNumber: string;
  name: string;
  settlementAccountId: string;
  ownerPhone: string;
  auth: { authorization: string };
}

let accounts = 0;

export function merchantInput(overrides: Partial<MerchantInput> = {}): MerchantInput {
  accounts++;
  return {
    name: '张三面馆',
    mcc: '5812',
    city: '上海',
    contactPhone: newPhone(),
    payoutBankName: '通宝银行上海分行',
    payoutAccountNumber: `62220210${String(process.pid % 10_000).padStart(4, '0')}${String(accounts).padStart(4, '0')}`,
    owner: { name: '张三', phone: newPhone(), password: MERCHANT_PASSWORD },
    ...overrides,
  };
}

/** A public application: the form asks for the registered English or pinyin name (tag 59 of the QR codes). */
export function applicationInput(overrides: Partial<MerchantInput> = {}): MerchantInput {
  return merchantInput({ latinName: 'ZHANG SAN NOODLES', ...overrides });
}

/** Signs merchant staff in through the API and answers their bearer header. */
export async function merchantSignIn(
  t: TestApp,
  phone: string,
  password = MERCHANT_PASSWORD,
): Promise<{ authorization: string }> {
  const login = await t.app.inject({
    method: 'POST',
    url: '/api/v1/merchant/auth/login',
    payload: { phone, password, client: 'api' },
  });
  expect(login.statusCode, login.body).toBe(200);
  return { authorization: `Bearer ${login.json().token}` };
}

/** An active merchant created as bank staff would, with its owner signed in. */
export async function activeMerchant(t: TestApp, overrides: Partial<MerchantInput> = {}): Promise<TestMerchant> {
  const input = merchantInput(overrides);
  const created = await t.services.payments.merchants.create(input, { kind: 'operator', id: 'test' });
  if (!created.ok) throw new Error(`merchant not created: ${created.error.code}`);
  const auth = await merchantSignIn(t, input.owner.phone);
  return {
    id: created.value.id,
    merchantNumber: created.value.merchantNumber,
    name: created.value.name,
    settlementAccountId: created.value.settlementAccountId as string,
    ownerPhone: input.owner.phone,
    auth,
  };
}

/** A QR code issued by the merchant through the API. */
export async function issueQr(t: TestApp, merchant: TestMerchant, body: Record<string, unknown>) {
  const issued = await t.app.inject({
    method: 'POST',
    url: '/api/v1/merchant/qr-codes',
    headers: merchant.auth,
    payload: body,
  });
  expect(issued.statusCode, issued.body).toBe(201);
  return issued.json() as { id: string; payload: string; amount: number | null };
}

/** Prepares a payment, confirms it with the PIN, and answers the unsent completion request. */
export async function preparePayment(t: TestApp, holder: WalletHolder, body: Record<string, unknown>) {
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/v1/payments',
    headers: moneyHeaders(holder),
    payload: body,
  });
  if (created.statusCode !== 201) return { created, complete: null };
  const { payment, confirmation } = created.json();
  const confirmed = await t.app.inject({
    method: 'POST',
    url: `/api/v1/confirmations/${confirmation.id}/pin`,
    headers: holder.auth,
    payload: { pin: holder.pin },
  });
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  const complete = (key?: string) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/payments/${payment.id}/complete`,
      headers: moneyHeaders(holder, key),
      payload: { confirmationId: confirmation.id },
    });
  return { created, paymentId: payment.id as string, confirmationId: confirmation.id as string, complete };
}

/** Prepares, confirms and completes a payment; answers the completion response. */
export async function pay(t: TestApp, holder: WalletHolder, body: Record<string, unknown>) {
  const prepared = await preparePayment(t, holder, body);
  if (!prepared.complete) return prepared.created;
  return prepared.complete();
}

/** A payment-code seed for the holder's device (approved with their PIN), and the code it shows at a given time. */
export async function seedPaymentCode(
  t: TestApp,
  holder: WalletHolder,
): Promise<PaymentCodeSeed & { codeAt: (at: Date) => string }> {
  const seeded = await t.app.inject({
    method: 'POST',
    url: '/api/v1/payment-code/seed',
    headers: holder.auth,
    payload: { deviceId: holder.deviceId, pin: holder.pin },
  });
  expect(seeded.statusCode, seeded.body).toBe(201);
  const seed = seeded.json() as PaymentCodeSeed;
  return { ...seed, codeAt: (at: Date) => paymentCodeAt(seed.seedNumber, Buffer.from(seed.secret, 'base64url'), at) };
}

let chargeKeys = 0;
export function merchantMoneyHeaders(merchant: TestMerchant, key = `mk-${process.pid}-${Date.now()}-${++chargeKeys}`) {
  return { ...merchant.auth, 'idempotency-key': key };
}

let staffSessions = 0;

/**
 * A staff login of the merchant with this role (password MERCHANT_PASSWORD) and a bearer session
 * for it, written as sign-in writes it; `fresh()` opens another session (a route may sign out).
 */
export async function merchantStaff(t: TestApp, merchant: Pick<TestMerchant, 'id'>, role: MerchantRole) {
  const phone = newPhone();
  const created = await t.services.payments.merchants.createStaff(
    merchant.id,
    { name: `${role} ${phone.slice(-4)}`, phone, password: MERCHANT_PASSWORD, role },
    { kind: 'operator', id: 'test' },
  );
  if (!created.ok) throw new Error(`staff not created: ${created.error.code}`);
  const staffId = created.value.id;
  const fresh = async (): Promise<{ authorization: string }> => {
    const token = `mss_${randomToken(32)}`;
    const now = t.services.payments.deps.clock.now();
    const id = newId('mss', now.getTime());
    await insertSession(t.db, {
      id,
      tokenHash: sha256Hex(token),
      staffId,
      merchantId: merchant.id,
      csrfToken: `csrf-${++staffSessions}`,
      ip: '10.0.0.1',
      now,
      expiresAt: new Date(now.getTime() + 3600_000),
    });
    return { authorization: `Bearer ${token}` };
  };
  return { staffId, phone, role, auth: await fresh(), fresh };
}
