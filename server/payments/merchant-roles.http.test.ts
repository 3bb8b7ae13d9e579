import Fastify, { type InjectOptions, type LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import {
  MERCHANT_PASSWORD,
  activeMerchant,
  merchantMoneyHeaders,
  merchantSignIn,
  merchantStaff,
  pay,
  type TestMerchant,
} from '../../test/payment-factories.js';
import { newPhone } from '../../test/identity-factories.js';
import { balanceOf, walletHolder } from '../../test/transfer-factories.js';
import type { RouteAccess } from '../platform/http/auth.js';
import { manualClock } from '../platform/clock.js';
import {
  CASHIER_REFUND_LIMIT_FEN,
  MERCHANT_PERMISSIONS,
  MERCHANT_ROLES,
  type MerchantPermission,
  type MerchantRole,
  guardMerchantRoutes,
  may,
  rolesThatMay,
} from './merchant-roles.js';
import { REAUTH_LOCK_MS } from './staff-reauth.js';

/**
 * The merchant side's authorization matrix: every registered /api/v1/merchant/... route declares a
 * permission of merchant-roles.ts, and each staff role (owner, manager, cashier) is let through to
 * exactly the routes its role may use and refused (403 FORBIDDEN) on the others. Then the rules a
 * route cannot express alone: the cashier's refund cap, today's payments only, and the password
 * that confirms a refund.
 */

const clock = manualClock('2026-11-23T02:00:00Z'); // 10:00 in Shanghai
let t: TestApp;
let shop: TestMerchant;
type Staff = Awaited<ReturnType<typeof merchantStaff>>;
const staff = {} as Record<MerchantRole, Staff>;

beforeAll(async () => {
  t = await createTestApp({ clock });
  shop = await activeMerchant(t, { name: '角色测试小店' });
  for (const role of MERCHANT_ROLES) staff[role] = await merchantStaff(t, shop, role);
});
afterAll(async () => t?.close());

const merchantRoutes = () =>
  (t.app.routeAccess as RouteAccess[]).filter((route) => route.url.startsWith('/api/v1/merchant/') && route.auth);
const PLACEHOLDER_ID = 'x_0000000000000000000000000';
const concrete = (url: string) => url.replace(/:format\b/, 'png').replace(/:[A-Za-z]+/g, PLACEHOLDER_ID);
const codeOf = (response: LightMyRequestResponse) =>
  String(response.headers['content-type'] ?? '').includes('json') ? response.json().code : undefined;

describe('every merchant route declares what it needs', () => {
  it('takes its roles from one permission of the table', () => {
    const routes = merchantRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(15);
    const undeclared = routes
      .filter((route) => !MERCHANT_PERMISSIONS.includes(route.permission as MerchantPermission))
      .map((route) => `${route.method} ${route.url}`);
    expect(undeclared).toEqual([]);
    for (const route of routes) {
      expect(route.auth, route.url).toEqual(['merchant']);
      expect(route.roles, route.url).toEqual(rolesThatMay(route.permission as MerchantPermission));
    }
  });

  it('refuses to register a merchant route that declares no permission, or other roles than the table', async () => {
    const app = Fastify();
    guardMerchantRoutes(app);
    expect(() => app.get('/api/v1/merchant/forgotten', { config: { auth: ['merchant'] } }, async () => ({}))).toThrow(
      /declares no merchant permission/,
    );
    expect(() =>
      app.get(
        '/api/v1/merchant/skewed',
        { config: { auth: ['merchant'], roles: ['cashier'], permission: 'reports' } },
        async () => ({}),
      ),
    ).toThrow(/merchantAccess\('reports'\)/);
    app.get(
      '/api/v1/merchant/declared',
      { config: { auth: ['merchant'], roles: ['owner', 'manager'], permission: 'reports' } },
      async () => ({}),
    );
    await app.close();
  });

  it(
    'writes the table as the issue asks: cashiers charge and see today, owners and managers report, owners manage ' +
      'staff',
    () => {
      expect(MERCHANT_ROLES.filter((role) => may(role, 'charge'))).toEqual(['owner', 'manager', 'cashier']);
      expect(rolesThatMay('reports')).toEqual(['owner', 'manager']);
      expect(rolesThatMay('refund.large')).toEqual(['owner', 'manager']);
      expect(rolesThatMay('staff.manage')).toEqual(['owner']);
      expect(rolesThatMay('settings')).toEqual(['owner']);
      expect(may('cashier', 'payments.history')).toBe(false);
      expect(may('intruder', 'session')).toBe(false);
    },
  );
});

describe('authorization matrix: each staff role against each merchant route', () => {
  async function call(route: RouteAccess, member: Staff): Promise<LightMyRequestResponse> {
    // Signing out ends the session it is called with: that call gets a session of its own.
    const auth = route.url.endsWith('/auth/logout') ? await member.fresh() : member.auth;
    const writes = !['GET', 'DELETE'].includes(route.method);
    return t.app.inject({
      method: route.method as InjectOptions['method'],
      url: concrete(route.url),
      headers: { ...auth, 'idempotency-key': `matrix-${Math.random()}` },
      ...(writes ? { payload: {} } : {}),
    });
  }

  it.each(MERCHANT_ROLES)('lets %s through to exactly the routes its role may use', async (role) => {
    const wrong: string[] = [];
    let allowed = 0;
    let refused = 0;
    for (const route of merchantRoutes()) {
      const permitted = may(role, route.permission as MerchantPermission);
      // The live stream never ends on its own (live.http.test.ts reads it over a socket).
      if (permitted && route.url.endsWith('/payments/stream')) continue;
      const response = await call(route, staff[role]);
      if (permitted) {
        allowed++;
        if ([401, 403].includes(response.statusCode) || response.statusCode >= 500)
          wrong.push(`${route.method} ${route.url}: ${response.statusCode} ${codeOf(response)}`);
      } else {
        refused++;
        if (response.statusCode !== 403 || codeOf(response) !== 'FORBIDDEN')
          wrong.push(`${route.method} ${route.url}: ${response.statusCode} ${codeOf(response)} (should be refused)`);
      }
    }
    expect(wrong).toEqual([]);
    expect(allowed).toBeGreaterThan(8);
    // Cashier: the CSV, payouts, the three staff routes and the four API key routes; manager: the
    // staff and API key routes.
    expect(refused).toBe({ owner: 0, manager: 19, cashier: 23 }[role]);
  });

  it('tells each role what it may do, for the merchant pages', async () => {
    for (const role of MERCHANT_ROLES) {
      const me = await t.app.inject({ url: '/api/v1/merchant/me', headers: staff[role].auth });
      expect(me.statusCode, me.body).toBe(200);
      expect(me.json()).toMatchObject({ role, cashierRefundLimit: Number(CASHIER_REFUND_LIMIT_FEN) });
      expect(me.json().permissions.includes('reports')).toBe(role !== 'cashier');
      expect(me.json().permissions.includes('staff.manage')).toBe(role === 'owner');
      // The settlement balance is for the roles that see payouts.
      expect(typeof me.json().balance).toBe(role === 'cashier' ? 'undefined' : 'number');
    }
  });
});

const refund = (member: Staff, paymentId: string, amount: number, password = MERCHANT_PASSWORD) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/merchant/payments/${paymentId}/refunds`,
    headers: { ...member.auth, 'idempotency-key': `rf-${Math.random()}` },
    payload: { amount, password },
  });

async function paidToday(amount: number) {
  const payer = await walletHolder(t, { balanceFen: 100_000n });
  const paid = await pay(t, payer, { merchantNumber: shop.merchantNumber, amount });
  expect(paid.statusCode, paid.body).toBe(200);
  return { payer, paymentId: paid.json().id as string };
}

describe("the reviewer's scenario: a cashier refunds ¥80 in full and downloads the CSV", () => {
  it('refuses the cashier both, and moves nothing', async () => {
    const { payer, paymentId } = await paidToday(8_000);
    const before = await balanceOf(t, payer.walletId);
    const refused = await refund(staff.cashier, paymentId, 8_000);
    expect(refused.statusCode, refused.body).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'REFUND_ABOVE_ROLE_LIMIT', limitFen: 5_000, alreadyRefundedFen: 0 });
    expect(await balanceOf(t, payer.walletId)).toBe(before);
    const payment = await t.app.inject({ url: `/api/v1/merchant/payments/${paymentId}`, headers: staff.cashier.auth });
    expect(payment.json().refundedAmount).toBe(0);

    const csv = await t.app.inject({
      url: '/api/v1/merchant/reports/payments.csv?from=2026-11-23&to=2026-11-23',
      headers: staff.cashier.auth,
    });
    expect(csv.statusCode).toBe(403);
    expect(csv.json().code).toBe('FORBIDDEN');
    expect(csv.body).not.toContain(paymentId);
  });

  it('lets a manager do both', async () => {
    const { payer, paymentId } = await paidToday(8_000);
    const before = await balanceOf(t, payer.walletId);
    const done = await refund(staff.manager, paymentId, 8_000);
    expect(done.statusCode, done.body).toBe(201);
    expect(await balanceOf(t, payer.walletId)).toBe(before + 8_000n);
    const csv = await t.app.inject({
      url: '/api/v1/merchant/reports/payments.csv?from=2026-11-23&to=2026-11-23',
      headers: staff.manager.auth,
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain(paymentId);
  });
});

describe("the cashier's refund cap (¥50 a payment)", () => {
  it('allows exactly the cap, and not a fen more in total, however it is split', async () => {
    const { payer, paymentId } = await paidToday(8_000);
    const before = await balanceOf(t, payer.walletId);
    const atCap = await refund(staff.cashier, paymentId, Number(CASHIER_REFUND_LIMIT_FEN));
    expect(atCap.statusCode, atCap.body).toBe(201);
    const oneMore = await refund(staff.cashier, paymentId, 1);
    expect(oneMore.statusCode).toBe(403);
    expect(oneMore.json()).toMatchObject({ code: 'REFUND_ABOVE_ROLE_LIMIT', alreadyRefundedFen: 5_000 });
    expect(await balanceOf(t, payer.walletId)).toBe(before + 5_000n);

    const split = await paidToday(8_000);
    expect((await refund(staff.cashier, split.paymentId, 3_000)).statusCode).toBe(201);
    expect((await refund(staff.cashier, split.paymentId, 2_001)).json().code).toBe('REFUND_ABOVE_ROLE_LIMIT');
    expect((await refund(staff.cashier, split.paymentId, 2_000)).statusCode).toBe(201);
    // The owner refunds the rest.
    expect((await refund(staff.owner, split.paymentId, 3_000)).statusCode).toBe(201);
  });
});

describe('a cashier sees and refunds only today’s payments', () => {
  it('keeps yesterday’s payment from the cashier, not from the manager', async () => {
    clock.set('2026-11-22T03:00:00Z');
    const yesterday = await paidToday(1_000);
    clock.set('2026-11-23T02:00:00Z');
    const today = await paidToday(1_200);
    const ids = async (member: Staff, query = '') =>
      (await t.app.inject({ url: `/api/v1/merchant/payments?limit=100${query}`, headers: member.auth }))
        .json()
        .items.map((p: { id: string }) => p.id);

    expect(await ids(staff.cashier)).toContain(today.paymentId);
    expect(await ids(staff.cashier)).not.toContain(yesterday.paymentId);
    expect(await ids(staff.cashier, '&from=2026-11-01T00:00:00Z')).not.toContain(yesterday.paymentId);
    expect(
      (await t.app.inject({ url: `/api/v1/merchant/payments/${yesterday.paymentId}`, headers: staff.cashier.auth }))
        .statusCode,
    ).toBe(404);
    expect(
      (
        await t.app.inject({
          url: `/api/v1/merchant/payments/${yesterday.paymentId}/refunds`,
          headers: staff.cashier.auth,
        })
      ).statusCode,
    ).toBe(404);
    expect((await refund(staff.cashier, yesterday.paymentId, 100)).json().code).toBe('PAYMENT_NOT_FOUND');

    expect(await ids(staff.manager)).toContain(yesterday.paymentId);
    expect(
      (await t.app.inject({ url: `/api/v1/merchant/payments/${yesterday.paymentId}`, headers: staff.manager.auth }))
        .statusCode,
    ).toBe(200);
    expect((await refund(staff.manager, yesterday.paymentId, 100)).statusCode).toBe(201);
  });
});

describe('a refund is confirmed with the sign-in password', () => {
  it('refuses a missing or wrong password and moves nothing', async () => {
    const { payer, paymentId } = await paidToday(2_000);
    const before = await balanceOf(t, payer.walletId);
    const missing = await t.app.inject({
      method: 'POST',
      url: `/api/v1/merchant/payments/${paymentId}/refunds`,
      headers: merchantMoneyHeaders(shop),
      payload: { amount: 500 },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().code).toBe('VALIDATION_FAILED');
    const wrong = await refund(staff.owner, paymentId, 500, 'not-my-password-1');
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json()).toMatchObject({ code: 'REFUND_PASSWORD_INCORRECT', triesLeft: 4 });
    expect(await balanceOf(t, payer.walletId)).toBe(before);
    // A right password clears the count.
    expect((await refund(staff.owner, paymentId, 500)).statusCode).toBe(201);
    expect((await refund(staff.owner, paymentId, 500, 'not-my-password-2')).json().triesLeft).toBe(4);
    expect((await refund(staff.owner, paymentId, 500)).statusCode).toBe(201);
  });

  it('locks refunds after five wrong passwords, even for the right one, until the lock ends', async () => {
    const member = await merchantStaff(t, shop, 'manager');
    const { payer, paymentId } = await paidToday(2_000);
    const before = await balanceOf(t, payer.walletId);
    for (let i = 1; i <= 4; i++)
      expect((await refund(member, paymentId, 500, `guess-${i}-wrong`)).json()).toMatchObject({
        code: 'REFUND_PASSWORD_INCORRECT',
        triesLeft: 5 - i,
      });
    const fifth = await refund(member, paymentId, 500, 'guess-5-wrong');
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().code).toBe('REFUND_PASSWORD_LOCKED');
    expect(fifth.headers['retry-after']).toBe(String(REAUTH_LOCK_MS / 1000));
    expect((await refund(member, paymentId, 500)).json().code).toBe('REFUND_PASSWORD_LOCKED');
    // Another staff member is not locked out.
    expect((await refund(staff.owner, paymentId, 500)).statusCode).toBe(201);
    expect(await balanceOf(t, payer.walletId)).toBe(before + 500n);

    clock.advanceMs(REAUTH_LOCK_MS);
    const after = { ...member, auth: await member.fresh() }; // the idle session timed out meanwhile
    expect((await refund(after, paymentId, 500)).statusCode).toBe(201);
    clock.set('2026-11-23T02:00:00Z');
  });

  it('checks at most five guesses however many arrive at once', async () => {
    const member = await merchantStaff(t, shop, 'owner');
    const { paymentId } = await paidToday(2_000);
    const guesses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => refund(member, paymentId, 500, `parallel-guess-${i}`)),
    );
    const codes = guesses.map((response) => response.json().code);
    expect(codes.filter((code) => code === 'REFUND_PASSWORD_INCORRECT')).toHaveLength(4);
    expect(codes.filter((code) => code === 'REFUND_PASSWORD_LOCKED')).toHaveLength(6);
    const { rows } = await t.db.query<{ refunded_amount: bigint }>(
      'SELECT refunded_amount FROM payments WHERE id = $1',
      [paymentId],
    );
    expect(BigInt(rows[0].refunded_amount)).toBe(0n);
  });
});

describe('the owner manages the staff logins', () => {
  it('adds a cashier who can sign in, and turns the login off at once', async () => {
    const phone = newPhone();
    const added = await t.app.inject({
      method: 'POST',
      url: '/api/v1/merchant/staff',
      headers: staff.owner.auth,
      payload: { name: '小李', phone, password: 'counter-lantern-river-9', role: 'cashier' },
    });
    expect(added.statusCode, added.body).toBe(201);
    const cashier = await merchantSignIn(t, phone, 'counter-lantern-river-9');
    expect((await t.app.inject({ url: '/api/v1/merchant/me', headers: cashier })).json().role).toBe('cashier');
    const listed = await t.app.inject({ url: '/api/v1/merchant/staff', headers: staff.owner.auth });
    expect(listed.json().items).toContainEqual(
      expect.objectContaining({ id: added.json().id, role: 'cashier', active: true }),
    );

    const off = await t.app.inject({
      method: 'POST',
      url: `/api/v1/merchant/staff/${added.json().id}/deactivate`,
      headers: staff.owner.auth,
    });
    expect(off.statusCode, off.body).toBe(200);
    expect((await t.app.inject({ url: '/api/v1/merchant/me', headers: cashier })).statusCode).toBe(401);
  });

  it('cannot add an owner, turn an owner off, or touch another shop’s staff', async () => {
    const ownerRole = await t.app.inject({
      method: 'POST',
      url: '/api/v1/merchant/staff',
      headers: staff.owner.auth,
      payload: { name: '新店主', phone: newPhone(), password: 'counter-lantern-river-9', role: 'owner' },
    });
    expect(ownerRole.statusCode).toBe(400);
    const owner = await t.app.inject({
      method: 'POST',
      url: `/api/v1/merchant/staff/${staff.owner.staffId}/deactivate`,
      headers: staff.owner.auth,
    });
    expect(owner.json().code).toBe('MERCHANT_STAFF_PROTECTED');
    const elsewhere = await activeMerchant(t);
    const theirs = await merchantStaff(t, elsewhere, 'cashier');
    const foreign = await t.app.inject({
      method: 'POST',
      url: `/api/v1/merchant/staff/${theirs.staffId}/deactivate`,
      headers: staff.owner.auth,
    });
    expect(foreign.statusCode).toBe(404);
    expect((await t.app.inject({ url: '/api/v1/merchant/me', headers: theirs.auth })).statusCode).toBe(200);
  });
});
