import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp } from '../../test/app.js';
import { type TestUser, outboxOf, registerUser } from '../../test/identity-factories.js';
import { jobDefinitions } from '../jobs.js';
import { manualClock } from '../platform/clock.js';
import type { ResolutionEvent } from './holds.js';
import { nextReference } from './test-support.js';

// Hold and confirm through HTTP: a held payment is confirmed, denied or left to expire.
const clock = manualClock('2026-11-23T04:00:00Z');
let t: TestApp;
let bank: string;
const PIN = '258369';
const events: ResolutionEvent[] = [];
let idem = 0;
const key = () => ({ 'idempotency-key': `risk-${process.pid}-${++idem}` });

async function holder(): Promise<TestUser & { wallet: string }> {
  const user = await registerUser(t);
  const pin = await t.app.inject({
    method: 'PUT',
    url: '/api/v1/me/pin',
    headers: user.auth,
    payload: { newPin: PIN, password: user.password },
  });
  expect(pin.statusCode, pin.body).toBe(204);
  const wallet = (await t.app.inject({ url: '/api/v1/me', headers: user.auth })).json().walletAccountId as string;
  const funded = await t.services.ledger.transfer({
    reference: `fund:${wallet}`,
    currency: 'CNY',
    legs: [{ debitAccountId: bank, creditAccountId: wallet, amountFen: 100_000n }],
    limitExempt: true,
  });
  expect(funded.ok).toBe(true);
  return { ...user, wallet };
}

/** What a channel does on a hold decision: assess, then hold instead of posting. */
async function heldPayment(payer: { userId: string; wallet: string }, payee: { wallet: string }, amountFen: bigint) {
  const reference = nextReference('p2p');
  const decision = await t.services.risk.assessOutgoing({
    userId: payer.userId,
    walletAccountId: payer.wallet,
    amountFen,
    currency: 'CNY',
    payeeKey: `wallet:${payee.wallet}`,
    payeeDisplay: '*四',
    channel: 'p2p',
    reference,
  });
  expect(decision.outcome).toBe('hold');
  const held = await t.services.risk.holdForConfirmation({
    assessmentId: decision.assessmentId,
    hold: {
      reference: `${reference}:hold`,
      debitAccountId: payer.wallet,
      creditAccountId: payee.wallet,
      amountFen,
      currency: 'CNY',
    },
  });
  if (!held.ok) throw new Error(`hold failed: ${held.error.code}`);
  return held.value;
}

async function approve(user: TestUser, riskHoldId: string): Promise<string> {
  const challenge = await t.app.inject({
    method: 'POST',
    url: `/api/v1/risk/confirmations/${riskHoldId}/challenge`,
    headers: user.auth,
  });
  expect(challenge.statusCode, challenge.body).toBe(201);
  const { confirmationId } = challenge.json();
  const pin = await t.app.inject({
    method: 'POST',
    url: `/api/v1/confirmations/${confirmationId}/pin`,
    headers: user.auth,
    payload: { pin: PIN },
  });
  expect(pin.statusCode, pin.body).toBe(200);
  return confirmationId;
}

/** Sessions time out after 30 idle minutes; tests that move the clock sign in again. */
async function refreshSessions() {
  for (const user of [alice, bob]) {
    const session = await t.services.identity.sessions.start('user', user.userId, {
      deviceId: null,
      ip: '10.0.0.1',
      userAgent: 'test',
    });
    user.auth = { authorization: `Bearer ${session.token}` };
  }
}

const available = async (wallet: string) => (await t.services.ledger.getAccount(wallet))?.availableFen;

let alice: TestUser & { wallet: string };
let bob: TestUser & { wallet: string };

beforeAll(async () => {
  t = await createTestApp({ clock });
  bank = (await t.services.ledger.createAccount({ kind: 'bank_clearing', currency: 'CNY' })).id;
  // Small amounts to a new payee are held here, so the basic tier's limits are no obstacle.
  const lowered = await t.services.risk.rules.change(
    'new_payee_large',
    { thresholds: { minAmountFen: 5_000 }, reason: 'test: hold small amounts' },
    { id: 'stf_test' },
  );
  expect(lowered.ok).toBe(true);
  t.services.risk.onResolved('p2p', async (event) => void events.push(event));
  alice = await holder();
  bob = await holder();
});
afterAll(async () => t?.close());

describe('a held payment', () => {
  it('reserves the money and asks the holder in the app and by SMS: "did you pay ¥88.50 to *四?"', async () => {
    const held = await heldPayment(alice, bob, 8_850n);
    expect(held.status).toBe('pending');
    expect(await available(alice.wallet)).toBe(100_000n - 8_850n);
    const sms = await outboxOf(t, alice.phone, 'risk.confirm_payment');
    expect(sms[0].text).toContain('您是否向*四支付¥88.50');
    const inbox = (await t.app.inject({ url: '/api/v1/notifications', headers: alice.auth })).json();
    expect(
      inbox.items.some(
        (n: { kind: string; body: string }) => n.kind === 'risk.confirm_payment' && n.body.includes('¥88.50'),
      ),
    ).toBe(true);
    const pending = (await t.app.inject({ url: '/api/v1/risk/confirmations', headers: alice.auth })).json();
    const listed = pending.items.find((item: { id: string }) => item.id === held.riskHoldId);
    expect(listed).toMatchObject({ amount: 8850, currency: 'CNY', payeeDisplay: '*四', status: 'pending' });
    expect(listed.reasons[0].code).toBe('RISK_NEW_PAYEE_LARGE');
    // Nobody else sees it or can act on it.
    expect((await t.app.inject({ url: '/api/v1/risk/confirmations', headers: bob.auth })).json().items).toEqual([]);
    for (const action of ['challenge', 'deny']) {
      const other = await t.app.inject({
        method: 'POST',
        url: `/api/v1/risk/confirmations/${held.riskHoldId}/${action}`,
        headers: { ...bob.auth, ...key() },
      });
      expect(other.statusCode).toBe(404);
      expect(other.json().code).toBe('RISK_HOLD_NOT_FOUND');
    }
  });

  it('confirmed with a PIN confirmation bound to it: posts once, tells the channel, replays by key', async () => {
    const held = await heldPayment(alice, bob, 6_000n);
    const before = await available(bob.wallet);
    const confirmationId = await approve(alice, held.riskHoldId);
    const headers = { ...alice.auth, ...key() };
    const confirmed = await t.app.inject({
      method: 'POST',
      url: `/api/v1/risk/confirmations/${held.riskHoldId}/confirm`,
      headers,
      payload: { confirmationId },
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({ id: held.riskHoldId, status: 'confirmed' });
    expect(await available(bob.wallet)).toBe((before ?? 0n) + 6_000n);
    expect((await t.services.ledger.getHold(held.holdId))?.status).toBe('posted');
    expect(events.filter((event) => event.riskHoldId === held.riskHoldId)).toEqual([
      expect.objectContaining({ outcome: 'posted', status: 'confirmed', entryId: confirmed.json().entryId }),
    ]);
    const replay = await t.app.inject({
      method: 'POST',
      url: `/api/v1/risk/confirmations/${held.riskHoldId}/confirm`,
      headers,
      payload: { confirmationId },
    });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/v1/risk/confirmations/${held.riskHoldId}/confirm`,
      headers: { ...alice.auth, ...key() },
      payload: { confirmationId },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('RISK_HOLD_RESOLVED');
    expect((await t.services.risk.holdStatus(held.reference))?.status).toBe('confirmed');
  });

  it('a confirmation made for another held payment does not confirm this one', async () => {
    const first = await heldPayment(alice, bob, 5_100n);
    const second = await heldPayment(alice, bob, 5_200n);
    const forFirst = await approve(alice, first.riskHoldId);
    const wrong = await t.app.inject({
      method: 'POST',
      url: `/api/v1/risk/confirmations/${second.riskHoldId}/confirm`,
      headers: { ...alice.auth, ...key() },
      payload: { confirmationId: forFirst },
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().code).toBe('CONFIRMATION_INVALID');
    expect((await t.services.ledger.getHold(second.holdId))?.status).toBe('pending');
    const unapproved = await t.app.inject({
      method: 'POST',
      url: `/api/v1/risk/confirmations/${second.riskHoldId}/challenge`,
      headers: alice.auth,
    });
    const notYet = await t.app.inject({
      method: 'POST',
      url: `/api/v1/risk/confirmations/${second.riskHoldId}/confirm`,
      headers: { ...alice.auth, ...key() },
      payload: { confirmationId: unapproved.json().confirmationId },
    });
    expect(notYet.json().code).toBe('CONFIRMATION_INVALID');
  });

  it('left alone past its window: the job voids it, the money comes back, confirming is too late', async () => {
    const held = await heldPayment(alice, bob, 7_000n);
    const confirmationId = await approve(alice, held.riskHoldId);
    clock.advanceMs(30 * 60_000);
    await refreshSessions();
    const job = jobDefinitions({ db: t.db, clock, services: t.services }).find(
      (definition) => definition.name === 'risk-expire-holds',
    );
    await job?.handler({});
    // Every hold still pending from the tests above lapsed too: only the confirmed ¥60 left the wallet.
    expect(await available(alice.wallet)).toBe(100_000n - 6_000n);
    expect((await t.services.ledger.getHold(held.holdId))?.status).toBe('voided');
    expect(events.filter((event) => event.riskHoldId === held.riskHoldId)).toEqual([
      expect.objectContaining({ outcome: 'voided', status: 'expired' }),
    ]);
    const late = await t.app.inject({
      method: 'POST',
      url: `/api/v1/risk/confirmations/${held.riskHoldId}/confirm`,
      headers: { ...alice.auth, ...key() },
      payload: { confirmationId },
    });
    expect(late.statusCode).toBe(410);
    expect(late.json().code).toBe('RISK_HOLD_EXPIRED');
  });

  it('denied: voids, freezes the wallet, opens a case; a second denial restricts outgoing payments', async () => {
    const carol = await holder();
    const held = await heldPayment(carol, bob, 9_000n);
    const denied = await t.app.inject({
      method: 'POST',
      url: `/api/v1/risk/confirmations/${held.riskHoldId}/deny`,
      headers: { ...carol.auth, ...key() },
    });
    expect(denied.statusCode, denied.body).toBe(200);
    expect(denied.json().status).toBe('denied');
    expect(await available(carol.wallet)).toBe(100_000n);
    expect((await t.app.inject({ url: '/api/v1/me', headers: carol.auth })).json().frozen).toBe(true);
    const cases = await t.services.risk.analyst.list({ status: 'open', before: null, limit: 100 });
    expect(
      cases.some(
        (alert) => alert.id === denied.json().caseId && alert.kind === 'denial' && alert.user_id === carol.userId,
      ),
    ).toBe(true);
    expect(events.filter((event) => event.riskHoldId === held.riskHoldId)).toEqual([
      expect.objectContaining({ outcome: 'voided', status: 'denied' }),
    ]);
    expect((await t.app.inject({ url: '/api/v1/me/restrictions', headers: carol.auth })).json().active).toBeNull();

    // Staff unfreeze after a call; then it happens again.
    expect(
      (await t.services.accountSafety.lift(carol.userId, { kind: 'staff', id: 'stf_test' }, 'holder called')).ok,
    ).toBe(true);
    const again = await heldPayment(carol, bob, 9_100n);
    const deniedAgain = await t.app.inject({
      method: 'POST',
      url: `/api/v1/risk/confirmations/${again.riskHoldId}/deny`,
      headers: { ...carol.auth, ...key() },
    });
    expect(deniedAgain.statusCode).toBe(200);
    const restrictions = (
      await t.app.inject({ url: '/api/v1/me/restrictions', headers: { ...carol.auth, 'accept-language': 'en' } })
    ).json();
    expect(restrictions.active).toMatchObject({ reasonCode: 'repeated_denials', liftBy: 'support', source: 'auto' });
    expect(restrictions.active.howToLiftEn).toContain('95588');
    const blocked = await t.services.risk.assessOutgoing({
      userId: carol.userId,
      walletAccountId: carol.wallet,
      amountFen: 100n,
      currency: 'CNY',
      payeeKey: `wallet:${bob.wallet}`,
      payeeDisplay: '*四',
      channel: 'p2p',
      reference: nextReference(),
    });
    expect(blocked.outcome).toBe('block');
    expect(blocked.problem).toBe('RISK_RESTRICTED');
  });

  it('refuses bad input with problems, not 500s', async () => {
    const noKey = await t.app.inject({
      method: 'POST',
      url: '/api/v1/risk/confirmations/rkh_x/confirm',
      headers: alice.auth,
      payload: { confirmationId: 'cfm_x' },
    });
    expect(noKey.statusCode).toBe(400);
    const extra = await t.app.inject({
      method: 'POST',
      url: '/api/v1/risk/confirmations/rkh_x/confirm',
      headers: { ...alice.auth, ...key() },
      payload: { confirmationId: 'cfm_x', amount: 1 },
    });
    expect(extra.json().code).toBe('VALIDATION_FAILED');
    const missing = await t.app.inject({
      method: 'POST',
      url: '/api/v1/risk/confirmations/rkh_missing/confirm',
      headers: { ...alice.auth, ...key() },
      payload: { confirmationId: 'cfm_x' },
    });
    expect(missing.statusCode).toBe(404);
    const anonymous = await t.app.inject({ url: '/api/v1/risk/confirmations' });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('step-up', () => {
  it('an SMS code bound to the movement turns step_up into allow for the same reference', async () => {
    const dave = await holder();
    const reference = nextReference('p2p');
    const input = {
      userId: dave.userId,
      walletAccountId: dave.wallet,
      amountFen: 60_000n,
      currency: 'CNY' as const,
      payeeKey: `wallet:${bob.wallet}`,
      payeeDisplay: '*四',
      channel: 'p2p' as const,
      reference,
      deviceId: 'a-brand-new-device',
    };
    await t.services.risk.rules.change(
      'new_payee_large',
      { enabled: false, reason: 'test: only the device rule' },
      { id: 'stf_test' },
    );
    try {
      const first = await t.services.risk.assessOutgoing(input);
      expect(first.outcome).toBe('step_up');
      const sent = await t.app.inject({
        method: 'POST',
        url: `/api/v1/risk/step-ups/${first.assessmentId}/sms`,
        headers: dave.auth,
      });
      expect(sent.statusCode, sent.body).toBe(202);
      const [newest] = await outboxOf(t, dave.phone, 'risk_step_up');
      const code = /验证码(\d{6})/.exec(newest.text)?.[1] as string;
      const wrong = await t.app.inject({
        method: 'POST',
        url: `/api/v1/risk/step-ups/${first.assessmentId}/verify`,
        headers: dave.auth,
        payload: { smsCode: code === '000000' ? '111111' : '000000' },
      });
      expect(wrong.json().code).toBe('RISK_STEP_UP_CODE_INVALID');
      const otherUser = await t.app.inject({
        method: 'POST',
        url: `/api/v1/risk/step-ups/${first.assessmentId}/verify`,
        headers: bob.auth,
        payload: { smsCode: code },
      });
      expect(otherUser.json().code).toBe('RISK_STEP_UP_NOT_FOUND');
      const verified = await t.app.inject({
        method: 'POST',
        url: `/api/v1/risk/step-ups/${first.assessmentId}/verify`,
        headers: dave.auth,
        payload: { smsCode: code },
      });
      expect(verified.statusCode, verified.body).toBe(204);
      expect((await t.services.risk.assessOutgoing(input)).outcome).toBe('allow');
      expect((await t.services.risk.assessOutgoing({ ...input, amountFen: 60_001n })).outcome).toBe('block');
    } finally {
      await t.services.risk.rules.change(
        'new_payee_large',
        { enabled: true, reason: 'test: back on' },
        { id: 'stf_test' },
      );
    }
  });
});
