import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { registerUser, type TestUser } from '../../test/identity-factories.js';
import { type TestStaff, signInStaff } from '../../test/kyc-factories.js';
import { manualClock } from '../platform/clock.js';

/**
 * A manual tier change is maker-checker: one reviewer asks with a reason, nothing changes, and a
 * different reviewer (or an admin) approves it; only then do the tier and the ledger limits move.
 */

const clock = manualClock('2026-11-23T02:00:00Z');
let t: TestApp;
let reviewerA: TestStaff;
let reviewerB: TestStaff;
let admin: TestStaff;
let analyst: TestStaff;
let support: TestStaff;

beforeAll(async () => {
  t = await createTestApp({ clock });
  reviewerA = await signInStaff(t, ['kyc_reviewer'], clock.now());
  reviewerB = await signInStaff(t, ['kyc_reviewer'], clock.now());
  admin = await signInStaff(t, ['admin'], clock.now());
  analyst = await signInStaff(t, ['risk_analyst'], clock.now());
  support = await signInStaff(t, ['support'], clock.now());
});
afterAll(async () => t?.close());

const me = async (user: TestUser) => (await t.app.inject({ url: '/api/v1/me', headers: user.auth })).json();
const kinds = async (user: TestUser) => (await t.services.notifications.list(user.userId)).items.map((n) => n.kind);
const staff = (who: TestStaff, method: 'GET' | 'POST', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: who.auth, payload });
const askTier = (who: TestStaff, user: TestUser, tier: string, reason = 'verified in person at branch 0101') =>
  staff(who, 'POST', `/api/v1/staff/users/${user.userId}/tier`, { tier, reason });
const decide = (who: TestStaff, id: string, verb: 'approve' | 'reject', note = 'checked the branch record') =>
  staff(who, 'POST', `/api/v1/staff/approvals/${id}/${verb}`, { note });
const walletLimits = async (user: TestUser) =>
  (await t.services.ledger.getAccount((await me(user)).walletAccountId))?.limits;

describe('manual tier changes', () => {
  it('one reviewer alone can no longer set a tier: the request waits, nothing changes', async () => {
    const user = await registerUser(t);
    const asked = await askTier(reviewerA, user, 'full');
    expect(asked.statusCode, asked.body).toBe(202);
    expect(asked.json()).toMatchObject({
      userId: user.userId,
      tier: 'full',
      approval: {
        kind: 'kyc.tier_change',
        status: 'pending',
        requestedBy: reviewerA.staffId,
        reason: 'verified in person at branch 0101',
        payload: { tier: 'full', fromTier: 'basic' },
      },
    });
    expect((await me(user)).tier).toBe('basic');
    expect(await walletLimits(user)).toEqual({ balanceCapFen: 200_000n, dailyFen: 200_000n, yearlyFen: 5_000_000n });
    expect(await t.services.audit.search({ subjectId: user.userId, action: 'kyc.tier_changed' })).toEqual([]);
    const [requested] = await t.services.audit.search({ subjectId: user.userId, action: 'kyc.tier_change_requested' });
    expect(requested).toMatchObject({
      actorKind: 'staff',
      actorId: reviewerA.staffId,
      details: { reason: 'verified in person at branch 0101' },
    });
    const again = await askTier(reviewerB, user, 'verified');
    expect(again.json().code).toBe('APPROVAL_ALREADY_PENDING');
  });

  it('the maker cannot approve their own request', async () => {
    const user = await registerUser(t);
    const { approval } = (await askTier(reviewerA, user, 'verified')).json();
    const self = await decide(reviewerA, approval.id, 'approve');
    expect(self.statusCode).toBe(403);
    expect(self.json().code).toBe('APPROVAL_SECOND_PERSON_REQUIRED');
    expect((await me(user)).tier).toBe('basic');
  });

  it('a second reviewer approves: the tier and limits change, the holder is told, both steps are audited', async () => {
    const user = await registerUser(t);
    const { approval } = (await askTier(reviewerA, user, 'full')).json();
    const listed = (await staff(reviewerB, 'GET', '/api/v1/staff/approvals?kind=kyc.tier_change')).json().items;
    expect(listed.map((item: { id: string }) => item.id)).toContain(approval.id);
    const approved = await decide(reviewerB, approval.id, 'approve');
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({
      status: 'approved',
      decidedBy: reviewerB.staffId,
      outcome: { previousTier: 'basic', tier: 'full' },
    });
    expect((await me(user)).tier).toBe('full');
    expect(await walletLimits(user)).toEqual({});
    expect(await kinds(user)).toContain('kyc.tier_changed');
    const [changed] = await t.services.audit.search({ subjectId: user.userId, action: 'kyc.tier_changed' });
    expect(changed).toMatchObject({
      actorKind: 'staff',
      actorId: reviewerB.staffId,
      details: { from: 'basic', to: 'full', requestedBy: reviewerA.staffId, approvalId: approval.id },
    });
    const [checked] = await t.services.audit.search({ subjectId: user.userId, action: 'kyc.tier_change_approved' });
    expect(checked).toMatchObject({
      actorId: reviewerB.staffId,
      details: { requestedBy: reviewerA.staffId, note: 'checked the branch record' },
    });
    expect((await decide(admin, approval.id, 'approve')).json().code).toBe('APPROVAL_ALREADY_DECIDED');
  });

  it('a rejected request changes nothing; refusals come early and only reviewers and admins decide', async () => {
    const user = await registerUser(t);
    expect((await askTier(support, user, 'full')).statusCode).toBe(403);
    expect(
      (await staff(reviewerA, 'POST', `/api/v1/staff/users/${user.userId}/tier`, { tier: 'full' })).json().code,
    ).toBe('VALIDATION_FAILED');
    expect((await askTier(reviewerA, user, 'basic')).json().code).toBe('TIER_UNCHANGED');
    expect(
      (await staff(reviewerA, 'POST', '/api/v1/staff/users/usr_nobody/tier', { tier: 'full', reason: 'x1' })).json()
        .code,
    ).toBe('USER_NOT_FOUND');
    const { approval } = (await askTier(reviewerA, user, 'verified')).json();
    expect((await decide(analyst, approval.id, 'approve')).json().code).toBe('APPROVAL_ROLE_REQUIRED');
    expect((await decide(support, approval.id, 'approve')).statusCode).toBe(403);
    const rejected = await decide(admin, approval.id, 'reject', 'no branch record found');
    expect(rejected.json()).toMatchObject({ status: 'rejected', decidedBy: admin.staffId });
    expect((await me(user)).tier).toBe('basic');
    const [event] = await t.services.audit.search({ subjectId: user.userId, action: 'kyc.tier_change_rejected' });
    expect(event).toMatchObject({ actorId: admin.staffId, details: { note: 'no branch record found' } });
  });
});
