import { Writable } from 'node:stream';
import Fastify from 'fastify';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { DebugRequestLines, loggerOptions } from './logging.js';

/** The request lines a Fastify app with this controller writes for one OK, one 404 and one failed request. */
async function requestLines(controller: DebugRequestLines | undefined) {
  const lines: { level: number; msg: string }[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const app = Fastify({ loggerInstance: pino(loggerOptions('debug'), sink), logController: controller });
  app.get('/ok', async () => ({ ok: true }));
  app.get('/bad', async (_request, reply) => reply.code(400).send(new Error('refused')));
  app.get('/broken', async () => {
    throw new Error('broken');
  });
  for (const url of ['/ok', '/bad', '/broken']) await app.inject({ url });
  await app.close();
  return lines;
}

describe('request lines', () => {
  it('are at debug in development, with failures still at error; Fastify writes them at info otherwise', async () => {
    const development = await requestLines(new DebugRequestLines());
    expect(development.filter((line) => line.level === 30)).toEqual([]);
    expect(development.filter((line) => line.msg === 'incoming request').map((line) => line.level)).toEqual([
      20, 20, 20,
    ]);
    expect(development.some((line) => line.level === 50 && line.msg === 'broken')).toBe(true);

    const production = await requestLines(undefined);
    expect(production.filter((line) => line.msg === 'incoming request').map((line) => line.level)).toEqual([
      30, 30, 30,
    ]);
  });
});
