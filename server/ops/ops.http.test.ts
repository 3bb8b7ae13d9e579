import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { registerUser, type TestUser } from '../../test/identity-factories.js';
import type { StaffRole } from '../identity/staff.js';
import { OPS_PERMISSIONS, type OpsPermission } from './roles.js';
import { signedInStaff, type TestStaff } from './test-support.js';

let t: TestApp;
let holder: TestUser;
const staff = {} as Record<StaffRole, TestStaff>;
const ROLES: StaffRole[] = ['support', 'kyc_reviewer', 'risk_analyst', 'admin'];

const as = (who: { auth: { authorization: string } }, options: InjectOptions) =>
  t.app.inject({ ...options, headers: { ...who.auth, 'accept-language': 'en', ...(options.headers ?? {}) } });
const later = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

async function auditActions(subjectId: string): Promise<string[]> {
  return (await t.services.audit.search({ subjectId, limit: 50 })).map((entry) => entry.action);
}

beforeAll(async () => {
  t = await createTestApp();
  for (const role of ROLES) staff[role] = await signedInStaff(t, [role]);
  holder = await registerUser(t, { name: '李四' });
  const profile = await t.services.identity.profile(holder.userId);
  const bank = await t.services.ledger.createAccount({ kind: 'bank_clearing', currency: 'CNY' });
  for (const [i, amountFen] of [12_345n, 500n].entries()) {
    const funded = await t.services.ledger.transfer({
      reference: `ops-fund-${i}`,
      currency: 'CNY',
      legs: [{ debitAccountId: bank.id, creditAccountId: profile?.walletAccountId as string, amountFen }],
      limitExempt: true,
    });
    expect(funded.ok).toBe(true);
  }
});
afterAll(async () => t?.close());

describe('role matrix', () => {
  // Targets that do not exist: an allowed role gets past the role check (404 or 2xx), a forbidden one gets 403.
  const routes: { permission: OpsPermission; request: InjectOptions }[] = [
    {
      permission: 'customers.view',
      request: { method: 'POST', url: '/api/v1/ops/customers/search', payload: { phone: '13900000000' } },
    },
    { permission: 'customers.view', request: { method: 'GET', url: '/api/v1/ops/customers/usr_missing' } },
    { permission: 'customers.view', request: { method: 'GET', url: '/api/v1/ops/customers/usr_missing/movements' } },
    {
      permission: 'customers.reveal',
      request: { method: 'GET', url: '/api/v1/ops/customers/usr_missing?reveal=true' },
    },
    {
      permission: 'customers.freeze',
      request: {
        method: 'POST',
        url: '/api/v1/ops/customers/usr_missing/freeze',
        payload: { reason: 'lost phone call' },
      },
    },
    {
      permission: 'customers.unfreeze',
      request: {
        method: 'POST',
        url: '/api/v1/ops/customers/usr_missing/unfreeze',
        payload: { reason: 'verified at branch' },
      },
    },
    { permission: 'cases.view', request: { method: 'GET', url: '/api/v1/ops/cases' } },
    { permission: 'cases.view', request: { method: 'GET', url: '/api/v1/ops/cases/case_missing' } },
    {
      permission: 'cases.close',
      request: {
        method: 'POST',
        url: '/api/v1/ops/cases/case_missing/close',
        payload: { note: 'resolved with holder' },
      },
    },
    { permission: 'maintenance.view', request: { method: 'GET', url: '/api/v1/ops/maintenance' } },
    { permission: 'maintenance.manage', request: { method: 'POST', url: '/api/v1/ops/maintenance/mnt_missing/end' } },
    {
      permission: 'maintenance.manage',
      request: {
        method: 'POST',
        url: '/api/v1/ops/maintenance',
        payload: {
          feature: 'bills',
          startsAt: later(600),
          endsAt: later(660),
          titleZh: '维护',
          titleEn: 'Upkeep',
          messageZh: '暂停',
          messageEn: 'Paused',
        },
      },
    },
    { permission: 'audit.search', request: { method: 'GET', url: '/api/v1/ops/audit?limit=1' } },
  ];

  for (const role of ROLES) {
    for (const { permission, request } of routes) {
      const allowed = (OPS_PERMISSIONS[permission] as readonly string[]).includes(role);
      it(`${role} ${allowed ? 'may' : 'may not'} ${request.method} ${request.url}`, async () => {
        const answer = await as(staff[role], request);
        if (allowed) expect([200, 201, 204, 404], answer.body).toContain(answer.statusCode);
        else expect(answer.json()).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      });
    }
  }

  it('refuses anonymous callers and wallet holders', async () => {
    expect((await t.app.inject({ url: '/api/v1/ops/cases' })).statusCode).toBe(401);
    expect((await as(holder, { url: '/api/v1/ops/cases' })).statusCode).toBe(403);
    expect((await as(holder, { url: `/api/v1/ops/customers/${holder.userId}` })).statusCode).toBe(403);
  });

  it('tells each staff member what they may do', async () => {
    const support = (await as(staff.support, { url: '/api/v1/ops/permissions' })).json();
    expect(support.permissions).toContain('customers.freeze');
    expect(support.permissions).not.toContain('risk.alerts');
    expect(support.permissions).not.toContain('audit.search');
    const admin = (await as(staff.admin, { url: '/api/v1/ops/permissions' })).json();
    expect(admin.permissions).toEqual(Object.keys(OPS_PERMISSIONS));
    expect(admin.name).toBe('Staff admin');
  });

  it('names every staff member by id for the console (who acted, who claimed), to any role', async () => {
    const names = await as(staff.kyc_reviewer, { url: '/api/v1/ops/staff-names' });
    expect(names.statusCode).toBe(200);
    const items = names.json().items as { id: string; name: string; active: boolean }[];
    expect(items).toContainEqual({ id: staff.risk_analyst.id, name: 'Staff risk_analyst', active: true });
    expect((await as(holder, { url: '/api/v1/ops/staff-names' })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/v1/ops/staff-names' })).statusCode).toBe(401);
  });
});

describe('customer lookup', () => {
  it('finds a holder by phone or ID number, masked, and audits the search without the raw number', async () => {
    const byPhone = await as(staff.support, {
      method: 'POST',
      url: '/api/v1/ops/customers/search',
      payload: { phone: holder.phone },
    });
    expect(byPhone.statusCode, byPhone.body).toBe(200);
    expect(byPhone.json().items).toEqual([
      expect.objectContaining({
        userId: holder.userId,
        name: '*四',
        phone: `${holder.phone.slice(0, 3)}****${holder.phone.slice(-4)}`,
        frozen: false,
      }),
    ]);
    const byId = await as(staff.support, {
      method: 'POST',
      url: '/api/v1/ops/customers/search',
      payload: { idNumber: holder.idNumber },
    });
    expect(byId.json().items[0].idNumber).toBe(`${holder.idNumber.slice(0, 4)}**********${holder.idNumber.slice(-4)}`);
    expect(
      (
        await as(staff.support, {
          method: 'POST',
          url: '/api/v1/ops/customers/search',
          payload: { phone: '13911112222' },
        })
      ).json().items,
    ).toEqual([]);

    const searches = (await t.services.audit.find({ actorId: staff.support.id, action: 'ops.customer_searched' })).map(
      (entry) => JSON.stringify(entry.details),
    );
    expect(searches.length).toBeGreaterThanOrEqual(3);
    for (const details of searches) {
      expect(details).not.toContain(holder.phone);
      expect(details).not.toContain(holder.idNumber);
    }
  });

  it('shows wallet, limits, movements, devices, restrictions; unmasking needs the role, audited', async () => {
    const view = await as(staff.support, { url: `/api/v1/ops/customers/${holder.userId}` });
    expect(view.statusCode, view.body).toBe(200);
    const body = view.json();
    expect(body.profile).toMatchObject({ id: holder.userId, name: '*四', tier: expect.any(String), frozen: false });
    expect(body.wallet).toMatchObject({ balance: 12_845, available: 12_845, currency: 'CNY', frozen: false });
    expect(body.movements.map((m: { amount: number }) => m.amount)).toEqual([500, 12_345]);
    expect(body.devices.length).toBeGreaterThanOrEqual(1);
    expect(body.restrictions).toEqual({ active: null, history: [] });

    expect((await as(staff.support, { url: `/api/v1/ops/customers/${holder.userId}?reveal=true` })).statusCode).toBe(
      403,
    );
    const revealed = await as(staff.kyc_reviewer, { url: `/api/v1/ops/customers/${holder.userId}?reveal=true` });
    expect(revealed.json().profile).toMatchObject({ name: '李四', phone: holder.phone, idNumber: holder.idNumber });
    const actions = await auditActions(holder.userId);
    expect(actions).toContain('ops.customer_viewed');
    expect(actions).toContain('ops.customer_pii_viewed');

    const page = await as(staff.support, { url: `/api/v1/ops/customers/${holder.userId}/movements?limit=1` });
    expect(page.json().items).toHaveLength(1);
    const next = await as(staff.support, {
      url: `/api/v1/ops/customers/${holder.userId}/movements?limit=1&beforeSeq=${page.json().nextBeforeSeq}`,
    });
    expect(next.json().items[0].amount).toBe(12_345);
  });
});

describe('freeze and unfreeze', () => {
  it('support freezes with a reason, only analysts and admins unfreeze, both audited by staff', async () => {
    const frozen = await as(staff.support, {
      method: 'POST',
      url: `/api/v1/ops/customers/${holder.userId}/freeze`,
      payload: { reason: 'caller reports lost phone' },
    });
    expect(frozen.statusCode, frozen.body).toBe(204);
    expect((await t.services.identity.profile(holder.userId))?.frozen).toBe(true);
    expect(
      (
        await as(staff.support, {
          method: 'POST',
          url: `/api/v1/ops/customers/${holder.userId}/freeze`,
          payload: { reason: 'again' },
        })
      ).json().code,
    ).toBe('ALREADY_FROZEN');
    expect(
      (
        await as(staff.support, {
          method: 'POST',
          url: `/api/v1/ops/customers/${holder.userId}/unfreeze`,
          payload: { reason: 'found it' },
        })
      ).statusCode,
    ).toBe(403);

    const lifted = await as(staff.risk_analyst, {
      method: 'POST',
      url: `/api/v1/ops/customers/${holder.userId}/unfreeze`,
      payload: { reason: 'holder verified at branch' },
    });
    expect(lifted.statusCode, lifted.body).toBe(204);
    expect((await t.services.identity.profile(holder.userId))?.frozen).toBe(false);
    expect(
      (
        await as(staff.admin, {
          method: 'POST',
          url: `/api/v1/ops/customers/${holder.userId}/unfreeze`,
          payload: { reason: 'again please' },
        })
      ).json().code,
    ).toBe('NOT_FROZEN');

    const trail = await t.services.audit.find({ subjectId: holder.userId, actionPrefix: 'user.' });
    expect(trail.find((entry) => entry.action === 'user.frozen')).toMatchObject({
      actorKind: 'staff',
      actorId: staff.support.id,
    });
    expect(trail.find((entry) => entry.action === 'user.unfrozen')).toMatchObject({
      actorKind: 'staff',
      actorId: staff.risk_analyst.id,
      details: { reason: 'holder verified at branch' },
    });
  });
});

describe('theft cases', () => {
  it('lists a reported theft with its attached movements, and closes it once', async () => {
    const reported = await as(holder, { method: 'POST', url: '/api/v1/me/report-theft' });
    expect(reported.statusCode, reported.body).toBe(201);
    const caseId = reported.json().caseId;

    const list = await as(staff.support, { url: '/api/v1/ops/cases?status=open' });
    expect(list.json().items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: caseId, userId: holder.userId, status: 'open', kind: 'theft' }),
      ]),
    );
    const detail = await as(staff.support, { url: `/api/v1/ops/cases/${caseId}` });
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.json().holder).toMatchObject({ id: holder.userId, name: '*四', frozen: true });
    expect(detail.json().movements.map((m: { amount: number }) => m.amount)).toEqual([500, 12_345]);

    expect(
      (await as(staff.support, { method: 'POST', url: `/api/v1/ops/cases/${caseId}/close`, payload: { note: 'done' } }))
        .statusCode,
    ).toBe(403);
    expect(
      (
        await as(staff.risk_analyst, {
          method: 'POST',
          url: `/api/v1/ops/cases/${caseId}/close`,
          payload: { note: 'holder confirmed the movements' },
        })
      ).statusCode,
    ).toBe(204);
    expect(
      (
        await as(staff.admin, {
          method: 'POST',
          url: `/api/v1/ops/cases/${caseId}/close`,
          payload: { note: 'once more' },
        })
      ).json().code,
    ).toBe('CASE_ALREADY_CLOSED');
    expect((await as(staff.support, { url: '/api/v1/ops/cases?status=closed' })).json().items[0]).toMatchObject({
      id: caseId,
      status: 'closed',
    });
    expect(await auditActions(caseId)).toEqual(
      expect.arrayContaining(['case.closed', 'ops.case_viewed', 'user.theft_reported']),
    );
  });
});

describe('maintenance', () => {
  it('an admin schedules a window that holders see, then ends it early', async () => {
    const scheduled = await as(staff.admin, {
      method: 'POST',
      url: '/api/v1/ops/maintenance',
      payload: {
        feature: 'transfers',
        startsAt: new Date(Date.now() - 1000).toISOString(),
        endsAt: later(60),
        titleZh: '转账升级',
        titleEn: 'Transfers upgrade',
        messageZh: '转账暂停一小时',
        messageEn: 'Transfers pause for an hour',
      },
    });
    expect(scheduled.statusCode, scheduled.body).toBe(201);
    const window = scheduled.json();
    expect(window).toMatchObject({ feature: 'transfers', active: true, createdBy: staff.admin.id });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const announced = (
      await t.app.inject({ url: '/api/v1/announcements', headers: { 'accept-language': 'en' } })
    ).json().items;
    expect(announced).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: window.id, title: 'Transfers upgrade', active: true })]),
    );
    expect(
      (await as(staff.support, { url: '/api/v1/ops/maintenance' })).json().items.map((w: { id: string }) => w.id),
    ).toContain(window.id);

    const ended = await as(staff.admin, { method: 'POST', url: `/api/v1/ops/maintenance/${window.id}/end` });
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json().endedEarlyAt).not.toBeNull();
    expect(
      (await as(staff.admin, { method: 'POST', url: `/api/v1/ops/maintenance/${window.id}/end` })).json().code,
    ).toBe('MAINTENANCE_WINDOW_NOT_FOUND');
    expect(await auditActions(window.id)).toEqual(
      expect.arrayContaining(['maintenance.scheduled', 'maintenance.ended_early']),
    );
  });
});

describe('audit search', () => {
  it('filters by actor, action prefix and time, and pages by cursor', async () => {
    const first = await as(staff.admin, {
      url: `/api/v1/ops/audit?actorId=${staff.support.id}&actionPrefix=ops.&limit=2`,
    });
    expect(first.statusCode, first.body).toBe(200);
    const page1 = first.json();
    expect(page1.items).toHaveLength(2);
    expect(
      page1.items.every(
        (entry: { actorId: string; action: string }) =>
          entry.actorId === staff.support.id && entry.action.startsWith('ops.'),
      ),
    ).toBe(true);
    const second = (
      await as(staff.admin, {
        url: `/api/v1/ops/audit?actorId=${staff.support.id}&actionPrefix=ops.&limit=2&cursor=${page1.nextCursor}`,
      })
    ).json();
    expect(second.items[0].seq).toBeLessThan(page1.items[1].seq);
    expect((await as(staff.admin, { url: `/api/v1/ops/audit?from=${later(60)}` })).json().items).toEqual([]);
    const searched = await t.services.audit.find({ actorId: staff.admin.id, action: 'ops.audit_searched' });
    expect(searched.length).toBeGreaterThanOrEqual(3);
  });
});

describe('bad input', () => {
  const cases: [string, InjectOptions][] = [
    [
      'both phone and ID number',
      {
        method: 'POST',
        url: '/api/v1/ops/customers/search',
        payload: { phone: '13900000000', idNumber: '110101199003071233' },
      },
    ],
    ['neither phone nor ID number', { method: 'POST', url: '/api/v1/ops/customers/search', payload: {} }],
    ['a malformed phone', { method: 'POST', url: '/api/v1/ops/customers/search', payload: { phone: '12345abcde' } }],
    [
      'a malformed ID number',
      { method: 'POST', url: '/api/v1/ops/customers/search', payload: { idNumber: '11010119900307123Z' } },
    ],
    ['an unknown body field', { method: 'POST', url: '/api/v1/ops/customers/search', payload: { name: 'zhang' } }],
    ['a lookup in the query string (no longer served)', { url: '/api/v1/ops/customers?phone=13900000000' }],
    ['a huge page', { url: '/api/v1/ops/cases?limit=1000' }],
    ['a bad movements cursor', { url: '/api/v1/ops/customers/usr_x/movements?beforeSeq=-1' }],
    ['a bad audit cursor', { url: '/api/v1/ops/audit?cursor=abc' }],
    ['a bad audit time', { url: '/api/v1/ops/audit?from=yesterday' }],
    ['a missing reason', { method: 'POST', url: '/api/v1/ops/customers/usr_x/freeze', payload: {} }],
    ['a short reason', { method: 'POST', url: '/api/v1/ops/customers/usr_x/freeze', payload: { reason: 'x' } }],
    [
      'an unknown feature',
      {
        method: 'POST',
        url: '/api/v1/ops/maintenance',
        payload: {
          feature: 'coffee',
          startsAt: later(1),
          endsAt: later(2),
          titleZh: 'a',
          titleEn: 'a',
          messageZh: 'a',
          messageEn: 'a',
        },
      },
    ],
    [
      'an end before the start',
      {
        method: 'POST',
        url: '/api/v1/ops/maintenance',
        payload: {
          feature: 'all',
          startsAt: later(10),
          endsAt: later(5),
          titleZh: 'a',
          titleEn: 'a',
          messageZh: 'a',
          messageEn: 'a',
        },
      },
    ],
    [
      'a window in the past',
      {
        method: 'POST',
        url: '/api/v1/ops/maintenance',
        payload: {
          feature: 'all',
          startsAt: later(-20),
          endsAt: later(-10),
          titleZh: 'a',
          titleEn: 'a',
          messageZh: 'a',
          messageEn: 'a',
        },
      },
    ],
    [
      'a missing title',
      {
        method: 'POST',
        url: '/api/v1/ops/maintenance',
        payload: { feature: 'all', startsAt: later(1), endsAt: later(2), titleZh: 'a', messageZh: 'a', messageEn: 'a' },
      },
    ],
    [
      'a string for a JSON body',
      {
        method: 'POST',
        url: '/api/v1/ops/customers/usr_x/freeze',
        payload: '"freeze"',
        headers: { 'content-type': 'application/json' },
      },
    ],
  ];
  for (const [name, request] of cases) {
    it(`answers ${name} with a 4xx problem`, async () => {
      const answer = await as(staff.admin, request);
      expect(answer.statusCode, answer.body).toBeGreaterThanOrEqual(400);
      expect(answer.statusCode).toBeLessThan(500);
      expect(answer.headers['content-type']).toContain('application/problem+json');
      expect(answer.json().code).toMatch(/^[A-Z_]+$/);
    });
  }
});

describe('sign-out', () => {
  it('ends the staff session', async () => {
    const member = await signedInStaff(t, ['support']);
    expect((await as(member, { method: 'POST', url: '/api/v1/ops/logout' })).statusCode).toBe(204);
    expect((await as(member, { url: '/api/v1/ops/permissions' })).statusCode).toBe(401);
  });
});
