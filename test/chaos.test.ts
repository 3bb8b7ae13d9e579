import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testEngine } from './db.js';

/**
 * The chaos bank test, short (bench/chaos.ts; `npm run chaos` is the long one): two servers and a
 * worker on PostgreSQL, a few hundred payments over HTTP with retries under the same keys, one server
 * SIGKILLed and restarted, client connections dropped mid-request, and, where PostgreSQL's initdb is
 * installed (Debian's packages, as in CI), PostgreSQL restarted once: a private cluster in /tmp on a port
 * of its own, never the shared server. Nothing lost or applied twice.
 */
const canRestartDb = [15, 16, 17].some((version) => existsSync(`/usr/lib/postgresql/${version}/bin/initdb`));

describe.skipIf(testEngine !== 'postgres')('chaos bank test (short)', () => {
  it(`loses nothing and applies nothing twice through a server kill${canRestartDb ? ' and a db restart' : ''}`, () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', join(process.cwd(), 'bench/chaos.ts')], {
      cwd: process.cwd(),
      env: {
        ...process.env,
        CHAOS_REQUESTS: '600',
        CHAOS_HOLDERS: '20',
        CHAOS_CLIENTS: '16',
        CHAOS_KILLS: '1',
        CHAOS_DB_RESTART: canRestartDb ? '1' : '0',
      },
      encoding: 'utf8',
      timeout: 280_000,
    });
    const line = result.stdout.trim().split('\n').pop() ?? '';
    const restarts = canRestartDb ? '1 db restart' : '0 db restarts';
    expect(line, result.stderr.slice(-2000)).toMatch(
      new RegExp(
        `^chaos: \\d+ requests, 1 kills, ${restarts} \\| lost 0 fen, duplicated 0, stuck holds 0 \\| verify-ledger ok$`,
      ),
    );
    expect(result.status).toBe(0);
  }, 300_000);
});
