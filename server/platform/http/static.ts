import { existsSync } from 'node:fs';
import { extname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { sendProblem } from './errors.js';
import { PLACEHOLDER_PAGE } from './placeholder.js';

/** Where `vite build --config web/vite.config.ts` writes the web apps. */
export const WEB_DIST_DIR = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

// Paths the server owns: never answered with the web app, so a typo in an API path stays a 404 problem.
const SERVER_PREFIXES = ['/api/', '/api', '/docs', '/dev/', '/healthz', '/readyz'];
const HASHED_ASSET_CACHE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';
const OTHER_FILE_CACHE = 'public, max-age=86400';
// The SPA shell: no inline scripts; antd-mobile sets inline styles; QR and barcode images are data/blob URLs.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

function isServerPath(path: string): boolean {
  return SERVER_PREFIXES.some(
    (prefix) => path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`),
  );
}

/** Which app's shell answers a client-side route. */
function shellFor(path: string): string {
  if (path === '/merchant' || path.startsWith('/merchant/')) return 'merchant/index.html';
  if (path === '/ops' || path.startsWith('/ops/')) return 'ops/index.html';
  return 'index.html';
}

const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|webmanifest|txt)$/;

function cacheControlFor(file: string): string {
  if (file.startsWith('assets/')) return HASHED_ASSET_CACHE;
  if (file.endsWith('.html') || file === 'sw.js' || file === 'manifest.webmanifest' || file === 'registerSW.js')
    return REVALIDATE;
  if (/^workbox-[\w-]+\.js$/.test(file)) return HASHED_ASSET_CACHE;
  return OTHER_FILE_CACHE;
}

function sendFromDist(reply: FastifyReply, file: string) {
  reply.header('cache-control', cacheControlFor(file));
  reply.header('x-content-type-options', 'nosniff');
  if (file.endsWith('.html')) {
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    reply.header('referrer-policy', 'same-origin');
  }
  if (file === 'sw.js') reply.header('service-worker-allowed', '/');
  // The build wrote .br and .gz copies (web/build/precompress.ts); caches must key on the encoding.
  if (COMPRESSIBLE.test(file)) reply.header('vary', 'accept-encoding');
  return reply.sendFile(file, { cacheControl: false, dotfiles: 'deny' });
}

/**
 * Serves the built web apps: files from web/dist, and each app's index.html for its client-side
 * routes (`/...` the wallet, `/merchant/...`, `/ops/...`). Hashed assets are cached for a year;
 * HTML, the manifest and the service worker are revalidated on every load. When the web app has
 * not been built, `/` shows a page that says how to build it. TONGBAO_WEB_DIST points elsewhere
 * (the browser tests serve a snapshot of the build).
 */
export function webAppRoutes(options: { distDir?: string } = {}) {
  const fromEnv = process.env.TONGBAO_WEB_DIST;
  const distDir = options.distDir ?? (fromEnv ? `${fromEnv.replace(/\/+$/, '')}/` : WEB_DIST_DIR);
  return async (app: FastifyInstance) => {
    // preCompressed: a file's .br or .gz copy is sent when the client accepts it (Content-Encoding set).
    await app.register(fastifyStatic, { root: distDir, serve: false, preCompressed: true });

    app.get('/*', { schema: { hide: true } }, async (request, reply) => {
      let path: string;
      try {
        path = decodeURIComponent(request.url.split('?')[0] ?? '/');
      } catch {
        // A malformed %-escape is the client's mistake, not ours.
        return sendProblem(request, reply, 'MALFORMED_REQUEST');
      }
      if (isServerPath(path)) return sendProblem(request, reply, 'NOT_FOUND');
      if (!existsSync(`${distDir}index.html`) && !existsSync(`${distDir}/index.html`)) {
        if (path === '/')
          return reply.type('text/html; charset=utf-8').header('cache-control', REVALIDATE).send(PLACEHOLDER_PAGE);
        return sendProblem(request, reply, 'NOT_FOUND');
      }
      const file = normalize(path).replace(/^[/\\]+/, '');
      if (file.split(/[/\\]/).includes('..')) return sendProblem(request, reply, 'NOT_FOUND');
      if (extname(file)) {
        // A file path that does not exist is a 404, never the shell: a stale chunk must fail loudly.
        if (!existsSync(`${distDir}/${file}`)) return sendProblem(request, reply, 'NOT_FOUND');
        return sendFromDist(reply, file);
      }
      return sendFromDist(reply, shellFor(path));
    });
  };
}
