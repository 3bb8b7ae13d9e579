import { expect, it } from 'vitest';
import { isProblemCode, registerProblems } from './platform/http/problem-registry.js';
import { CORE_PROBLEMS } from './platform/http/problems.js';
import { DOMAIN_PROBLEM_TABLES, PROBLEM_CATALOGUE } from './problem-catalogue.js';

it('holds every table once, with no code in two of them', () => {
  const tables = [CORE_PROBLEMS, ...DOMAIN_PROBLEM_TABLES];
  const codeCount = tables.reduce((count, table) => count + Object.keys(table).length, 0);
  expect(Object.keys(PROBLEM_CATALOGUE)).toHaveLength(codeCount);
});

it('registers every domain table, twice without complaint (two apps in one process)', () => {
  for (let round = 0; round < 2; round += 1) {
    for (const table of DOMAIN_PROBLEM_TABLES) registerProblems(table);
  }
  expect(Object.keys(PROBLEM_CATALOGUE).every(isProblemCode)).toBe(true);
});

it('gives every code a status and both messages', () => {
  for (const [code, entry] of Object.entries(PROBLEM_CATALOGUE)) {
    expect(code).toMatch(/^[A-Z][A-Z0-9_]+$/);
    expect(entry.status).toBeGreaterThanOrEqual(200);
    expect(entry.zh.length * entry.en.length).toBeGreaterThan(0);
  }
});
