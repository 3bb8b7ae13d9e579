import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerErrorHandling } from './errors.js';
import { Problem } from './problem-error.js';
import { isProblemCode, registerProblems, registeredProblem } from './problem-registry.js';
import { CORE_PROBLEMS, type ProblemCode } from './problems.js';

const SAMPLE_PROBLEMS = {
  SAMPLE_REGISTRY_CODE: { status: 409, zh: '示例。', en: 'A sample.' },
};

describe('problem registry', () => {
  it('knows the core codes before any domain registers', () => {
    expect(isProblemCode('VALIDATION_FAILED')).toBe(true);
    expect(registeredProblem('INTERNAL_ERROR')).toBe(CORE_PROBLEMS.INTERNAL_ERROR);
    expect(isProblemCode('SAMPLE_REGISTRY_CODE')).toBe(false);
  });

  it('adds a table, and the same table again is a no-op', () => {
    registerProblems(SAMPLE_PROBLEMS);
    registerProblems(SAMPLE_PROBLEMS);
    expect(isProblemCode('SAMPLE_REGISTRY_CODE')).toBe(true);
  });

  it('throws when another table defines a code again, and registers none of that table', () => {
    const clashing = {
      SAMPLE_OTHER_CODE: { status: 400, zh: '另一个。', en: 'Another.' },
      NOT_FOUND: { status: 404, zh: '找不到。', en: 'Not here.' },
    };
    expect(() => registerProblems(clashing)).toThrow(/registered twice: NOT_FOUND/);
    expect(() => registerProblems({ SAMPLE_REGISTRY_CODE: { ...SAMPLE_PROBLEMS.SAMPLE_REGISTRY_CODE } })).toThrow();
    expect(isProblemCode('SAMPLE_OTHER_CODE')).toBe(false);
  });

  it('types codes: an unknown code does not compile', () => {
    const known: ProblemCode = 'RATE_LIMITED';
    // @ts-expect-error no table declares this code, so it is not a ProblemCode
    const unknown: ProblemCode = 'NO_TABLE_DECLARES_THIS';
    expect([known, unknown]).toHaveLength(2);
  });

  it('answers 500 INTERNAL_ERROR for a code whose table was never registered', async () => {
    const app = Fastify({ logger: false });
    registerErrorHandling(app);
    app.get('/unregistered', async () => {
      throw new Problem('NEVER_REGISTERED_HERE' as ProblemCode);
    });
    const response = await app.inject({ url: '/unregistered' });
    expect(response.statusCode).toBe(500);
    expect(response.json().code).toBe('INTERNAL_ERROR');
    await app.close();
  });
});
