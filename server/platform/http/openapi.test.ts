import swagger from '@fastify/swagger';
import Fastify from 'fastify';
import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { documentProblems, platformProblems, problemResponses } from './openapi.js';
import { registerProblems } from './problem-registry.js';
import type { ProblemCode } from './problems.js';

const SAMPLE_PROBLEMS = {
  SAMPLE_OPENAPI_GONE: { status: 404, zh: '不见了。', en: 'It is gone.' },
  SAMPLE_OPENAPI_CLASH: { status: 409, zh: '冲突。', en: 'It clashes.' },
};
registerProblems(SAMPLE_PROBLEMS);
const sample = (code: keyof typeof SAMPLE_PROBLEMS) => code as unknown as ProblemCode;

describe('problemResponses', () => {
  it("groups codes by their table's status, each with the Problem schema, listed and described", () => {
    const responses = problemResponses(sample('SAMPLE_OPENAPI_GONE'), 'VALIDATION_FAILED', 'MALFORMED_REQUEST');
    expect(Object.keys(responses)).toEqual(['400', '404']);
    expect(responses['400'].content['application/problem+json']).toEqual({
      schema: { $ref: '#/components/schemas/Problem' },
      'x-problem-codes': ['MALFORMED_REQUEST', 'VALIDATION_FAILED'],
    });
    expect(responses['404'].description).toBe('`SAMPLE_OPENAPI_GONE`: It is gone.');
  });

  it('refuses a code no registered table defines', () => {
    expect(() => problemResponses('NO_SUCH_OPENAPI_CODE' as ProblemCode)).toThrow(/not registered/);
  });
});

describe('documentProblems', () => {
  it("documents a route's own codes beside those its config implies", async () => {
    const app = Fastify();
    const docs = documentProblems([platformProblems]);
    await app.register(swagger, { transform: docs.transform, openapi: { components: docs.components } });
    app.post(
      '/things/:id',
      {
        config: { auth: ['user'], idempotent: true },
        schema: {
          operationId: 'moveThing',
          params: Type.Object({ id: Type.String() }),
          problems: [sample('SAMPLE_OPENAPI_GONE'), sample('SAMPLE_OPENAPI_CLASH')],
          response: { 200: Type.Object({ ok: Type.Boolean() }) },
        },
      },
      async () => ({ ok: true }),
    );
    await app.ready();
    const operation = (app.swagger() as { paths: Record<string, Record<string, any>> }).paths['/things/{id}'].post;
    expect(operation.operationId).toBe('moveThing');
    const codes = Object.fromEntries(
      Object.entries(operation.responses as Record<string, any>).map(([status, response]) => [
        status,
        response.content['application/problem+json']?.['x-problem-codes'],
      ]),
    );
    expect(codes).toEqual({
      200: undefined,
      400: ['IDEMPOTENCY_KEY_REQUIRED', 'VALIDATION_FAILED'],
      401: ['UNAUTHENTICATED'],
      403: ['FORBIDDEN'],
      404: ['SAMPLE_OPENAPI_GONE'],
      409: ['IDEMPOTENCY_REQUEST_IN_PROGRESS', 'SAMPLE_OPENAPI_CLASH'],
      422: ['IDEMPOTENCY_KEY_REUSED'],
    });
    expect((app.swagger() as any).components.schemas.Problem.additionalProperties).toBe(true);
    await app.close();
  });
});
