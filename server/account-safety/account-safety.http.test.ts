import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { registerUser, requestCode, type TestUser } from '../../test/identity-factories.js';
import { manualClock } from '../platform/clock.js';

const clock = manualClock('2026-11-23T02:00:00Z');
let t: TestApp;
let bankId: string;
beforeAll(async () => {
  t = await createTestApp({ clock });
  bankId = (await t.services.ledger.createAccount({ kind: 'bank_clearing', currency: 'CNY' })).id;
});
afterAll(async () => t?.close());

let seq = 0;
const ref = (label: string) => `safety-test-${process.pid}-${label}-${++seq}`;
const post = (url: string, user: Pick<TestUser, 'auth'> | null, payload: Record<string, unknown> = {}) =>
  t.app.inject({ method: 'POST', url, headers: user?.auth ?? {}, payload });
const me = (user: Pick<TestUser, 'auth'>) => t.app.inject({ url: '/api/v1/me', headers: user.auth });

async function walletOf(user: TestUser): Promise<string> {
  return (await me(user)).json().walletAccountId;
}

async function fund(user: TestUser, amountFen: bigint) {
  const funded = await t.services.ledger.transfer({
    reference: ref('fund'),
    currency: 'CNY',
    legs: [{ debitAccountId: bankId, creditAccountId: await walletOf(user), amountFen }],
    limitExempt: true,
  });
  expect(funded.ok).toBe(true);
}

const payOut = async (user: TestUser, amountFen: bigint) =>
  t.services.ledger.transfer({
    reference: ref('pay'),
    currency: 'CNY',
    legs: [{ debitAccountId: await walletOf(user), creditAccountId: bankId, amountFen }],
  });

async function kinds(user: TestUser): Promise<string[]> {
  return (await t.app.inject({ url: '/api/v1/notifications?limit=50', headers: user.auth }))
    .json()
    .items.map((n: { kind: string }) => n.kind);
}

describe('freeze, unfreeze and theft', () => {
  it('freezes at once so money cannot leave; unfreezing needs SMS code, password and ID number', async () => {
    const user = await registerUser(t);
    await fund(user, 50_000n);
    expect((await post('/api/v1/me/freeze', user)).statusCode).toBe(204);
    expect((await payOut(user, 1_000n)).ok).toBe(false);
    expect(await payOut(user, 1_000n)).toMatchObject({ ok: false, error: { code: 'ACCOUNT_FROZEN' } });
    expect((await post('/api/v1/me/freeze', user)).json().code).toBe('ALREADY_FROZEN');
    expect((await me(user)).json().frozen).toBe(true);

    const code = await requestCode(t, user.phone, 'unfreeze');
    expect(
      (
        await post('/api/v1/me/unfreeze', user, {
          smsCode: code,
          password: 'wrong-password-9',
          idNumber: user.idNumber,
        })
      ).json().code,
    ).toBe('IDENTITY_MISMATCH');
    const again = await requestCode(t, user.phone, 'unfreeze');
    expect(
      (await post('/api/v1/me/unfreeze', user, { smsCode: again, password: user.password, idNumber: user.idNumber }))
        .statusCode,
    ).toBe(204);
    expect((await payOut(user, 1_000n)).ok).toBe(true);
    expect(await kinds(user)).toEqual(expect.arrayContaining(['security.frozen', 'security.unfrozen']));
  });

  it('freezes with only an SMS code when the phone is lost', async () => {
    const user = await registerUser(t);
    const code = await requestCode(t, user.phone, 'freeze');
    expect((await post('/api/v1/auth/freeze', null, { phone: user.phone, smsCode: code })).statusCode).toBe(204);
    expect((await me(user)).json().frozen).toBe(true);
  });

  it('reports theft: frozen, signed out everywhere, holds voided, a case with recent movements', async () => {
    const user = await registerUser(t);
    await fund(user, 80_000n);
    expect((await payOut(user, 2_000n)).ok).toBe(true);
    const hold = await t.services.ledger.hold({
      reference: ref('hold'),
      currency: 'CNY',
      debitAccountId: await walletOf(user),
      creditAccountId: bankId,
      amountFen: 5_000n,
      expiresAt: new Date(clock.now().getTime() + 3600_000),
    });
    expect(hold.ok).toBe(true);
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { phone: user.phone, password: user.password, deviceId: user.deviceId, client: 'api' },
    });

    const wallet = await walletOf(user);
    const reported = await post('/api/v1/me/report-theft', user);
    expect(reported.statusCode).toBe(201);
    expect(reported.json().voidedHolds).toBe(1);
    expect((await me(user)).statusCode).toBe(401);
    expect((await me({ auth: { authorization: `Bearer ${other.json().token}` } })).statusCode).toBe(401);
    expect(
      await t.services.ledger.transfer({
        reference: ref('pay'),
        currency: 'CNY',
        legs: [{ debitAccountId: wallet, creditAccountId: bankId, amountFen: 1_000n }],
      }),
    ).toMatchObject({ ok: false, error: { code: 'ACCOUNT_FROZEN' } });
    const { rows } = await t.db.query<{
      kind: string;
      status: string;
      details: { movements: unknown[]; idNumber: string };
    }>('SELECT kind, status, details FROM security_cases WHERE id = $1', [reported.json().caseId]);
    expect(rows[0]).toMatchObject({ kind: 'theft', status: 'open' });
    expect(rows[0].details.movements.length).toBeGreaterThanOrEqual(2);
    expect(rows[0].details.idNumber).toContain('*');
  });
});
