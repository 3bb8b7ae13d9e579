import { expect } from 'vitest';
import { sandboxCardNumber } from '../server/wallet/bin-table.js';
import type { TestApp } from './app.js';
import { outboxOf, type TestUser } from './identity-factories.js';

let cardSerial = 0;
let keyCounter = 0;

/** A fresh Luhn-valid sandbox card number ending in `last4` (the sandbox's magic suffixes: docs/wallet.md). */
export function newCardNumber(last4 = '1234', bin = '622202'): string {
  cardSerial++;
  return sandboxCardNumber(bin, last4, (process.pid % 10_000) * 10_000 + cardSerial);
}

export const idem = () => ({ 'idempotency-key': `wallet-test-${process.pid}-${Date.now()}-${keyCounter++}` });

export interface TestCard {
  id: string;
  number: string;
  last4: string;
}

/** The newest code the sandbox bank texted to a phone for binding a card. */
export async function bankCode(t: TestApp, phone: string, last4?: string): Promise<string> {
  // Under a manual clock several texts share a timestamp: the card's last four digits tell them apart.
  const [newest] = (await outboxOf(t, phone, 'card_network:bind')).filter(
    (message) => !last4 || message.text.includes(`尾号${last4}`),
  );
  const match = /验证码(\d{6})/.exec(newest?.text ?? '');
  if (!match) throw new Error(`no bank code was texted to ${phone}`);
  return match[1];
}

/** Links a card through the API: the bank texts a code to the reserved phone (the holder's own here). */
export async function linkCard(
  t: TestApp,
  user: TestUser,
  options: { last4?: string; bin?: string; nickname?: string } = {},
): Promise<TestCard> {
  const number = newCardNumber(options.last4, options.bin);
  const started = await t.app.inject({
    method: 'POST',
    url: '/api/v1/wallet/cards',
    headers: user.auth,
    payload: {
      cardNumber: number,
      holderName: user.name,
      reservedPhone: user.phone,
      ...(options.nickname ? { nickname: options.nickname } : {}),
    },
  });
  expect(started.statusCode, started.body).toBe(202);
  const cardId = started.json().card.id as string;
  const code = await bankCode(t, user.phone, number.slice(-4));
  const confirmed = await t.app.inject({
    method: 'POST',
    url: `/api/v1/wallet/cards/${cardId}/confirm`,
    headers: user.auth,
    payload: { code },
  });
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  return { id: cardId, number, last4: number.slice(-4) };
}

export async function topUp(t: TestApp, user: TestUser, cardId: string, amount: number) {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/v1/wallet/topups',
    headers: { ...user.auth, ...idem() },
    payload: { cardId, amount, currency: 'CNY' },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string; status: string; amount: number; failureReason: string | null };
}

export const TEST_PIN = '258036';

export async function setPin(t: TestApp, user: TestUser): Promise<void> {
  const response = await t.app.inject({
    method: 'PUT',
    url: '/api/v1/me/pin',
    headers: user.auth,
    payload: { newPin: TEST_PIN, password: user.password },
  });
  expect(response.statusCode, response.body).toBe(204);
}

/** Prepares, confirms with the PIN and submits a withdrawal; returns the submit response. */
export async function withdraw(
  t: TestApp,
  user: TestUser,
  cardId: string,
  amount: number,
  arrival: 'realtime' | 'within_2h' | 'next_day' = 'realtime',
) {
  const prepared = await t.app.inject({
    method: 'POST',
    url: '/api/v1/wallet/withdrawals',
    headers: { ...user.auth, ...idem() },
    payload: { cardId, amount, currency: 'CNY', arrival },
  });
  if (prepared.statusCode !== 201) return prepared;
  const { withdrawal, confirmation } = prepared.json();
  const confirmed = await t.app.inject({
    method: 'POST',
    url: `/api/v1/confirmations/${confirmation.id}/pin`,
    headers: user.auth,
    payload: { pin: TEST_PIN },
  });
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/wallet/withdrawals/${withdrawal.id}/submit`,
    headers: { ...user.auth, ...idem() },
  });
}

export async function walletBalance(
  t: TestApp,
  user: TestUser,
): Promise<{ balance: number; available: number; pending: number }> {
  const response = await t.app.inject({ url: '/api/v1/wallet/balance', headers: user.auth });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}
