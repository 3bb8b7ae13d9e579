import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

/**
 * The raw PGlite transfer loop the embedded line is compared with: pgbench's tpcb-like transaction
 * (move an amount to an account, its teller and its branch, and write a history row), run in a loop
 * straight on a PGlite with a data directory, as the server opens it, in this process. PGlite has one
 * session, so the loop is serial like every request the embedded server answers.
 */
export async function pgliteTpcbTps(seconds: number): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tongbao-bench-raw-'));
  const db = await PGlite.create({ dataDir });
  try {
    const accounts = 100_000;
    await db.exec(`
      CREATE TABLE branches (bid int PRIMARY KEY, bbalance int NOT NULL);
      CREATE TABLE tellers (tid int PRIMARY KEY, bid int NOT NULL, tbalance int NOT NULL);
      CREATE TABLE accounts (aid int PRIMARY KEY, bid int NOT NULL, abalance int NOT NULL);
      CREATE TABLE history (tid int, bid int, aid int, delta int, mtime timestamptz);
      INSERT INTO branches VALUES (1, 0);
      INSERT INTO tellers SELECT t, 1, 0 FROM generate_series(1, 10) t;
      INSERT INTO accounts SELECT a, 1, 0 FROM generate_series(1, ${accounts}) a;
    `);
    const until = performance.now() + seconds * 1000;
    let done = 0;
    while (performance.now() < until) {
      const aid = 1 + Math.floor(Math.random() * accounts);
      const tid = 1 + Math.floor(Math.random() * 10);
      const delta = Math.floor(Math.random() * 10_001) - 5000;
      await db.transaction(async (tx) => {
        await tx.query('UPDATE accounts SET abalance = abalance + $1 WHERE aid = $2', [delta, aid]);
        await tx.query('SELECT abalance FROM accounts WHERE aid = $1', [aid]);
        await tx.query('UPDATE tellers SET tbalance = tbalance + $1 WHERE tid = $2', [delta, tid]);
        await tx.query('UPDATE branches SET bbalance = bbalance + $1 WHERE bid = 1', [delta]);
        await tx.query('INSERT INTO history VALUES ($1, 1, $2, $3, now())', [tid, aid, delta]);
      });
      done++;
    }
    return done / seconds;
  } finally {
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
