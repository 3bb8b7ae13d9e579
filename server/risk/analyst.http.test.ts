import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp } from '../../test/app.js';
import { type TestUser, registerUser } from '../../test/identity-factories.js';
import { manualClock } from '../platform/clock.js';
import { codes, nextReference, outgoing, staffSession } from './test-support.js';

// The operations console's side: rules as data changed by admins, and the analysts' queue.
const clock = manualClock('2026-11-23T04:00:00Z');
let t: TestApp;
let bank: string;
let support: { id: string; auth: { authorization: string } };
let analyst: { id: string; auth: { authorization: string } };
let otherAnalyst: { id: string; auth: { authorization: string } };
let admin: { id: string; auth: { authorization: string } };
let idem = 0;
const key = () => ({ 'idempotency-key': `analyst-${process.pid}-${++idem}` });

async function holder(): Promise<TestUser & { wallet: string }> {
  const user = await registerUser(t);
  const wallet = (await t.app.inject({ url: '/api/v1/me', headers: user.auth })).json().walletAccountId as string;
  await t.services.ledger.transfer({
    reference: `fund:${wallet}`,
    currency: 'CNY',
    legs: [{ debitAccountId: bank, creditAccountId: wallet, amountFen: 100_000n }],
    limitExempt: true,
  });
  return { ...user, wallet };
}

async function heldAlert(payer: { userId: string; wallet: string }, payee: { wallet: string }, amountFen: bigint) {
  const decision = await t.services.risk.assessOutgoing(
    outgoing(payer.userId, amountFen, { walletAccountId: payer.wallet, payeeKey: `wallet:${payee.wallet}` }),
  );
  expect(decision.outcome).toBe('hold');
  const held = await t.services.risk.holdForConfirmation({
    assessmentId: decision.assessmentId,
    hold: {
      reference: nextReference('hold'),
      debitAccountId: payer.wallet,
      creditAccountId: payee.wallet,
      amountFen,
      currency: 'CNY',
    },
  });
  if (!held.ok) throw new Error(held.error.code);
  const alerts = (await t.app.inject({ url: '/api/v1/staff/risk/alerts?status=open', headers: analyst.auth })).json()
    .items as { id: string; riskHoldId: string | null; holderName: string | null }[];
  const alert = alerts.find((item) => item.riskHoldId === held.value.riskHoldId);
  if (!alert) throw new Error('no alert for the hold');
  // The queue names the holder, masked, instead of a user id.
  expect(alert.holderName).toBe((await t.services.identity.profile(payer.userId))?.name);
  expect(alert.holderName).toMatch(/\*/);
  return { held: held.value, alertId: alert.id };
}

const audited = async (action: string, subjectId: string) =>
  (
    await t.db.query<{ actor_id: string; details: Record<string, unknown> }>(
      'SELECT actor_id, details FROM audit_log WHERE action = $1 AND subject_id = $2',
      [action, subjectId],
    )
  ).rows;

beforeAll(async () => {
  t = await createTestApp({ clock });
  bank = (await t.services.ledger.createAccount({ kind: 'bank_clearing', currency: 'CNY' })).id;
  support = await staffSession(t, ['support']);
  analyst = await staffSession(t, ['risk_analyst']);
  otherAnalyst = await staffSession(t, ['risk_analyst']);
  admin = await staffSession(t, ['admin']);
});
afterAll(async () => t?.close());

describe('rules are data', () => {
  it('an admin changes a threshold: a new version, audited, effective at once without a restart', async () => {
    const user = `usr_rules_${process.pid}`;
    expect(
      codes(await t.services.risk.assessOutgoing(outgoing(user, 300_000n, { payeeKey: 'wallet:acc_a' }))),
    ).not.toContain('RISK_NEW_PAYEE_LARGE');
    const changed = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/staff/risk/rules/new_payee_large',
      headers: admin.auth,
      payload: { thresholds: { minAmountFen: 300_000 }, reason: 'fraud wave on transfers' },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({
      rule: 'new_payee_large',
      version: 2,
      enabled: true,
      action: 'hold',
      thresholds: { payeeAgeMs: 86_400_000, minAmountFen: 300_000 },
      updatedBy: admin.id,
    });
    expect(
      codes(await t.services.risk.assessOutgoing(outgoing(user, 300_000n, { payeeKey: 'wallet:acc_b' }))),
    ).toContain('RISK_NEW_PAYEE_LARGE');
    const [entry] = await audited('risk.rule_changed', 'new_payee_large');
    expect(entry.actor_id).toBe(admin.id);
    expect(entry.details).toMatchObject({ fromVersion: 1, toVersion: 2, reason: 'fraud wave on transfers' });
    const listed = (await t.app.inject({ url: '/api/v1/staff/risk/rules', headers: analyst.auth })).json().items;
    expect(listed.find((rule: { rule: string }) => rule.rule === 'new_payee_large').version).toBe(2);
  });

  it('refuses unknown rules, unknown settings and bad values; only admins may change rules', async () => {
    const put = (rule: string, payload: object, auth = admin.auth) =>
      t.app.inject({ method: 'PUT', url: `/api/v1/staff/risk/rules/${rule}`, headers: auth, payload });
    expect((await put('nope', { enabled: false, reason: 'test' })).json().code).toBe('RISK_RULE_NOT_FOUND');
    expect((await put('velocity', { thresholds: { maxCount: -1 }, reason: 'test' })).json().code).toBe(
      'RISK_RULE_INVALID',
    );
    expect((await put('velocity', { thresholds: { surprise: 1 }, reason: 'test' })).json().code).toBe(
      'RISK_RULE_INVALID',
    );
    expect((await put('velocity', { thresholds: { maxCount: '5' }, reason: 'test' })).json().code).toBe(
      'RISK_RULE_INVALID',
    );
    expect((await put('night_large', { thresholds: { fromHour: 7 }, reason: 'test' })).json().code).toBe(
      'RISK_RULE_INVALID',
    );
    expect((await put('velocity', { action: 'explode', reason: 'test' })).json().code).toBe('VALIDATION_FAILED');
    expect((await put('velocity', { enabled: false })).json().code).toBe('VALIDATION_FAILED');
    expect((await put('velocity', { enabled: false, reason: 'test' }, analyst.auth)).statusCode).toBe(403);
    expect((await put('velocity', { enabled: false, reason: 'test' }, support.auth)).statusCode).toBe(403);
    const velocity = (await t.app.inject({ url: '/api/v1/staff/risk/rules', headers: admin.auth }))
      .json()
      .items.find((rule: { rule: string }) => rule.rule === 'velocity');
    expect(velocity).toMatchObject({ version: 1, enabled: true });
  });
});

describe('the analysts’ queue', () => {
  let alice: TestUser & { wallet: string };
  let bob: TestUser & { wallet: string };
  beforeAll(async () => {
    alice = await holder();
    bob = await holder();
    await t.services.risk.rules.change(
      'new_payee_large',
      { thresholds: { minAmountFen: 5_000 }, reason: 'test: hold small amounts' },
      { id: admin.id },
    );
  });

  it('support staff can do nothing here; risk analysts can', async () => {
    const { alertId } = await heldAlert(alice, bob, 5_500n);
    for (const request of [
      { method: 'GET' as const, url: '/api/v1/staff/risk/alerts' },
      { method: 'GET' as const, url: `/api/v1/staff/risk/alerts/${alertId}` },
      { method: 'POST' as const, url: `/api/v1/staff/risk/alerts/${alertId}/claim` },
      {
        method: 'POST' as const,
        url: `/api/v1/staff/risk/alerts/${alertId}/resolve`,
        payload: { resolution: 'void', note: 'not allowed' },
      },
      {
        method: 'POST' as const,
        url: `/api/v1/staff/risk/users/${alice.userId}/restrict`,
        payload: { reason: 'not allowed' },
      },
    ]) {
      const refused = await t.app.inject({ ...request, headers: { ...support.auth, ...key() } });
      expect(refused.statusCode, request.url).toBe(403);
      const holderTries = await t.app.inject({ ...request, headers: { ...alice.auth, ...key() } });
      expect(holderTries.statusCode, request.url).toBe(403);
    }
    expect(
      (await t.app.inject({ method: 'POST', url: `/api/v1/staff/risk/alerts/${alertId}/claim`, headers: analyst.auth }))
        .statusCode,
    ).toBe(200);
  });

  it('claim, view in full, release: the held money is posted, the alert closed, every step audited', async () => {
    const { held, alertId } = await heldAlert(alice, bob, 6_600n);
    const claimed = await t.app.inject({
      method: 'POST',
      url: `/api/v1/staff/risk/alerts/${alertId}/claim`,
      headers: analyst.auth,
    });
    expect(claimed.json()).toMatchObject({ status: 'claimed', claimedBy: analyst.id });
    const taken = await t.app.inject({
      method: 'POST',
      url: `/api/v1/staff/risk/alerts/${alertId}/claim`,
      headers: otherAnalyst.auth,
    });
    expect(taken.json().code).toBe('RISK_ALERT_CLAIMED');
    const blockedResolve = await t.app.inject({
      method: 'POST',
      url: `/api/v1/staff/risk/alerts/${alertId}/resolve`,
      headers: { ...otherAnalyst.auth, ...key() },
      payload: { resolution: 'void', note: 'mine now' },
    });
    expect(blockedResolve.json().code).toBe('RISK_ALERT_CLAIMED');

    const view = (await t.app.inject({ url: `/api/v1/staff/risk/alerts/${alertId}`, headers: analyst.auth })).json();
    expect(view.assessment.reasons[0]).toMatchObject({
      rule: 'new_payee_large',
      details: { minAmountFen: 5_000, amountFen: 6_600 },
    });
    expect(view.hold).toMatchObject({ riskHoldId: held.riskHoldId, status: 'pending', amountFen: 6_600 });
    expect(view.recent.length).toBeGreaterThan(0);
    expect(view.holder).toMatchObject({ userId: alice.userId, name: '*三' });

    const before = (await t.services.ledger.getAccount(bob.wallet))?.balanceFen ?? 0n;
    const released = await t.app.inject({
      method: 'POST',
      url: `/api/v1/staff/risk/alerts/${alertId}/resolve`,
      headers: { ...analyst.auth, ...key() },
      payload: { resolution: 'release', note: 'called the holder, genuine rent payment' },
    });
    expect(released.statusCode, released.body).toBe(200);
    expect(released.json()).toMatchObject({ status: 'resolved', resolution: 'release' });
    expect((await t.services.ledger.getAccount(bob.wallet))?.balanceFen).toBe(before + 6_600n);
    expect((await t.services.risk.holdStatus(held.reference))?.status).toBe('released');
    expect((await audited('risk.alert_claimed', alertId)).length).toBe(1);
    expect((await audited('risk.alert_viewed', alertId)).length).toBe(1);
    expect((await audited('risk.alert_resolved', alertId))[0].details).toMatchObject({
      resolution: 'release',
      note: 'called the holder, genuine rent payment',
    });
    expect((await audited('risk.hold_released', held.riskHoldId))[0].actor_id).toBe(analyst.id);
    const twice = await t.app.inject({
      method: 'POST',
      url: `/api/v1/staff/risk/alerts/${alertId}/resolve`,
      headers: { ...analyst.auth, ...key() },
      payload: { resolution: 'void', note: 'again' },
    });
    expect(twice.json().code).toBe('RISK_ALERT_RESOLVED');
  });

  it('void, then freeze; restrict and lift with a reason', async () => {
    const voidable = await heldAlert(alice, bob, 7_700n);
    const voided = await t.app.inject({
      method: 'POST',
      url: `/api/v1/staff/risk/alerts/${voidable.alertId}/resolve`,
      headers: { ...analyst.auth, ...key() },
      payload: { resolution: 'void', note: 'mule account' },
    });
    expect(voided.statusCode, voided.body).toBe(200);
    expect((await t.services.ledger.getHold(voidable.held.holdId))?.status).toBe('voided');

    const freezable = await heldAlert(alice, bob, 7_800n);
    const frozen = await t.app.inject({
      method: 'POST',
      url: `/api/v1/staff/risk/alerts/${freezable.alertId}/resolve`,
      headers: { ...analyst.auth, ...key() },
      payload: { resolution: 'freeze', note: 'takeover confirmed by phone' },
    });
    expect(frozen.statusCode, frozen.body).toBe(200);
    expect((await t.app.inject({ url: '/api/v1/me', headers: alice.auth })).json().frozen).toBe(true);
    expect((await t.services.ledger.getHold(freezable.held.holdId))?.status).toBe('voided');

    const restricted = await t.app.inject({
      method: 'POST',
      url: `/api/v1/staff/risk/users/${bob.userId}/restrict`,
      headers: analyst.auth,
      payload: { reason: 'reported by the police', liftBy: 'reverify' },
    });
    expect(restricted.statusCode, restricted.body).toBe(201);
    expect(restricted.json()).toMatchObject({ reasonCode: 'staff', liftBy: 'reverify', source: 'staff' });
    const mine = (await t.app.inject({ url: '/api/v1/me/restrictions', headers: bob.auth })).json();
    expect(mine.active.howToLiftZh).toContain('实名认证');
    expect(
      (await t.services.risk.assessOutgoing(outgoing(bob.userId, 100n, { walletAccountId: bob.wallet }))).problem,
    ).toBe('RISK_RESTRICTED');
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/v1/staff/risk/users/${bob.userId}/restrict`,
      headers: analyst.auth,
      payload: { reason: 'twice' },
    });
    expect(again.json().code).toBe('RISK_ALREADY_RESTRICTED');
    const lifted = await t.app.inject({
      method: 'POST',
      url: `/api/v1/staff/risk/users/${bob.userId}/lift`,
      headers: analyst.auth,
      payload: { reason: 'police cleared him' },
    });
    expect(lifted.statusCode, lifted.body).toBe(200);
    expect((await audited('risk.restriction_lifted', bob.userId))[0]).toMatchObject({
      actor_id: analyst.id,
      details: { reason: 'police cleared him' },
    });
    expect((await t.app.inject({ url: '/api/v1/me/restrictions', headers: bob.auth })).json().active).toBeNull();
    const notRestricted = await t.app.inject({
      method: 'POST',
      url: `/api/v1/staff/risk/users/${bob.userId}/lift`,
      headers: analyst.auth,
      payload: { reason: 'again' },
    });
    expect(notRestricted.json().code).toBe('RISK_NOT_RESTRICTED');
    expect(lifted.json().falsePositive).toBe(false);

    // Lifted as a false positive: the flag is stored, shown, audited; a flag that is not a boolean is a 400.
    const restrictedAgain = await t.app.inject({
      method: 'POST',
      url: `/api/v1/staff/risk/users/${bob.userId}/restrict`,
      headers: analyst.auth,
      payload: { reason: 'pattern match on a new device' },
    });
    expect(restrictedAgain.statusCode, restrictedAgain.body).toBe(201);
    const badFlag = await t.app.inject({
      method: 'POST',
      url: `/api/v1/staff/risk/users/${bob.userId}/lift`,
      headers: analyst.auth,
      payload: { reason: 'false alarm', falsePositive: 'yes' },
    });
    expect(badFlag.statusCode).toBe(400);
    const falsePositive = await t.app.inject({
      method: 'POST',
      url: `/api/v1/staff/risk/users/${bob.userId}/lift`,
      headers: analyst.auth,
      payload: { reason: 'false alarm: his own new phone', falsePositive: true },
    });
    expect(falsePositive.statusCode, falsePositive.body).toBe(200);
    expect(falsePositive.json()).toMatchObject({ falsePositive: true });
    expect((await audited('risk.restriction_lifted', bob.userId)).map((row) => row.details)).toContainEqual(
      expect.objectContaining({ reason: 'false alarm: his own new phone', falsePositive: true }),
    );
    const history = (await t.app.inject({ url: '/api/v1/me/restrictions', headers: bob.auth })).json().history;
    expect(history.map((view: { falsePositive: boolean }) => view.falsePositive).sort()).toEqual([false, true]);
  });

  it('a lift resolving an alert can say the restriction was a false positive; no other resolution can', async () => {
    const payer = await holder();
    const payee = await holder();
    const { alertId } = await heldAlert(payer, payee, 7_900n);
    const restricted = await t.app.inject({
      method: 'POST',
      url: `/api/v1/staff/risk/users/${payer.userId}/restrict`,
      headers: analyst.auth,
      payload: { reason: 'held payment under review' },
    });
    expect(restricted.statusCode, restricted.body).toBe(201);
    const resolve = (payload: Record<string, unknown>) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/staff/risk/alerts/${alertId}/resolve`,
        headers: { ...analyst.auth, ...key() },
        payload,
      });
    const dismissed = await resolve({ resolution: 'dismiss', note: 'fine', falsePositive: true });
    expect([dismissed.statusCode, dismissed.json().code]).toEqual([409, 'RISK_ACTION_NOT_APPLICABLE']);
    expect((await t.app.inject({ url: '/api/v1/me/restrictions', headers: payer.auth })).json().active).not.toBeNull();
    const lifted = await resolve({ resolution: 'lift', note: 'his own new phone', falsePositive: true });
    expect(lifted.statusCode, lifted.body).toBe(200);
    const mine = (await t.app.inject({ url: '/api/v1/me/restrictions', headers: payer.auth })).json();
    expect(mine.active).toBeNull();
    expect(mine.history[0]).toMatchObject({ falsePositive: true });
  });
});
