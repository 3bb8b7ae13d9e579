import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testEngine } from './db.js';

/**
 * The chaos bank test, short (bench/chaos.ts; `npm run chaos` is the long one): two servers and a
 * worker on PostgreSQL, a few hundred payments over HTTP with retries under the same keys, one server
 * SIGKILLed and restarted, client connections dropped mid-request; nothing lost or applied twice.
 */
describe.skipIf(testEngine !== 'postgres')('chaos bank test (short)', () => {
  it('loses nothing and applies nothing twice through a server kill', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', join(process.cwd(), 'bench/chaos.ts')], {
      cwd: process.cwd(),
      env: {
        ...process.env,
        CHAOS_REQUESTS: '600',
        CHAOS_HOLDERS: '20',
        CHAOS_CLIENTS: '16',
        CHAOS_KILLS: '1',
        CHAOS_DB_RESTART: '0',
      },
      encoding: 'utf8',
      timeout: 280_000,
    });
    const line = result.stdout.trim().split('\n').pop() ?? '';
    expect(line, result.stderr.slice(-2000)).toMatch(
      /^chaos: \d+ requests, 1 kills, 0 db restarts \| lost 0 fen, duplicated 0, stuck holds 0 \| verify-ledger ok$/,
    );
    expect(result.status).toBe(0);
  }, 300_000);
});
