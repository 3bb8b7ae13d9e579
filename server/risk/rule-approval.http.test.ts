import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp } from '../../test/app.js';
import { manualClock } from '../platform/clock.js';
import { weakenings } from './rule-approvals.js';
import { codes, freshUserId, outgoing, staffSession } from './test-support.js';

/**
 * Disabling or otherwise weakening a risk rule waits for a second admin and only takes effect once
 * approved; tightening a rule (the answer to a fraud wave) applies at once.
 */

const clock = manualClock('2026-11-23T04:00:00Z');
type Staff = { id: string; auth: { authorization: string } };
let t: TestApp;
let admin: Staff;
let otherAdmin: Staff;
let analyst: Staff;

beforeAll(async () => {
  t = await createTestApp({ clock });
  admin = await staffSession(t, ['admin']);
  otherAdmin = await staffSession(t, ['admin']);
  analyst = await staffSession(t, ['risk_analyst']);
});
afterAll(async () => t?.close());

const put = (who: Staff, rule: string, payload: object) =>
  t.app.inject({ method: 'PUT', url: `/api/v1/staff/risk/rules/${rule}`, headers: who.auth, payload });
const decide = (who: Staff, id: string, verb: 'approve' | 'reject') =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/staff/approvals/${id}/${verb}`,
    headers: who.auth,
    payload: { note: 'fraud team agreed' },
  });
const ruleOf = async (rule: string) =>
  (await t.app.inject({ url: '/api/v1/staff/risk/rules', headers: analyst.auth }))
    .json()
    .items.find((r: { rule: string }) => r.rule === rule);
const firesLargeNewPayee = async () =>
  codes(await t.services.risk.assessOutgoing(outgoing(freshUserId(), 600_000n))).includes('RISK_NEW_PAYEE_LARGE');

describe('weakening a risk rule', () => {
  it('disabling a rule stays pending until a second admin approves; the maker cannot approve it', async () => {
    expect(await firesLargeNewPayee()).toBe(true);
    const asked = await put(admin, 'new_payee_large', { enabled: false, reason: 'too many false positives this week' });
    expect(asked.statusCode, asked.body).toBe(202);
    const { approval } = asked.json();
    expect(approval).toMatchObject({
      kind: 'risk.rule_change',
      subjectId: 'new_payee_large',
      status: 'pending',
      requestedBy: admin.id,
      payload: { baseVersion: 1, enabled: false, weakens: ['disabled'] },
    });
    expect(await ruleOf('new_payee_large')).toMatchObject({ version: 1, enabled: true });
    expect(await firesLargeNewPayee()).toBe(true);

    expect((await decide(admin, approval.id, 'approve')).json().code).toBe('APPROVAL_SECOND_PERSON_REQUIRED');
    expect((await decide(analyst, approval.id, 'approve')).json().code).toBe('APPROVAL_ROLE_REQUIRED');
    expect(await firesLargeNewPayee()).toBe(true);

    const approved = await decide(otherAdmin, approval.id, 'approve');
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({
      status: 'approved',
      decidedBy: otherAdmin.id,
      outcome: { version: 2, enabled: false },
    });
    expect(await ruleOf('new_payee_large')).toMatchObject({ version: 2, enabled: false, updatedBy: otherAdmin.id });
    expect(await firesLargeNewPayee()).toBe(false);

    const [changed] = await t.services.audit.search({ subjectId: 'new_payee_large', action: 'risk.rule_changed' });
    expect(changed).toMatchObject({
      actorId: otherAdmin.id,
      details: { fromVersion: 1, toVersion: 2, approvalId: approval.id, requestedBy: admin.id },
    });
    const [requested] = await t.services.audit.search({
      subjectId: 'new_payee_large',
      action: 'risk.rule_change_requested',
    });
    expect(requested).toMatchObject({ actorId: admin.id, details: { reason: 'too many false positives this week' } });

    // Turning it back on only strengthens the engine: at once, by one admin.
    const enabled = await put(admin, 'new_payee_large', { enabled: true, reason: 'back on' });
    expect(enabled.statusCode).toBe(200);
    expect(enabled.json()).toMatchObject({ version: 3, enabled: true });
    expect(await firesLargeNewPayee()).toBe(true);
  });

  it('looser thresholds and a softer action wait too; tighter ones apply at once', async () => {
    const looser = await put(admin, 'velocity', { thresholds: { maxCount: 50 }, reason: 'payroll day' });
    expect(looser.statusCode).toBe(202);
    expect(looser.json().approval.payload.weakens).toEqual(['maxCount']);
    expect(await ruleOf('velocity')).toMatchObject({ version: 1, thresholds: { maxCount: 5 } });
    const rejected = await decide(otherAdmin, looser.json().approval.id, 'reject');
    expect(rejected.json()).toMatchObject({ status: 'rejected' });
    expect(await ruleOf('velocity')).toMatchObject({ version: 1, thresholds: { maxCount: 5 } });

    expect((await put(admin, 'night_large', { action: 'step_up', reason: 'softer at night' })).statusCode).toBe(202);
    const tighter = await put(admin, 'velocity', {
      thresholds: { maxCount: 3, windowMs: 1_200_000 },
      reason: 'fraud wave',
    });
    expect(tighter.statusCode).toBe(200);
    expect(tighter.json()).toMatchObject({ version: 2, thresholds: { maxCount: 3, windowMs: 1_200_000 } });
  });

  it('an approval made stale by a later change fails and applies nothing', async () => {
    const asked = (
      await put(admin, 'post_reset', { thresholds: { capFen: 500_000 }, reason: 'support request' })
    ).json().approval;
    expect(
      (await put(otherAdmin, 'post_reset', { thresholds: { capFen: 50_000 }, reason: 'tighten first' })).statusCode,
    ).toBe(200);
    const stale = await decide(otherAdmin, asked.id, 'approve');
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('RISK_RULE_CHANGED');
    expect(await ruleOf('post_reset')).toMatchObject({ version: 2, thresholds: { capFen: 50_000 } });
    const listed = (await t.app.inject({ url: '/api/v1/staff/approvals?status=failed', headers: admin.auth })).json()
      .items;
    expect(listed.find((item: { id: string }) => item.id === asked.id)).toMatchObject({
      status: 'failed',
      outcome: { code: 'RISK_RULE_CHANGED' },
    });
  });
});

describe('what counts as weakening', () => {
  const base = {
    enabled: true,
    action: 'hold' as const,
    thresholds: { fromHour: 0, toHour: 6, minAmountFen: 200_000 },
  };
  it.each([
    ['disable', { ...base, enabled: false }, ['disabled']],
    ['softer action', { ...base, action: 'step_up' as const }, ['action']],
    ['narrower night', { ...base, thresholds: { ...base.thresholds, toHour: 5 } }, ['toHour']],
    ['higher amount', { ...base, thresholds: { ...base.thresholds, minAmountFen: 300_000 } }, ['minAmountFen']],
    ['wider night and lower amount', { ...base, thresholds: { fromHour: 0, toHour: 7, minAmountFen: 100_000 } }, []],
    ['stronger action', { ...base, action: 'block' as const }, []],
  ])('%s', (_name, after, expected) => {
    expect(weakenings('night_large', base, after)).toEqual(expected);
  });
});
