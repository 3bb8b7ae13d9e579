import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp } from '../../test/app.js';
import { type TestUser, outboxOf, registerUser } from '../../test/identity-factories.js';
import { manualClock } from '../platform/clock.js';
import { STEP_UP_TEXTS_PER_HOLDER_PER_DAY, STEP_UP_TEXTS_PER_OPERATION_PER_HOUR } from './step-ups.js';
import { nextReference } from '../risk/test-support.js';

// Step-up SMS codes: hashed under a server key, and texted at most 5 times per operation per
// hour and 10 times per holder per Asia/Shanghai day. 12:00 in Shanghai.
const clock = manualClock('2026-11-23T04:00:00Z');
const RESEND_GAP_MS = 31_000;
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ clock });
  // Only the new-device rule: every assessment below answers step_up.
  await t.services.risk.rules.change(
    'new_payee_large',
    { enabled: false, reason: 'test: only the device rule' },
    { id: 'stf_test' },
  );
});
afterAll(async () => t?.close());

/** A step_up assessment of a payment by `user` from a device never seen. */
async function stepUp(user: TestUser): Promise<string> {
  const wallet = (await t.app.inject({ url: '/api/v1/me', headers: user.auth })).json().walletAccountId as string;
  const decision = await t.services.risk.assessOutgoing({
    userId: user.userId,
    walletAccountId: wallet,
    amountFen: 60_000n,
    currency: 'CNY',
    payeeKey: 'wallet:acc_payee',
    payeeDisplay: '*四',
    channel: 'p2p',
    reference: nextReference('p2p'),
    deviceId: `new-device-${nextReference()}`,
  });
  expect(decision.outcome).toBe('step_up');
  return decision.assessmentId as string;
}

/** Sessions time out after 30 idle minutes; tests that move the clock by hours sign in again. */
async function signIn(user: TestUser): Promise<void> {
  const session = await t.services.identity.sessions.start('user', user.userId, {
    deviceId: null,
    ip: '10.0.0.1',
    userAgent: 'test',
  });
  user.auth = { authorization: `Bearer ${session.token}` };
}

const text = (user: TestUser, assessmentId: string) =>
  t.app.inject({ method: 'POST', url: `/api/v1/risk/step-ups/${assessmentId}/sms`, headers: user.auth });

async function textsTo(user: TestUser): Promise<string[]> {
  // Oldest first; the outbox is sealed at rest and read back through the test key.
  return (await outboxOf(t, user.phone, 'risk_step_up')).reverse().map((message) => message.text);
}

describe('step-up SMS codes', () => {
  it('are stored as a keyed hash, not the plain SHA-256 of the code', async () => {
    const user = await registerUser(t);
    const assessmentId = await stepUp(user);
    expect((await text(user, assessmentId)).statusCode).toBe(202);
    const code = /验证码(\d{6})/.exec((await textsTo(user)).at(-1) ?? '')?.[1] as string;
    const { rows } = await t.db.query<{ step_up_code_hash: string }>(
      'SELECT step_up_code_hash FROM risk_assessments WHERE id = $1',
      [assessmentId],
    );
    expect(rows[0].step_up_code_hash).not.toBe(createHash('sha256').update(`${assessmentId}:${code}`).digest('hex'));
    const verified = await t.app.inject({
      method: 'POST',
      url: `/api/v1/risk/step-ups/${assessmentId}/verify`,
      headers: user.auth,
      payload: { smsCode: code },
    });
    expect(verified.statusCode, verified.body).toBe(204);
  });

  it('are texted at most 5 times per operation per hour', async () => {
    const user = await registerUser(t);
    const assessmentId = await stepUp(user);
    for (let i = 0; i < STEP_UP_TEXTS_PER_OPERATION_PER_HOUR; i++) {
      const sent = await text(user, assessmentId);
      expect(sent.statusCode, sent.body).toBe(202);
      clock.advanceMs(RESEND_GAP_MS);
    }
    const capped = await text(user, assessmentId);
    expect([capped.statusCode, capped.json().code]).toEqual([429, 'RATE_LIMITED']);
    // The first text leaves the hour 60 minutes after it was sent.
    const waitSeconds = 3600 - (STEP_UP_TEXTS_PER_OPERATION_PER_HOUR * RESEND_GAP_MS) / 1000;
    expect(Number(capped.headers['retry-after'])).toBe(waitSeconds);
    expect(await textsTo(user)).toHaveLength(STEP_UP_TEXTS_PER_OPERATION_PER_HOUR);

    // Another operation of the same holder is not held back by this one's cap.
    expect((await text(user, await stepUp(user))).statusCode).toBe(202);

    clock.advanceMs(waitSeconds * 1000);
    await signIn(user);
    expect((await text(user, assessmentId)).statusCode).toBe(202);
    expect(await textsTo(user)).toHaveLength(STEP_UP_TEXTS_PER_OPERATION_PER_HOUR + 2);
  });

  it('are texted at most 10 times per holder per Shanghai day, across operations', async () => {
    clock.set('2026-11-24T04:00:00Z');
    const user = await registerUser(t);
    for (let i = 0; i < STEP_UP_TEXTS_PER_HOLDER_PER_DAY; i++) {
      const sent = await text(user, await stepUp(user));
      expect(sent.statusCode, sent.body).toBe(202);
    }
    const capped = await text(user, await stepUp(user));
    expect([capped.statusCode, capped.json().code]).toEqual([429, 'RATE_LIMITED']);
    // From noon until midnight in Shanghai (16:00 UTC): twelve hours.
    expect(Number(capped.headers['retry-after'])).toBe(12 * 3600);
    expect(await textsTo(user)).toHaveLength(STEP_UP_TEXTS_PER_HOLDER_PER_DAY);

    clock.set('2026-11-24T16:00:00Z');
    await signIn(user);
    expect((await text(user, await stepUp(user))).statusCode).toBe(202);
    expect(await textsTo(user)).toHaveLength(STEP_UP_TEXTS_PER_HOLDER_PER_DAY + 1);
  });
});
