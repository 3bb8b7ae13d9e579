import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { canonicalJson } from '../canonical-json.js';
import { manualClock } from '../clock.js';
import { sha256Hex } from '../crypto.js';
import { pruneIdempotencyKeys } from './idempotency.js';

const clock = manualClock('2026-11-23T02:00:00Z');
let t: TestApp;
let bank: string;
let alice: string;
let bob: string;

const body = (reference: string, amount = 100) => ({
  reference,
  currency: 'CNY',
  legs: [{ debitAccountId: alice, creditAccountId: bob, amount }],
});
const post = (key: string | undefined, payload: object) =>
  t.asOperator({
    method: 'POST',
    url: '/api/v1/ledger/transfers',
    headers: key === undefined ? {} : { 'idempotency-key': key },
    payload,
  });

// Operator movements are asked for (202, a pending approval) and then approved by a second operator; the
// request is what these tests repeat, so "recorded once" counts approval requests for the reference.
async function entriesWith(reference: string): Promise<number> {
  const { rows } = await t.db.query<{ n: bigint }>(
    'SELECT count(*) AS n FROM approval_requests WHERE subject_id = $1',
    [reference],
  );
  return Number(rows[0].n);
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  const open = async (kind: string) =>
    (await t.asOperator({ method: 'POST', url: '/api/v1/ledger/accounts', payload: { kind, currency: 'CNY' } })).json()
      .id as string;
  bank = await open('bank_clearing');
  alice = await open('customer_wallet');
  bob = await open('customer_wallet');
  await t.operatorMove({
    method: 'POST',
    url: '/api/v1/ledger/transfers',
    headers: { 'idempotency-key': 'fund' },
    payload: {
      reference: 'idem-fund',
      currency: 'CNY',
      legs: [{ debitAccountId: bank, creditAccountId: alice, amount: 1_000_000 }],
    },
  });
});
afterAll(async () => t?.close());

describe('Idempotency-Key on money-moving requests', () => {
  it('is required', async () => {
    const response = await post(undefined, body('idem-none'));
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    expect(await entriesWith('idem-none')).toBe(0);
  });

  it('must be printable ASCII up to 255 characters', async () => {
    expect((await post('x'.repeat(256), body('idem-long'))).json().code).toBe('VALIDATION_FAILED');
  });

  it('replays the first response exactly and posts once', async () => {
    const first = await post('key-1', body('idem-1'));
    const second = await post('key-1', body('idem-1'));
    expect(first.statusCode).toBe(202);
    expect(second.statusCode).toBe(202);
    expect(second.body).toBe(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(await entriesWith('idem-1')).toBe(1);
  });

  it('treats the same body with keys in another order as the same request', async () => {
    const first = await post('key-order', {
      currency: 'CNY',
      reference: 'idem-order',
      legs: [{ amount: 100, creditAccountId: bob, debitAccountId: alice }],
    });
    const second = await post('key-order', body('idem-order'));
    expect(second.body).toBe(first.body);
  });

  it('refuses the same key with another body', async () => {
    await post('key-2', body('idem-2', 100));
    const conflicting = await post('key-2', body('idem-2', 200));
    expect(conflicting.statusCode).toBe(422);
    expect(conflicting.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await entriesWith('idem-2')).toBe(1);
  });

  it('replays a refusal too', async () => {
    const { approval } = (await post('key-3-ask', body('idem-3', 999_999_999))).json();
    const approve = () =>
      t.asSecondOperator({
        method: 'POST',
        url: `/api/v1/ledger/approvals/${approval.id}/approve`,
        headers: { 'idempotency-key': 'key-3' },
        payload: { note: 'checked' },
      });
    const first = await approve();
    expect(first.json().code).toBe('INSUFFICIENT_FUNDS');
    const again = await approve();
    expect(again.statusCode).toBe(422);
    expect(again.body).toBe(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
  });

  it('lets exactly one of many concurrent duplicates run', async () => {
    const responses = await Promise.all(Array.from({ length: 10 }, () => post('key-4', body('idem-4'))));
    const statuses = responses.map((response) => response.statusCode);
    expect(statuses.every((status) => status === 202 || status === 409)).toBe(true);
    const fresh = responses.filter(
      (response) => response.statusCode === 202 && response.headers['idempotent-replayed'] === undefined,
    );
    expect(fresh).toHaveLength(1);
    for (const response of responses.filter((r) => r.statusCode === 409))
      expect(response.json().code).toBe('IDEMPOTENCY_REQUEST_IN_PROGRESS');
    expect(await entriesWith('idem-4')).toBe(1);
  });

  it('does not consume the key on bad input', async () => {
    const bad = await post('key-5', { ...body('idem-5'), legs: [] });
    expect(bad.statusCode).toBe(400);
    const good = await post('key-5', body('idem-5'));
    expect(good.statusCode).toBe(202);
  });

  it('keeps keys 24 hours, after which the key is new again and pruned', async () => {
    await post('key-6', body('idem-6'));
    clock.advanceMs(23 * 3600_000);
    expect((await post('key-6', body('idem-6-other'))).json().code).toBe('IDEMPOTENCY_KEY_REUSED');
    clock.advanceMs(2 * 3600_000);
    const reused = await post('key-6', body('idem-6-other'));
    expect(reused.statusCode).toBe(202);
    expect(reused.headers['idempotent-replayed']).toBeUndefined();
    clock.advanceMs(25 * 3600_000);
    expect(await pruneIdempotencyKeys(t.db, clock.now())).toBeGreaterThan(0);
    const { rows } = await t.db.query<{ n: bigint }>(
      'SELECT count(*) AS n FROM idempotency_keys WHERE expires_at <= $1',
      [clock.now()],
    );
    expect(Number(rows[0].n)).toBe(0);
  });
});

describe('stored request fingerprints', () => {
  const plainDigest = (payload: object) => sha256Hex(`POST /api/v1/ledger/transfers\n${canonicalJson(payload)}`);
  const storedFingerprint = async (key: string) =>
    (await t.db.query<{ fingerprint: string }>('SELECT fingerprint FROM idempotency_keys WHERE key = $1', [key]))
      .rows[0].fingerprint;

  it('are keyed, not the plain SHA-256 of the body (it may hold a PIN); replay and refuse as before', async () => {
    const payload = body('idem-keyed');
    const first = await post('key-keyed', payload);
    expect(first.statusCode).toBe(202);
    const fingerprint = await storedFingerprint('key-keyed');
    expect(fingerprint).not.toBe(plainDigest(payload));
    expect(fingerprint).not.toContain(plainDigest(payload));
    expect(fingerprint).toMatch(/^h1:[0-9a-f]{64}$/);

    const replay = await post('key-keyed', payload);
    expect([replay.statusCode, replay.headers['idempotent-replayed'], replay.body]).toEqual([202, 'true', first.body]);
    const other = await post('key-keyed', body('idem-keyed', 200));
    expect([other.statusCode, other.json().code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    expect(await entriesWith('idem-keyed')).toBe(1);
  });

  it('written before keying (plain SHA-256) still replay the same request and refuse another', async () => {
    const payload = body('idem-legacy');
    const first = await post('key-legacy', payload);
    expect(first.statusCode).toBe(202);
    await t.db.query('UPDATE idempotency_keys SET fingerprint = $2 WHERE key = $1', [
      'key-legacy',
      plainDigest(payload),
    ]);

    const replay = await post('key-legacy', payload);
    expect([replay.statusCode, replay.headers['idempotent-replayed'], replay.body]).toEqual([202, 'true', first.body]);
    const other = await post('key-legacy', body('idem-legacy', 300));
    expect(other.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await entriesWith('idem-legacy')).toBe(1);
  });
});
