import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteAccess } from '../server/platform/http/auth.js';
import { STAFF_ROLES, type StaffRole } from '../server/identity/staff.js';
import { createTestApp, type TestApp } from './app.js';
import { registerUser, type TestUser } from './identity-factories.js';
import { activeMerchant, merchantStaff } from './payment-factories.js';
import { SoftwareAuthenticator } from './webauthn-authenticator.js';

/**
 * The authorization matrix, in two parts.
 *
 * 1. Every route the app registers (read from `app.routeAccess`, so a new route of any domain is in
 *    the matrix the day it lands) is called by every kind of caller: nobody, a customer (bearer and
 *    cookie), bank staff of each role (bearer, and an admin by cookie), a merchant cashier (each
 *    merchant role has its own matrix in server/payments/merchant-roles.http.test.ts), and the operator. A caller the
 *    route's `auth` and `roles` do not admit must be refused with 401/403 before the handler runs;
 *    staff of an admitted role must get past authorization (the placeholder id or empty body then
 *    answers some other 4xx). Every /api route without `auth` must be listed in PUBLIC_ROUTES.
 *
 * 2. OWNED: resources that belong to one customer, attacked by another. Each row creates B's
 *    resource, lets A try every route on it, and checks that nothing of B's was seen or changed.
 *    Domains add their rows at the end of the table.
 */

/** Routes that are public on purpose (they authenticate by other means, or are sign-in itself). */
const PUBLIC_ROUTES = new Set([
  'GET /api/openapi.json',
  'GET /api/dev/outbox',
  'GET /api/v1/announcements',
  'POST /api/v1/auth/sms-codes',
  'POST /api/v1/auth/register',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/recover',
  // Forgot password by the verified e-mail: the same 202 whether or not a wallet exists (docs/support.md).
  'POST /api/v1/auth/email-codes',
  'POST /api/v1/auth/recover/email',
  // The hosted mandate page shows the shop and the caps before sign-in, like the checkout order page.
  'GET /api/v1/checkout/mandates/:id',
  // The development e-mail outbox, never registered in production (like /api/dev/outbox).
  'GET /api/dev/email-outbox',
  'POST /api/v1/auth/freeze',
  'POST /api/v1/auth/report-theft',
  'POST /api/v1/auth/passkey/options',
  'POST /api/v1/auth/passkey/login',
  'POST /api/v1/staff/auth/login',
  'POST /api/v1/merchant/auth/login',
  'POST /api/v1/merchant-applications',
  // The hosted pay page's view of a checkout order: found only by its unguessable id, no payer data.
  'GET /api/v1/checkout/orders/:id',
  // Signed by the card network, verified in the handler.
  'POST /api/v1/wallet/card-network/callbacks',
  // Development and test hooks of savings, never registered in production (like /api/dev/outbox).
  'POST /api/v1/dev/savings/clock',
  'POST /api/v1/dev/savings/fund-sandbox',
  // The credit sandboxes (card network, bureau) and the credit clock; absent in production.
  'POST /api/v1/dev/credit/card-network/purchases',
  'POST /api/v1/dev/credit/bureau',
  'POST /api/v1/dev/credit/run-day',
  // The bills sandbox issues this month's bills now: development only, like the savings hooks.
  'POST /api/dev/bills/issue',
  // Customer service's contact page and help centre: read before signing in (forgot password).
  'GET /api/v1/support/contact',
  'GET /api/v1/help/articles',
  'GET /api/v1/help/articles/:slug',
  // Signed by the interbank network (HMAC over the body, checked in the handler, like the card network's).
  'POST /api/v1/funding/interbank/notifications',
  // The interbank sandbox's controls (another bank sends a transfer; the network misbehaves): never
  // registered in production, like the savings and credit hooks.
  'POST /api/dev/interbank/transfers',
  'GET /api/dev/interbank/transfers',
  'POST /api/dev/interbank/deliver',
  'POST /api/dev/interbank/network',
]);

type CallerKind = 'user' | 'staff' | 'operator' | 'merchant';
interface Caller {
  name: string;
  kind: CallerKind | null;
  roles: readonly string[];
  /** Headers and cookies for one request (a fresh staff session each time: some routes sign out). */
  credentials(): Promise<Pick<InjectOptions, 'headers' | 'cookies'>>;
}

let t: TestApp;
let customer: TestUser;
const callers: Caller[] = [];

async function staffSession(role: StaffRole): Promise<{ token: string; csrfToken: string }> {
  const { rows } = await t.db.query<{ id: string }>(
    'SELECT id FROM staff WHERE $1 = ANY(roles) AND array_length(roles, 1) = 1 LIMIT 1',
    [role],
  );
  return t.services.identity.sessions.start('staff', rows[0].id, {
    deviceId: null,
    ip: '10.9.9.9',
    userAgent: 'matrix',
  });
}

beforeAll(async () => {
  t = await createTestApp();
  customer = await registerUser(t);
  const web = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { phone: customer.phone, password: customer.password, deviceId: customer.deviceId },
  });
  const customerCookie = {
    cookies: { tb_session: web.cookies.find((c) => c.name === 'tb_session')?.value as string },
    headers: { 'x-csrf-token': web.json().csrfToken },
  };
  for (const [i, role] of STAFF_ROLES.entries()) {
    const created = await t.services.identity.staff.create({
      phone: `1360000${String(2000 + i)}`,
      name: `matrix ${role}`,
      password: 'matrix-staff-password-42',
      roles: [role],
    });
    if (!created.ok) throw new Error(created.error.code);
  }
  const shop = await activeMerchant(t);
  const merchantCashier = await merchantStaff(t, shop, 'cashier');
  callers.push(
    { name: 'nobody', kind: null, roles: [], credentials: async () => ({}) },
    {
      name: 'merchant cashier (bearer)',
      kind: 'merchant',
      roles: ['cashier'],
      credentials: async () => ({ headers: await merchantCashier.fresh() }),
    },
    { name: 'customer (bearer)', kind: 'user', roles: [], credentials: async () => ({ headers: customer.auth }) },
    { name: 'customer (cookie)', kind: 'user', roles: [], credentials: async () => customerCookie },
    { name: 'operator', kind: 'operator', roles: [], credentials: async () => ({ headers: t.operator }) },
    ...STAFF_ROLES.map((role): Caller => ({
      name: `staff ${role} (bearer)`,
      kind: 'staff',
      roles: [role],
      credentials: async () => ({ headers: { authorization: `Bearer ${(await staffSession(role)).token}` } }),
    })),
    {
      name: 'staff admin (cookie)',
      kind: 'staff',
      roles: ['admin'],
      credentials: async () => {
        const session = await staffSession('admin');
        return { cookies: { tb_staff_session: session.token }, headers: { 'x-csrf-token': session.csrfToken } };
      },
    },
  );
});
afterAll(async () => t?.close());

const PLACEHOLDER_ID = 'x_0000000000000000000000000';
const concrete = (url: string) => url.replace(/:format\b/, 'png').replace(/:[A-Za-z]+/g, PLACEHOLDER_ID);

function admits(route: RouteAccess, caller: Caller): boolean {
  if (!route.auth) return true;
  if (!caller.kind || !route.auth.includes(caller.kind)) return false;
  return !route.roles || route.roles.some((role) => caller.roles.includes(role));
}

async function call(route: RouteAccess, caller: Caller): Promise<LightMyRequestResponse> {
  const credentials = await caller.credentials();
  const writes = !['GET', 'DELETE'].includes(route.method);
  return t.app.inject({
    method: route.method as InjectOptions['method'],
    url: concrete(route.url),
    headers: { 'idempotency-key': `matrix-${Math.random()}`, ...(credentials.headers ?? {}) },
    cookies: credentials.cookies,
    ...(writes ? { payload: {} } : {}),
  });
}

const apiRoutes = () => (t.app.routeAccess as RouteAccess[]).filter((route) => route.url.startsWith('/api/'));

describe('authorization matrix: every route against every kind of caller', () => {
  it('lists every public API route on purpose', () => {
    const unlisted = apiRoutes()
      .filter((route) => !route.auth)
      .map((route) => `${route.method} ${route.url}`)
      .filter((key) => !PUBLIC_ROUTES.has(key));
    expect(unlisted).toEqual([]);
  });

  it('refuses every caller a route does not admit, before its handler runs', async () => {
    const leaks: string[] = [];
    let checked = 0;
    for (const route of apiRoutes().filter((r) => r.auth)) {
      for (const caller of callers.filter((c) => !admits(route, c))) {
        checked++;
        const response = await call(route, caller);
        const code = String(response.headers['content-type'] ?? '').includes('json') ? response.json().code : undefined;
        if (![401, 403].includes(response.statusCode) || !['UNAUTHENTICATED', 'FORBIDDEN'].includes(code)) {
          leaks.push(`${caller.name} → ${route.method} ${route.url}: ${response.statusCode} ${code}`);
        }
      }
    }
    expect(leaks).toEqual([]);
    expect(checked).toBeGreaterThan(callers.length * 10);
    // Every route times every caller: on a busy machine this takes longer than the default minute.
  }, 180_000);

  it('lets each staff role through to exactly the staff routes its role admits', async () => {
    const wrong: string[] = [];
    const staffRoutes = apiRoutes().filter((route) => route.auth?.includes('staff'));
    expect(staffRoutes.length).toBeGreaterThan(0);
    for (const route of staffRoutes) {
      for (const caller of callers.filter((c) => c.kind === 'staff' && admits(route, c))) {
        const response = await call(route, caller);
        if ([401, 403].includes(response.statusCode) || response.statusCode >= 500)
          wrong.push(
            `${caller.name} → ${route.method} ${route.url}: ${response.statusCode} ${response.body.slice(0, 120)}`,
          );
      }
    }
    expect(wrong).toEqual([]);
  });
});

// ---- Part 2: customer A against customer B's resources ----

interface Owned {
  name: string;
  /** Creates B's resource; returns its id. */
  create(b: TestUser): Promise<string>;
  /** A's attempts on it: each must be refused as not found (or do nothing). */
  attempts(a: TestUser, id: string): Promise<LightMyRequestResponse>[];
  /** B's resource is still there and unchanged. */
  intact(b: TestUser, id: string): Promise<void>;
}

const as = (user: TestUser, options: InjectOptions) =>
  t.app.inject({ ...options, headers: { ...user.auth, ...(options.headers ?? {}) } });
const fakeAssertion = () => {
  const bytes = Buffer.alloc(32, 1).toString('base64url');
  return {
    id: bytes,
    rawId: bytes,
    type: 'public-key',
    clientExtensionResults: {},
    response: { clientDataJSON: bytes, authenticatorData: bytes, signature: bytes },
  };
};

const OWNED: Owned[] = [
  {
    name: 'a session',
    create: async (b) => (await as(b, { url: '/api/v1/me/sessions' })).json().items[0].id,
    attempts: (a, id) => [as(a, { method: 'DELETE', url: `/api/v1/me/sessions/${id}` })],
    intact: async (b) => {
      expect((await as(b, { url: '/api/v1/me' })).statusCode).toBe(200);
    },
  },
  {
    name: 'a payment confirmation',
    create: async (b) =>
      (
        await t.services.identity.confirmations.create(b.userId, {
          reference: `matrix-${b.userId}`,
          amountFen: 5_000n,
          currency: 'CNY',
          payee: 'wallet:138****0000',
        })
      ).id,
    attempts: (a, id) => [
      as(a, { url: `/api/v1/confirmations/${id}` }),
      as(a, { method: 'POST', url: `/api/v1/confirmations/${id}/pin`, payload: { pin: '135792' } }),
      as(a, { method: 'POST', url: `/api/v1/confirmations/${id}/passkey/options` }),
      as(a, { method: 'POST', url: `/api/v1/confirmations/${id}/passkey`, payload: { response: fakeAssertion() } }),
    ],
    intact: async (b, id) => {
      const mine = await as(b, { url: `/api/v1/confirmations/${id}` });
      expect(mine.json()).toMatchObject({ status: 'pending' });
      const { rows } = await t.db.query<{ failures: number }>(
        'SELECT failures FROM payment_confirmations WHERE id = $1',
        [id],
      );
      expect(rows[0].failures).toBe(0);
    },
  },
  {
    name: 'a notification',
    create: async (b) => {
      await t.services.notifications.notify(b.userId, {
        kind: 'test.matrix',
        titleZh: '测试',
        titleEn: 'Test',
        bodyZh: '只给B',
        bodyEn: 'For B only',
      });
      return (await as(b, { url: '/api/v1/notifications' }))
        .json()
        .items.find((n: { kind: string }) => n.kind === 'test.matrix').id;
    },
    attempts: (a, id) => [
      as(a, { method: 'POST', url: '/api/v1/notifications/read', payload: { ids: [id] } }),
      as(a, { url: '/api/v1/notifications' }),
    ],
    intact: async (b, id) => {
      const mine = (await as(b, { url: '/api/v1/notifications' }))
        .json()
        .items.find((n: { id: string }) => n.id === id);
      expect(mine.read).toBe(false);
    },
  },
  {
    name: 'a passkey',
    create: async (b) => {
      const options = await as(b, {
        method: 'POST',
        url: '/api/v1/me/passkeys/registration-options',
        payload: { password: b.password },
      });
      return (
        await as(b, {
          method: 'POST',
          url: '/api/v1/me/passkeys',
          payload: { name: 'B key', response: new SoftwareAuthenticator().create(options.json()) },
        })
      ).json().id;
    },
    attempts: (a, id) => [
      as(a, { method: 'PATCH', url: `/api/v1/me/passkeys/${id}`, payload: { name: 'stolen' } }),
      as(a, { method: 'DELETE', url: `/api/v1/me/passkeys/${id}` }),
      as(a, { url: '/api/v1/me/passkeys' }),
    ],
    intact: async (b, id) => {
      expect((await as(b, { url: '/api/v1/me/passkeys' })).json().items).toEqual([
        expect.objectContaining({ id, name: 'B key' }),
      ]);
    },
  },
  {
    name: 'an insights budget',
    create: async (b) =>
      (
        await as(b, { method: 'PUT', url: '/api/v1/insights/budgets', payload: { category: 'dining', amount: 50_000 } })
      ).json().id,
    attempts: (a, id) => [
      as(a, { method: 'DELETE', url: `/api/v1/insights/budgets/${id}` }),
      as(a, { url: '/api/v1/insights/budgets' }),
    ],
    intact: async (b, id) => {
      const mine = (await as(b, { url: '/api/v1/insights/budgets' })).json().items;
      expect(mine).toEqual([expect.objectContaining({ id, amount: 50_000 })]);
    },
  },
  {
    name: 'an insights rule',
    create: async (b) =>
      (
        await as(b, { method: 'POST', url: '/api/v1/insights/rules', payload: { match: '*三', category: 'housing' } })
      ).json().id,
    attempts: (a, id) => [
      as(a, { method: 'DELETE', url: `/api/v1/insights/rules/${id}` }),
      as(a, { url: '/api/v1/insights/rules' }),
    ],
    intact: async (b, id) => {
      expect((await as(b, { url: '/api/v1/insights/rules' })).json().items).toEqual([expect.objectContaining({ id })]);
    },
  },
  {
    name: 'a support ticket',
    create: async (b) =>
      (
        await as(b, {
          method: 'POST',
          url: '/api/v1/support/tickets',
          payload: { category: 'other', subject: 'B only', text: 'for B' },
        })
      ).json().id,
    attempts: (a, id) => [
      as(a, { url: `/api/v1/support/tickets/${id}` }),
      as(a, { method: 'POST', url: `/api/v1/support/tickets/${id}/messages`, payload: { text: 'from A' } }),
      as(a, { method: 'POST', url: `/api/v1/support/tickets/${id}/withdraw` }),
      as(a, { method: 'POST', url: `/api/v1/support/tickets/${id}/rating`, payload: { score: 1 } }),
      as(a, { method: 'POST', url: `/api/v1/support/tickets/${id}/read` }),
      as(a, { url: `/api/v1/support/tickets/${id}/events` }),
      as(a, { url: '/api/v1/support/tickets' }),
    ],
    intact: async (b, id) => {
      const mine = (await as(b, { url: `/api/v1/support/tickets/${id}` })).json();
      expect(mine.ticket.status).toBe('open');
      expect(mine.messages).toHaveLength(1);
    },
  },
];

describe('authorization matrix: customer A against customer B', () => {
  let a: TestUser;
  let b: TestUser;
  beforeAll(async () => {
    a = await registerUser(t);
    b = await registerUser(t);
  });

  it.each(OWNED.map((row) => [row.name, row] as const))('A can neither see nor touch B’s %s', async (_name, row) => {
    const id = await row.create(b);
    expect(id).toBeTruthy();
    for (const response of await Promise.all(row.attempts(a, id))) {
      if (response.statusCode < 300) {
        // A list or a bulk write scoped to A: B's resource must not appear in it or be counted.
        expect(response.body).not.toContain(id);
        if (typeof response.json().marked === 'number') expect(response.json().marked).toBe(0);
      } else {
        expect(response.statusCode).toBe(404);
      }
    }
    await row.intact(b, id);
  });
});
