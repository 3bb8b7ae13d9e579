import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { balanceOf, walletHolder, type WalletHolder } from '../../test/transfer-factories.js';
import { systemClock } from '../platform/clock.js';
import type { OutgoingInput, RiskVerdict } from '../risk/port.js';
import { createTransferService } from './service.js';

/** The transfer service asks an injected risk engine before posting, and obeys its answer. */

let t: TestApp;
let alice: WalletHolder;
let bob: WalletHolder;
const asked: OutgoingInput[] = [];
let answer: RiskVerdict = { outcome: 'allow', problem: null };

beforeAll(async () => {
  t = await createTestApp();
  alice = await walletHolder(t, {
    name: '张三',
    balanceFen: 100_000n,
    limits: { dailyFen: 10_000_000n, balanceCapFen: 10_000_000n },
  });
  bob = await walletHolder(t, { name: '李四', limits: { balanceCapFen: 10_000_000n } });
});
afterAll(async () => t?.close());

function service() {
  const { ledger, identity, notifications } = t.services;
  return createTransferService({
    db: t.db,
    clock: systemClock,
    ledger,
    identity,
    notifications,
    risk: {
      async assessOutgoing(assessment) {
        asked.push(assessment);
        return answer;
      },
    },
  });
}

const input = () => ({ payee: { walletId: bob.walletId }, amountFen: 250n, currency: 'CNY' as const });

describe('risk assessment before posting', () => {
  it('describes the movement to the engine and posts when allowed', async () => {
    answer = { outcome: 'allow', problem: null };
    const sent = await service().send(alice.userId, input(), alice.pin, { ip: '10.1.2.3' });
    expect(sent.ok && sent.value.status).toBe('completed');
    expect(asked.at(-1)).toMatchObject({
      userId: alice.userId,
      walletAccountId: alice.walletId,
      amountFen: 250n,
      channel: 'p2p',
      payeeKey: `wallet:${bob.walletId}`,
      payeeDisplay: '*四',
      ip: '10.1.2.3',
    });
    expect(asked.at(-1)?.reference).toBe(`p2p:${sent.ok ? sent.value.id : ''}`);
  });

  it('leaves a stepped-up transfer waiting and ends a blocked one, moving nothing', async () => {
    const before = await balanceOf(t, alice.walletId);
    answer = { outcome: 'step_up', problem: 'STEP_UP_REQUIRED', assessmentId: 'ras_1', reasons: [] };
    const stepped = await service().send(alice.userId, input(), alice.pin);
    expect(stepped.ok ? 'ok' : stepped.error.code).toBe('STEP_UP_REQUIRED');
    const waiting = (
      await t.db.query<{ status: string }>(
        `SELECT status FROM transfers WHERE payer_user_id = $1 ORDER BY id DESC LIMIT 1`,
        [alice.userId],
      )
    ).rows[0];
    expect(waiting.status).toBe('awaiting_confirmation');

    answer = { outcome: 'block', problem: 'RISK_BLOCKED', assessmentId: 'ras_2', reasons: [] };
    const blocked = await service().send(alice.userId, input(), alice.pin);
    expect(blocked.ok ? 'ok' : blocked.error.code).toBe('RISK_BLOCKED');
    const ended = (
      await t.db.query<{ status: string }>(
        `SELECT status FROM transfers WHERE payer_user_id = $1 ORDER BY id DESC LIMIT 1`,
        [alice.userId],
      )
    ).rows[0];
    expect(ended.status).toBe('failed');
    expect(await balanceOf(t, alice.walletId)).toBe(before);
  });
});
