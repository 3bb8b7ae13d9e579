import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeRemote,
  type ReceivedRequest,
  fakeSettings,
  signatureOf,
  startFakeRemote,
} from '../../test/outside-fakes.js';
import { manualClock } from '../platform/clock.js';
import { createHttpFundCompany } from './fund-http.js';
import { sandboxPer10kE4, sandboxYield7dE4 } from './fund-sandbox.js';

const clock = manualClock('2026-11-23T02:00:00Z');
let remote: FakeRemote;
beforeAll(async () => {
  remote = await startFakeRemote();
});
afterAll(() => remote.close());

describe('the fund company over HTTP', () => {
  it('asks for a day signed and maps published, unpublished and broken answers', async () => {
    const company = createHttpFundCompany(fakeSettings(remote.url), { clock });
    remote.answer(() => ({
      status: 200,
      body: { per10k: '0.4921', yield7dPct: '1.8520', publishedAt: '2026-11-23T12:00:00Z' },
    }));
    expect(await company.dayFigures('TB-MMF', '2026-11-22')).toEqual({
      ok: true,
      value: {
        fundCode: 'TB-MMF',
        day: '2026-11-22',
        per10kE4: 4921n,
        yield7dE4: 18520n,
        publishedAt: new Date('2026-11-23T12:00:00Z'),
      },
    });
    const sent = remote.received.at(-1) as ReceivedRequest;
    expect(sent).toMatchObject({ method: 'GET', path: '/v1/funds/TB-MMF/days/2026-11-22' });
    expect(signatureOf(sent).valid).toBe(true);
    remote.answer(() => ({ status: 404 }));
    expect(await company.dayFigures('TB-MMF', '2026-11-23')).toEqual({ ok: true, value: null });
    remote.answer(() => ({ status: 200, body: { per10k: 'lots' } }));
    expect(await company.dayFigures('TB-MMF', '2026-11-23')).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE' },
    });
    remote.answer(() => 'hang');
    const slow = createHttpFundCompany(fakeSettings(remote.url, { timeoutMs: 150 }), { clock });
    expect(await slow.dayFigures('TB-MMF', '2026-11-23')).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
  });
});

describe('the sandbox series', () => {
  it('looks like a money-market fund: 1.2-2.0 % a year, moving slowly, never negative', () => {
    const days = Array.from({ length: 365 }, (_, i) =>
      new Date(Date.parse('2026-01-01T00:00:00Z') + i * 86_400_000).toISOString().slice(0, 10),
    );
    const yields = days.map((day) => Number(sandboxYield7dE4('TB-MMF', day)) / 10_000);
    expect(Math.min(...yields)).toBeGreaterThan(1.2);
    expect(Math.max(...yields)).toBeLessThan(2.0);
    for (let i = 1; i < yields.length; i++) expect(Math.abs(yields[i] - yields[i - 1])).toBeLessThan(0.05);
    for (const day of days) expect(sandboxPer10kE4('TB-MIX', day)).toBeGreaterThanOrEqual(0n);
  });
});
