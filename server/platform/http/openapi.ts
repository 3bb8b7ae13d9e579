import type { FastifySchema, RouteOptions } from 'fastify';
import { registeredProblem } from './problem-registry.js';
import type { ProblemCode } from './problems.js';

/**
 * The API document's error answers, derived from the problem tables rather than written twice.
 * A route names the codes it can answer with in `schema.problems`; the platform adds the codes its
 * own hooks answer with (derived from the route's config), a domain may add its hook's codes the
 * same way (`ProblemSource`), and `documentProblems` turns them into one response per status:
 * application/problem+json with the `Problem` schema, the codes listed in the description and in
 * `x-problem-codes`. Documentation only: Fastify never serializes a problem with these schemas
 * (`sendProblem` writes problems with JSON.stringify), so no member of a problem can go missing.
 */

declare module 'fastify' {
  interface FastifySchema {
    /**
     * The problem codes this route answers with, besides those its config already implies
     * (validation, sign-in, idempotency, maintenance): documented as its 4xx/5xx responses.
     */
    problems?: readonly ProblemCode[];
  }
}

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

const text = (description?: string) => ({ type: 'string' as const, ...(description ? { description } : {}) });

/** The body of every problem (RFC 9457 with a stable `code`); codes add their own members. */
export const PROBLEM_SCHEMA = {
  type: 'object' as const,
  required: ['type', 'title', 'status', 'code'],
  properties: {
    type: text('/problems/<code in kebab case>'),
    title: text('What went wrong, in the language of Accept-Language (zh-CN or en)'),
    status: { type: 'integer' as const },
    code: text('The stable problem code; x-problem-codes of each response lists them'),
    instance: text(),
    requestId: text(),
    errors: {
      type: 'array' as const,
      description: 'VALIDATION_FAILED: the fields at fault',
      items: {
        type: 'object' as const,
        required: ['field', 'message'],
        properties: { field: text(), message: text() },
      },
    },
  },
  additionalProperties: true,
};

const PROBLEM_REF = '#/components/schemas/Problem';

/** A documented problem response: the codes of one status. */
export interface ProblemResponse {
  description: string;
  content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: string }; 'x-problem-codes': ProblemCode[] } };
}

/** The codes a route's options imply, from one hook that answers with them. */
export type ProblemSource = (route: Pick<RouteOptions, 'method' | 'config' | 'schema'>) => readonly ProblemCode[];

/**
 * Problem responses for these codes, grouped by their tables' status: `{ 404: …, 409: … }`. Every
 * code must be registered (its table in server/problem-catalogue.ts); an unknown one throws.
 */
export function problemResponses(...codes: readonly ProblemCode[]): Record<string, ProblemResponse> {
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of new Set(codes)) {
    const entry = registeredProblem(code);
    if (!entry) throw new Error(`Problem code ${code} is not registered: add its table to server/problem-catalogue.ts`);
    byStatus.set(entry.status, [...(byStatus.get(entry.status) ?? []), code]);
  }
  const responses: Record<string, ProblemResponse> = {};
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    const sorted = [...list].sort();
    responses[String(status)] = {
      description: sorted.map((code) => `\`${code}\`: ${registeredProblem(code)?.en}`).join('\n\n'),
      content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: PROBLEM_REF }, 'x-problem-codes': sorted } },
    };
  }
  return responses;
}

const INPUTS = ['body', 'querystring', 'params', 'headers'] as const;

/**
 * What the platform's hooks answer with, from the route's config: schema validation, the auth hook
 * (signed out, wrong kind or role; the operator token without X-Operator-Id) and idempotency.
 */
export const platformProblems: ProblemSource = (route) => {
  const codes: ProblemCode[] = [];
  const schema = route.schema as FastifySchema | undefined;
  if (schema && INPUTS.some((part) => schema[part] !== undefined)) codes.push('VALIDATION_FAILED');
  const config = route.config as { auth?: readonly string[]; idempotent?: boolean } | undefined;
  if (config?.auth) codes.push('UNAUTHENTICATED', 'FORBIDDEN');
  if (config?.auth?.includes('operator')) codes.push('OPERATOR_ID_REQUIRED');
  if (config?.idempotent) {
    codes.push('IDEMPOTENCY_KEY_REQUIRED', 'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_REQUEST_IN_PROGRESS');
  }
  return codes;
};

/**
 * The @fastify/swagger options that document problems: the `Problem` component, and a transform
 * that gives each route the responses of its `schema.problems` and of every source's codes.
 */
export function documentProblems(sources: readonly ProblemSource[]) {
  return {
    components: { schemas: { Problem: PROBLEM_SCHEMA } },
    transform: ({ schema, url, route }: { schema: FastifySchema; url: string; route: RouteOptions }) => {
      if (!schema || schema.hide) return { schema, url };
      const codes = [...(schema.problems ?? []), ...sources.flatMap((source) => source(route))];
      if (codes.length === 0) return { schema, url };
      const { problems: _problems, ...rest } = schema;
      const response = { ...problemResponses(...codes), ...(schema.response as object | undefined) };
      return { schema: { ...rest, response }, url };
    },
  };
}
