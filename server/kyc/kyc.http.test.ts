import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { registerUser, type TestUser } from '../../test/identity-factories.js';
import { linkCard } from '../../test/wallet-factories.js';
import {
  type TestStaff,
  jpeg,
  multipart,
  pdf,
  png,
  residentIdForm,
  signInStaff,
  submitKyc,
} from '../../test/kyc-factories.js';
import { manualClock } from '../platform/clock.js';
import { maskName } from '../platform/mask.js';

const clock = manualClock('2026-11-23T02:00:00Z');
let t: TestApp;
let reviewerA: TestStaff;
let reviewerB: TestStaff;
let support: TestStaff;

beforeAll(async () => {
  t = await createTestApp({ clock });
  reviewerA = await signInStaff(t, ['kyc_reviewer'], clock.now());
  reviewerB = await signInStaff(t, ['admin'], clock.now());
  support = await signInStaff(t, ['support'], clock.now());
});
afterAll(async () => t?.close());

/** A holder with a bank card in their own name: approval makes them verified at once. */
async function holderWithCard(): Promise<TestUser> {
  const user = await registerUser(t);
  await linkCard(t, user);
  return user;
}
const me = async (user: TestUser) => (await t.app.inject({ url: '/api/v1/me', headers: user.auth })).json();
const kinds = async (user: TestUser) => (await t.services.notifications.list(user.userId)).items.map((n) => n.kind);
const staff = (who: TestStaff, method: 'GET' | 'POST', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: who.auth, payload });
const claim = (who: TestStaff, id: string) => staff(who, 'POST', `/api/v1/staff/kyc/submissions/${id}/claim`);
const decide = (who: TestStaff, id: string, body: object) =>
  staff(who, 'POST', `/api/v1/staff/kyc/submissions/${id}/decision`, body);
// Ids are time-ordered: a second between submissions keeps "latest" unambiguous under the manual clock.
const submit = (user: TestUser, form: { payload: Buffer; headers: Record<string, string> }) => {
  clock.advanceMs(1000);
  return submitKyc(t, user, form);
};
const submissionCount = async () =>
  Number((await t.db.query<{ n: bigint }>('SELECT count(*) AS n FROM kyc_submissions')).rows[0].n);

describe('automatic decisions', () => {
  it('approves a clear, matching resident ID: tier and ledger limits rise together', async () => {
    const user = await holderWithCard();
    const submitted = await submit(user, residentIdForm());
    expect(submitted.statusCode, submitted.body).toBe(201);
    expect(submitted.json()).toMatchObject({ status: 'approved', documentType: 'resident_id', reason: null });
    expect(
      submitted
        .json()
        .documents.map((d: { side: string }) => d.side)
        .sort(),
    ).toEqual(['back', 'front', 'selfie']);
    const profile = await me(user);
    expect(profile.tier).toBe('verified');
    const wallet = await t.services.ledger.getAccount(profile.walletAccountId);
    expect(wallet?.limits).toEqual({ dailyFen: 1_000_000n, yearlyFen: 20_000_000n });
    expect(await kinds(user)).toContain('kyc.approved');
    const again = await submit(user, residentIdForm());
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('KYC_ALREADY_VERIFIED');
  });

  it('approves the documents of a holder without a card, and makes them verified once they link one', async () => {
    const user = await registerUser(t);
    const submitted = await submit(user, residentIdForm());
    expect(submitted.json().status).toBe('approved');
    expect((await me(user)).tier).toBe('basic');
    expect(await kinds(user)).toContain('kyc.documents_approved');
    const limits = await t.app.inject({ url: '/api/v1/me/limits', headers: user.auth });
    expect(limits.json().nextStep.action).toBe('link_bank_card');
    await linkCard(t, user);
    // The cards code tells KYC right after the link: no wait for the job, which then finds nothing.
    expect((await me(user)).tier).toBe('verified');
    expect((await t.app.inject({ url: '/api/v1/me/limits', headers: user.auth })).json().nextStep?.action).not.toBe(
      'link_bank_card',
    );
    expect(await kinds(user)).toContain('kyc.approved');
    const raisedByCard = await t.db.query<{ n: bigint }>(
      "SELECT count(*) AS n FROM kyc_tier_changes WHERE user_id = $1 AND source = 'card'",
      [user.userId],
    );
    expect(Number(raisedByCard.rows[0].n)).toBe(1);
    await t.services.kyc.completeCardVerifications();
    await linkCard(t, user, { last4: '4321' }); // a second card changes nothing
    const after = await t.db.query<{ n: bigint }>('SELECT count(*) AS n FROM kyc_tier_changes WHERE user_id = $1', [
      user.userId,
    ]);
    expect(Number(after.rows[0].n)).toBe(1);
  });

  it('approves a passport photo page sent as a PDF', async () => {
    const user = await registerUser(t);
    const form = multipart({ documentType: 'passport' }, [
      { field: 'passport', bytes: pdf(), contentType: 'application/pdf', filename: 'passport.pdf' },
      { field: 'selfie', bytes: png(), contentType: 'image/png' },
    ]);
    const submitted = await submit(user, form);
    expect(submitted.statusCode, submitted.body).toBe(201);
    expect(submitted.json().status).toBe('approved');
  });

  it('stores documents encrypted and serves them back only to their owner, never cached', async () => {
    const owner = await registerUser(t);
    const other = await registerUser(t);
    const { id } = (await submit(owner, residentIdForm(['UNCLEAR']))).json();
    const { rows } = await t.db.query<{ content_enc: Uint8Array }>(
      'SELECT content_enc FROM kyc_documents WHERE submission_id = $1',
      [id],
    );
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(Buffer.from(row.content_enc).includes(Buffer.from('TBKYC:'))).toBe(false);
    const mine = await t.app.inject({ url: `/api/v1/me/kyc/submissions/${id}/documents/front`, headers: owner.auth });
    expect(mine.statusCode).toBe(200);
    expect(mine.headers['cache-control']).toBe('no-store, private');
    expect(mine.headers['content-type']).toBe('image/jpeg');
    expect(mine.rawPayload.equals(jpeg('UNCLEAR'))).toBe(true);
    for (const url of [`/api/v1/me/kyc/submissions/${id}`, `/api/v1/me/kyc/submissions/${id}/documents/front`]) {
      const theirs = await t.app.inject({ url, headers: other.auth });
      expect(theirs.statusCode).toBe(404);
    }
    expect((await t.app.inject({ url: '/api/v1/me/kyc', headers: other.auth })).json().items).toEqual([]);
  });

  it.each([
    ['UNCLEAR', [], 'DOCUMENT_UNCLEAR'],
    ['EXPIRED', [], 'DOCUMENT_EXPIRED'],
    ['NUMBER_MISMATCH', [], 'NUMBER_MISMATCH'],
    ['NAME_MISMATCH', [], 'NAME_MISMATCH'],
    ['MINOR', [], 'UNDERAGE'],
    [null, ['FACE_MISMATCH'], 'FACE_MISMATCH'],
  ])('rejects %s with a reason the holder can act on, then accepts a resubmission', async (marker, selfie, reason) => {
    const user = await registerUser(t);
    const form = residentIdForm(marker ? [marker] : [], selfie as string[]);
    clock.advanceMs(1000);
    const rejected = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/kyc/submissions',
      headers: { ...user.auth, ...form.headers, 'accept-language': 'en' },
      payload: form.payload,
    });
    expect(rejected.statusCode).toBe(201);
    expect(rejected.json()).toMatchObject({ status: 'rejected', reason: { code: reason } });
    expect(rejected.json().reason.message.length).toBeGreaterThan(10);
    expect((await me(user)).tier).toBe('basic');
    expect(await kinds(user)).toContain('kyc.rejected');
    const resubmitted = await submit(user, residentIdForm());
    expect(resubmitted.json().status).toBe('approved');
    expect(
      (await t.app.inject({ url: '/api/v1/me/kyc', headers: user.auth }))
        .json()
        .items.map((s: { status: string }) => s.status),
    ).toEqual(['approved', 'rejected']);
    const first = (await t.app.inject({ url: '/api/v1/me/kyc?limit=1', headers: user.auth })).json();
    expect(first.items.map((s: { status: string }) => s.status)).toEqual(['approved']);
    const second = (
      await t.app.inject({ url: `/api/v1/me/kyc?limit=1&before=${first.nextBefore}`, headers: user.auth })
    ).json();
    expect(second).toMatchObject({ items: [{ status: 'rejected' }], nextBefore: null });
  });

  it('sends a check that never answers to a reviewer after three attempts', async () => {
    const user = await registerUser(t);
    const submitted = await submit(user, residentIdForm(['UNAVAILABLE']));
    expect(submitted.statusCode).toBe(202);
    for (let attempt = 2; attempt <= 3; attempt++) {
      clock.advanceMs(3 * 60_000);
      await t.services.kyc.recheckStuck();
    }
    const after = (
      await t.app.inject({ url: `/api/v1/me/kyc/submissions/${submitted.json().id}`, headers: user.auth })
    ).json();
    expect(after).toMatchObject({ status: 'manual_review', reason: { code: 'CHECK_UNAVAILABLE' } });
  });

  it('allows at most five submissions a day (Asia/Shanghai)', async () => {
    const user = await registerUser(t);
    for (let i = 0; i < 5; i++)
      expect((await submit(user, residentIdForm(['UNCLEAR']))).json().status).toBe('rejected');
    const sixth = await submit(user, residentIdForm());
    expect(sixth.statusCode).toBe(429);
    expect(sixth.json()).toMatchObject({ code: 'KYC_TOO_MANY_SUBMISSIONS', maxPerDay: 5 });
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('leaves a check that timed out in checking; the recheck job finishes it', async () => {
    const user = await holderWithCard();
    const submitted = await submit(user, residentIdForm(['TIMEOUT_ONCE']));
    expect(submitted.statusCode).toBe(202);
    expect(submitted.json().status).toBe('checking');
    expect(await t.services.kyc.recheckStuck()).toBe(0); // not stuck yet
    clock.advanceMs(3 * 60_000);
    expect(await t.services.kyc.recheckStuck()).toBeGreaterThanOrEqual(1);
    const after = await t.app.inject({ url: `/api/v1/me/kyc/submissions/${submitted.json().id}`, headers: user.auth });
    expect(after.json().status).toBe('approved');
    expect((await me(user)).tier).toBe('verified');
  });
});

describe('the API document', () => {
  it('lists the verification and review routes', async () => {
    const paths = Object.keys((await t.app.inject({ url: '/api/openapi.json' })).json().paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/me/kyc/submissions',
        '/api/v1/me/limits',
        '/api/v1/staff/kyc/submissions/{id}',
        '/api/v1/staff/users/{id}/tier',
      ]),
    );
  });
});

describe('bad uploads', () => {
  let user: TestUser;
  beforeAll(async () => {
    user = await registerUser(t);
  });

  const withFront = (front: Buffer, contentType = 'image/jpeg') =>
    multipart({ documentType: 'resident_id' }, [
      { field: 'front', bytes: front, contentType },
      { field: 'back', bytes: jpeg() },
      { field: 'selfie', bytes: jpeg() },
    ]);

  it.each([
    [
      'a GIF called front.jpg',
      () => withFront(Buffer.from('GIF89a\x02\x00\x02\x00\x00\x00\x00;', 'latin1')),
      415,
      'DOCUMENT_TYPE_UNSUPPORTED',
    ],
    [
      'a file over 5 MiB',
      () => withFront(png([], { padBytes: 5 * 1024 * 1024 }), 'image/png'),
      413,
      'DOCUMENT_TOO_LARGE',
    ],
    ['a truncated JPEG', () => withFront(jpeg().subarray(0, 200)), 422, 'DOCUMENT_CORRUPT'],
    [
      'a PDF with a script',
      () =>
        withFront(pdf([], { extraCatalog: '/OpenAction << /S /JavaScript /JS (app.alert(1)) >> ' }), 'application/pdf'),
      422,
      'DOCUMENT_UNSAFE',
    ],
    [
      'a PDF as the selfie',
      () =>
        multipart({ documentType: 'resident_id' }, [
          { field: 'front', bytes: jpeg() },
          { field: 'back', bytes: jpeg() },
          { field: 'selfie', bytes: pdf() },
        ]),
      415,
      'DOCUMENT_TYPE_UNSUPPORTED',
    ],
    [
      'no back side',
      () =>
        multipart({ documentType: 'resident_id' }, [
          { field: 'front', bytes: jpeg() },
          { field: 'selfie', bytes: jpeg() },
        ]),
      422,
      'DOCUMENTS_INCOMPLETE',
    ],
    [
      'an unknown document type',
      () => multipart({ documentType: 'driving_licence' }, [{ field: 'front', bytes: jpeg() }]),
      400,
      'VALIDATION_FAILED',
    ],
  ])('refuses %s and writes nothing', async (_name, form, status, code) => {
    const before = await submissionCount();
    const response = await submit(user, form());
    expect(response.statusCode, response.body).toBe(status);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().code).toBe(code);
    expect(await submissionCount()).toBe(before);
  });

  it('names the file that was refused', async () => {
    const response = await submit(user, withFront(jpeg().subarray(0, 200)));
    expect(response.json()).toMatchObject({ code: 'DOCUMENT_CORRUPT', field: 'front' });
  });

  it('answers a malformed multipart body with 400, not 500', async () => {
    const form = residentIdForm();
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/kyc/submissions',
      headers: { ...user.auth, 'content-type': 'multipart/form-data; boundary=not-the-one-used' },
      payload: form.payload,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('MALFORMED_REQUEST');
  });

  it('refuses JSON with 415', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/kyc/submissions',
      headers: user.auth,
      payload: { documentType: 'resident_id' },
    });
    expect(response.statusCode).toBe(415);
  });

  it('needs a signed-in holder', async () => {
    const form = residentIdForm();
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/me/kyc/submissions',
          headers: form.headers,
          payload: form.payload,
        })
      ).statusCode,
    ).toBe(401);
  });
});

describe('staff review', () => {
  it('sends an uncertain face to a reviewer, who claims, views and rejects; the holder resubmits', async () => {
    const user = await registerUser(t);
    const held = await submit(user, residentIdForm([], ['FACE_UNCERTAIN']));
    expect(held.json()).toMatchObject({ status: 'manual_review', reason: { code: 'FACE_UNCERTAIN' } });
    const id = held.json().id;
    expect(await kinds(user)).toContain('kyc.manual_review');
    expect((await submit(user, residentIdForm())).json().code).toBe('KYC_SUBMISSION_OPEN');

    const queue = await staff(reviewerA, 'GET', '/api/v1/staff/kyc/submissions?limit=100');
    expect(queue.statusCode).toBe(200);
    expect(queue.json().items.map((i: { id: string }) => i.id)).toContain(id);
    // The queue names the holder (masked), not only by user id.
    const queued = queue.json().items.find((i: { id: string }) => i.id === id);
    expect(queued.holderName).toBe(maskName(user.name));
    expect((await staff(reviewerA, 'GET', `/api/v1/staff/kyc/submissions/${id}/documents/selfie`)).json().code).toBe(
      'KYC_NOT_CLAIMED',
    );
    expect((await claim(reviewerA, id)).statusCode).toBe(200);
    expect((await claim(reviewerB, id)).json().code).toBe('KYC_CLAIMED_BY_OTHER');
    const detail = (await staff(reviewerA, 'GET', `/api/v1/staff/kyc/submissions/${id}`)).json();
    expect(detail.registration).toMatchObject({ name: user.name, idNumber: user.idNumber });
    expect(detail.findings).toMatchObject({ faceMatchScore: 0.72, nameMatches: true });
    const selfie = await staff(reviewerA, 'GET', `/api/v1/staff/kyc/submissions/${id}/documents/selfie`);
    expect(selfie.statusCode).toBe(200);
    expect(selfie.headers['cache-control']).toBe('no-store, private');
    expect(selfie.rawPayload.equals(jpeg('FACE_UNCERTAIN'))).toBe(true);

    expect((await decide(reviewerA, id, { decision: 'reject', note: 'not the same person' })).json().code).toBe(
      'KYC_REASON_REQUIRED',
    );
    const rejected = await decide(reviewerA, id, {
      decision: 'reject',
      reason: 'FACE_MISMATCH',
      note: 'not the same person',
    });
    expect(rejected.json()).toEqual({ id, status: 'rejected' });
    expect((await t.app.inject({ url: `/api/v1/me/kyc/submissions/${id}`, headers: user.auth })).json()).toMatchObject({
      status: 'rejected',
      reason: { code: 'FACE_MISMATCH' },
    });
    expect((await submit(user, residentIdForm())).json().status).toBe('approved');

    const actions = (await t.services.audit.search({ subjectId: id })).map((e) => `${e.action}:${e.actorId}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        `kyc.claimed:${reviewerA.staffId}`,
        `kyc.document_viewed:${reviewerA.staffId}`,
        `kyc.rejected:${reviewerA.staffId}`,
        'kyc.auto_decided:kyc-auto',
      ]),
    );
  });

  it('lets a reviewer approve a manual review; the tier rises', async () => {
    const user = await holderWithCard();
    const { id } = (await submit(user, residentIdForm(['UNCERTAIN']))).json();
    await claim(reviewerB, id);
    expect(
      (await decide(reviewerB, id, { decision: 'approve', note: 'glare only, document fine' })).json().status,
    ).toBe('approved');
    expect((await me(user)).tier).toBe('verified');
    expect(await kinds(user)).toContain('kyc.approved');
    expect((await decide(reviewerB, id, { decision: 'approve', note: 'again' })).json().code).toBe(
      'KYC_ALREADY_DECIDED',
    );
  });

  it('needs a second, different reviewer to override an automatic rejection', async () => {
    const user = await holderWithCard();
    const { id } = (await submit(user, residentIdForm(['NAME_MISMATCH']))).json();
    expect((await claim(reviewerA, id)).statusCode).toBe(200);
    expect(
      (await decide(reviewerA, id, { decision: 'approve', note: 'name is a transliteration' })).json().status,
    ).toBe('override_pending');
    expect((await me(user)).tier).toBe('basic');
    expect((await claim(reviewerA, id)).json().code).toBe('KYC_SECOND_REVIEWER_REQUIRED');
    expect((await decide(reviewerA, id, { decision: 'approve', note: 'me again' })).json().code).toBe(
      'KYC_SECOND_REVIEWER_REQUIRED',
    );
    expect((await decide(reviewerB, id, { decision: 'approve', note: 'checked' })).json().code).toBe('KYC_NOT_CLAIMED');
    expect((await claim(reviewerB, id)).statusCode).toBe(200);
    expect(
      (await decide(reviewerB, id, { decision: 'approve', note: 'confirmed with the branch' })).json().status,
    ).toBe('approved');
    expect((await me(user)).tier).toBe('verified');
    const actions = (await t.services.audit.search({ subjectId: id })).map((e) => `${e.action}:${e.actorId}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        `kyc.override_proposed:${reviewerA.staffId}`,
        `kyc.override_approved:${reviewerB.staffId}`,
      ]),
    );
  });

  it('lets the checker decline an override: the automatic rejection stands', async () => {
    const user = await registerUser(t);
    const { id } = (await submit(user, residentIdForm(['EXPIRED']))).json();
    await claim(reviewerA, id);
    await decide(reviewerA, id, { decision: 'approve', note: 'expiry misread' });
    await claim(reviewerB, id);
    expect((await decide(reviewerB, id, { decision: 'reject', note: 'it really is expired' })).json().status).toBe(
      'rejected',
    );
    expect(
      (await t.app.inject({ url: `/api/v1/me/kyc/submissions/${id}`, headers: user.auth })).json().reason.code,
    ).toBe('DOCUMENT_EXPIRED');
    expect((await me(user)).tier).toBe('basic');
  });

  it('keeps the queue and documents to reviewers', async () => {
    const user = await registerUser(t);
    const { id } = (await submit(user, residentIdForm(['UNCERTAIN']))).json();
    expect((await staff(support, 'GET', '/api/v1/staff/kyc/submissions')).statusCode).toBe(403);
    expect((await claim(support, id)).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/v1/staff/kyc/submissions', headers: user.auth })).statusCode).toBe(403);
    expect(
      (await t.app.inject({ url: `/api/v1/staff/kyc/submissions/${id}/documents/front`, headers: user.auth }))
        .statusCode,
    ).toBe(403);
    expect((await t.app.inject({ url: '/api/v1/staff/kyc/submissions' })).statusCode).toBe(401);
  });
});
