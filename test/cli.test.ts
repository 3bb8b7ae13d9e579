import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { operatorMove, request, runCli, startServer } from '../bench/harness.js';
import { createTestDatabase, testEngine } from './db.js';

const dirs: string[] = [];
const tempDataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'tongbao-cli-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(testEngine !== 'pglite')('the CLI on the embedded database', () => {
  it('migrates once, then finds the database up to date', () => {
    const env = { DATA_DIR: tempDataDir(), DATABASE_URL: '' };
    const first = runCli(['migrate'], env);
    expect(first.status).toBe(0);
    expect(first.output).toContain('applied: 001_platform');
    const second = runCli(['migrate'], env);
    expect(second.output).toContain('up to date');
  }, 150_000);

  it('answers an unknown command with usage and exit code 2', () => {
    const result = runCli(['frobnicate'], { DATA_DIR: tempDataDir(), DATABASE_URL: '' });
    expect(result.status).toBe(2);
    expect(result.output).toContain('verify-ledger');
  });

  it('serves, shuts down cleanly on Ctrl-C, and finds everything after a restart', async () => {
    const dataDir = tempDataDir();
    const env = { DATA_DIR: dataDir, DATABASE_URL: '', TONGBAO_OPERATOR_TOKEN: '', LOG_LEVEL: 'info' };
    const first = await startServer(env, { readyWithinMs: 180_000 });
    const token = readFileSync(join(dataDir, 'operator-token'), 'utf8').trim();
    const auth = { authorization: `Bearer ${token}` };
    let id: string;
    let log = '';
    try {
      const created = await request(
        first.url,
        'POST',
        '/api/v1/ledger/accounts',
        { kind: 'customer_wallet', currency: 'CNY' },
        auth,
      );
      expect(created.status).toBe(201);
      id = JSON.parse(created.body).id;
      first.child.stdout?.on('data', (chunk) => (log += chunk));
      first.child.stderr?.on('data', (chunk) => (log += chunk));
    } finally {
      // A failed check must not leave the server running after the test.
      await first.stop();
    }
    expect(first.child.exitCode).toBe(0);
    expect(log).toContain('stopped cleanly');

    const second = await startServer(env, { readyWithinMs: 180_000 });
    try {
      const found = await request(second.url, 'GET', `/api/v1/ledger/accounts/${id}`, undefined, auth);
      expect(found.status).toBe(200);
      expect(JSON.parse(found.body).id).toBe(id);
    } finally {
      await second.stop();
    }
    const verified = runCli(['verify-ledger'], env);
    expect(verified.status).toBe(0);
  }, 420_000);
});

describe.skipIf(testEngine !== 'postgres')('verify-ledger on PostgreSQL', () => {
  it('exits 0 on a healthy ledger and 1 with MISMATCH lines after tampering', async () => {
    const t = await createTestDatabase();
    try {
      const env = { DATABASE_URL: t.url as string };
      const server = await startServer(env, { readyWithinMs: 180_000 });
      try {
        const open = async (kind: string) =>
          JSON.parse((await request(server.url, 'POST', '/api/v1/ledger/accounts', { kind, currency: 'CNY' })).body).id;
        const bank = await open('bank_clearing');
        const wallet = await open('customer_wallet');
        const moved = await operatorMove(
          server.url,
          {
            reference: 'cli-1',
            currency: 'CNY',
            legs: [{ debitAccountId: bank, creditAccountId: wallet, amount: 500 }],
          },
          'cli-1',
        );
        expect(moved.status).toBe(200);
      } finally {
        await server.stop();
      }
      expect(runCli(['verify-ledger'], env).status).toBe(0);
      await t.db.query(`UPDATE ledger_accounts SET balance = balance + 1 WHERE kind = 'customer_wallet'`);
      await t.db.query(`UPDATE ledger_entries SET metadata = '{"edited": true}'`);
      const broken = runCli(['verify-ledger'], env);
      expect(broken.status).toBe(1);
      expect(broken.output).toMatch(/MISMATCH account .* balance 501 but postings sum to 500/);
      expect(broken.output).toMatch(/MISMATCH entry #1 .* does not match its hash/);
    } finally {
      await t.close();
    }
  }, 420_000);
});
