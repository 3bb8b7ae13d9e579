import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBLEM_CATALOGUE } from '../server/problem-catalogue.js';
import { createTestApp, type TestApp } from './app.js';

/**
 * The API document (/api/openapi.json): every operation has a unique operationId and documents the
 * problems it can answer, derived from the problem tables (docs/architecture.md, "How to add a
 * domain"). A failure names the operations at fault.
 */

type Operation = {
  operationId?: string;
  tags?: string[];
  responses: Record<string, { description?: string; content?: Record<string, Record<string, unknown>> }>;
};
type Document = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };

const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** Operations that answer no 4xx problem of their own: probes and public, input-free reads. */
const CANNOT_FAIL = new Set([
  'GET /healthz',
  'GET /readyz',
  'GET /api/v1/announcements',
  'GET /api/v1/support/contact',
]);

let t: TestApp;
let doc: Document;
let operations: { name: string; operation: Operation }[];

beforeAll(async () => {
  t = await createTestApp();
  const answer = await t.app.inject({ url: '/api/openapi.json' });
  expect(answer.statusCode).toBe(200);
  doc = answer.json();
  operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({
      name: `${method.toUpperCase()} ${path}`,
      operation,
    })),
  );
});
afterAll(async () => {
  await t?.close();
});

const problemResponses = (operation: Operation) =>
  Object.entries(operation.responses).filter(([, response]) => response.content?.[PROBLEM_MEDIA_TYPE]);

describe('the API document', () => {
  it('gives every operation an operationId, unique, in lowerCamelCase', () => {
    expect(operations.length).toBeGreaterThan(150);
    const missing = operations.filter((o) => !o.operation.operationId).map((o) => o.name);
    expect(missing, "add `operationId` to these routes' schema").toEqual([]);
    const ids = operations.map((o) => o.operation.operationId).filter((id): id is string => id !== undefined);
    const repeated = ids.filter((id, index) => ids.indexOf(id) !== index);
    expect(repeated, 'operationIds must be unique across the API').toEqual([]);
    expect(ids.filter((id) => !/^[a-z][A-Za-z0-9]*$/.test(id))).toEqual([]);
  });

  it('documents at least one 4xx problem for every operation', () => {
    const silent = operations
      .filter((o) => !CANNOT_FAIL.has(o.name))
      .filter((o) => !problemResponses(o.operation).some(([status]) => status.startsWith('4')))
      .map((o) => o.name);
    expect(silent, "list these routes' codes in `schema.problems`").toEqual([]);
  });

  it('lists only catalogued codes, each under its own status, with the Problem schema', () => {
    const wrong: string[] = [];
    for (const { name, operation } of operations) {
      for (const [status, response] of problemResponses(operation)) {
        const media = response.content?.[PROBLEM_MEDIA_TYPE] as { schema?: unknown; 'x-problem-codes'?: string[] };
        expect(media.schema, name).toEqual({ $ref: '#/components/schemas/Problem' });
        const codes = media['x-problem-codes'] ?? [];
        expect(codes.length, `${name} ${status}`).toBeGreaterThan(0);
        for (const code of codes) {
          const entry = PROBLEM_CATALOGUE[code];
          if (!entry || String(entry.status) !== status) wrong.push(`${name} ${status} ${code}`);
          expect(response.description, name).toContain(code);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('keeps every member of a problem (the Problem schema allows more than it names)', () => {
    expect(doc.components.schemas.Problem).toMatchObject({
      type: 'object',
      required: ['type', 'title', 'status', 'code'],
      additionalProperties: true,
    });
  });

  it('resolves every $ref inside the document', () => {
    const refs = new Set<string>();
    const walk = (value: unknown) => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object') {
        for (const [key, inner] of Object.entries(value)) {
          if (key === '$ref' && typeof inner === 'string') refs.add(inner);
          else walk(inner);
        }
      }
    };
    walk(doc);
    const unresolved = [...refs].filter((ref) => {
      if (!ref.startsWith('#/')) return true;
      let at: unknown = doc;
      for (const part of ref.slice(2).split('/')) at = (at as Record<string, unknown> | undefined)?.[part];
      return at === undefined;
    });
    expect(unresolved).toEqual([]);
  });

  // The full validators, when the project has them installed (they are not dependencies yet).
  const require = createRequire(import.meta.url);
  const installed = (name: string) => {
    try {
      require.resolve(name);
      return true;
    } catch {
      return false;
    }
  };

  it.skipIf(!installed('@apidevtools/swagger-parser'))('is valid OpenAPI under swagger-parser', async () => {
    const name = '@apidevtools/swagger-parser';
    const { default: SwaggerParser } = await import(/* @vite-ignore */ name);
    await SwaggerParser.validate(structuredClone(doc));
  });

  it.skipIf(!installed('openapi-typescript'))('compiles with openapi-typescript', async () => {
    const name = 'openapi-typescript';
    const { default: openapiTS, astToString } = await import(/* @vite-ignore */ name);
    const source = astToString(await openapiTS(structuredClone(doc)));
    expect(source).toContain('operations');
  });
});
