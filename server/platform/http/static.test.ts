import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webAppRoutes } from './static.js';

const dist = mkdtempSync(join(tmpdir(), 'tongbao-dist-'));
const script = `console.log(${JSON.stringify('通宝'.repeat(400))});`;
const app = Fastify();

beforeAll(async () => {
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(dist, 'assets', 'app-abc.js'), script);
  writeFileSync(join(dist, 'assets', 'app-abc.js.br'), brotliCompressSync(script));
  writeFileSync(join(dist, 'assets', 'app-abc.js.gz'), gzipSync(script));
  await app.register(webAppRoutes({ distDir: `${dist}/` }));
  await app.ready();
});
afterAll(() => app.close());

describe('the web app is served precompressed', () => {
  it('brotli when accepted, with the right headers', async () => {
    const reply = await app.inject({ url: '/assets/app-abc.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-encoding']).toBe('br');
    expect(reply.headers['content-type']).toMatch(/javascript/);
    expect(reply.headers.vary).toMatch(/accept-encoding/i);
    expect(reply.rawPayload.length).toBeLessThan(Buffer.byteLength(script));
    expect(reply.headers['cache-control']).toContain('immutable');
  });

  it('gzip for a client without brotli, plain for one without either', async () => {
    const gzip = await app.inject({ url: '/assets/app-abc.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    const plain = await app.inject({ url: '/assets/app-abc.js', headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(script);
    expect(plain.headers.vary).toMatch(/accept-encoding/i);
  });

  it('a client route still gets the shell', async () => {
    const shell = await app.inject({ url: '/records', headers: { 'accept-encoding': 'br' } });
    expect(shell.statusCode).toBe(200);
    expect(shell.body).toContain('<title>');
  });
});
