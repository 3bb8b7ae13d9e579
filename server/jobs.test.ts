import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/db.js';
import { createServices } from './app.js';
import { jobDefinitions } from './jobs.js';
import { manualClock } from './platform/clock.js';
import { createJobs } from './platform/jobs.js';

const logger = pino({ level: 'silent' });

describe('durable jobs (pg-boss) on this engine', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t?.close());

  it('runs a sent job exactly once through a worker, and stops gracefully', async () => {
    const seen: unknown[] = [];
    const jobs = createJobs({
      db: t.db,
      databaseUrl: t.url,
      logger,
      definitions: [{ name: 'test-echo', handler: async (data) => void seen.push(data) }],
    });
    await jobs.start({ work: true });
    const id = await jobs.send('test-echo', { hello: '通宝' });
    expect(id).toBeTruthy();
    const deadline = Date.now() + 20_000;
    while (seen.length === 0 && Date.now() < deadline) await new Promise((done) => setTimeout(done, 100));
    await jobs.stop();
    expect(seen).toEqual([{ hello: '通宝' }]);
  });

  it('the hold-expiry job voids expired holds and gives the money back', async () => {
    const clock = manualClock('2026-11-23T02:00:00Z');
    const services = createServices(t.db, clock, {
      operatorToken: 'op_x',
      logLevel: 'silent',
      production: false,
      publicUrl: 'http://localhost',
      piiKey: Buffer.alloc(32, 1),
    });
    const { ledger } = services;
    const bank = await ledger.createAccount({ kind: 'bank_clearing', currency: 'CNY' });
    const wallet = await ledger.createAccount({ kind: 'customer_wallet', currency: 'CNY' });
    const shop = await ledger.createAccount({ kind: 'merchant_settlement', currency: 'CNY' });
    await ledger.transfer({
      reference: 'jobs-fund',
      currency: 'CNY',
      legs: [{ debitAccountId: bank.id, creditAccountId: wallet.id, amountFen: 10_000n }],
    });
    const held = await ledger.hold({
      reference: 'jobs-hold',
      currency: 'CNY',
      debitAccountId: wallet.id,
      creditAccountId: shop.id,
      amountFen: 8_850n,
      expiresAt: new Date('2026-11-23T02:05:00Z'),
    });
    expect(held.ok).toBe(true);
    expect((await ledger.getAccount(wallet.id))?.availableFen).toBe(1_150n);

    const expire = jobDefinitions({ db: t.db, clock, services }).find((job) => job.name === 'ledger-expire-holds');
    await expire?.handler({});
    expect((await ledger.getAccount(wallet.id))?.availableFen).toBe(1_150n);

    clock.advanceMs(5 * 60_000);
    await expire?.handler({});
    const after = await ledger.getAccount(wallet.id);
    expect(after?.availableFen).toBe(10_000n);
    expect(after?.pendingDebitsFen).toBe(0n);
    if (held.ok) expect((await ledger.getHold(held.value.hold.id))?.status).toBe('expired');
    await ledger.close();
  });
});
