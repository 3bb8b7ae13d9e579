import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp } from '../../test/app.js';
import { registerUser } from '../../test/identity-factories.js';
import { manualClock } from '../platform/clock.js';
import type { RiskService } from './service.js';
import { codes, freshUserId, outgoing } from './test-support.js';

// Every rule at its boundary and just below it, on a clock the test moves (noon in Shanghai unless set).
const clock = manualClock('2026-11-23T04:00:00Z');
let t: TestApp;
let risk: RiskService;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

beforeAll(async () => {
  t = await createTestApp({ clock });
  risk = t.services.risk;
});
afterAll(async () => t?.close());

describe('velocity', () => {
  it('fires on the sixth movement in ten minutes, not the fifth', async () => {
    const user = freshUserId();
    for (let i = 0; i < 5; i++)
      expect(codes(await risk.assessOutgoing(outgoing(user, 100n)))).not.toContain('RISK_VELOCITY');
    const sixth = await risk.assessOutgoing(outgoing(user, 100n));
    expect(codes(sixth)).toContain('RISK_VELOCITY');
    expect(sixth.outcome).toBe('step_up');
    expect(sixth.problem).toBe('STEP_UP_REQUIRED');
    clock.advanceMs(10 * MINUTE);
    expect(codes(await risk.assessOutgoing(outgoing(user, 100n)))).not.toContain('RISK_VELOCITY');
  });

  it('counts a burst sent in parallel: only five of twelve go ahead without a step-up', async () => {
    const user = freshUserId();
    const decisions = await Promise.all(Array.from({ length: 12 }, () => risk.assessOutgoing(outgoing(user, 100n))));
    expect(decisions.filter((decision) => decision.outcome === 'allow')).toHaveLength(5);
    expect(decisions.filter((decision) => codes(decision).includes('RISK_VELOCITY'))).toHaveLength(7);
  });

  it('fires when the window total passes the amount threshold, not when it reaches it', async () => {
    const user = freshUserId();
    await risk.assessOutgoing(outgoing(user, 1_000_000n));
    expect(codes(await risk.assessOutgoing(outgoing(user, 1_000_000n)))).not.toContain('RISK_VELOCITY');
    expect(codes(await risk.assessOutgoing(outgoing(user, 1n)))).toContain('RISK_VELOCITY');
  });
});

describe('new payee with a large amount', () => {
  it('holds ¥5,000 to a payee never paid, not ¥4,999.99', async () => {
    const user = freshUserId();
    expect(codes(await risk.assessOutgoing(outgoing(user, 499_999n, { payeeKey: 'wallet:acc_np1' })))).not.toContain(
      'RISK_NEW_PAYEE_LARGE',
    );
    const held = await risk.assessOutgoing(outgoing(user, 500_000n, { payeeKey: 'wallet:acc_np2' }));
    expect(codes(held)).toContain('RISK_NEW_PAYEE_LARGE');
    expect(held.outcome).toBe('hold');
    expect(held.problem).toBe('RISK_CONFIRMATION_REQUIRED');
    expect(held.reasons[0].zh.length).toBeGreaterThan(0);
  });

  it('a payee first paid 24 hours ago is no longer new; one paid 1 ms less is', async () => {
    const user = freshUserId();
    await risk.assessOutgoing(outgoing(user, 100n, { payeeKey: 'wallet:acc_np3' }));
    clock.advanceMs(24 * HOUR - 1);
    expect(codes(await risk.assessOutgoing(outgoing(user, 500_000n, { payeeKey: 'wallet:acc_np3' })))).toContain(
      'RISK_NEW_PAYEE_LARGE',
    );
    clock.advanceMs(1);
    expect(codes(await risk.assessOutgoing(outgoing(user, 500_000n, { payeeKey: 'wallet:acc_np3' })))).not.toContain(
      'RISK_NEW_PAYEE_LARGE',
    );
  });
});

describe('deviation from the holder’s own history', () => {
  async function history(user: string, count: number) {
    for (let i = 0; i < count; i++) {
      expect((await risk.assessOutgoing(outgoing(user, 10_000n, { payeeKey: 'merchant:M100' }))).outcome).toBe('allow');
      clock.advanceMs(3 * MINUTE); // stay clear of the velocity rule
    }
  }

  it('holds above mean + 3σ with ten movements behind it, not at it', async () => {
    const user = freshUserId();
    await history(user, 10);
    expect(codes(await risk.assessOutgoing(outgoing(user, 10_000n, { payeeKey: 'merchant:M100' })))).not.toContain(
      'RISK_UNUSUAL_AMOUNT',
    );
    const above = await risk.assessOutgoing(outgoing(user, 10_001n, { payeeKey: 'merchant:M100' }));
    expect(codes(above)).toContain('RISK_UNUSUAL_AMOUNT');
    expect(above.outcome).toBe('hold');
  });

  it('needs the minimum history: nine movements are not enough', async () => {
    const user = freshUserId();
    await history(user, 9);
    expect(codes(await risk.assessOutgoing(outgoing(user, 90_000n, { payeeKey: 'merchant:M100' })))).not.toContain(
      'RISK_UNUSUAL_AMOUNT',
    );
  });
});

describe('large amounts at night (Asia/Shanghai)', () => {
  const at = async (iso: string, amountFen: bigint) => {
    clock.set(iso);
    return codes(await risk.assessOutgoing(outgoing(freshUserId(), amountFen)));
  };
  it('holds ¥2,000 from 00:00 to 05:59:59, not ¥1,999.99, not at 06:00 or 23:59', async () => {
    expect(await at('2026-11-23T16:00:00.000Z', 200_000n)).toContain('RISK_NIGHT_LARGE'); // 00:00 Shanghai
    expect(await at('2026-11-23T16:00:00.000Z', 199_999n)).not.toContain('RISK_NIGHT_LARGE');
    expect(await at('2026-11-23T21:59:59.999Z', 200_000n)).toContain('RISK_NIGHT_LARGE'); // 05:59:59.999
    expect(await at('2026-11-23T22:00:00.000Z', 200_000n)).not.toContain('RISK_NIGHT_LARGE'); // 06:00
    expect(await at('2026-11-23T15:59:59.999Z', 200_000n)).not.toContain('RISK_NIGHT_LARGE'); // 23:59:59.999
    clock.set('2026-11-25T04:00:00Z');
  });
});

describe('network change', () => {
  it('steps up from an unseen network at ¥200, not below, not from a network seen before', async () => {
    const user = freshUserId();
    expect(codes(await risk.assessOutgoing(outgoing(user, 20_000n, { ip: '10.1.2.3' })))).not.toContain(
      'RISK_NETWORK_CHANGE',
    );
    expect(codes(await risk.assessOutgoing(outgoing(user, 20_000n, { ip: '10.1.9.9' })))).not.toContain(
      'RISK_NETWORK_CHANGE',
    );
    expect(codes(await risk.assessOutgoing(outgoing(user, 20_000n, { ip: '10.2.0.1' })))).toContain(
      'RISK_NETWORK_CHANGE',
    );
    // (A movement allowed from a network makes it known, so "below" uses yet another network.)
    expect(codes(await risk.assessOutgoing(outgoing(user, 19_999n, { ip: '10.3.0.1' })))).not.toContain(
      'RISK_NETWORK_CHANGE',
    );
  });

  it('steps up from a datacenter range even with no history', async () => {
    expect(codes(await risk.assessOutgoing(outgoing(freshUserId(), 20_000n, { ip: '203.0.113.7' })))).toContain(
      'RISK_NETWORK_CHANGE',
    );
  });
});

describe('rules that need identity: new device, credential reset, takeover', () => {
  it('steps up above ¥500 on a device first seen under 24 hours ago, not at ¥500, not after 24 hours', async () => {
    const holder = await registerUser(t);
    const device = { deviceId: holder.deviceId };
    expect(codes(await risk.assessOutgoing(outgoing(holder.userId, 50_000n, device)))).not.toContain('RISK_NEW_DEVICE');
    const stepped = await risk.assessOutgoing(outgoing(holder.userId, 50_001n, device));
    expect(codes(stepped)).toContain('RISK_NEW_DEVICE');
    expect(stepped.stepUp?.methods).toContain('pin_sms');
    expect(
      codes(await risk.assessOutgoing(outgoing(holder.userId, 50_001n, { deviceId: 'never-seen-device' }))),
    ).toContain('RISK_NEW_DEVICE');
    clock.advanceMs(24 * HOUR);
    expect(codes(await risk.assessOutgoing(outgoing(holder.userId, 50_001n, device)))).not.toContain('RISK_NEW_DEVICE');
  });

  it('after a password recovery: holds a new payee or more than ¥1,000, for 72 hours', async () => {
    const holder = await registerUser(t);
    const device = { deviceId: holder.deviceId };
    await risk.assessOutgoing(outgoing(holder.userId, 100n, { ...device, payeeKey: 'wallet:acc_known' }));
    clock.advanceMs(HOUR);
    await t.db.query('UPDATE users SET recovered_at = $2 WHERE id = $1', [holder.userId, clock.now()]);
    expect(
      codes(await risk.assessOutgoing(outgoing(holder.userId, 100_000n, { ...device, payeeKey: 'wallet:acc_known' }))),
    ).not.toContain('RISK_AFTER_RESET');
    expect(
      codes(await risk.assessOutgoing(outgoing(holder.userId, 100_001n, { ...device, payeeKey: 'wallet:acc_known' }))),
    ).toContain('RISK_AFTER_RESET');
    const fresh = await risk.assessOutgoing(
      outgoing(holder.userId, 100n, { ...device, payeeKey: 'wallet:acc_new_after_reset' }),
    );
    expect(codes(fresh)).toContain('RISK_AFTER_RESET');
    expect(codes(fresh)).not.toContain('RISK_TAKEOVER_SIGNS'); // the device was known before the reset
    clock.advanceMs(72 * HOUR);
    expect(
      codes(await risk.assessOutgoing(outgoing(holder.userId, 100n, { ...device, payeeKey: 'wallet:acc_other' }))),
    ).not.toContain('RISK_AFTER_RESET');
  });

  it('a reset, then a new device paying a new payee: blocked and restricted until staff lift it', async () => {
    const holder = await registerUser(t);
    await t.db.query('UPDATE users SET recovered_at = $2 WHERE id = $1', [holder.userId, clock.now()]);
    const blocked = await risk.assessOutgoing(
      outgoing(holder.userId, 100n, { deviceId: 'thief-phone-0001', payeeKey: 'wallet:acc_mule' }),
    );
    expect(blocked.outcome).toBe('block');
    expect(codes(blocked)).toContain('RISK_TAKEOVER_SIGNS');
    expect(blocked.problem).toBe('RISK_RESTRICTED');
    const next = await risk.assessOutgoing(
      outgoing(holder.userId, 100n, { deviceId: holder.deviceId, payeeKey: 'wallet:acc_known' }),
    );
    expect(next.outcome).toBe('block');
    expect(next.problem).toBe('RISK_RESTRICTED');
    expect(next.restriction?.liftBy).toBe('support');
    const lifted = await risk.restrictions.lift(holder.userId, 'holder verified at the branch', {
      kind: 'staff',
      id: 'stf_test',
    });
    expect(lifted.ok).toBe(true);
    clock.advanceMs(73 * HOUR);
    expect(
      (
        await risk.assessOutgoing(
          outgoing(holder.userId, 100n, { deviceId: holder.deviceId, payeeKey: 'wallet:acc_known' }),
        )
      ).outcome,
    ).toBe('allow');
  });
});

describe('decisions are recorded once per reference', () => {
  it('the same reference answers the same decision; a different amount under it is blocked', async () => {
    const user = freshUserId();
    const first = await risk.assessOutgoing(outgoing(user, 600_000n, { reference: `same:${user}` }));
    const again = await risk.assessOutgoing(outgoing(user, 600_000n, { reference: `same:${user}` }));
    expect(again.assessmentId).toBe(first.assessmentId);
    expect(again.replayed).toBe(true);
    expect(again.outcome).toBe(first.outcome);
    const changed = await risk.assessOutgoing(outgoing(user, 600_001n, { reference: `same:${user}` }));
    expect(changed.outcome).toBe('block');
    expect(codes(changed)).toEqual(['RISK_REFERENCE_CONFLICT']);
  });

  it('a disabled rule does not fire; the change is seen at once', async () => {
    const user = freshUserId();
    const changed = await risk.rules.change(
      'new_payee_large',
      { enabled: false, reason: 'test: disable' },
      { id: 'stf_test' },
    );
    expect(changed.ok).toBe(true);
    expect(codes(await risk.assessOutgoing(outgoing(user, 900_000n, { payeeKey: 'wallet:acc_off' })))).not.toContain(
      'RISK_NEW_PAYEE_LARGE',
    );
    await risk.rules.change('new_payee_large', { enabled: true, reason: 'test: enable' }, { id: 'stf_test' });
    expect(codes(await risk.assessOutgoing(outgoing(user, 900_000n, { payeeKey: 'wallet:acc_on' })))).toContain(
      'RISK_NEW_PAYEE_LARGE',
    );
  });
});
