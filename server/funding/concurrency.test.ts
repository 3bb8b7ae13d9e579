import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { registerUser, type TestUser } from '../../test/identity-factories.js';
import { idem } from '../../test/wallet-factories.js';
import { manualClock } from '../platform/clock.js';
import { verifyLedger } from '../ledger/verify.js';
import { NOTIFICATION_SIGNATURE_HEADER, signNotification } from './network.js';

const clock = manualClock('2026-11-23T04:00:00Z');
let t: TestApp;
let holder: TestUser;
let accountNumber: string;

const post = (body: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/funding/interbank/notifications',
    headers: {
      'content-type': 'application/json',
      [NOTIFICATION_SIGNATURE_HEADER]: signNotification(t.services.funding.ctx.notificationSecret, body, clock.now()),
    },
    payload: body,
  });
const balance = async () => (await t.services.wallet.history.balance(holder.userId))?.balanceFen;

beforeAll(async () => {
  t = await createTestApp({ clock });
  holder = await registerUser(t, { name: '陈静' });
  const account = await t.services.funding.accounts.of(holder.userId);
  if (!account.ok) throw new Error(account.error.code);
  accountNumber = account.value.accountNumber;
});
afterAll(async () => t?.close());

describe('funding under concurrency', () => {
  it('twelve deliveries of one transfer at once (each with its own notification id) credit it once', async () => {
    const deliveries = Array.from({ length: 12 }, (_, i) =>
      JSON.stringify({
        kind: 'credit_transfer',
        notificationId: `ntf_race_${i}`,
        networkRef: 'ibt_race_1',
        accountNumber,
        payerName: '陈静',
        payerBank: 'BOCOM',
        payerBankName: '交通银行',
        payerAccount: '6222600000009999',
        amountFen: 8_800,
        currency: 'CNY',
      }),
    );
    const answers = await Promise.all(deliveries.map(post));
    expect(answers.map((answer) => answer.statusCode)).toEqual(answers.map(() => 200));
    const outcomes = answers.map((answer) => answer.json().outcome);
    expect(outcomes.filter((outcome) => outcome === 'credited')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'duplicate')).toHaveLength(11);
    expect(await balance()).toBe(8_800n);
    const { rows } = await t.db.query<{ n: bigint }>('SELECT count(*) AS n FROM ledger_entries WHERE reference = $1', [
      'bankin:ibt_race_1',
    ]);
    expect(BigInt(rows[0].n)).toBe(1n);
  });

  it('an online-banking notification, its duplicate and the status query racing credit once', async () => {
    const started = await t.app.inject({
      method: 'POST',
      url: '/api/v1/funding/online-banking/orders',
      headers: { ...holder.auth, ...idem() },
      payload: { bankCode: 'CMB', amount: 1_500, currency: 'CNY' },
    });
    const order = started.json();
    const sandbox = t.services.funding.sandbox;
    // The holder paid at the bank, but the bank's notification is held back; we deliver it by hand below.
    await t.app.inject({
      method: 'POST',
      url: order.redirectUrl,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'action=pay&notify=never',
    });
    const payment = await sandbox?.payment(order.redirectUrl.split('/').pop());
    const notice = (i: number) =>
      JSON.stringify({
        kind: 'online_banking_payment',
        notificationId: `ntf_obk_${i}`,
        requestId: order.id,
        networkRef: payment?.network_ref,
        status: 'paid',
        amountFen: 1_500,
        currency: 'CNY',
      });
    clock.advanceMs(2 * 60_000);
    await Promise.all([
      ...Array.from({ length: 6 }, (_, i) => post(notice(i))),
      t.services.funding.onlineBanking.checkPending(10),
      t.services.funding.onlineBanking.checkPending(10),
    ]);
    expect(await balance()).toBe(8_800n + 1_500n);
    const { rows } = await t.db.query<{ n: bigint }>('SELECT count(*) AS n FROM ledger_entries WHERE reference = $1', [
      `netbank:${order.id}`,
    ]);
    expect(BigInt(rows[0].n)).toBe(1n);
    const report = await verifyLedger(t.db);
    expect(report.problems).toEqual([]);
  });
});
