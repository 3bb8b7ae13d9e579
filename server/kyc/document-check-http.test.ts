import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeRemote, fakeSettings, signatureOf, startFakeRemote } from '../../test/outside-fakes.js';
import { manualClock } from '../platform/clock.js';
import type { DocumentCheckRequest } from './adapter.js';
import { createHttpDocumentCheck } from './document-check-http.js';

const clock = manualClock('2026-11-23T02:00:00Z');
let remote: FakeRemote;
beforeAll(async () => {
  remote = await startFakeRemote();
});
afterAll(() => remote.close());

const request: DocumentCheckRequest = {
  reference: 'kyc_1',
  attempt: 2,
  documentType: 'resident_id',
  pages: [
    { side: 'front', contentType: 'image/jpeg', bytes: Buffer.from('front-image') },
    { side: 'back', contentType: 'image/jpeg', bytes: Buffer.from('back-image') },
  ],
  selfie: { side: 'selfie', contentType: 'image/jpeg', bytes: Buffer.from('selfie-image') },
  claimed: { name: '张三', idNumber: '11010519900307123X', birthDate: '1990-03-07' },
};
const report = {
  quality: 'clear',
  fields: { name: '张三', documentNumber: '11010519900307123X', birthDate: '1990-03-07', expiresOn: null },
  faceMatchScore: 0.93,
};

describe('the document check over HTTP', () => {
  it('sends the pages as base64 with the claimed identity, signed, and maps a 200 report', async () => {
    remote.answer(() => ({ status: 200, body: report }));
    const check = createHttpDocumentCheck(fakeSettings(`${remote.url}/ocr`), { clock });
    expect(await check.check(request)).toEqual({ ok: true, value: report });
    const sent = remote.received.at(-1) as NonNullable<ReturnType<typeof remote.received.at>>;
    expect(sent).toMatchObject({ method: 'POST', path: '/ocr/v1/checks' });
    expect(sent.headers['idempotency-key']).toBe('kyc_1:2');
    expect(sent.json).toEqual({
      reference: 'kyc_1',
      attempt: 2,
      documentType: 'resident_id',
      pages: [
        { side: 'front', contentType: 'image/jpeg', data: Buffer.from('front-image').toString('base64') },
        { side: 'back', contentType: 'image/jpeg', data: Buffer.from('back-image').toString('base64') },
      ],
      selfie: { side: 'selfie', contentType: 'image/jpeg', data: Buffer.from('selfie-image').toString('base64') },
      claimed: request.claimed,
    });
    expect(signatureOf(sent).valid).toBe(true);
  });

  it('answers UNAVAILABLE for errors, malformed reports and a dead provider', async () => {
    const check = createHttpDocumentCheck(fakeSettings(remote.url), { clock });
    for (const answer of [
      { status: 500, body: { error: 'down' } },
      { status: 401 },
      { status: 200, body: { ...report, faceMatchScore: 7 } },
      { status: 200, body: { ...report, quality: 'great' } },
    ]) {
      remote.answer(() => answer);
      expect(await check.check(request)).toEqual({ ok: false, error: { code: 'UNAVAILABLE' } });
    }
    expect(await createHttpDocumentCheck(fakeSettings('http://127.0.0.1:1'), { clock }).check(request)).toEqual({
      ok: false,
      error: { code: 'UNAVAILABLE' },
    });
  });

  it('answers TIMEOUT when the provider does not answer in time', async () => {
    remote.answer(() => 'hang');
    const check = createHttpDocumentCheck(fakeSettings(remote.url, { timeoutMs: 150 }), { clock });
    expect(await check.check(request)).toEqual({ ok: false, error: { code: 'TIMEOUT' } });
  });
});
