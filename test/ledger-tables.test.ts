import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Only server/ledger/ reads or writes the ledger's tables (docs/architecture.md): every other domain
 * moves and reads money through the ledger service. Tests may read them to check invariants.
 */
const ROOT = join(import.meta.dirname, '..');
const LEDGER_TABLE = /\bledger_(accounts|chain_head|entries|postings|holds|limit_usage)\b/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('ledger tables', () => {
  it('are named in SQL only under server/ledger/', () => {
    const offenders = sourceFiles(join(ROOT, 'server'))
      .map((file) => relative(ROOT, file))
      .filter((file) => !file.startsWith('server/ledger/'))
      .filter((file) => LEDGER_TABLE.test(readFileSync(join(ROOT, file), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
