import type { FastifyInstance } from 'fastify';
import { pathOnly } from '../logging.js';

const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * Headers every answer needs: API answers (and the development pages under /dev) are never
 * cached by a browser or proxy and never sniffed into another type; served over HTTPS every answer
 * tells the browser to use HTTPS only. Routes that chose their own caching (a QR image, a
 * document) keep it. The web pages' CSP is set where they are served (static.ts), Swagger UI's
 * by @fastify/swagger-ui.
 */
export function registerSecurityHeaders(app: FastifyInstance, options: { hsts: boolean }): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const path = pathOnly(request.url) ?? '/';
    if (path.startsWith('/api/') || path.startsWith('/dev/')) {
      if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
      reply.header('x-content-type-options', 'nosniff');
    }
    if (options.hsts) reply.header('strict-transport-security', HSTS);
    return payload;
  });
}
