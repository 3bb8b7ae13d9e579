import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * SQL lives only in store files (docs/architecture.md): a domain's statements are in
 * its `store.ts` or `store-<topic>.ts`; its service, rules and routes call the store. This test reads
 * every other TypeScript file under server/<domain>/ and fails on a string that holds SQL or on a
 * `.query(` called with a literal statement.
 */

const root = join(import.meta.dirname, '..');
const server = join(root, 'server');

/** Folders that are their own store: the platform (engines, migrations, jobs) and the sealed ledger. */
const ALLOWED_FOLDERS = ['server/platform/', 'server/ledger/'];

/**
 * Not yet moved (issue 13). Remove an entry when its SQL has moved; the test fails on an entry
 * that no longer holds SQL, so the list only shrinks.
 */
const NOT_YET_MOVED: string[] = [];

const STORE_FILE = /(^|\/)store(-[a-z0-9-]+)?\.ts$/;
const SQL = new RegExp(
  String.raw`\b(SELECT\s+[\w*(]|INSERT\s+INTO\b|UPDATE\s+\w+\s+SET\b|DELETE\s+FROM\b|` +
    String.raw`SET\s+LOCAL\b|pg_advisory_\w+|FOR\s+UPDATE\b)`,
);
const LITERAL_QUERY = /\.query\s*(<[^()]*?>)?\(\s*[`'"]/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The contents of the string and template literals of a TypeScript file, comments left out. */
function stringLiterals(text: string): string[] {
  const literals: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
      literals.push(text.slice(i + 1, j));
      i = j + 1;
    } else {
      i += 1;
    }
  }
  return literals;
}

function sqlFindings(text: string): string[] {
  const findings = stringLiterals(text)
    .filter((literal) => SQL.test(literal))
    .map((literal) => literal.replace(/\s+/g, ' ').trim().slice(0, 80));
  const literalQuery = LITERAL_QUERY.exec(text);
  if (literalQuery) findings.push(`${literalQuery[0]}…`);
  return findings;
}

function checkedFiles(): string[] {
  return sourceFiles(server)
    .map((path) => relative(root, path).split('\\').join('/'))
    .filter((path) => path.split('/').length > 2) // server/app.ts and friends assemble; they are not domains
    .filter((path) => !STORE_FILE.test(path))
    .filter((path) => !ALLOWED_FOLDERS.some((folder) => path.startsWith(folder)));
}

describe('SQL only in store files', () => {
  it('finds SQL in a string literal and ignores it in comments', () => {
    expect(sqlFindings("await tx.query('SELECT 1 AS one');")).toHaveLength(2);
    expect(sqlFindings('const s = `UPDATE payments SET status = $2 WHERE id = $1`;')).toHaveLength(1);
    expect(sqlFindings('// SELECT * FROM payments FOR UPDATE\n/* INSERT INTO x */ const a = 1;')).toEqual([]);
    expect(sqlFindings("const answer = await ctx.network.query(order.id); const m = /x/.exec('a');")).toEqual([]);
  });

  it('has no SQL outside the store files of server/<domain>/', () => {
    const offenders = checkedFiles()
      .filter((path) => !NOT_YET_MOVED.some((entry) => (entry.endsWith('/') ? path.startsWith(entry) : path === entry)))
      .map((path) => ({ path, sql: sqlFindings(readFileSync(join(root, path), 'utf8')) }))
      .filter(({ sql }) => sql.length > 0);
    expect(offenders, 'move these statements into the domain’s store.ts or store-<topic>.ts').toEqual([]);
  });

  it('lists no file that has already moved its SQL', () => {
    const stale = NOT_YET_MOVED.filter((entry) => !entry.endsWith('/')).filter(
      (path) => !existsSync(join(root, path)) || sqlFindings(readFileSync(join(root, path), 'utf8')).length === 0,
    );
    expect(stale, 'remove these entries from NOT_YET_MOVED').toEqual([]);
  });
});
