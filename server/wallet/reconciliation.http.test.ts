import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { registerUser, type TestUser } from '../../test/identity-factories.js';
import { linkCard, type TestCard } from '../../test/wallet-factories.js';
import { manualClock } from '../platform/clock.js';
import { createWalletService } from './service.js';

const clock = manualClock('2026-11-10T02:00:00Z');
let t: TestApp;
let user: TestUser;
let card: TestCard;

async function topUp(amountFen: bigint) {
  const done = await t.services.wallet.orders.topUp(user.userId, { cardId: card.id, amountFen, currency: 'CNY' });
  if (!done.ok) throw new Error(done.error.code);
  return done.value;
}

async function staffToken(roles: ('admin' | 'support')[]): Promise<{ authorization: string }> {
  const created = await t.services.identity.staff.create({
    phone: `1360000${String(roles.length * 1000 + Math.floor(Math.random() * 999)).padStart(4, '0')}`,
    name: '审计员',
    password: 'ledger-lantern-river-77',
    roles,
  });
  if (!created.ok) throw new Error(created.error.code);
  const session = await t.services.identity.sessions.start('staff', created.value.id, {
    deviceId: null,
    ip: '10.9.9.9',
    userAgent: 'test',
  });
  return { authorization: `Bearer ${session.token}` };
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  user = await registerUser(t, { name: '张三' });
  card = await linkCard(t, user);
});
afterAll(async () => t?.close());

describe('daily reconciliation', () => {
  it('matches the settlement file with the clearing account and records each break once', async () => {
    await topUp(10_000n);
    const unknown = await topUp(20_061n);
    expect(unknown.status).toBe('processing');
    clock.advanceMs(31_000);
    await t.services.wallet.orders.checkPending(100);

    // A crash after the network charged: the network settled it, the ledger never heard.
    const sandbox = t.services.wallet.sandbox;
    if (!sandbox) throw new Error('sandbox expected');
    const crashing = createWalletService({
      db: t.db,
      clock,
      cipher: t.services.identity.ctx.cipher,
      ledger: t.services.ledger,
      identity: t.services.identity,
      notifications: t.services.notifications,
      sms: { send: async () => ({ id: 'unused' }) },
      network: {
        ...sandbox,
        charge: async (request) => (await sandbox.charge(request), Promise.reject(new Error('crash'))),
      },
    });
    const lost = await crashing.orders.topUp(user.userId, { cardId: card.id, amountFen: 7_700n, currency: 'CNY' });
    expect(lost.ok && lost.value.status).toBe('processing');
    // The recovery job has not reached it yet when the day is reconciled.
    await t.db.query(`UPDATE wallet_card_orders SET next_check_at = '2026-12-31T00:00:00Z' WHERE id = $1`, [
      lost.ok ? lost.value.id : '',
    ]);
    // A clearing movement the network never made.
    const wallet = (await t.services.wallet.history.balance(user.userId))?.accountId as string;
    const forged = await t.services.ledger.transfer({
      reference: 'topup:top_forged',
      currency: 'CNY',
      legs: [{ debitAccountId: await t.services.wallet.clearingAccountId(), creditAccountId: wallet, amountFen: 500n }],
      metadata: { kind: 'topup', ref: 'top_forged', counterparty: 'x' },
    });
    expect(forged.ok).toBe(true);

    // Just before midnight: the network completes it on the 10th, the ledger posts it on the 11th.
    clock.set('2026-11-10T15:59:50Z');
    const midnight = await topUp(30_061n);
    expect(midnight.status).toBe('processing');
    clock.advanceMs(40_000);
    await t.services.wallet.orders.checkPending(100);
    expect((await t.services.wallet.orders.get(user.userId, midnight.id))?.status).toBe('succeeded');

    const day = await t.services.wallet.reconciliation.run('2026-11-10');
    expect(day).toMatchObject({ networkCount: 4, ledgerCount: 3, breaks: 2 });
    const next = await t.services.wallet.reconciliation.run('2026-11-11');
    expect(next.breaks).toBe(0);
    await t.services.wallet.reconciliation.run('2026-11-10');
    const { rows } = await t.db.query<{ kind: string; reference: string }>(
      'SELECT kind, reference FROM wallet_reconciliation_breaks ORDER BY kind',
    );
    expect(rows).toEqual([
      { kind: 'missing_in_ledger', reference: lost.ok ? lost.value.id : '' },
      { kind: 'missing_in_network', reference: 'top_forged' },
    ]);
  });

  it('shows runs and breaks to admin staff only', async () => {
    const admin = await staffToken(['admin']);
    const response = await t.app.inject({ url: '/api/v1/staff/reconciliation?status=open', headers: admin });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.runs.map((run: { day: string }) => run.day)).toEqual(['2026-11-11', '2026-11-10']);
    expect(body.runs[1]).toMatchObject({ networkCount: 4, ledgerCount: 3, breaks: 2 });
    expect(body.breaks.map((b: { kind: string }) => b.kind).sort()).toEqual([
      'missing_in_ledger',
      'missing_in_network',
    ]);
    const support = await staffToken(['support']);
    expect((await t.app.inject({ url: '/api/v1/staff/reconciliation', headers: support })).statusCode).toBe(403);
    const holder = await registerUser(t, { name: '李四' });
    expect((await t.app.inject({ url: '/api/v1/staff/reconciliation', headers: holder.auth })).statusCode).toBe(403);
  });
});
