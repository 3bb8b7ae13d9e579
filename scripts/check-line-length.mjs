#!/usr/bin/env node
// No line over 120 characters in the TypeScript of server/, web/, test/, e2e/ and bench/ (issue 13).
// Prettier keeps code at 120; this also catches the long strings Prettier leaves alone.
// Run by `npm run lint:format`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const MAX = 120;
const ROOTS = ['server', 'web', 'test', 'e2e', 'bench'];
const SKIP = new Set(['node_modules', 'dist']);

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    if (SKIP.has(name)) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.(ts|tsx|mts|cts)$/.test(name) ? [path] : [];
  });
}

const long = [];
for (const root of ROOTS) {
  for (const file of files(root)) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, index) => {
        if (line.length > MAX) long.push(`${file}:${index + 1}: ${line.length} characters`);
      });
  }
}
if (long.length > 0) {
  console.error(long.join('\n'));
  console.error(`\n${long.length} line(s) over ${MAX} characters: split long strings (concatenation, or shorter words).`);
  process.exit(1);
}
console.log(`No line over ${MAX} characters.`);
