import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { verifyLedger } from '../server/ledger/verify.js';
import { backupPglite, restorePglite } from '../server/platform/db/backup.js';
import { openPglite } from '../server/platform/db/pglite.js';
import type { Db } from '../server/platform/db/types.js';
import { TEST_OPERATOR_TOKEN, type TestApp, createTestApp } from './app.js';
import { testEngine } from './db.js';
import { type WalletHolder, balanceOf, moneyHeaders, walletHolder } from './transfer-factories.js';

/**
 * The restore drill (issue 22), on the embedded database: a backup taken while transfers run, restored
 * into a fresh data directory, is a consistent prefix of the history (verify-ledger clean, every
 * entry in it identical to the original's), and the restored wallet goes on: new entries chain onto
 * the restored head.
 */
const run = promisify(execFile);

describe.skipIf(testEngine !== 'pglite')('restore drill', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tongbao-restore-drill-'));
  let original: TestApp;
  let restored: TestApp | undefined;
  let payers: WalletHolder[];
  let payee: WalletHolder;

  const openOn = async (db: Db) => createTestApp({ database: { db, url: undefined, close: () => db.close() } });
  const entries = async (db: Db) =>
    (await db.query<{ seq: bigint; hash: string }>('SELECT seq, hash FROM ledger_entries ORDER BY seq')).rows;
  const head = async (db: Db) =>
    (await db.query<{ seq: bigint; hash: string }>('SELECT seq, hash FROM ledger_chain_head')).rows[0];

  beforeAll(async () => {
    // A data directory on disk, started from the migrated template as the other tests are.
    const template = new Blob([readFileSync(inject('pgliteTemplate'))]);
    original = await openOn(await openPglite({ dataDir: join(dir, 'live'), loadDataDir: template }));
    const lifted = await original.services.risk.rules.change(
      'velocity',
      { thresholds: { maxCount: 1_000_000, maxAmountFen: 1_000_000_000_000 }, reason: 'restore drill' },
      { id: 'test' },
    );
    expect(lifted.ok).toBe(true);
    payers = [];
    for (let i = 0; i < 3; i++) payers.push(await walletHolder(original, { balanceFen: 100_000n }));
    payee = await walletHolder(original, { name: '李四' });
  }, 120_000);

  afterAll(async () => {
    await restored?.close();
    await restored?.database.close();
    await original?.close();
    await original?.database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const send = (t: TestApp, payer: WalletHolder, amount: number, key: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/transfers',
      headers: moneyHeaders(payer, key),
      payload: { payee: { walletId: payee.walletId }, amount, currency: 'CNY', confirmation: { pin: payer.pin } },
    });

  it('waits for a transaction in progress, so the copy holds all of it, never half', async () => {
    await original.db.exec('CREATE TABLE drill_probe (n INT NOT NULL)');
    let release = () => {};
    const gate = new Promise<void>((open) => (release = open));
    let entered = () => {};
    const inside = new Promise<void>((done) => (entered = done));
    const open = original.db.transaction(async (tx) => {
      await tx.query('INSERT INTO drill_probe (n) VALUES (1)');
      entered();
      await gate;
      await tx.query('INSERT INTO drill_probe (n) VALUES (2)');
    });
    await inside;
    const probeFile = join(dir, 'probe.tar.gz');
    const backedUp = backupPglite(original.db, probeFile);
    // Let the backup take whatever lock it takes before the transaction goes on.
    for (let i = 0; i < 20; i++) await new Promise((done) => setImmediate(done));
    release();
    await open;
    await backedUp;
    const copy = await openPglite({ dataDir: join(dir, 'probe'), loadDataDir: new Blob([readFileSync(probeFile)]) });
    try {
      expect((await copy.query<{ n: number }>('SELECT n FROM drill_probe ORDER BY n')).rows).toEqual([
        { n: 1 },
        { n: 2 },
      ]);
    } finally {
      await copy.close();
    }
  });

  it('backs up a running server from the command line, through its operator API', async () => {
    const refused = await original.app.inject({ url: '/api/v1/operations/backup' });
    expect(refused.statusCode).toBe(401);
    await original.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = original.app.server.address() as AddressInfo;
    const file = join(dir, 'online.tar.gz');
    const cli = await run(
      process.execPath,
      ['--import', 'tsx', 'server/main.ts', 'backup', file, '--server', `http://127.0.0.1:${port}`],
      {
        cwd: process.cwd(),
        env: {
          ...process.env,
          DATA_DIR: join(dir, 'cli'),
          DATABASE_URL: '',
          TONGBAO_OPERATOR_TOKEN: TEST_OPERATOR_TOKEN,
          LOG_LEVEL: 'warn',
        },
      },
    );
    expect(cli.stdout).toContain(`backup written: ${file}`);
    const audited = await original.db.query<{ n: bigint }>(
      `SELECT count(*)::bigint AS n FROM audit_log
        WHERE action = 'operator.api_call' AND actor_id = $1 AND subject_id = $2`,
      ['tongbao-backup', 'GET /api/v1/operations/backup'],
    );
    expect(audited.rows[0].n).toBe(1n);
    const copy = await openPglite({ dataDir: join(dir, 'online'), loadDataDir: new Blob([readFileSync(file)]) });
    try {
      expect((await copy.query<{ n: number }>('SELECT n FROM drill_probe ORDER BY n')).rows).toHaveLength(2);
      expect((await verifyLedger(copy)).ok).toBe(true);
    } finally {
      await copy.close();
    }
  }, 60_000);

  it('backs up while transfers run, restores into a fresh directory, verifies and chains on', async () => {
    const backupFile = join(dir, 'drill.tar.gz');
    // Transfers from three holders at once; the backup is taken once some of them have committed.
    const before = (await entries(original.db)).length;
    let committed = 0;
    let backedUp: Promise<number> | undefined;
    const load = payers.map(async (payer, p) => {
      for (let n = 0; n < 15; n++) {
        const answer = await send(original, payer, 1 + n, `drill-${p}-${n}`);
        expect(answer.statusCode, answer.body).toBe(201);
        if (++committed === 12) backedUp = backupPglite(original.db, backupFile);
      }
    });
    await Promise.all(load);
    expect(await backedUp).toBeGreaterThan(0);

    const history = await entries(original.db);
    expect(history.length).toBe(before + 45);
    await original.close();
    await original.database.close();

    // Restored into a directory that has never held a database.
    const fresh = join(dir, 'restored');
    await restorePglite(backupFile, fresh);
    await expect(restorePglite(backupFile, fresh)).rejects.toThrow(/not empty/);
    restored = await openOn(await openPglite({ dataDir: fresh }));

    const report = await verifyLedger(restored.db);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    // A consistent prefix: at least what had committed before the backup began, each entry as it was.
    const kept = await entries(restored.db);
    expect(kept.length).toBeGreaterThanOrEqual(before + 12);
    expect(kept.length).toBeLessThanOrEqual(history.length);
    expect(kept).toEqual(history.slice(0, kept.length));
    const restoredHead = await head(restored.db);
    expect(restoredHead).toEqual(kept[kept.length - 1]);

    // The restored wallet goes on: a new transfer chains onto the restored head.
    const received = await balanceOf(restored, payee.walletId);
    const after = await send(restored, payers[0], 7, 'drill-after-restore');
    expect(after.statusCode, after.body).toBe(201);
    expect(await balanceOf(restored, payee.walletId)).toBe(received + 7n);
    const next = await restored.db.query<{ seq: bigint; prev_hash: string }>(
      'SELECT seq, prev_hash FROM ledger_entries WHERE seq > $1 ORDER BY seq',
      [restoredHead.seq],
    );
    expect(next.rows[0]).toEqual({ seq: restoredHead.seq + 1n, prev_hash: restoredHead.hash });
    const again = await verifyLedger(restored.db);
    expect(again.problems).toEqual([]);
    expect(again.ok).toBe(true);
  }, 120_000);
});
