import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, createTestApp } from '../../test/app.js';
import { registerUser } from '../../test/identity-factories.js';
import { manualClock } from '../platform/clock.js';
import type { Queryable } from '../platform/db/types.js';
import { insertAssessment } from './store.js';

const clock = manualClock('2026-12-03T02:00:00Z');
let t: TestApp;
let user: { userId: string; walletAccountId: string };
beforeAll(async () => {
  t = await createTestApp({ clock });
  const { userId } = await registerUser(t);
  const { rows } = await t.db.query<{ wallet_account_id: string }>(
    'SELECT wallet_account_id FROM users WHERE id = $1',
    [userId],
  );
  user = { userId, walletAccountId: rows[0].wallet_account_id };
});
afterAll(async () => t?.close());

let sequence = 0;
const assessment = (reference = `p2p:trf_store_${sequence++}`) => ({
  id: `rsk_store_${sequence++}`,
  user_id: user.userId,
  wallet_account_id: user.walletAccountId,
  reference,
  channel: 'p2p',
  amount: 100n,
  currency: 'CNY',
  payee_key: 'wallet:acc_x',
  payee_display: '张*',
  device_id: null,
  ip: null,
  network: null,
  outcome: 'allow' as const,
  reasons: [],
  proceeded: true,
  created_at: clock.now(),
});

const syncCommit = async (tx: Queryable) =>
  (await tx.query<{ synchronous_commit: string }>('SHOW synchronous_commit')).rows[0].synchronous_commit;

describe('insertAssessment', () => {
  it('turns the WAL flush off for the rest of the transaction only when asked and when it inserted', async () => {
    const reference = `p2p:trf_store_flush`;
    const seen = await t.db.transaction(async (tx) => {
      const before = await syncCommit(tx);
      expect(await insertAssessment(tx, assessment(reference), { withoutFlush: true })).toBe(true);
      return { before, after: await syncCommit(tx) };
    });
    expect(seen).toEqual({ before: 'on', after: 'off' });
    // Outside that transaction the setting is back.
    expect(await t.db.transaction((tx) => syncCommit(tx))).toBe('on');

    // A conflict (the reference was assessed) inserts nothing and changes nothing.
    const conflict = await t.db.transaction(async (tx) => {
      const inserted = await insertAssessment(tx, assessment(reference), { withoutFlush: true });
      return { inserted, setting: await syncCommit(tx) };
    });
    expect(conflict).toEqual({ inserted: false, setting: 'on' });

    // A decision with reasons waits for the flush.
    const waits = await t.db.transaction(async (tx) => {
      expect(await insertAssessment(tx, assessment())).toBe(true);
      return syncCommit(tx);
    });
    expect(waits).toBe('on');
  });
});
