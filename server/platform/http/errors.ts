import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type FieldError, Problem, jsonSafe, limitExceededDetails } from './problem-error.js';
import { problemMessage, registeredProblem } from './problem-registry.js';
import { type ProblemCode, languageFrom } from './problems.js';
import { isDatabaseUnavailable } from '../db/outage.js';

/** Seconds a client should wait before retrying a 503 (database outage, load shedding). */
export const RETRY_AFTER_SECONDS = 1;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** Writes an RFC 9457 problem with a stable code and a message in the caller's language. */
export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  code: ProblemCode,
  extra: Record<string, unknown> = {},
  errors: FieldError[] = [],
) {
  const problem = registeredProblem(code);
  if (!problem) {
    // A programmer error: the code's domain table was never registered (see server/problem-catalogue.ts).
    request.log.error({ code, requestId: request.id }, 'problem code not registered');
    return sendProblem(request, reply, 'INTERNAL_ERROR');
  }
  const { status } = problem;
  const language = languageFrom(request.headers['accept-language']);
  const body: Record<string, unknown> = {
    type: `/problems/${code.toLowerCase().replaceAll('_', '-')}`,
    title: problemMessage(problem, language),
    status,
    code,
    instance: request.url,
    requestId: request.id,
    ...(jsonSafe(code === 'LIMIT_EXCEEDED' ? limitExceededDetails(extra) : extra) as Record<string, unknown>),
  };
  if (errors.length) body.errors = errors;
  return reply
    .code(status)
    .header('content-language', language)
    .type(PROBLEM_CONTENT_TYPE)
    .serializer(JSON.stringify)
    .send(body);
}

function fieldErrors(error: FastifyError): FieldError[] {
  return (error.validation ?? []).slice(0, 20).map((issue) => {
    const params = issue.params as Record<string, unknown>;
    const path = issue.instancePath ? issue.instancePath.slice(1).replaceAll('/', '.') : '';
    const missing = typeof params?.missingProperty === 'string' ? params.missingProperty : undefined;
    const extra = typeof params?.additionalProperty === 'string' ? params.additionalProperty : undefined;
    const field = [path, missing ?? extra].filter(Boolean).join('.') || (error.validationContext ?? 'body');
    return { field, message: extra ? 'is not allowed' : (issue.message ?? 'is invalid') };
  });
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof Problem) {
      for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
      return sendProblem(request, reply, error.code, error.extra, error.errors);
    }
    if (error.validation)
      return sendProblem(request, reply, 'VALIDATION_FAILED', { in: error.validationContext }, fieldErrors(error));
    const status = error.statusCode ?? 500;
    if (status === 413) return sendProblem(request, reply, 'PAYLOAD_TOO_LARGE');
    if (status === 415) return sendProblem(request, reply, 'UNSUPPORTED_MEDIA_TYPE');
    if (status === 429) return sendProblem(request, reply, 'RATE_LIMITED');
    if (status === 405) return sendProblem(request, reply, 'METHOD_NOT_ALLOWED');
    if (status === 404) return sendProblem(request, reply, 'NOT_FOUND');
    if (status >= 400 && status < 500) return sendProblem(request, reply, 'MALFORMED_REQUEST');
    // The database is down or unreachable: whatever the request began was rolled back; retry later.
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error, requestId: request.id }, 'database unavailable');
      reply.header('retry-after', String(RETRY_AFTER_SECONDS));
      return sendProblem(request, reply, 'SERVICE_UNAVAILABLE');
    }
    // Unexpected: log everything with the request id, tell the client nothing about the inside.
    request.log.error({ err: error, requestId: request.id }, 'unhandled error');
    return sendProblem(request, reply, status === 503 ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_ERROR');
  });
  app.setNotFoundHandler((request, reply) => sendProblem(request, reply, 'NOT_FOUND'));
}

/**
 * Errors Fastify raises before routing (a malformed %-escape in the path, an over-long parameter):
 * a 400 problem like any other bad input, instead of Fastify's own JSON that echoes the path.
 */
export function frameworkErrorHandler(_error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  return sendProblem(request, reply, 'MALFORMED_REQUEST');
}
